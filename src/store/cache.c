/* cache.c — cache.db: the centre's records, kept by subject.
 *
 * Table rec(home, kind, key, data) holds the big kinds.  home is the subject
 * a look-up starts from: a vehicle, its passes, trips and plate intercepts
 * live under the plate; a driver, the trips they crew (as references) and ID
 * intercepts under the ID number.  Records whose own key is not their home
 * (pass_no, trip id, intercept id, trailer plate) get an index row keyed by
 * that key, whose data names the home.  Small kinds (enterprises, risk areas,
 * keys, policies, checkpoints) live in table small(kind, key, data).
 *
 * Must not: print, or keep anything from the network unvalidated: every
 * record's keys are parsed and folded to the canonical forms queries use. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cache.h"
#include "db.h"
#include "facts.h"
#include "gltime.h"
#include "idno.h"
#include "policy.h"
#include "query.h"

enum {
	K_VEHICLE = 1, K_PASS = 2, K_TRIP = 3, K_INTERCEPT = 4, K_DRIVER = 5,
	X_PASSNO = 10, X_TRIPID = 11, X_CREW = 12, X_INTERCEPTID = 13, X_TRAILER = 14,
	S_BASE = 20,	/* small kinds: S_BASE + enum cache_small */
};

#define LINE_MAX_BYTES (1024 * 1024)
#define KEY_MAX 128
#define CREW_MAX 16

