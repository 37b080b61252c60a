/* admin.c — greenlane-central admin: keys, terminal tokens, importing data
 * (NDJSON wire format, or a county bureau's CSV), passes, meltdowns, test
 * results, risk areas, policies and a report.  Every change is published as
 * records with change sequences, so terminals pick it up from the feed. */
#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "assets.h"
#include "cache.h"
#include "central.h"
#include "central_db.h"
#include "demo.h"
#include "gltime.h"
#include "idno.h"
#include "jscan.h"
#include "jws.h"
#include "plate.h"
#include "policy.h"
#include "query.h"

static void fail(const gl_msg *e)
{
	fprintf(stderr, "greenlane-central: %s\n", e->en);
}

static int64_t now(void)
{
	return (int64_t)time(NULL);
}

static void time_text(int64_t t, char out[40])
{
	gltime_format(t, GLTIME_CST, out, 40);
}

/* Publishes (put) a cJSON object as a record.  Frees data. */
static int publish(struct cdb *db, const char *kind, const char *key, cJSON *data, gl_msg *err)
{
	char *s = cJSON_PrintUnformatted(data);
	int rc = s != NULL ? cdb_put(db, kind, key, s, err) : -1;

	cJSON_free(s);
	cJSON_Delete(data);
	return rc;
}

static int ensure_key(struct cdb *db, const char *use, gl_msg *err)
{
	char kid[64];
	unsigned char pk[32], sk[64], rnd[4];

	if (cdb_key_get(db, use, kid, sk))
		return 0;
	crypto_sign_keypair(pk, sk);
	randombytes_buf(rnd, sizeof rnd);
	snprintf(kid, sizeof kid, "central-%s-%02x%02x%02x%02x", use, rnd[0], rnd[1], rnd[2], rnd[3]);
	if (cdb_key_add(db, kid, use, sk, err) != 0)
		return -1;
	fprintf(stderr, "key %s (%s)\n", kid, use);
	sodium_memzero(sk, sizeof sk);
	return 0;
}

static int do_init(struct cdb *db)
{
	gl_msg err;

	if (cdb_begin(db, &err) != 0 || ensure_key(db, "pass", &err) != 0 || ensure_key(db, "policy", &err) != 0 ||
	    ensure_key(db, "snapshot", &err) != 0 ||
	    cdb_set_as_of(db, now(), &err) != 0 || cdb_commit(db, &err) != 0) {
		cdb_rollback(db);
		fail(&err);
		return 70;
	}
	return 0;
}

/* Imports NDJSON records (DESIGN.md §3) in one transaction. */
static int import_line(struct cdb *db, const char *line, size_t len, long n, gl_msg *err)
{
	struct jscan_member m[16];
	char kind[32], op[8], key[160];
	const struct jscan_span *data;
	int nm = jscan_object(line, len, m, 16);

	if (nm < 0) {
		glmsg_set(err, "第 %ld 行不是 JSON 对象", "line %ld is not a JSON object", n);
		return -1;
	}
	if (jscan_get(m, nm, "kind") == NULL)
		return 0;	/* a trailer: the centre's own cursor is what counts */
	if (jscan_string(jscan_get(m, nm, "kind"), kind, sizeof kind) < 0 ||
	    jscan_string(jscan_get(m, nm, "op"), op, sizeof op) < 0 ||
	    jscan_string(jscan_get(m, nm, "key"), key, sizeof key) < 0) {
		glmsg_set(err, "第 %ld 行缺少 kind、op 或 key", "line %ld lacks kind, op or key", n);
		return -1;
	}
	if (strcmp(op, "del") == 0)
		return cdb_del(db, kind, key, err);
	data = jscan_get(m, nm, "data");
	if (strcmp(op, "put") != 0 || data == NULL || data->type != JS_OBJECT) {
		glmsg_set(err, "第 %ld 行：put 需要 data 对象", "line %ld: a put needs a data object", n);
		return -1;
	}
	{
		char *d = strndup(data->p, data->n);
		int rc = d != NULL ? cdb_put(db, kind, key, d, err) : -1;
		free(d);
		return rc;
	}
}

