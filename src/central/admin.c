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
#include "assets.h"
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
	printf("key %s (%s)\n", kid, use);
	sodium_memzero(sk, sizeof sk);
	return 0;
}

static int do_init(struct cdb *db)
{
	gl_msg err;

	if (cdb_begin(db, &err) != 0 || ensure_key(db, "pass", &err) != 0 || ensure_key(db, "policy", &err) != 0 ||
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

static int usage(void)
{
	fprintf(stderr,
		"usage: greenlane-central admin --db FILE COMMAND\n"
		"  init                                   signing keys for passes and policies\n"
		"  demo [--size N]                        load the deterministic demo data set\n"
		"  token add TERMINAL | token revoke TERMINAL\n"
		"  import FILE|-                          NDJSON records (DESIGN.md §3)\n"
		"  pass issue --plate P --origin R --dest R [--enterprise E] [--from T] [--days N]\n"
		"  pass revoke PASS_NO\n"
		"  enterprise suspend ID | enterprise restore ID\n"
		"  risk set REGION high|medium [--until T] | risk clear REGION\n"
		"  policy publish FILE|default\n"
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