static const char *const schema[] = {
	/* 1 */
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE rec(home TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL,"
	" data TEXT NOT NULL, PRIMARY KEY(home, kind, key)) WITHOUT ROWID;"
	"CREATE TABLE small(kind INTEGER NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,"
	" PRIMARY KEY(kind, key)) WITHOUT ROWID;",
};

enum stmt {
	ST_INS, ST_UPSERT, ST_DEL, ST_GET, ST_SCAN, ST_SMALL_PUT, ST_SMALL_DEL,
	ST_SMALL_GET, ST_SMALL_ALL, ST_META_PUT, ST_META_GET, ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	"INSERT INTO rec(home, kind, key, data) VALUES(?1, ?2, ?3, ?4)",
	"INSERT OR REPLACE INTO rec(home, kind, key, data) VALUES(?1, ?2, ?3, ?4)",
	"DELETE FROM rec WHERE home = ?1 AND kind = ?2 AND key = ?3",
	"SELECT data FROM rec WHERE home = ?1 AND kind = ?2 AND key = ?3",
	"SELECT kind, key, data FROM rec WHERE home = ?1",
	"INSERT OR REPLACE INTO small(kind, key, data) VALUES(?1, ?2, ?3)",
	"DELETE FROM small WHERE kind = ?1 AND key = ?2",
	"SELECT data FROM small WHERE kind = ?1 AND key = ?2",
	"SELECT key, data FROM small WHERE kind = ?1",
	"INSERT OR REPLACE INTO meta(k, v) VALUES(?1, ?2)",
	"SELECT v FROM meta WHERE k = ?1",
};

struct cache {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	char *path;		/* the final path */
	char *fresh_path;	/* set for a fresh build: path.new */
	cJSON *risk;		/* loaded on first use */
	struct jws_key *keys;
	size_t nkeys;
	int keys_loaded;
};

struct pending_policy {
	char key[KEY_MAX];
	char *data;
};

struct cache_import {
	struct cache *c;
	int fresh;		/* the cache was empty: skip replacing old rows */
	struct cache_stats st;
	char *buf;		/* serialised data */
	struct pending_policy pol[16];
	int npol;
};

static const char *const small_names[] = { "enterprise", "risk_area", "key", "policy", "checkpoint" };

struct sqlite3 *cache_db(struct cache *c) { return c->db; }

static sqlite3_stmt *S(struct cache *c, enum stmt s)
{
	sqlite3_reset(c->st[s]);
	sqlite3_clear_bindings(c->st[s]);
	return c->st[s];
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int prepare_all(struct cache *c, gl_msg *err)
{
	for (int i = 0; i < ST_COUNT; i++) {
		c->st[i] = db_prepare(c->db, stmt_sql[i], err);
		if (c->st[i] == NULL)
			return -1;
	}
	return 0;
}

static struct cache *open_at(const char *file, int flags, const char *pragmas, gl_msg *err)
{
	struct cache *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->db = db_open(file, flags, pragmas, err);
	if (c->db == NULL) {
		free(c);
		return NULL;
	}
	if (((flags & SQLITE_OPEN_READWRITE) &&
	     db_migrate(c->db, schema, (int)(sizeof schema / sizeof schema[0]), "cache.db", err) != 0) ||
	    prepare_all(c, err) != 0) {
		cache_close(c);
		return NULL;
	}
	return c;
}

struct cache *cache_open(const char *path, int writable, gl_msg *err)
{
	struct cache *c;

	if (!writable && access(path, F_OK) != 0) {
		glmsg_set(err, "本地数据不存在（%s）：请先同步或导入，或运行 greenlane demo",
			  "no local data (%s): sync or import first, or run greenlane demo", path);
		return NULL;
	}
	c = open_at(path, writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY,
		    writable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			     : "PRAGMA query_only=1; PRAGMA mmap_size=1073741824;", err);
	if (c != NULL && !writable) {
		/* A read-only open of a database with no schema yet. */
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM rec LIMIT 0", -1, &st, NULL) != SQLITE_OK) {
			glmsg_set(err, "本地数据库 %s 无效", "%s is not a greenlane cache", path);
			sqlite3_finalize(st);
			cache_close(c);
			return NULL;
		}
		sqlite3_finalize(st);
	}
	if (c != NULL)
		c->path = strdup(path);
	return c;
}

struct cache *cache_create_fresh(const char *path, gl_msg *err)
{
	size_t n = strlen(path) + 5;
	char *fresh = malloc(n);
	struct cache *c;

	if (fresh == NULL)
		return NULL;
	snprintf(fresh, n, "%s.new", path);
	unlink(fresh);
	c = open_at(fresh, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
		    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
		    "PRAGMA locking_mode=EXCLUSIVE;", err);
	if (c == NULL) {
		free(fresh);
		return NULL;
	}
	c->path = strdup(path);
	c->fresh_path = fresh;
	return c;
}

/* Finalises the statements and closes the connection; cache_close then only
 * frees memory. */
static void close_db(struct cache *c)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
	sqlite3_close(c->db);
	c->db = NULL;
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int cache_install(struct cache *c, gl_msg *err)
{
	char side[PATH_MAX], dir[PATH_MAX];
	char *slash;
	int rc = -1;

	if (c->fresh_path == NULL) {
		cache_close(c);
		return 0;
	}
	if (db_exec(c->db, "PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL;", err) != 0)
		goto out;
	close_db(c);
	if (fsync_path(c->fresh_path, 0) != 0) {
		glmsg_set(err, "无法写入 %s：%s", "cannot write %s: %s", c->fresh_path, strerror(errno));
		goto out;
	}
	/* The old database's WAL and shared memory belong to it, not to the new
	 * file: remove them before the new file takes the name. */
	snprintf(side, sizeof side, "%s-wal", c->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", c->path);
	unlink(side);
	if (rename(c->fresh_path, c->path) != 0) {
		glmsg_set(err, "无法替换 %s：%s", "cannot replace %s: %s", c->path, strerror(errno));
		goto out;
	}
	snprintf(dir, sizeof dir, "%s", c->path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	fsync_path(slash != NULL ? dir : ".", 1);
	rc = 0;
out:
	if (rc != 0)
		unlink(c->fresh_path);
	cache_close(c);
	return rc;
}

void cache_discard(struct cache *c)
{
	if (c == NULL)
		return;
	if (c->fresh_path != NULL) {
		close_db(c);
		unlink(c->fresh_path);
	}
	cache_close(c);
}

void cache_close(struct cache *c)
{
	if (c == NULL)
		return;
	close_db(c);
	cJSON_Delete(c->risk);
	free(c->keys);
	free(c->path);
	free(c->fresh_path);
	free(c);
}

/* ---- writing ---- */

static int step_done(struct cache *c, sqlite3_stmt *st, gl_msg *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT)
		return 1;
	db_error(c->db, "cache.db", err);
	return -1;
}

static int row_put(struct cache *c, int replace, const char *home, int kind, const char *key,
		   const char *data, gl_msg *err)
{
	sqlite3_stmt *st = S(c, replace ? ST_UPSERT : ST_INS);

	bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	bind_text(st, 3, key);
	bind_text(st, 4, data);
	return step_done(c, st, err);
}

static int row_del(struct cache *c, const char *home, int kind, const char *key, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_DEL);

	bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	bind_text(st, 3, key);
	return step_done(c, st, err) == 0 ? 0 : -1;
}

/* Reads one row's data into out (cap bytes): 1 found, 0 not, -1 error. */
static int row_get(struct cache *c, const char *home, int kind, const char *key, char *out,
		   size_t cap, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_GET);
	int rc;

	bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	bind_text(st, 3, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	db_error(c->db, "cache.db", err);
	return -1;
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
		rc = row_get(c, key, K_VEHICLE, "", buf, cap, err);
		if (rc <= 0)
			return rc;
		old = cJSON_Parse(buf);
		if (facts_str(old, "trailer_plate") != NULL) {
			struct plate p;
			if (plate_parse(facts_str(old, "trailer_plate"), NULL, &p, NULL) == 0)
				row_del(c, p.canon, X_TRAILER, "", err);
		}
		cJSON_Delete(old);
		return row_del(c, key, K_VEHICLE, "", err);
	case K_DRIVER:
		return row_del(c, key, K_DRIVER, "", err);
	case K_PASS:
	case K_INTERCEPT: {
		int x = kind == K_PASS ? X_PASSNO : X_INTERCEPTID;
		rc = row_get(c, key, x, "", home, sizeof home, err);
		if (rc <= 0)
			return rc;
		if (row_del(c, home, kind, key, err) != 0)
			return -1;
		return row_del(c, key, x, "", err);
	}
	case K_TRIP: {
		const cJSON *m;
		rc = row_get(c, key, X_TRIPID, "", home, sizeof home, err);
		if (rc <= 0)
			return rc;
		rc = row_get(c, home, K_TRIP, key, buf, cap, err);
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

static int wire_kind(const char *s)
{
	static const struct { const char *name; int kind; } k[] = {
		{ "vehicle", K_VEHICLE }, { "pass", K_PASS }, { "trip", K_TRIP },
		{ "intercept", K_INTERCEPT }, { "driver", K_DRIVER },
		{ "enterprise", S_BASE + CACHE_ENTERPRISE }, { "risk_area", S_BASE + CACHE_RISK_AREA },
		{ "key", S_BASE + CACHE_KEY }, { "policy", S_BASE + CACHE_POLICY },
		{ "checkpoint", S_BASE + CACHE_CHECKPOINT },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (strcmp(s, k[i].name) == 0)
			return k[i].kind;
	return 0;
}

/* Folds a plate field of data in place to the canonical form; copies it to
 * out.  -1 if absent or malformed. */
static int canon_plate_field(cJSON *data, const char *field, char out[PLATE_MAX], gl_msg *err)
{
	struct plate p;
	const char *s = facts_str(data, field);
	gl_msg e2;

	if (s == NULL || plate_parse(s, NULL, &p, &e2) != 0) {
		glmsg_set(err, "字段 %s 不是有效车牌", "field %s is not a valid plate", field);
		return -1;
	}
	if (strcmp(s, p.canon) != 0)
		cJSON_ReplaceItemInObjectCaseSensitive(data, field, cJSON_CreateString(p.canon));
	memcpy(out, p.canon, PLATE_MAX);
	return 0;
}

/* Canonicalises a record's key for its kind. */
static int canon_key(int kind, const char *key, char out[KEY_MAX], gl_msg *err)
{
	struct plate p;
	gl_msg e2;

	switch (kind) {
	case K_VEHICLE:
		if (plate_parse(key, NULL, &p, &e2) != 0) {
			glmsg_prefix(err, &e2, "车牌 %s 无效", "plate %s is invalid", key);
			return -1;
		}
		snprintf(out, KEY_MAX, "%s", p.canon);
		return 0;
	case K_DRIVER:
		if (idno_parse(key, INT64_MAX / 2, out, &e2) != 0) {
			glmsg_prefix(err, &e2, "身份证号 %s 无效", "ID number %s is invalid", key);
			return -1;
		}
		return 0;
	case K_PASS:
		if (passno_parse(key, out, &e2) != 0) {
			glmsg_set(err, "通行证编号 %s 无效", "pass number %s is invalid", key);
			return -1;
		}
		return 0;
	default:
		if (key[0] == '\0' || strlen(key) >= KEY_MAX) {
			glmsg_set(err, "记录的 key 为空或过长", "the record's key is empty or too long");
			return -1;
		}
		snprintf(out, KEY_MAX, "%s", key);
		return 0;
	}
}

/* Inserts a record's rows.  The first row inserted is the one that makes the
 * record unique, so a duplicate shows up before anything else was written.
 * Returns 0, 1 on a duplicate (nothing written), -1 on error. */
static int insert_record(struct cache_import *im, int kind, const char *key, cJSON *data,
			 gl_msg *err)
{
	struct cache *c = im->c;
	char home[KEY_MAX], plate[PLATE_MAX];
	const cJSON *m;
	int rc, n = 0;

	switch (kind) {
	case K_VEHICLE:
		if (cJSON_GetObjectItemCaseSensitive(data, "plate") == NULL)
			cJSON_AddStringToObject(data, "plate", key);
		if (canon_plate_field(data, "plate", plate, err) != 0)
			return -1;
		if (strcmp(plate, key) != 0) {
			glmsg_set(err, "车辆记录的 key 与 plate 不一致", "the vehicle's key and plate differ");
			return -1;
		}
		if (facts_str(data, "trailer_plate") != NULL &&
		    canon_plate_field(data, "trailer_plate", plate, err) != 0)
			return -1;
		break;
	case K_DRIVER:
		if (cJSON_GetObjectItemCaseSensitive(data, "id_no") == NULL)
			cJSON_AddStringToObject(data, "id_no", key);
		break;
	case K_PASS:
	case K_TRIP:
		if (canon_plate_field(data, "plate", plate, err) != 0)
			return -1;
		snprintf(home, sizeof home, "%s", plate);
		break;
	case K_INTERCEPT: {
		const char *t = facts_str(data, "target"), *v = facts_str(data, "value");
		if (t != NULL && strcmp(t, "plate") == 0) {
			if (canon_plate_field(data, "value", plate, err) != 0)
				return -1;
			snprintf(home, sizeof home, "%s", plate);
		} else if (t != NULL && strcmp(t, "id_no") == 0 && v != NULL &&
			   idno_parse(v, INT64_MAX / 2, home, NULL) == 0) {
			cJSON_ReplaceItemInObjectCaseSensitive(data, "value", cJSON_CreateString(home));
		} else {
			glmsg_set(err, "拦截记录的 target/value 无效", "the intercept's target or value is invalid");
			return -1;
		}
		break;
	}
	}
	if (!cJSON_PrintPreallocated(data, im->buf, LINE_MAX_BYTES, 0)) {
		glmsg_set(err, "记录过大", "the record is too large");
		return -1;
	}
	switch (kind) {
	case K_VEHICLE:
	case K_DRIVER:
		rc = row_put(c, 0, key, kind, "", im->buf, err);
		if (rc != 0)
			return rc;
		if (kind == K_VEHICLE && facts_str(data, "trailer_plate") != NULL)
			return row_put(c, 1, facts_str(data, "trailer_plate"), X_TRAILER, "", key, err) < 0 ? -1 : 0;
		return 0;
	case K_PASS:
	case K_TRIP:
	case K_INTERCEPT:
		rc = row_put(c, 0, key, kind == K_PASS ? X_PASSNO : kind == K_TRIP ? X_TRIPID : X_INTERCEPTID,
			     "", home, err);
		if (rc != 0)
			return rc;
		if (row_put(c, 0, home, kind, key, im->buf, err) != 0)
			return -1;
		if (kind != K_TRIP)
			return 0;
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(data, "crew")) {
			char id[IDNO_MAX];
			if (!cJSON_IsString(m) || idno_parse(m->valuestring, INT64_MAX / 2, id, NULL) != 0 ||
			    ++n > CREW_MAX) {
				glmsg_set(err, "行程的 crew 含无效身份证号或人数过多",
					  "the trip's crew holds an invalid ID number or too many people");
				return -1;
			}
			if (row_put(c, 1, id, X_CREW, key, home, err) < 0)
				return -1;
		}
		return 0;
	}
	return -1;
}

static int put_small(struct cache_import *im, int kind, const char *key, cJSON *data, gl_msg *err)
{
	sqlite3_stmt *st;

	if (kind == S_BASE + CACHE_KEY) {
		unsigned char pub[32];
		const char *alg = facts_str(data, "alg"), *use = facts_str(data, "use");
		if (alg == NULL || strcmp(alg, "EdDSA") != 0 ||
		    jws_key_from_b64(facts_str(data, "pub"), pub) != 0 || use == NULL ||
		    (strcmp(use, "pass") != 0 && strcmp(use, "policy") != 0 && strcmp(use, "snapshot") != 0)) {
			glmsg_set(err, "密钥记录 %s 无效（须为 EdDSA、32 字节公钥、用途 pass/policy/snapshot）",
				  "key record %s is invalid (EdDSA, 32-byte pub, use pass/policy/snapshot)", key);
			return -1;
		}
	}
	if (!cJSON_PrintPreallocated(data, im->buf, LINE_MAX_BYTES, 0)) {
		glmsg_set(err, "记录过大", "the record is too large");
		return -1;
	}
	if (kind == S_BASE + CACHE_POLICY) {
		/* Verified at the end, once every key of this import is in. */
		if (im->npol == (int)(sizeof im->pol / sizeof im->pol[0])) {
			glmsg_set(err, "一次导入的策略过多", "too many policies in one import");
			return -1;
		}
		snprintf(im->pol[im->npol].key, KEY_MAX, "%s", key);
		im->pol[im->npol].data = strdup(im->buf);
		if (im->pol[im->npol].data == NULL)
			return -1;
		im->npol++;
		return 0;
	}
	st = S(im->c, ST_SMALL_PUT);
	sqlite3_bind_int(st, 1, kind - S_BASE);
	bind_text(st, 2, key);
	bind_text(st, 3, im->buf);
	return step_done(im->c, st, err) == 0 ? 0 : -1;
}

static int meta_put(struct cache *c, const char *k, const char *v, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_META_PUT);

	bind_text(st, 1, k);
	bind_text(st, 2, v);
	return step_done(c, st, err) == 0 ? 0 : -1;
}

static int is_empty(struct cache *c)
{
	sqlite3_stmt *st = NULL;
	int empty = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT NOT EXISTS(SELECT 1 FROM rec) AND NOT EXISTS(SELECT 1 FROM small)",
			       -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return empty;
}

struct cache_import *cache_import_begin(struct cache *c, gl_msg *err)
{
	struct cache_import *im = calloc(1, sizeof *im);

	if (im == NULL || (im->buf = malloc(LINE_MAX_BYTES)) == NULL) {
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

static int apply(struct cache_import *im, const cJSON *line, gl_msg *err)
{
	const char *kname = facts_str(line, "kind"), *op = facts_str(line, "op"), *rawkey;
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(line, "key");
	cJSON *data = cJSON_GetObjectItemCaseSensitive(line, "data");
	char key[KEY_MAX], kbuf[32];
	int kind, rc;

	if (kname == NULL) {
		/* The trailer: {"cursor":…,"as_of":…} or {"cursor":…,"more":…}. */
		const cJSON *cur = cJSON_GetObjectItemCaseSensitive(line, "cursor");
		const char *asof = facts_str(line, "as_of");
		if (cur == NULL) {
			glmsg_set(err, "记录缺少 kind", "the record has no kind");
			return -1;
		}
		if (cJSON_IsString(cur))
			snprintf(im->st.cursor, sizeof im->st.cursor, "%s", cur->valuestring);
		else if (cJSON_IsNumber(cur))
			snprintf(im->st.cursor, sizeof im->st.cursor, "%.0f", cur->valuedouble);
		if (facts_str(line, "checkpoint") != NULL)
			snprintf(im->st.checkpoint, sizeof im->st.checkpoint, "%s", facts_str(line, "checkpoint"));
		if (asof != NULL && gltime_parse(asof, &im->st.as_of) != 0) {
			glmsg_set(err, "as_of 时间格式错误", "as_of is not an RFC 3339 time");
			return -1;
		}
		return 0;
	}
	kind = wire_kind(kname);
	if (kind == 0) {
		glmsg_set(err, "未知的记录类型 %s", "unknown record kind %s", kname);
		return -1;
	}
	if (cJSON_IsNumber(k)) {
		snprintf(kbuf, sizeof kbuf, "%.0f", k->valuedouble);
		rawkey = kbuf;
	} else {
		rawkey = cJSON_IsString(k) ? k->valuestring : NULL;
	}
	if (rawkey == NULL || op == NULL || (strcmp(op, "put") != 0 && strcmp(op, "del") != 0)) {
		glmsg_set(err, "记录缺少 key 或 op（put/del）", "the record needs a key and op put or del");
		return -1;
	}
	if (canon_key(kind, rawkey, key, err) != 0)
		return -1;
	if (op[0] == 'd') {
		im->st.dels++;
		if (kind >= S_BASE) {
			sqlite3_stmt *st = S(im->c, ST_SMALL_DEL);
			sqlite3_bind_int(st, 1, kind - S_BASE);
			bind_text(st, 2, key);
			return step_done(im->c, st, err) == 0 ? 0 : -1;
		}
		return remove_record(im->c, kind, key, im->buf, LINE_MAX_BYTES, err) < 0 ? -1 : 0;
	}
	if (!cJSON_IsObject(data)) {
		glmsg_set(err, "put 记录缺少 data 对象", "a put record needs a data object");
		return -1;
	}
	im->st.puts++;
	if (kind >= S_BASE) {
		im->st.by_kind[kind - S_BASE + 6]++;
		return put_small(im, kind, key, data, err);
	}
	im->st.by_kind[kind]++;
	if (!im->fresh && remove_record(im->c, kind, key, im->buf, LINE_MAX_BYTES, err) < 0)
		return -1;
	rc = insert_record(im, kind, key, data, err);
	if (rc == 1) {
		/* A second record with the same key: the later one wins. */
		if (remove_record(im->c, kind, key, im->buf, LINE_MAX_BYTES, err) < 0)
			return -1;
		rc = insert_record(im, kind, key, data, err);
		if (rc == 1) {
			glmsg_set(err, "记录键冲突", "conflicting record keys");
			rc = -1;
		}
	}
	return rc;
}

int cache_import_line(struct cache_import *im, char *line, size_t len, gl_msg *err)
{
	cJSON *j;
	gl_msg e2;
	int rc;

	im->st.lines++;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return 0;
	if (len > LINE_MAX_BYTES) {
		glmsg_set(err, "第 %ld 行过长（上限 1 MiB）", "line %ld is too long (1 MiB at most)",
			  im->st.lines);
		return -1;
	}
	j = cJSON_ParseWithLength(line, len);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		glmsg_set(err, "第 %ld 行不是有效的 JSON 对象", "line %ld is not a JSON object",
			  im->st.lines);
		return -1;
	}
	rc = apply(im, j, &e2);
	cJSON_Delete(j);
	if (rc != 0)
		glmsg_prefix(err, &e2, "第 %ld 行", "line %ld", im->st.lines);
	return rc;
}

/* Loads every key record (for verification inside the import, or for
 * look-ups).  Caller frees *keys. */
static int load_keys(struct cache *c, struct jws_key **keys, size_t *n)
{
	sqlite3_stmt *st = S(c, ST_SMALL_ALL);
	size_t cap = 0;

	*keys = NULL;
	*n = 0;
	sqlite3_bind_int(st, 1, CACHE_KEY);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = cJSON_Parse((const char *)sqlite3_column_text(st, 1));
		struct jws_key k;
		memset(&k, 0, sizeof k);
		snprintf(k.kid, sizeof k.kid, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(k.use, sizeof k.use, "%s", facts_str(d, "use") ? facts_str(d, "use") : "");
		if (jws_key_from_b64(facts_str(d, "pub"), k.pub) == 0) {
			if (*n == cap) {
				struct jws_key *nk = realloc(*keys, (cap = cap ? cap * 2 : 8) * sizeof *nk);
				if (nk == NULL) {
					cJSON_Delete(d);
					sqlite3_reset(st);
					return -1;
				}
				*keys = nk;
			}
			(*keys)[(*n)++] = k;
		}
		cJSON_Delete(d);
	}
	sqlite3_reset(st);
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
	if (im->npol > 0 && load_keys(c, &keys, &nkeys) != 0)
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
		s = S(c, ST_SMALL_PUT);
		sqlite3_bind_int(s, 1, CACHE_POLICY);
		bind_text(s, 2, im->pol[i].key);
		bind_text(s, 3, im->pol[i].data);
		if (step_done(c, s, err) != 0)
			goto out;
	}
	if (im->st.as_of != INT64_MIN) {
		snprintf(num, sizeof num, "%lld", (long long)im->st.as_of);
		if (meta_put(c, "as_of", num, err) != 0)
			goto out;
	}
	if (im->st.cursor[0] != '\0' && meta_put(c, "cursor", im->st.cursor, err) != 0)
		goto out;
	if (im->st.checkpoint[0] != '\0' && meta_put(c, "checkpoint", im->st.checkpoint, err) != 0)
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

/* ---- reading ---- */

static cJSON *parse_col(sqlite3_stmt *st, int col)
{
	return cJSON_ParseWithLength((const char *)sqlite3_column_text(st, col),
				     (size_t)sqlite3_column_bytes(st, col));
}

int cache_get_plate(struct cache *c, const char *plate, struct cache_plate *out, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_SCAN);
	int rc;

	memset(out, 0, sizeof *out);
	out->passes = cJSON_CreateArray();
	out->trips = cJSON_CreateArray();
	out->intercepts = cJSON_CreateArray();
	if (out->passes == NULL || out->trips == NULL || out->intercepts == NULL)
		goto fail;
	bind_text(st, 1, plate);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		cJSON *d;
		if (kind == X_TRAILER) {
			snprintf(out->tractor, sizeof out->tractor, "%s", (const char *)sqlite3_column_text(st, 2));
			continue;
		}
		if (kind > K_INTERCEPT)
			continue;
		d = parse_col(st, 2);
		if (d == NULL)
			continue;
		switch (kind) {
		case K_VEHICLE: cJSON_Delete(out->vehicle); out->vehicle = d; break;
		case K_PASS: cJSON_AddItemToArray(out->passes, d); break;
		case K_TRIP: cJSON_AddItemToArray(out->trips, d); break;
		default: cJSON_AddItemToArray(out->intercepts, d); break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(c->db, "cache.db", err);
		goto fail;
	}
	return 0;
fail:
	cache_plate_free(out);
	return -1;
}

void cache_plate_free(struct cache_plate *p)
{
	cJSON_Delete(p->vehicle);
	cJSON_Delete(p->passes);
	cJSON_Delete(p->trips);
	cJSON_Delete(p->intercepts);
	memset(p, 0, sizeof *p);
}

int cache_get_person(struct cache *c, const char *id_no, struct cache_person *out, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_SCAN);
	int rc;

	memset(out, 0, sizeof *out);
	out->trip_plates = cJSON_CreateArray();
	out->intercepts = cJSON_CreateArray();
	if (out->trip_plates == NULL || out->intercepts == NULL)
		goto fail;
	bind_text(st, 1, id_no);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		if (kind == X_CREW) {
			cJSON_AddItemToArray(out->trip_plates,
					     cJSON_CreateString((const char *)sqlite3_column_text(st, 2)));
		} else if (kind == K_DRIVER || kind == K_INTERCEPT) {
			cJSON *d = parse_col(st, 2);
			if (d == NULL)
				continue;
			if (kind == K_DRIVER) {
				cJSON_Delete(out->driver);
				out->driver = d;
			} else {
				cJSON_AddItemToArray(out->intercepts, d);
			}
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(c->db, "cache.db", err);
		goto fail;
	}
	return 0;
fail:
	cache_person_free(out);
	return -1;
}

void cache_person_free(struct cache_person *p)
{
	cJSON_Delete(p->driver);
	cJSON_Delete(p->trip_plates);
	cJSON_Delete(p->intercepts);
	memset(p, 0, sizeof *p);
}

int cache_pass_plate(struct cache *c, const char *pass_no, char plate[PLATE_MAX], gl_msg *err)
{
	return row_get(c, pass_no, X_PASSNO, "", plate, PLATE_MAX, err);
}

cJSON *cache_get_small(struct cache *c, enum cache_small kind, const char *key)
{
	sqlite3_stmt *st = S(c, ST_SMALL_GET);
	cJSON *d = NULL;

	sqlite3_bind_int(st, 1, kind);
	bind_text(st, 2, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		d = parse_col(st, 0);
	sqlite3_reset(st);
	return d;
}

static cJSON *small_all(struct cache *c, enum cache_small kind)
{
	sqlite3_stmt *st = S(c, ST_SMALL_ALL);
	cJSON *arr = cJSON_CreateArray();

	sqlite3_bind_int(st, 1, kind);
	while (arr != NULL && sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = parse_col(st, 1);
		if (d != NULL)
			cJSON_AddItemToArray(arr, d);
	}
	sqlite3_reset(st);
	return arr;
}

const cJSON *cache_risk_areas(struct cache *c)
{
	if (c->risk == NULL)
		c->risk = small_all(c, CACHE_RISK_AREA);
	return c->risk;
}

const struct jws_key *cache_keys(struct cache *c, size_t *n)
{
	if (!c->keys_loaded) {
		if (load_keys(c, &c->keys, &c->nkeys) != 0)
			c->nkeys = 0;
		c->keys_loaded = 1;
	}
	*n = c->nkeys;
	return c->keys;
}

char *cache_policy(struct cache *c)
{
	cJSON *all = small_all(c, CACHE_POLICY);
	const cJSON *p, *best = NULL;
	int64_t tb = INT64_MIN;
	size_t nkeys;
	const struct jws_key *keys = cache_keys(c, &nkeys);
	char *payload = NULL;

	cJSON_ArrayForEach(p, all) {
		int64_t t = facts_time(p, "valid_from");
		if (best == NULL || t > tb) {
			best = p;
			tb = t;
		}
	}
	if (best != NULL &&
	    jws_verify(facts_str(best, "jws"), keys, nkeys, "policy", &payload, NULL, NULL) != JWS_OK) {
		free(payload);
		payload = NULL;
	}
	cJSON_Delete(all);
	return payload;
}

int cache_meta(struct cache *c, const char *k, char *out, size_t cap)
{
	sqlite3_stmt *st = S(c, ST_META_GET);
	int found = 0;

	bind_text(st, 1, k);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

int64_t cache_as_of(struct cache *c)
{
	sqlite3_stmt *st = S(c, ST_META_GET);
	int64_t t = INT64_MIN;

	bind_text(st, 1, "as_of");
	if (sqlite3_step(st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return t;
}

cJSON *cache_counts(struct cache *c)
{
	static const struct { int kind; const char *name; } big[] = {
		{ K_VEHICLE, "vehicle" }, { K_DRIVER, "driver" }, { K_PASS, "pass" },
		{ K_TRIP, "trip" }, { K_INTERCEPT, "intercept" },
	};
	cJSON *o = cJSON_CreateObject();
	sqlite3_stmt *st = NULL;

	if (o == NULL)
		return NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT kind, count(*) FROM rec GROUP BY kind UNION ALL "
			       "SELECT 100 + kind, count(*) FROM small GROUP BY kind", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return o;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = sqlite3_column_int(st, 0);
		double n = (double)sqlite3_column_int64(st, 1);
		for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
			if (big[i].kind == k)
				cJSON_AddNumberToObject(o, big[i].name, n);
		if (k >= 100 && k - 100 < (int)(sizeof small_names / sizeof small_names[0]))
			cJSON_AddNumberToObject(o, small_names[k - 100], n);
	}
	sqlite3_finalize(st);
	return o;
}
