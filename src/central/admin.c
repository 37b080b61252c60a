/* admin.c — greenlane-central admin: keys, terminal tokens, importing data
 * (NDJSON wire format, or a county bureau's CSV), passes, meltdowns, test
 * results, risk areas, policies and a report.  Every change is published as
 * records with change sequences, so terminals pick it up from the feed. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "assets.h"
#include "bureau.h"
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
#include "record.h"
#include "tube.h"

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

	if (ensure_key(db, "pass", &err) != 0 || ensure_key(db, "policy", &err) != 0 ||
	    ensure_key(db, "snapshot", &err) != 0) {
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
	while ((len = getline(&line, &cap, f)) > 0) {
		n++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > 0 && import_line(db, line, (size_t)len, n, &err) != 0) {
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

	if (demo_generate(size, now(), demo_line, &s) != 0) {
		fail(&s.err);
		return 70;
	}
	printf("demo: %ld records\n", s.n);
	return do_init(db);
}

/* A whole number in [lo, hi], written as digits: 0, or -1. */
static int whole(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
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
	long long days = 30;
	cJSON *d;
	gl_msg err;

	if (pl == NULL || plate_parse(pl, NULL, &p, NULL) != 0 || orig == NULL || !region_code_valid(orig) ||
	    dest == NULL || !region_code_valid(dest) || (from_s != NULL && gltime_parse(from_s, &from) != 0)) {
		fprintf(stderr, "usage: greenlane-central admin pass issue --plate PLATE --origin REGION --dest REGION"
			" [--enterprise ID] [--from TIME] [--days N] [--pass-no N]\n");
		return 64;
	}
	if (days_s != NULL && whole(days_s, 1, 366, &days) != 0) {
		fprintf(stderr, "greenlane-central: --days takes a whole number of days from 1 to 366\n");
		return 64;
	}
	to = from + days * 86400;
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
		int held;
		do {
			snprintf(pass_no, sizeof pass_no, "%.6s%06u", dest, (unsigned)randombytes_uniform(1000000));
			held = cdb_get(db, "pass", pass_no, &taken);
			free(taken);
		} while (held == 1);
		if (held < 0) {
			sodium_memzero(sk, sizeof sk);
			fprintf(stderr, "greenlane-central: the database cannot be read: try again\n");
			return 75;
		}
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
	if (tok == NULL || publish(db, "pass", pass_no, d, &err) != 0) {
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
	char *old;
	int held = cdb_get(db, kind, key, &old);
	cJSON *d = old != NULL ? cJSON_Parse(old) : NULL;
	gl_msg err;

	free(old);
	if (d == NULL) {
		cJSON_Delete(value);
		if (held < 0) {
			fprintf(stderr, "greenlane-central: the database cannot be read: try again\n");
			return 75;
		}
		fprintf(stderr, "greenlane-central: no %s %s\n", kind, key);
		return 66;
	}
	if (cJSON_GetObjectItemCaseSensitive(d, field) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(d, field, value);
	else
		cJSON_AddItemToObject(d, field, value);
	if (publish(db, kind, key, d, &err) != 0) {
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
		if (cdb_del(db, "risk_area", argv[2], &err) != 0) {
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
	if (publish(db, "risk_area", argv[2], d, &err) != 0) {
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

	if (strcmp(path, "default") == 0 && a != NULL)
		text = strdup(a->data);
	else
		text = central_read_file(path, 1 << 20);
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
	if (publish(db, "policy", "current", cJSON_Duplicate(d, 1), &err) != 0) {
		cJSON_Delete(d);
		fail(&err);
		return 70;
	}
	if (publish(db, "policy", cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, d, &err) != 0) {
		fail(&err);
		return 70;
	}
	printf("OK policy published\n");
	return 0;
}

/* Publishes the intercept of a sampled person or vehicle, once a run (its
 * id goes in done).  0, or -1 with err. */
static int intercept(struct cdb *db, const char *tube, const char *target, const char *value, const char *reason,
		     const char *since, cJSON *done, gl_msg *err)
{
	char id[TUBE_MAX + RECORD_KEY_MAX + 8];
	const cJSON *x;
	cJSON *i;

	snprintf(id, sizeof id, "NAT-%s-%s", tube, value);
	cJSON_ArrayForEach(x, done)
		if (strcmp(x->valuestring, id) == 0)
			return 0;
	i = cJSON_CreateObject();
	cJSON_AddStringToObject(i, "id", id);
	cJSON_AddStringToObject(i, "target", target);
	cJSON_AddStringToObject(i, "value", value);
	cJSON_AddStringToObject(i, "reason", reason);
	cJSON_AddStringToObject(i, "since", since);
	cJSON_AddBoolToObject(i, "cleared", 0);
	if (publish(db, "intercept", id, i, err) != 0)
		return -1;
	cJSON_AddItemToArray(done, cJSON_CreateString(id));
	return 0;
}

/* A sampled person's record takes the result (a negative landing test is
 * the landing test done). */
static int nat_result(struct cdb *db, const char *id_no, const char *kind, const char *result, const char *at,
		      gl_msg *err)
{
	char *old;
	int held = cdb_get(db, "driver", id_no, &old);
	cJSON *d = old != NULL ? cJSON_Parse(old) : NULL;

	free(old);
	if (held < 0) {
		glmsg_set(err, "读取数据库失败", "the database cannot be read");
		return -1;
	}
	if (d == NULL)
		return 0;	/* not a known driver: the intercept still follows the ID */
	cJSON_DeleteItemFromObjectCaseSensitive(d, "nat_result");
	cJSON_DeleteItemFromObjectCaseSensitive(d, "nat_at");
	cJSON_AddStringToObject(d, "nat_result", result);
	cJSON_AddStringToObject(d, "nat_at", at);
	if (strcmp(kind, "landing_test") == 0 && strcmp(result, "negative") == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(d, "landing_test_at");
		cJSON_AddStringToObject(d, "landing_test_at", at);
	}
	return publish(db, "driver", id_no, d, err);
}

/* test-result TUBE positive|negative: the result follows the sample.  A
 * positive one intercepts the sampled crew and their vehicle everywhere.
 * Events are held only as a lane could write them (event_check), and a
 * tube names one sample at most. */
static int do_test_result(struct cdb *db, const char *raw, const char *result)
{
	char tube[TUBE_MAX], t[40];
	cJSON *events, *e, *m, *done = cJSON_CreateArray();
	gl_msg err;
	int positive = strcmp(result, "positive") == 0;

	if ((!positive && strcmp(result, "negative") != 0) ||
	    tube_parse(raw, "^[!-~]+$", now(), tube, &err) != 0) {
		cJSON_Delete(done);
		fprintf(stderr, "usage: greenlane-central admin test-result TUBE positive|negative\n");
		return 64;
	}
	events = cdb_events_by_tube(db, tube);
	if (cJSON_GetArraySize(events) == 0) {
		cJSON_Delete(events);
		cJSON_Delete(done);
		fprintf(stderr, "greenlane-central: no sample with tube %s has arrived from a lane\n", tube);
		return 66;
	}
	time_text(now(), t);
	cJSON_ArrayForEach(e, events) {
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "at"));
		const char *plate = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "plate"));
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(e, "crew")) {
			if (!cJSON_IsString(m))
				continue;
			if (nat_result(db, m->valuestring, kind != NULL ? kind : "", result, at != NULL ? at : t, &err) != 0)
				goto fail;
			if (positive && intercept(db, tube, "id_no", m->valuestring, "核酸检测阳性 / positive test", t, done,
						  &err) != 0)
				goto fail;
		}
		if (positive && plate != NULL &&
		    intercept(db, tube, "plate", plate, "随车人员核酸阳性 / crew tested positive", t, done, &err) != 0)
			goto fail;
	}
	cJSON_Delete(events);
	printf("OK %s %s: %d intercepts\n", tube, result, cJSON_GetArraySize(done));
	cJSON_Delete(done);
	return 0;
fail:
	cJSON_Delete(events);
	cJSON_Delete(done);
	fail(&err);
	return 65;
}

