/* cache_import.c — NDJSON into cache.db: one line at a time in one
 * transaction (every record checked by the wire format's rules, record.h,
 * and filed under its home), and a whole file (plain or gzip), the one
 * import path `greenlane import` and `greenlane sync` share: streaming with a
 * bounded line buffer, a fresh file when asked or when there is no cache
 * yet, and a signed bundle's signature checked before the transaction
 * commits. */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "cache_int.h"
#include "db.h"
#include "facts.h"
#include "gltime.h"
#include "jscan.h"
#include "policy.h"
#include "query.h"
#include "utf8.h"

/* What a big record's rows need: what it points at, and the data text to
 * store (the centre's own bytes when they were already canonical, else a
 * re-serialisation in im->buf). */
struct rec_info {
	struct record_refs r;
	const char *data;
	size_t len;
};

static int row_put(struct cache *c, int replace, const char *home, int kind, const char *key,
		   const char *data, gl_msg *err)
{
	sqlite3_stmt *st = cache_stmt(c, replace ? ST_UPSERT : ST_INS);

	cache_bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	cache_bind_text(st, 3, key);
	cache_bind_data(st, 4, data, strlen(data));
	return cache_step_done(c, st, err);
}

static int row_del(struct cache *c, const char *home, int kind, const char *key, gl_msg *err)
{
	sqlite3_stmt *st = cache_stmt(c, ST_DEL);

	cache_bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	cache_bind_text(st, 3, key);
	return cache_step_done(c, st, err) == 0 ? 0 : -1;
}

/* Removes a record of a big kind and every row that points at it. */
static int remove_record(struct cache *c, int kind, const char *key, char *buf, size_t cap,
			 gl_msg *err)
{
	char home[KEY_MAX];
	int rc;
	cJSON *old;

	switch (kind) {
	case K_VEHICLE:
		rc = cache_row_get(c, key, K_VEHICLE, "", buf, cap, err);
		if (rc <= 0)
			return rc;
		old = cJSON_Parse(buf);
		if (facts_str(old, "trailer_plate") != NULL) {
			/* The trailer's alias goes only if it still names this tractor:
			 * the trailer may have been coupled to another one since. */
			struct plate p;
			char owner[PLATE_MAX];
			if (plate_parse(facts_str(old, "trailer_plate"), NULL, &p, NULL) == 0 &&
			    cache_row_get(c, p.canon, X_TRAILER, "", owner, sizeof owner, err) == 1 && strcmp(owner, key) == 0)
				row_del(c, p.canon, X_TRAILER, "", err);
		}
		cJSON_Delete(old);
		return row_del(c, key, K_VEHICLE, "", err);
	case K_DRIVER:
		return row_del(c, key, K_DRIVER, "", err);
	case K_PASS:
	case K_INTERCEPT: {
		int x = kind == K_PASS ? X_PASSNO : X_INTERCEPTID;
		rc = cache_row_get(c, key, x, "", home, sizeof home, err);
		if (rc <= 0)
			return rc;
		if (row_del(c, home, kind, key, err) != 0)
			return -1;
		if (kind == K_INTERCEPT) {
			sqlite3_stmt *st = cache_stmt(c, ST_SMALL_DEL);
			sqlite3_bind_int(st, 1, CACHE_INTERCEPT);
			cache_bind_text(st, 2, key);
			if (cache_step_done(c, st, err) != 0)
				return -1;
		}
		return row_del(c, key, x, "", err);
	}
	case K_TRIP: {
		const cJSON *m;
		rc = cache_row_get(c, key, X_TRIPID, "", home, sizeof home, err);
		if (rc <= 0)
			return rc;
		rc = cache_row_get(c, home, K_TRIP, key, buf, cap, err);
		if (rc < 0)
			return -1;
		old = rc > 0 ? cJSON_Parse(buf) : NULL;
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(old, "crew"))
			if (cJSON_IsString(m))
				row_del(c, m->valuestring, X_CREW, key, err);
		cJSON_Delete(old);
		if (row_del(c, home, K_TRIP, key, err) != 0)
			return -1;
		return row_del(c, key, X_TRIPID, "", err);
	}
	}
	return 0;
}