static int do_import(struct cdb *db, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long n = 0;
	gl_msg err;

	if (f == NULL) {
		fprintf(stderr, "greenlane-central: cannot read %s\n", path);
		return 66;
	}
	if (cdb_begin(db, &err) != 0) {
		fail(&err);
		return 70;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		n++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > 0 && import_line(db, line, (size_t)len, n, &err) != 0) {
			cdb_rollback(db);
			fail(&err);
			free(line);
			if (f != stdin)
				fclose(f);
			return 65;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (cdb_set_as_of(db, now(), &err) != 0 || cdb_commit(db, &err) != 0) {
		cdb_rollback(db);
		fail(&err);
		return 74;
	}
	printf("imported %ld lines\n", n);
	return 0;
}

struct demo_sink {
	struct cdb *db;
	long n;
	gl_msg err;
};

static int demo_line(char *line, size_t len, void *arg)
{
	struct demo_sink *s = arg;

	return import_line(s->db, line, len, ++s->n, &s->err);
}

static int do_demo(struct cdb *db, long size)
{
	struct demo_sink s = { db, 0, { "", "" } };
	gl_msg err;

	if (cdb_begin(db, &err) != 0) {
		fail(&err);
		return 70;
	}
	if (demo_generate(size, now(), demo_line, &s) != 0 || cdb_set_as_of(db, now(), &err) != 0 ||
	    cdb_commit(db, &err) != 0) {
		cdb_rollback(db);
		fail(&s.err);
		return 70;
	}
	printf("demo: %ld records\n", s.n);
	return do_init(db);
}

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* pass issue --plate P --enterprise E --origin R --dest R [--from T] [--days N] [--pass-no N] */
static int do_pass_issue(struct cdb *db, int argc, char **argv)
{
	const char *pl = opt(argc, argv, "--plate"), *ent = opt(argc, argv, "--enterprise");
	const char *orig = opt(argc, argv, "--origin"), *dest = opt(argc, argv, "--dest");
	const char *from_s = opt(argc, argv, "--from"), *days_s = opt(argc, argv, "--days");
	const char *no = opt(argc, argv, "--pass-no");
	struct plate p;
	unsigned char sk[64];
	char kid[64], pass_no[PASSNO_LEN + 1], a[40], b[40], *payload, *tok;
	int64_t from = now(), to;
	cJSON *d;
	gl_msg err;

	if (pl == NULL || plate_parse(pl, NULL, &p, NULL) != 0 || orig == NULL || !region_code_valid(orig) ||
	    dest == NULL || !region_code_valid(dest) || (from_s != NULL && gltime_parse(from_s, &from) != 0)) {
		fprintf(stderr, "usage: greenlane-central admin pass issue --plate PLATE --origin REGION --dest REGION"
			" [--enterprise ID] [--from TIME] [--days N] [--pass-no N]\n");
		return 64;
	}
	to = from + (days_s != NULL ? strtol(days_s, NULL, 10) : 30) * 86400;
	if (!cdb_key_get(db, "pass", kid, sk)) {
		fprintf(stderr, "greenlane-central: no pass key: run admin init first\n");
		return 66;
	}
	if (no != NULL) {
		if (passno_parse(no, pass_no, &err) != 0) {
			fail(&err);
			return 65;
		}
	} else {
		/* A free serial under the destination's region. */
		char *taken;
		do {
			snprintf(pass_no, sizeof pass_no, "%.6s%06u", dest, (unsigned)randombytes_uniform(1000000));
			taken = cdb_get(db, "pass", pass_no);
			free(taken);
		} while (taken != NULL);
	}
	time_text(from, a);
	time_text(to, b);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "pass_no", pass_no);
	cJSON_AddStringToObject(d, "plate", p.canon);
	cJSON_AddStringToObject(d, "origin_region", orig);
	cJSON_AddStringToObject(d, "dest_region", dest);
	cJSON_AddStringToObject(d, "valid_from", a);
	cJSON_AddStringToObject(d, "valid_to", b);
	payload = cJSON_PrintUnformatted(d);
	tok = payload != NULL ? jws_sign(payload, strlen(payload), kid, sk) : NULL;
	sodium_memzero(sk, sizeof sk);
	cJSON_free(payload);
	if (ent != NULL)
		cJSON_AddStringToObject(d, "enterprise_id", ent);
	cJSON_AddBoolToObject(d, "revoked", 0);
	if (tok == NULL || publish(db, "pass", pass_no, d, &err) != 0 || cdb_set_as_of(db, now(), &err) != 0) {
		free(tok);
		fail(&err);
		return 70;
	}
	printf("%s\n", tok);
	free(tok);
	return 0;
}