/* import-csv KIND FILE: a county bureau's CSV (bureau.h), merged into the
 * records held; any bad row cancels the whole file. */
static int do_import_csv(struct cdb *db, const char *kind, const char *path)
{
	FILE *f = fopen(path, "r");
	struct bureau_head h;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long row = 1, rows = 0;
	gl_msg err;

	if (f == NULL) {
		fprintf(stderr, "greenlane-central: cannot read %s\n", path);
		return 66;
	}
	len = getline(&line, &cap, f);
	if (len <= 0) {
		fprintf(stderr, "greenlane-central: %s is empty\n", path);
		goto bad;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (bureau_header(kind, line, &h, &err) != 0) {
		fprintf(stderr, "greenlane-central: %s: %s\n", path, err.en);
		goto bad;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		char key[RECORD_KEY_MAX], *old;
		cJSON *rec;
		row++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		rec = cJSON_CreateObject();
		if (bureau_row(&h, line, rec, key, &err) == 0) {
			/* Merged into what is held: what the file does not say stays. */
			int got = cdb_get(db, kind, key, &old);
			if (got < 0) {
				glmsg_set(&err, "读取数据库失败", "the database cannot be read");
				cJSON_Delete(rec);
				rec = NULL;
			} else if (got == 1) {
				cJSON *held = cJSON_Parse(old), *c;
				free(old);
				if (held == NULL)
					glmsg_set(&err, "中心所存的记录无法读取", "the record held cannot be read");
				while (held != NULL && (c = rec->child) != NULL) {
					cJSON_DeleteItemFromObjectCaseSensitive(held, c->string);
					cJSON_DetachItemViaPointer(rec, c);
					cJSON_AddItemToObject(held, c->string, c);
				}
				cJSON_Delete(rec);
				rec = held;
			} else if (strcmp(kind, "driver") == 0 && cJSON_GetObjectItemCaseSensitive(rec, "status") == NULL) {
				/* A new person is of no known risk until a record says so. */
				cJSON_AddStringToObject(rec, "status", "none");
			}
			if (rec != NULL && publish(db, kind, key, rec, &err) == 0) {
				rows++;
				continue;
			}
			rec = NULL;
		}
		cJSON_Delete(rec);
		fprintf(stderr, "greenlane-central: %s row %ld: %s\n", path, row, err.en);
		goto bad;
	}
	free(line);
	fclose(f);
	printf("imported %ld rows of %s\n", rows, kind);
	return 0;
bad:
	free(line);
	fclose(f);
	return 65;
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
	/* One read transaction: the records and the cursor agree.  The data is
	 * vouched for as of the moment it is read. */
	if (cdb_read_begin(db, &err) != 0) {
		fail(&err);
		rc = 70;
		goto out;
	}
	cursor = cdb_cursor(db);
	as_of = now();
	if (cursor < 0)
		glmsg_set(&err, "读取数据库失败", "the database cannot be read");
	it = cursor >= 0 ? cdb_snapshot(db, NULL, NULL, &err) : NULL;
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
	cdb_rollback(db);	/* the read transaction, if any */
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
		"usage: greenlane-central admin --db FILE|URI COMMAND\n"
		"  migrate                                bring the database's schema up to this program's\n"
		"  init                                   signing keys for passes, policies and bundles\n"
		"  demo [--size N]                        load the deterministic demo data set\n"
		"  token add TERMINAL | token rotate TERMINAL | token revoke TERMINAL\n"
		"  import FILE|-                          NDJSON records (the wire format)\n"
		"  import-csv enterprise|vehicle|driver FILE   a county bureau's CSV (see greenlane-central(8))\n"
		"  test-result TUBE positive|negative     the result of a lane sample or landing test\n"
		"  pass issue --plate P --origin R --dest R [--enterprise E] [--from T] [--days N]\n"
		"  pass revoke PASS_NO\n"
		"  enterprise suspend ID | enterprise restore ID\n"
		"  risk set REGION high|medium [--until T] | risk clear REGION\n"
		"  policy publish FILE|default\n"
		"  bundle FILE|-                          a signed snapshot for a lane off the network\n"
		"  compact UPTO                           forget tombstones up to a cursor\n"
		"  report                                 terminals, events, chain gaps and forks\n");
	return 64;
}