/* The small kinds' numbers in the cache (S_BASE + enum cache_small). */
static int small_kind(enum record_kind kind)
{
	switch (kind) {
	case REC_ENTERPRISE: return S_BASE + CACHE_ENTERPRISE;
	case REC_RISK_AREA: return S_BASE + CACHE_RISK_AREA;
	case REC_KEY: return S_BASE + CACHE_KEY;
	case REC_POLICY: return S_BASE + CACHE_POLICY;
	case REC_CHECKPOINT: return S_BASE + CACHE_CHECKPOINT;
	default: return (int)kind;	/* K_VEHICLE … K_DRIVER are REC_VEHICLE … REC_DRIVER */
	}
}

/* Inserts a record's rows.  The first row inserted is the one that makes the
 * record unique, so a duplicate shows up before anything else was written.
 * Returns 0, 1 on a duplicate (nothing written), -1 on error. */
static int write_rows(struct cache *c, int kind, const char *key, const struct rec_info *ri,
		      gl_msg *err)
{
	sqlite3_stmt *st;
	int rc;

	if (kind != K_VEHICLE && kind != K_DRIVER) {
		rc = row_put(c, 0, key, kind == K_PASS ? X_PASSNO : kind == K_TRIP ? X_TRIPID : X_INTERCEPTID,
			     "", ri->r.home, err);
		if (rc != 0)
			return rc;
	}
	st = cache_stmt(c, ST_INS);
	sqlite3_bind_text(st, 1, ri->r.home, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, kind);
	sqlite3_bind_text(st, 3, kind == K_VEHICLE || kind == K_DRIVER ? "" : key, -1, SQLITE_STATIC);
	cache_bind_data(st, 4, ri->data, ri->len);
	rc = cache_step_done(c, st, err);
	if (rc != 0)
		return rc == 1 && kind != K_VEHICLE && kind != K_DRIVER ? -1 : rc;
	if (ri->r.trailer[0] != '\0' && row_put(c, 1, ri->r.trailer, X_TRAILER, "", key, err) < 0)
		return -1;
	if (kind == K_INTERCEPT) {
		st = cache_stmt(c, ST_SMALL_PUT);
		sqlite3_bind_int(st, 1, CACHE_INTERCEPT);
		cache_bind_text(st, 2, key);
		cache_bind_data(st, 3, ri->data, ri->len);
		if (cache_step_done(c, st, err) != 0)
			return -1;
	}
	for (int i = 0; i < ri->r.ncrew; i++)
		if (row_put(c, 1, ri->r.crew[i], X_CREW, key, ri->r.home, err) < 0)
			return -1;
	return 0;
}

/* A record of a small kind, its data already checked. */
static int put_small(struct cache_import *im, int kind, const char *key, const char *data, size_t len,
		     gl_msg *err)
{
	sqlite3_stmt *st;

	if (kind == S_BASE + CACHE_POLICY) {
		/* Its signature is verified at the end, once every key of this
		 * import is in. */
		if (im->npol == (int)(sizeof im->pol / sizeof im->pol[0])) {
			glmsg_set(err, "一次导入的策略过多", "too many policies in one import");
			return -1;
		}
		snprintf(im->pol[im->npol].key, KEY_MAX, "%s", key);
		im->pol[im->npol].data = strndup(data, len);
		if (im->pol[im->npol].data == NULL)
			return -1;
		im->npol++;
		return 0;
	}
	st = cache_stmt(im->c, ST_SMALL_PUT);
	sqlite3_bind_int(st, 1, kind - S_BASE);
	cache_bind_text(st, 2, key);
	cache_bind_data(st, 3, data, len);
	return cache_step_done(im->c, st, err) == 0 ? 0 : -1;
}