/* Changes one field of a live record and republishes it. */
static int amend(struct cdb *db, const char *kind, const char *key, const char *field, cJSON *value)
{
	char *old = cdb_get(db, kind, key);
	cJSON *d = old != NULL ? cJSON_Parse(old) : NULL;
	gl_msg err;

	free(old);
	if (d == NULL) {
		cJSON_Delete(value);
		fprintf(stderr, "greenlane-central: no %s %s\n", kind, key);
		return 66;
	}
	if (cJSON_GetObjectItemCaseSensitive(d, field) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(d, field, value);
	else
		cJSON_AddItemToObject(d, field, value);
	if (publish(db, kind, key, d, &err) != 0 || cdb_set_as_of(db, now(), &err) != 0) {
		fail(&err);
		return 70;
	}
	printf("OK %s %s\n", kind, key);
	return 0;
}

/* risk set REGION high|medium [--until TIME] | risk clear REGION */
static int do_risk(struct cdb *db, int argc, char **argv)
{
	char t[40];
	cJSON *d;
	gl_msg err;
	int64_t until;

	if (argc >= 3 && strcmp(argv[1], "clear") == 0 && region_code_valid(argv[2])) {
		if (cdb_del(db, "risk_area", argv[2], &err) != 0 || cdb_set_as_of(db, now(), &err) != 0) {
			fail(&err);
			return 70;
		}
		return 0;
	}
	if (argc < 4 || strcmp(argv[1], "set") != 0 || !region_code_valid(argv[2]) ||
	    (strcmp(argv[3], "high") != 0 && strcmp(argv[3], "medium") != 0)) {
		fprintf(stderr, "usage: greenlane-central admin risk set REGION high|medium [--until TIME] | risk clear REGION\n");
		return 64;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "region", argv[2]);
	cJSON_AddStringToObject(d, "level", argv[3]);
	time_text(now(), t);
	cJSON_AddStringToObject(d, "since", t);
	if (opt(argc, argv, "--until") != NULL) {
		if (gltime_parse(opt(argc, argv, "--until"), &until) != 0) {
			cJSON_Delete(d);
			fprintf(stderr, "greenlane-central: --until needs an RFC 3339 time\n");
			return 64;
		}
		time_text(until, t);
		cJSON_AddStringToObject(d, "until", t);
	}
	if (publish(db, "risk_area", argv[2], d, &err) != 0 || cdb_set_as_of(db, now(), &err) != 0) {
		fail(&err);
		return 70;
	}
	return 0;
}

/* policy publish FILE: loads it (refusing a broken one), signs it. */
static int do_policy(struct cdb *db, const char *path)
{
	const struct asset *a = assets_get("assets/policy/default.json");
	char *text = NULL, kid[64], *jws;
	unsigned char sk[64];
	struct policy *p;
	cJSON *d, *doc;
	gl_msg err;
	FILE *f;
	long n = 0;

	if (strcmp(path, "default") == 0 && a != NULL) {
		text = strdup(a->data);
	} else if ((f = fopen(path, "r")) != NULL) {
		if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1 << 20) && fseek(f, 0, SEEK_SET) == 0 &&
		    (text = malloc((size_t)n + 1)) != NULL && fread(text, 1, (size_t)n, f) == (size_t)n)
			text[n] = '\0';
		fclose(f);
	}
	if (text == NULL) {
		fprintf(stderr, "greenlane-central: cannot read %s\n", path);
		return 66;
	}
	p = policy_load(text, strlen(text), &err);
	if (p == NULL) {
		free(text);
		fail(&err);
		return 65;
	}
	if (!cdb_key_get(db, "policy", kid, sk)) {
		policy_free(p);
		free(text);
		fprintf(stderr, "greenlane-central: no policy key: run admin init first\n");
		return 66;
	}
	jws = jws_sign(text, strlen(text), kid, sk);
	sodium_memzero(sk, sizeof sk);
	doc = cJSON_Parse(text);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "id", policy_id(p));
	cJSON_AddStringToObject(d, "version", policy_version(p));
	{
		const cJSON *vf = cJSON_GetObjectItemCaseSensitive(doc, "valid_from");
		char t[40];
		time_text(now(), t);
		cJSON_AddStringToObject(d, "valid_from", cJSON_IsString(vf) ? vf->valuestring : t);
	}
	cJSON_AddStringToObject(d, "jws", jws != NULL ? jws : "");
	cJSON_Delete(doc);
	free(jws);
	free(text);
	policy_free(p);
	/* Under its id for terminals' caches, and as "current" for GET /v1/policy. */
	if (publish(db, "policy", "current", cJSON_Duplicate(d, 1), &err) != 0 ||
	    publish(db, "policy", cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, d, &err) != 0 ||
	    cdb_set_as_of(db, now(), &err) != 0) {
		fail(&err);
		return 70;
	}
	printf("OK policy published\n");
	return 0;
}