static int cmd_init(struct cdb *db, int argc, char **argv)
{
	(void)argc, (void)argv;
	return do_init(db);
}

static int cmd_demo(struct cdb *db, int argc, char **argv)
{
	long long size = DEMO_DEFAULT_SIZE;

	if (opt(argc, argv, "--size") != NULL && whole(opt(argc, argv, "--size"), 1, 100000000, &size) != 0) {
		fprintf(stderr, "greenlane-central: --size takes a whole number from 1\n");
		return 64;
	}
	return do_demo(db, (long)size);
}

/* token add|rotate|revoke TERMINAL: a new token is printed once. */
static int cmd_token(struct cdb *db, int argc, char **argv)
{
	char token[65];
	gl_msg err;
	int rc;

	if (argc != 3)
		return usage();
	if (strcmp(argv[1], "revoke") == 0)
		rc = cdb_terminal_revoke(db, argv[2], &err) == 0 ? 0 : 66;
	else if (strcmp(argv[1], "add") == 0)
		rc = cdb_terminal_add(db, argv[2], token, &err) == 0 ? 0 : 65;
	else if (strcmp(argv[1], "rotate") == 0)
		rc = cdb_terminal_rotate(db, argv[2], token, &err) == 0 ? 0 : 66;
	else
		return usage();
	if (rc != 0)
		fail(&err);
	else if (strcmp(argv[1], "revoke") != 0)
		printf("%s\n", token);
	sodium_memzero(token, sizeof token);
	return rc;
}

static int cmd_import(struct cdb *db, int argc, char **argv)
{
	return argc == 2 ? do_import(db, argv[1]) : usage();
}