static int is_empty(struct cache *c)
{
	return (int)db_scalar(c->db, "SELECT NOT EXISTS(SELECT 1 FROM rec) AND NOT EXISTS(SELECT 1 FROM small)", 0);
}

struct cache_import *cache_import_begin(struct cache *c, gl_msg *err)
{
	struct cache_import *im = calloc(1, sizeof *im);

	if (im != NULL)
		im->buf = malloc(LINE_MAX_BYTES);
	if (im == NULL || im->buf == NULL) {
		free(im);
		glmsg_set(err, "内存不足", "out of memory");
		return NULL;
	}
	im->c = c;
	im->st.as_of = INT64_MIN;
	if (db_exec(c->db, "BEGIN IMMEDIATE", err) != 0) {
		free(im->buf);
		free(im);
		return NULL;
	}
	im->fresh = is_empty(c);
	return im;
}

/* The trailer: {"cursor":…,"as_of":…[,"checkpoint":…]} or {"cursor":…,"more":…}. */
static int trailer(struct cache_import *im, const struct jscan_member *m, int n, gl_msg *err)
{
	const struct jscan_span *cur = jscan_get(m, n, "cursor"), *asof = jscan_get(m, n, "as_of");
	const struct jscan_span *cp = jscan_get(m, n, "checkpoint");
	char t[64];

	if (cur == NULL) {
		glmsg_set(err, "记录缺少 kind", "the record has no kind");
		return -1;
	}
	if (cur->type == JS_NUMBER && cur->n < sizeof im->st.cursor)
		snprintf(im->st.cursor, sizeof im->st.cursor, "%.*s", (int)cur->n, cur->p);
	else if (jscan_string(cur, im->st.cursor, sizeof im->st.cursor) < 0)
		goto bad;
	if (cp != NULL && jscan_string(cp, im->st.checkpoint, sizeof im->st.checkpoint) < 0)
		goto bad;
	if (asof != NULL && (jscan_string(asof, t, sizeof t) < 0 || gltime_parse(t, &im->st.as_of) != 0)) {
		glmsg_set(err, "as_of 时间格式错误", "as_of is not an RFC 3339 time");
		return -1;
	}
	/* Data vouched for in the future would never grow stale. */
	if (asof != NULL && im->st.as_of > (int64_t)time(NULL) + CACHE_AS_OF_SKEW_S) {
		glmsg_set(err, "as_of（%s）晚于本机时间：中心或本机的时钟有误，数据未导入",
			  "as_of (%s) is later than this machine's clock: the centre's clock or this one is wrong; nothing imported",
			  t);
		return -1;
	}
	return 0;
bad:
	glmsg_set(err, "cursor 或 checkpoint 无效", "the cursor or checkpoint is invalid");
	return -1;
}