/* test-result TUBE positive|negative: the result follows the sample.  A
 * positive one intercepts the sampled crew and their vehicle everywhere. */
static int do_test_result(struct cdb *db, const char *tube, const char *result)
{
	cJSON *events = cdb_events_by_tube(db, tube), *e, *m;
	char t[40], id[80];
	gl_msg err;
	int positive = strcmp(result, "positive") == 0, n = 0, rc = 0;

	if (!positive && strcmp(result, "negative") != 0) {
		cJSON_Delete(events);
		fprintf(stderr, "usage: greenlane-central admin test-result TUBE positive|negative\n");
		return 64;
	}
	if (cJSON_GetArraySize(events) == 0) {
		cJSON_Delete(events);
		fprintf(stderr, "greenlane-central: no sample with tube %s has arrived from a lane\n", tube);
		return 66;
	}
	time_text(now(), t);
	if (cdb_begin(db, &err) != 0) {
		cJSON_Delete(events);
		fail(&err);
		return 70;
	}
	cJSON_ArrayForEach(e, events) {
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "at"));
		const char *plate = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "plate"));
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(e, "crew")) {
			char *old;
			cJSON *d;
			if (!cJSON_IsString(m))
				continue;
			old = cdb_get(db, "driver", m->valuestring);
			d = old != NULL ? cJSON_Parse(old) : NULL;
			free(old);
			if (d != NULL) {
				cJSON_DeleteItemFromObjectCaseSensitive(d, "nat_result");
				cJSON_DeleteItemFromObjectCaseSensitive(d, "nat_at");
				cJSON_AddStringToObject(d, "nat_result", result);
				cJSON_AddStringToObject(d, "nat_at", at != NULL ? at : t);
				if (kind != NULL && strcmp(kind, "landing_test") == 0 && !positive) {
					cJSON_DeleteItemFromObjectCaseSensitive(d, "landing_test_at");
					cJSON_AddStringToObject(d, "landing_test_at", at != NULL ? at : t);
				}
				rc |= publish(db, "driver", m->valuestring, d, &err);
			}
			if (positive) {
				cJSON *i = cJSON_CreateObject();
				snprintf(id, sizeof id, "NAT-%s-%s", tube, m->valuestring);
				cJSON_AddStringToObject(i, "id", id);
				cJSON_AddStringToObject(i, "target", "id_no");
				cJSON_AddStringToObject(i, "value", m->valuestring);
				cJSON_AddStringToObject(i, "reason", "核酸检测阳性 / positive test");
				cJSON_AddStringToObject(i, "since", t);
				cJSON_AddBoolToObject(i, "cleared", 0);
				rc |= publish(db, "intercept", id, i, &err);
				n++;
			}
		}
		if (positive && plate != NULL) {
			cJSON *i = cJSON_CreateObject();
			snprintf(id, sizeof id, "NAT-%s-%s", tube, plate);
			cJSON_AddStringToObject(i, "id", id);
			cJSON_AddStringToObject(i, "target", "plate");
			cJSON_AddStringToObject(i, "value", plate);
			cJSON_AddStringToObject(i, "reason", "随车人员核酸阳性 / crew tested positive");
			cJSON_AddStringToObject(i, "since", t);
			cJSON_AddBoolToObject(i, "cleared", 0);
			rc |= publish(db, "intercept", id, i, &err);
			n++;
		}
	}
	cJSON_Delete(events);
	if (rc != 0 || cdb_set_as_of(db, now(), &err) != 0 || cdb_commit(db, &err) != 0) {
		cdb_rollback(db);
		fail(&err);
		return 70;
	}
	printf("OK %s %s: %d intercepts\n", tube, result, n);
	return 0;
}