static int cmd_import_csv(struct cdb *db, int argc, char **argv)
{
	return argc == 3 ? do_import_csv(db, argv[1], argv[2]) : usage();
}

static int cmd_test_result(struct cdb *db, int argc, char **argv)
{
	return argc == 3 ? do_test_result(db, argv[1], argv[2]) : usage();
}

static int cmd_pass(struct cdb *db, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "issue") == 0)
		return do_pass_issue(db, argc, argv);
	if (argc == 3 && strcmp(argv[1], "revoke") == 0)
		return amend(db, "pass", argv[2], "revoked", cJSON_CreateTrue());
	return usage();
}

static int cmd_enterprise(struct cdb *db, int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "suspend") != 0 && strcmp(argv[1], "restore") != 0))
		return usage();
	return amend(db, "enterprise", argv[2], "status",
		     cJSON_CreateString(strcmp(argv[1], "suspend") == 0 ? "suspended" : "active"));
}

static int cmd_policy(struct cdb *db, int argc, char **argv)
{
	return argc == 3 && strcmp(argv[1], "publish") == 0 ? do_policy(db, argv[2]) : usage();
}

static int cmd_bundle(struct cdb *db, int argc, char **argv)
{
	return argc == 2 ? do_bundle(db, argv[1]) : usage();
}

static int cmd_compact(struct cdb *db, int argc, char **argv)
{
	long long upto;
	gl_msg err;

	if (argc != 2 || whole(argv[1], 0, INT64_MAX, &upto) != 0) {
		fprintf(stderr, "usage: greenlane-central admin compact UPTO (a cursor: a whole number)\n");
		return 64;
	}
	if (cdb_compact(db, upto, &err) != 0) {
		fail(&err);
		return 65;
	}
	return 0;
}

static int cmd_report(struct cdb *db, int argc, char **argv)
{
	cJSON *r = cdb_report(db);
	char *s = cJSON_Print(r);

	(void)argc, (void)argv;
	printf("%s\n", s != NULL ? s : "[]");
	cJSON_free(s);
	cJSON_Delete(r);
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(struct cdb *db, int argc, char **argv);
	int writes;	/* run in one write transaction, references checked before it commits */
} commands[] = {
	{ "init", cmd_init, 1 }, { "demo", cmd_demo, 1 }, { "token", cmd_token, 1 },
	{ "import", cmd_import, 1 }, { "import-csv", cmd_import_csv, 1 }, { "test-result", cmd_test_result, 1 },
	{ "pass", cmd_pass, 1 }, { "enterprise", cmd_enterprise, 1 }, { "risk", do_risk, 1 },
	{ "policy", cmd_policy, 1 }, { "compact", cmd_compact, 1 },
	/* A bundle reads in its own transaction: a long read must not hold
	 * the write lock the lanes' events need. */
	{ "bundle", cmd_bundle, 0 }, { "report", cmd_report, 0 },
};

int central_admin(const char *db_path, int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct cdb *db;
	gl_msg err;
	int64_t since;
	int rc;

	for (size_t i = 0; argc >= 1 && i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL && !(argc >= 1 && strcmp(argv[0], "migrate") == 0))
		return usage();
	if (central_private_db(db_path, &err) != 0) {
		fail(&err);
		return 77;
	}
	if (strcmp(argv[0], "migrate") == 0) {
		int v = argc == 1 ? cdb_migrate(db_path, &err) : -2;
		if (v == -2)
			return usage();
		if (v < 0) {
			fail(&err);
			return 66;
		}
		printf("数据库结构为最新版本 %d / the schema is up to date (version %d)\n", v, v);
		return 0;
	}
	db = cdb_open(db_path, &err);
	if (db == NULL) {
		fail(&err);
		return 66;
	}
	if (!cmd->writes) {
		rc = cmd->run(db, argc, argv);
		cdb_close(db);
		return rc;
	}
	if (cdb_begin(db, &err) != 0) {
		fail(&err);
		cdb_close(db);
		return 75;	/* busy: try again */
	}
	since = cdb_cursor(db);
	if (since < 0) {
		fprintf(stderr, "greenlane-central: the database cannot be read: try again\n");
		cdb_rollback(db);
		cdb_close(db);
		return 75;
	}
	rc = cmd->run(db, argc, argv);
	if (rc == 0 && cdb_refs_check(db, since, &err) != 0) {
		fail(&err);
		rc = 65;
	}
	if (rc == 0 && cdb_commit(db, &err) != 0) {
		fail(&err);
		rc = 74;
	}
	if (rc != 0)
		cdb_rollback(db);
	cdb_close(db);
	return rc;
}