static int apply(struct cache_import *im, const char *line, size_t len, gl_msg *err)
{
	struct jscan_member m[16];
	const struct jscan_span *kspan, *data;
	struct rec_info ri;
	char kname[32], op[8], rawkey[KEY_MAX], key[KEY_MAX];
	int n = jscan_object(line, len, m, 16), kind, rc, rewrite;
	enum record_kind rk;

	if (n == JSCAN_DUPLICATE) {
		/* A reader that keeps the last of two would see another record. */
		glmsg_set(err, "JSON 对象中有重复的成员名", "a JSON object with a repeated member name");
		return -1;
	}
	if (n < 0 || n > 16) {
		glmsg_set(err, "不是有效的 JSON 对象", "not a well-formed JSON object");
		return -1;
	}
	if (jscan_get(m, n, "kind") == NULL)
		return trailer(im, m, n, err);
	rk = jscan_string(jscan_get(m, n, "kind"), kname, sizeof kname) < 0 ? REC_NONE : record_kind(kname);
	if (rk == REC_NONE) {
		glmsg_set(err, "未知的记录类型", "unknown record kind");
		return -1;
	}
	kind = small_kind(rk);
	kspan = jscan_get(m, n, "key");
	if (kspan != NULL && kspan->type == JS_NUMBER && kspan->n < sizeof rawkey)
		snprintf(rawkey, sizeof rawkey, "%.*s", (int)kspan->n, kspan->p);
	else if (jscan_string(kspan, rawkey, sizeof rawkey) < 0)
		kspan = NULL;
	if (kspan == NULL || jscan_string(jscan_get(m, n, "op"), op, sizeof op) < 0 ||
	    (strcmp(op, "put") != 0 && strcmp(op, "del") != 0)) {
		glmsg_set(err, "记录缺少 key 或 op（put/del）", "the record needs a key and op put or del");
		return -1;
	}
	if (record_key(rk, rawkey, key, err) != 0)
		return -1;
	if (op[0] == 'd') {
		im->st.dels++;
		if (kind >= S_BASE) {
			sqlite3_stmt *st = cache_stmt(im->c, ST_SMALL_DEL);
			sqlite3_bind_int(st, 1, kind - S_BASE);
			cache_bind_text(st, 2, key);
			return cache_step_done(im->c, st, err) == 0 ? 0 : -1;
		}
		return remove_record(im->c, kind, key, im->buf, LINE_MAX_BYTES, err) < 0 ? -1 : 0;
	}
	data = jscan_get(m, n, "data");
	if (data == NULL || data->type != JS_OBJECT) {
		glmsg_set(err, "put 记录缺少 data 对象", "a put record needs a data object");
		return -1;
	}
	im->st.puts++;
	rc = record_check(rk, key, data->p, data->n, &ri.r, err);
	if (rc < 0)
		return -1;
	if (kind >= S_BASE)
		return put_small(im, kind, key, data->p, data->n, err);
	rewrite = rc == 1;
	ri.data = data->p;
	ri.len = data->n;
	/* remove_record and the rewrite share im->buf: remove first. */
	for (int tries = 0; tries < 2; tries++) {
		if ((tries > 0 || !im->fresh) && remove_record(im->c, kind, key, im->buf, LINE_MAX_BYTES, err) < 0)
			return -1;
		if (rewrite) {
			if (record_canonical(rk, key, data->p, data->n, &ri.r, im->buf, LINE_MAX_BYTES, err) != 0)
				return -1;
			ri.data = im->buf;
			ri.len = strlen(im->buf);
		}
		/* 1: a second record with the same key; the later one wins. */
		rc = write_rows(im->c, kind, key, &ri, err);
		if (rc != 1)
			return rc;
	}
	glmsg_set(err, "记录键冲突", "conflicting record keys");
	return -1;
}

int cache_import_line(struct cache_import *im, char *line, size_t len, gl_msg *err)
{
	gl_msg e2;

	im->st.lines++;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return 0;
	/* A signed bundle's first line; cache_import_file checks the rest. */
	if (len == sizeof CACHE_BUNDLE_HEADER - 1 && memcmp(line, CACHE_BUNDLE_HEADER, len) == 0 &&
	    im->st.lines == 1)
		return 0;
	if (len > LINE_MAX_BYTES) {
		glmsg_set(err, "第 %ld 行过长（上限 1 MiB）", "line %ld is too long (1 MiB at most)",
			  im->st.lines);
		return CACHE_IMPORT_DATA;
	}
	if (apply(im, line, len, &e2) != 0) {
		if (db_disk_failed(im->c->db)) {
			*err = e2;	/* not the line's fault */
			return CACHE_IMPORT_IO;
		}
		glmsg_prefix(err, &e2, "第 %ld 行", "line %ld", im->st.lines);
		return CACHE_IMPORT_DATA;
	}
	return 0;
}

/* Verifies a policy record {id, version, jws}: the JWS must verify with a
 * policy key and its payload be a policy this program can load. */
static int policy_record_ok(const char *data, const struct jws_key *keys, size_t n)
{
	cJSON *d = cJSON_Parse(data);
	char *payload = NULL;
	struct policy *p = NULL;
	int ok = 0;

	if (facts_str(d, "jws") != NULL &&
	    jws_verify(facts_str(d, "jws"), keys, n, "policy", &payload, NULL, NULL) == JWS_OK) {
		p = policy_load(payload, strlen(payload), NULL);
		ok = p != NULL;
	}
	policy_free(p);
	free(payload);
	cJSON_Delete(d);
	return ok;
}