/* CSV from a county bureau, one kind per file, with a header row naming the
 * columns (any order; extra columns are refused):
 *   enterprise: id,name,sector,region,whitelisted,status
 *   vehicle:    plate,enterprise_id,relation,type,trailer_plate
 *   driver:     id_no,name,phone,transport_whitelist,health_code,itinerary
 * Booleans are 1/0, yes/no, true/false or 是/否.  Plates and ID numbers are
 * checked and folded; any bad row cancels the whole file. */
static int split_csv(char *line, char **f, int max)
{
	int n = 0;
	char *p = line, *o;

	while (n < max) {
		f[n++] = o = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*o++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*o++ = *p++;
				}
			}
			if (*p != ',' && *p != '\0')
				return -1;
		} else {
			while (*p != ',' && *p != '\0')
				*o++ = *p++;
		}
		if (*p == '\0') {
			*o = '\0';
			return n;
		}
		*o = '\0';
		p++;
	}
	return -1;
}

static int boolean(const char *s, int *out)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "true") == 0 || strcmp(s, "是") == 0)
		*out = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "no") == 0 || strcmp(s, "false") == 0 || strcmp(s, "否") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int do_import_csv(struct cdb *db, const char *kind, const char *path)
{
	static const struct { const char *kind, *cols[7], *bools[2]; } forms[] = {
		{ "enterprise", { "id", "name", "sector", "region", "whitelisted", "status", NULL }, { "whitelisted", NULL } },
		{ "vehicle", { "plate", "enterprise_id", "relation", "type", "trailer_plate", NULL, NULL }, { NULL, NULL } },
		{ "driver", { "id_no", "name", "phone", "transport_whitelist", "health_code", "itinerary", NULL },
		  { "transport_whitelist", NULL } },
	};
	FILE *f = fopen(path, "r");
	char line[4096], *head[16], *cell[16], names[16][32];
	int form = -1, nh, nc, row = 1, rc = 65;
	gl_msg err;

	for (int i = 0; i < 3; i++)
		if (strcmp(kind, forms[i].kind) == 0)
			form = i;
	if (form < 0 || f == NULL) {
		fprintf(stderr, "usage: greenlane-central admin import-csv enterprise|vehicle|driver FILE\n");
		if (f != NULL)
			fclose(f);
		return 64;
	}
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		fprintf(stderr, "greenlane-central: %s is empty\n", path);
		return 65;
	}
	line[strcspn(line, "\r\n")] = '\0';
	/* A UTF-8 byte order mark, as spreadsheet programs write it. */
	nh = split_csv(strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? line + 3 : line, head, 16);
	for (int i = 0; i < nh; i++) {
		int known = 0;
		for (int k = 0; forms[form].cols[k] != NULL; k++)
			known |= strcmp(head[i], forms[form].cols[k]) == 0;
		if (!known) {
			fclose(f);
			fprintf(stderr, "greenlane-central: unknown column \"%s\" for %s\n", head[i], kind);
			return 65;
		}
		snprintf(names[i], sizeof names[i], "%s", head[i]);
	}
	if (nh < 1 || strcmp(names[0], forms[form].cols[0]) != 0) {
		fclose(f);
		fprintf(stderr, "greenlane-central: the first column must be %s\n", forms[form].cols[0]);
		return 65;
	}
	if (cdb_begin(db, &err) != 0) {
		fclose(f);
		fail(&err);
		return 70;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		cJSON *d;
		char key[64];
		row++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		nc = split_csv(line, cell, 16);
		if (nc != nh) {
			fprintf(stderr, "greenlane-central: %s row %d: %d cells, the header has %d\n", path, row, nc, nh);
			goto out;
		}
		d = cJSON_CreateObject();
		for (int i = 0; i < nc; i++) {
			int b, is_bool = forms[form].bools[0] != NULL && strcmp(names[i], forms[form].bools[0]) == 0;
			struct plate p;
			char id[IDNO_MAX];
			if (cell[i][0] == '\0' && i > 0)
				continue;
			if (is_bool) {
				if (boolean(cell[i], &b) != 0) {
					fprintf(stderr, "greenlane-central: %s row %d: %s is not yes/no\n", path, row, names[i]);
					cJSON_Delete(d);
					goto out;
				}
				cJSON_AddBoolToObject(d, names[i], b);
			} else if (strcmp(names[i], "plate") == 0 || strcmp(names[i], "trailer_plate") == 0) {
				if (plate_parse(cell[i], NULL, &p, &err) != 0) {
					fprintf(stderr, "greenlane-central: %s row %d: %s: %s\n", path, row, cell[i], err.en);
					cJSON_Delete(d);
					goto out;
				}
				cJSON_AddStringToObject(d, names[i], p.canon);
			} else if (strcmp(names[i], "id_no") == 0) {
				if (idno_parse(cell[i], now(), id, &err) != 0) {
					fprintf(stderr, "greenlane-central: %s row %d: %s: %s\n", path, row, cell[i], err.en);
					cJSON_Delete(d);
					goto out;
				}
				cJSON_AddStringToObject(d, names[i], id);
			} else {
				cJSON_AddStringToObject(d, names[i], cell[i]);
			}
		}
		if (form == 2 && cJSON_GetObjectItemCaseSensitive(d, "status") == NULL)
			cJSON_AddStringToObject(d, "status", "none");
		snprintf(key, sizeof key, "%s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, forms[form].cols[0])));
		if (key[0] == '\0' || publish(db, kind, key, d, &err) != 0) {
			fprintf(stderr, "greenlane-central: %s row %d: %s\n", path, row, key[0] ? err.en : "no key");
			goto out;
		}
	}
	if (cdb_set_as_of(db, now(), &err) != 0 || cdb_commit(db, &err) != 0) {
		fail(&err);
		goto out;
	}
	printf("imported %d rows of %s\n", row - 1, kind);
	rc = 0;
out:
	if (rc != 0)
		cdb_rollback(db);
	fclose(f);
	return rc;
}