int cache_import_finish(struct cache_import *im, struct cache_stats *st, gl_msg *warn, gl_msg *err)
{
	struct cache *c = im->c;
	struct jws_key *keys = NULL;
	size_t nkeys = 0;
	char num[32];
	int rc = -1;

	glmsg_clear(warn);
	if (im->npol > 0 && cache_load_keys(c, &keys, &nkeys) != 0)
		goto out;
	for (int i = 0; i < im->npol; i++) {
		sqlite3_stmt *s;
		if (!policy_record_ok(im->pol[i].data, keys, nkeys)) {
			im->st.refused++;
			glmsg_set(warn, "策略 %s 签名无效或内容有误，已拒收，继续使用原策略",
				  "policy %s has a bad signature or content: refused, the last good one kept",
				  im->pol[i].key);
			continue;
		}
		s = cache_stmt(c, ST_SMALL_PUT);
		sqlite3_bind_int(s, 1, CACHE_POLICY);
		cache_bind_text(s, 2, im->pol[i].key);
		cache_bind_data(s, 3, im->pol[i].data, strlen(im->pol[i].data));
		if (cache_step_done(c, s, err) != 0)
			goto out;
	}
	if (im->st.as_of != INT64_MIN) {
		snprintf(num, sizeof num, "%lld", (long long)im->st.as_of);
		if (cache_meta_put(c, "as_of", num, err) != 0)
			goto out;
	}
	if (im->st.cursor[0] != '\0' && cache_meta_put(c, "cursor", im->st.cursor, err) != 0)
		goto out;
	if (im->st.checkpoint[0] != '\0' && cache_meta_put(c, "checkpoint", im->st.checkpoint, err) != 0)
		goto out;
	if (db_exec(c->db, "COMMIT", err) != 0)
		goto out;
	rc = 0;
	if (st != NULL)
		*st = im->st;
out:
	free(keys);
	if (rc != 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < im->npol; i++)
		free(im->pol[i].data);
	free(im->buf);
	free(im);
	return rc;
}

void cache_import_abort(struct cache_import *im)
{
	if (im == NULL)
		return;
	sqlite3_exec(im->c->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < im->npol; i++)
		free(im->pol[i].data);
	free(im->buf);
	free(im);
}

/* ---- a whole file ---- */

#define BUNDLE_MAX 4096		/* the JWS of a bundle line */
#define BUNDLE_HASH_BYTES 32	/* BLAKE2b-256 */

/* The keys a bundle may be signed with: the caller's, then the snapshot keys
 * the cache at path holds now (before this import).  Caller frees. */
static struct jws_key *trusted_keys(const char *path, const struct jws_key *trust, size_t ntrust, size_t *n)
{
	struct cache *c = access(path, F_OK) == 0 ? cache_open(path, 0, NULL) : NULL;
	size_t nc = 0;
	const struct jws_key *ck = NULL;
	struct jws_key *all;

	if (c != NULL && cache_read_begin(c) == 0) {
		ck = cache_keys(c, &nc);
		cache_read_end(c);
	}
	all = calloc(ntrust + nc + 1, sizeof *all);
	if (all != NULL) {
		if (ntrust > 0)
			memcpy(all, trust, ntrust * sizeof *all);
		if (nc > 0)
			memcpy(all + ntrust, ck, nc * sizeof *all);
		*n = ntrust + nc;
	}
	cache_close(c);
	return all;
}

/* 1 if line is {"bundle":JWS} (the JWS copied to tok), else 0. */
static int bundle_line(const char *line, size_t n, char tok[BUNDLE_MAX])
{
	struct jscan_member m[2];
	const char *p = line + strspn(line, " \t");

	if (strncmp(p, "{\"bundle\"", 9) != 0)
		return 0;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (jscan_object(line, n, m, 2) != 1 || jscan_get(m, 1, "bundle") == NULL ||
	    jscan_string(&m[0].value, tok, BUNDLE_MAX) < 0)
		tok[0] = '?';	/* a bundle line, but not one that can verify */
	return 1;
}

/* Checks a bundle's JWS against the keys and the digest of what came before
 * it.  0 with the key's id in kid, or -1 with err. */
static int bundle_verify(const char *tok, const unsigned char digest[BUNDLE_HASH_BYTES],
			 const struct jws_key *keys, size_t n, char kid[JWS_KID_MAX], gl_msg *err)
{
	char *payload = NULL, want[64];
	cJSON *p;
	const cJSON *h;
	int ok;

	kid[0] = '\0';
	switch (jws_verify(tok, keys, n, "snapshot", &payload, kid, NULL)) {
	case JWS_OK:
		break;
	case JWS_UNKNOWN_KID:
		free(payload);
		glmsg_set(err, "数据包由密钥 %s 签名，本机不信任该密钥（先同步一次，或在配置 [server] bundle_key 中登记）",
			  "the bundle is signed with key %s, which this lane does not trust (sync once, or set [server] bundle_key)",
			  kid[0] != '\0' ? kid : "?");
		return -1;
	default:
		free(payload);
		glmsg_set(err, "数据包签名无效", "the bundle's signature is invalid");
		return -1;
	}
	jws_b64url(digest, BUNDLE_HASH_BYTES, want, sizeof want);
	p = cJSON_Parse(payload);
	h = cJSON_GetObjectItemCaseSensitive(p, "blake2b");
	ok = cJSON_IsString(h) && strcmp(h->valuestring, want) == 0;
	cJSON_Delete(p);
	free(payload);
	if (!ok) {
		glmsg_set(err, "数据包内容在签名后被改动或不完整", "the bundle was changed or cut short after it was signed");
		return -1;
	}
	return 0;
}