/* bundle FILE|-: a first line {"bundle_version":1}, every live record as a
 * snapshot (the lines /v1/snapshot sends, then its cursor and as_of), and a
 * last line {"bundle":JWS} signed
 * with the snapshot key, whose payload holds the BLAKE2b-256 of every line
 * before it (each written, and hashed, as its text and one newline).  For carrying the data to a lane the network does not reach;
 * `greenlane import` checks it against the snapshot keys it already trusts. */
static int do_bundle(struct cdb *db, const char *out)
{
	char kid[64], hash[64], when[40], trailer[128], payload[256], *tok = NULL;
	unsigned char sk[64], digest[32];
	crypto_generichash_state h;
	struct cdb_iter *it = NULL;
	const char *kind, *key, *data;
	int64_t seq, cursor, as_of;
	long records = 0;
	FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
	gl_msg err;
	int rc = 74, more;

	if (f == NULL) {
		fprintf(stderr, "greenlane-central: cannot write %s\n", out);
		return 73;
	}
	if (cdb_begin(db, &err) != 0 || ensure_key(db, "snapshot", &err) != 0 || cdb_commit(db, &err) != 0 ||
	    !cdb_key_get(db, "snapshot", kid, sk)) {
		cdb_rollback(db);
		fail(&err);
		rc = 70;
		goto out;
	}
	cursor = cdb_cursor(db);
	as_of = cdb_as_of(db);
	it = cdb_snapshot(db, NULL, NULL, &err);
	crypto_generichash_init(&h, NULL, 0, sizeof digest);
	if (fputs(CACHE_BUNDLE_HEADER "\n", f) == EOF)
		goto out;
	crypto_generichash_update(&h, (const unsigned char *)CACHE_BUNDLE_HEADER "\n", sizeof CACHE_BUNDLE_HEADER);
	while (it != NULL && (more = cdb_next(it, &kind, &key, &data, &seq)) == 1) {
		size_t n;
		char *line = cdb_record_line(kind, key, data, seq, &n);
		if (line == NULL || fwrite(line, 1, n, f) != n) {
			cJSON_free(line);
			goto out;
		}
		crypto_generichash_update(&h, (const unsigned char *)line, n);
		cJSON_free(line);
		records++;
	}
	if (it == NULL || more != 0) {
		fail(&err);
		rc = 70;
		goto out;
	}
	gltime_format(as_of, GLTIME_CST, when, sizeof when);
	snprintf(trailer, sizeof trailer, "{\"cursor\":%lld,\"as_of\":\"%s\"}\n", (long long)cursor, when);
	crypto_generichash_update(&h, (const unsigned char *)trailer, strlen(trailer));
	crypto_generichash_final(&h, digest, sizeof digest);
	jws_b64url(digest, sizeof digest, hash, sizeof hash);
	snprintf(payload, sizeof payload, "{\"blake2b\":\"%s\",\"as_of\":\"%s\",\"records\":%ld}", hash, when, records);
	tok = jws_sign(payload, strlen(payload), kid, sk);
	if (tok == NULL || fputs(trailer, f) == EOF || fprintf(f, "{\"bundle\":\"%s\"}\n", tok) < 0 || fflush(f) != 0)
		goto out;
	fprintf(stderr, "bundle: %ld records, as of %s, signed with %s\n", records, when, kid);
	rc = 0;
out:
	sodium_memzero(sk, sizeof sk);
	free(tok);
	cdb_iter_free(it);
	if (f != stdout && fclose(f) != 0 && rc == 0)
		rc = 74;
	if (rc == 74)
		fprintf(stderr, "greenlane-central: writing %s failed\n", out);
	if (rc != 0 && f != stdout)
		unlink(out);	/* half a bundle would import as an unsigned snapshot */
	return rc;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: greenlane-central admin --db FILE COMMAND\n"
		"  init                                   signing keys for passes, policies and bundles\n"
		"  demo [--size N]                        load the deterministic demo data set\n"
		"  token add TERMINAL | token revoke TERMINAL\n"
		"  import FILE|-                          NDJSON records (DESIGN.md §3)\n"
		"  import-csv enterprise|vehicle|driver FILE   a county bureau's CSV (see greenlane-central(8))\n"
		"  test-result TUBE positive|negative     the result of a lane sample or landing test\n"
		"  pass issue --plate P --origin R --dest R [--enterprise E] [--from T] [--days N]\n"
		"  pass revoke PASS_NO\n"
		"  enterprise suspend ID | enterprise restore ID\n"
		"  risk set REGION high|medium [--until T] | risk clear REGION\n"
		"  policy publish FILE|default\n"
		"  bundle FILE|-                          a signed snapshot for a lane off the network\n"
		"  compact UPTO                           forget tombstones up to a cursor\n"
		"  report                                 terminals, events, chain gaps\n");
	return 64;
}