int cache_import_file(const char *cache_path, const char *file, int replace, const struct jws_key *trust,
		      size_t ntrust, cache_progress_fn progress, void *arg, struct cache_stats *st, gl_msg *warn,
		      gl_msg *err)
{
	struct stat sb;
	struct cache_stats done;
	struct cache *c = NULL;
	struct cache_import *im = NULL;
	struct jws_key *keys = NULL;
	size_t nkeys = 0;
	gzFile in = NULL;
	char *line = malloc(CACHE_LINE_MAX + 2), tok[BUNDLE_MAX] = "", kid[JWS_KID_MAX] = "";
	unsigned char digest[BUNDLE_HASH_BYTES];
	crypto_generichash_state h;
	long lines = 0;
	int64_t total = 0;
	int fd, zerr, rc = CACHE_IMPORT_IO, bundle = 0, fresh;

	glmsg_clear(warn);
	fd = strcmp(file, "-") == 0 ? dup(STDIN_FILENO) : open(file, O_RDONLY);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		total = (int64_t)sb.st_size;
	in = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	if (in == NULL || line == NULL) {
		glmsg_set(err, "无法读取 %s", "cannot read %s", file);
		if (in == NULL && fd >= 0)
			close(fd);
		free(line);
		return CACHE_IMPORT_NOINPUT;
	}
	gzbuffer(in, 256 * 1024);
	crypto_generichash_init(&h, NULL, 0, sizeof digest);
	fresh = replace || access(cache_path, F_OK) != 0;
	c = fresh ? cache_create_fresh(cache_path, err) : cache_open(cache_path, 1, err);
	im = c != NULL ? cache_import_begin(c, err) : NULL;
	if (im == NULL)
		goto out;
	rc = CACHE_IMPORT_DATA;
	while (gzgets(in, line, CACHE_LINE_MAX + 2) != NULL) {
		size_t n = strlen(line);
		lines++;
		if (n == CACHE_LINE_MAX + 1 && line[n - 1] != '\n') {
			glmsg_set(err, "第 %ld 行过长（上限 1 MiB）", "line %ld is too long (1 MiB at most)", lines);
			goto out;
		}
		if (tok[0] != '\0') {
			if (strspn(line, " \t\r\n") == n)
				continue;
			glmsg_set(err, "第 %ld 行：数据包签名之后还有数据", "line %ld: data after the bundle's signature", lines);
			goto out;
		}
		if (bundle_line(line, n, tok)) {
			if (!bundle) {
				glmsg_set(err, "第 %ld 行：数据包签名，但文件不以数据包标记开头",
					  "line %ld: a bundle signature in a file that does not start as a bundle", lines);
				goto out;
			}
			crypto_generichash_final(&h, digest, sizeof digest);
			continue;
		}
		if (lines == 1 && strncmp(line, "{\"bundle_version\"", 17) == 0) {
			size_t hn = sizeof CACHE_BUNDLE_HEADER - 1;
			if (strncmp(line, CACHE_BUNDLE_HEADER, hn) != 0 || strspn(line + hn, "\r\n") != n - hn) {
				glmsg_set(err, "不认识的数据包格式（请升级 greenlane）",
					  "a bundle of a format this greenlane does not know (upgrade it)");
				goto out;
			}
			/* Read now, before this import has changed anything. */
			keys = trusted_keys(cache_path, trust, ntrust, &nkeys);
			if (keys == NULL) {
				glmsg_set(err, "内存不足", "out of memory");
				goto out;
			}
			bundle = 1;
		}
		/* A bundle's lines are hashed (a plain file's are not: that costs a
		 * twentieth of an import), each as its text and one \n, as the
		 * centre wrote it: a copy whose \n became \r\n still verifies. */
		if (bundle) {
			size_t k = n;
			while (k > 0 && (line[k - 1] == '\n' || line[k - 1] == '\r'))
				k--;
			crypto_generichash_update(&h, (const unsigned char *)line, k);
			crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
		}
		int lrc = cache_import_line(im, line, n, err);
		if (lrc != 0) {
			rc = lrc;
			goto out;
		}
		/* gzoffset asks the kernel: not for every line. */
		if (progress != NULL && lines % 1024 == 0)
			progress(arg, lines, (int64_t)gzoffset(in), total);
	}
	gzerror(in, &zerr);
	if (zerr != Z_OK && zerr != Z_STREAM_END) {
		glmsg_set(err, "输入文件损坏或不完整（%s）", "the input is damaged or cut short (%s)", gzerror(in, &zerr));
		goto out;
	}
	if (bundle && tok[0] == '\0') {
		glmsg_set(err, "数据包没有签名行：文件不完整", "the bundle has no signature line: the file is cut short");
		goto out;
	}
	if (bundle && bundle_verify(tok, digest, keys, nkeys, kid, err) != 0)
		goto out;
	rc = CACHE_IMPORT_IO;
	if (cache_import_finish(im, &done, warn, err) != 0) {
		im = NULL;
		goto out;
	}
	im = NULL;
	/* What replaces all the data must be all of it. */
	if (fresh && (done.cursor[0] == '\0' || done.as_of == INT64_MIN)) {
		glmsg_set(err, "不是完整的快照（缺少结尾行 {\"cursor\":…,\"as_of\":…}，文件为空或不完整）：原数据未动",
			  "not a whole snapshot (no closing line {\"cursor\":…,\"as_of\":…}: the file is empty or cut short); "
			  "the data was left as it was");
		rc = CACHE_IMPORT_DATA;
		goto out;
	}
	snprintf(done.signed_by, sizeof done.signed_by, "%s", kid);
	if (st != NULL)
		*st = done;
	rc = cache_install(c, err) == 0 ? 0 : CACHE_IMPORT_IO;
	c = NULL;	/* closed by cache_install */
out:
	if (im != NULL)
		cache_import_abort(im);
	if (c != NULL)
		cache_discard(c);
	gzclose(in);
	free(line);
	free(keys);
	return rc;
}