int central_admin(const char *db_path, int argc, char **argv)
{
	struct cdb *db;
	gl_msg err;
	int rc = 64;

	if (argc < 1)
		return usage();
	db = cdb_open(db_path, &err);
	if (db == NULL) {
		fail(&err);
		return 66;
	}
	if (strcmp(argv[0], "init") == 0) {
		rc = do_init(db);
	} else if (strcmp(argv[0], "demo") == 0) {
		rc = do_demo(db, opt(argc, argv, "--size") ? strtol(opt(argc, argv, "--size"), NULL, 10) : DEMO_DEFAULT_SIZE);
	} else if (strcmp(argv[0], "token") == 0 && argc == 3 && strcmp(argv[1], "add") == 0) {
		char token[65];
		rc = cdb_terminal_add(db, argv[2], token, &err) == 0 ? 0 : 65;
		if (rc == 0)
			printf("%s\n", token);
		else
			fail(&err);
	} else if (strcmp(argv[0], "token") == 0 && argc == 3 && strcmp(argv[1], "revoke") == 0) {
		rc = cdb_terminal_revoke(db, argv[2], &err) == 0 ? 0 : 66;
		if (rc != 0)
			fail(&err);
	} else if (strcmp(argv[0], "import") == 0 && argc == 2) {
		rc = do_import(db, argv[1]);
	} else if (strcmp(argv[0], "import-csv") == 0 && argc == 3) {
		rc = do_import_csv(db, argv[1], argv[2]);
	} else if (strcmp(argv[0], "test-result") == 0 && argc == 3) {
		rc = do_test_result(db, argv[1], argv[2]);
	} else if (strcmp(argv[0], "pass") == 0 && argc >= 2 && strcmp(argv[1], "issue") == 0) {
		rc = do_pass_issue(db, argc, argv);
	} else if (strcmp(argv[0], "pass") == 0 && argc == 3 && strcmp(argv[1], "revoke") == 0) {
		rc = amend(db, "pass", argv[2], "revoked", cJSON_CreateTrue());
	} else if (strcmp(argv[0], "enterprise") == 0 && argc == 3 &&
		   (strcmp(argv[1], "suspend") == 0 || strcmp(argv[1], "restore") == 0)) {
		rc = amend(db, "enterprise", argv[2], "status",
			   cJSON_CreateString(strcmp(argv[1], "suspend") == 0 ? "suspended" : "active"));
	} else if (strcmp(argv[0], "risk") == 0) {
		rc = do_risk(db, argc, argv);
	} else if (strcmp(argv[0], "policy") == 0 && argc == 3 && strcmp(argv[1], "publish") == 0) {
		rc = do_policy(db, argv[2]);
	} else if (strcmp(argv[0], "bundle") == 0 && argc == 2) {
		rc = do_bundle(db, argv[1]);
	} else if (strcmp(argv[0], "compact") == 0 && argc == 2) {
		rc = cdb_compact(db, strtoll(argv[1], NULL, 10), &err) == 0 ? 0 : 70;
		if (rc != 0)
			fail(&err);
	} else if (strcmp(argv[0], "report") == 0) {
		cJSON *r = cdb_report(db);
		char *s = cJSON_Print(r);
		printf("%s\n", s != NULL ? s : "[]");
		cJSON_free(s);
		cJSON_Delete(r);
		rc = 0;
	} else {
		rc = usage();
	}
	cdb_close(db);
	return rc;
}
