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
#include <sodium.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "arena.h"
#include "cache.h"
#include "db.h"
#include "dynbuf.h"
#include "facts.h"
#include "gltime.h"
#include "idno.h"
#include "jscan.h"
#include "policy.h"
#include "query.h"
#include "record.h"
#include "utf8.h"

enum {
	K_VEHICLE = 1, K_PASS = 2, K_TRIP = 3, K_INTERCEPT = 4, K_DRIVER = 5,
	X_PASSNO = 10, X_TRIPID = 11, X_CREW = 12, X_INTERCEPTID = 13, X_TRAILER = 14,
	S_BASE = 20,	/* small kinds: S_BASE + enum cache_small */
};

#define LINE_MAX_BYTES CACHE_LINE_MAX
#define KEY_MAX RECORD_KEY_MAX
#define CACHE_KEYS_MAX 4096	/* signing keys a cache holds, at most */

static const char *const schema[] = {
	/* 1 */
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE rec(home TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL,"
	" data TEXT NOT NULL, PRIMARY KEY(home, kind, key)) WITHOUT ROWID;"
	"CREATE TABLE small(kind INTEGER NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,"
	" PRIMARY KEY(kind, key)) WITHOUT ROWID;",
	/* 2: intercepts also listed among the small kinds, for the alerts screen */
	"INSERT OR REPLACE INTO small(kind, key, data) SELECT 5, key, data FROM rec WHERE kind = 4;",
	/* 3: a counter of changes to enterprises (kind 0), whoever writes them,
	 * so that a reader keeping them in memory knows when its copy is old */
	"INSERT OR REPLACE INTO meta(k, v) VALUES('enterprise_gen', 0);"
	"CREATE TRIGGER enterprise_put AFTER INSERT ON small WHEN NEW.kind = 0"
	" BEGIN UPDATE meta SET v = v + 1 WHERE k = 'enterprise_gen'; END;"
	"CREATE TRIGGER enterprise_set AFTER UPDATE ON small WHEN OLD.kind = 0 OR NEW.kind = 0"
	" BEGIN UPDATE meta SET v = v + 1 WHERE k = 'enterprise_gen'; END;"
	"CREATE TRIGGER enterprise_del AFTER DELETE ON small WHEN OLD.kind = 0"
	" BEGIN UPDATE meta SET v = v + 1 WHERE k = 'enterprise_gen'; END;",
	/* 4: every row's data carries its hash as imported, checked on every
	 * read: a byte changed on the disk never yields a verdict.  Rows of
	 * older files have none (NULL); the next sync rebuilds the file. */
	"ALTER TABLE rec ADD COLUMN h INTEGER;"
	"ALTER TABLE small ADD COLUMN h INTEGER;"
	"ALTER TABLE meta ADD COLUMN h INTEGER;"
	"INSERT OR REPLACE INTO meta(k, v) SELECT 'rebuild', 'unhashed rows'"
	" WHERE EXISTS(SELECT 1 FROM rec) OR EXISTS(SELECT 1 FROM small);",
	/* 5: enterprises are no longer kept in memory (2 µs a check on a
	 * province's cache, 18 MB): their change counter goes */
	"DROP TRIGGER IF EXISTS enterprise_put; DROP TRIGGER IF EXISTS enterprise_set;"
	"DROP TRIGGER IF EXISTS enterprise_del; DELETE FROM meta WHERE k = 'enterprise_gen';",
};

enum stmt {
	ST_INS, ST_UPSERT, ST_DEL, ST_GET, ST_SCAN, ST_SMALL_PUT, ST_SMALL_DEL,
	ST_SMALL_GET, ST_SMALL_ALL, ST_META_PUT, ST_META_GET, ST_BEGIN, ST_COMMIT,
	ST_DATA_VERSION, ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	/* The data's hash (h) always follows the data (see row_hash). */
	"INSERT INTO rec(home, kind, key, data, h) VALUES(?1, ?2, ?3, ?4, ?5)",
	"INSERT OR REPLACE INTO rec(home, kind, key, data, h) VALUES(?1, ?2, ?3, ?4, ?5)",
	"DELETE FROM rec WHERE home = ?1 AND kind = ?2 AND key = ?3",
	"SELECT data, h FROM rec WHERE home = ?1 AND kind = ?2 AND key = ?3",
	"SELECT kind, key, data, h FROM rec WHERE home = ?1",
	"INSERT OR REPLACE INTO small(kind, key, data, h) VALUES(?1, ?2, ?3, ?4)",
	"DELETE FROM small WHERE kind = ?1 AND key = ?2",
	"SELECT data, h FROM small WHERE kind = ?1 AND key = ?2",
	"SELECT key, data, h FROM small WHERE kind = ?1",
	"INSERT OR REPLACE INTO meta(k, v, h) VALUES(?1, ?2, ?3)",
	"SELECT v, h FROM meta WHERE k = ?1",
	"BEGIN",
	"COMMIT",
	"PRAGMA data_version",
};

struct cache {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	char *path;		/* the final path */
	char *fresh_path;	/* set for a fresh build: path.new */
	/* Small, slowly changing data kept in memory; dropped whenever another
	 * connection has changed the file (PRAGMA data_version). */
	int64_t data_version;
	struct facts_area *areas;	/* the risk areas, once areas_loaded */
	size_t nareas;
	int areas_loaded;
	struct jws_key *keys;
	size_t nkeys;
	int keys_loaded;
	cJSON *checkpoint;	/* the last checkpoint record asked for */
	int in_read;		/* between cache_read_begin and _end */
	int damage_seen;	/* this read transaction met a damaged page or record */
	int marked;		/* the file was marked damaged when it began */
	int lists_damaged;	/* the data kept in memory was read from a damaged file */
	int64_t as_of;		/* meta as_of as read in this snapshot (as_of_loaded) */
	int as_of_loaded;
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

/* A row's data hash: SipHash-2-4 (libsodium's shorthash) under a fixed key.
 * It guards against the disk, not against someone who can write the file
 * (who could write the hash too). */
static int64_t row_hash(const char *s, size_t n)
{
	static const unsigned char key[crypto_shorthash_KEYBYTES] = "greenlane cache";
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v = 0;

	crypto_shorthash(h, (const unsigned char *)s, n, key);
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (int64_t)v;
}

/* Binds data (n bytes) at i and its hash at i + 1. */
static void bind_data(sqlite3_stmt *st, int i, const char *data, size_t n)
{
	sqlite3_bind_text(st, i, data, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(st, i + 1, row_hash(data, n));
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

/* The file beside a cache that says it is damaged: reads found it so, and the
 * next sync rebuilds the cache from a snapshot (which removes the mark). */
static void damaged_mark_path(const char *cache_path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.damaged", cache_path);
}

int cache_damaged(const char *cache_path)
{
	char mark[PATH_MAX];

	damaged_mark_path(cache_path, mark, sizeof mark);
	return access(mark, F_OK) == 0;
}

static void mark_damaged(const char *cache_path)
{
	char mark[PATH_MAX];
	int fd;

	damaged_mark_path(cache_path, mark, sizeof mark);
	fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);	/* best effort: a full disk may refuse */
	if (fd >= 0)
		close(fd);
}

/* What went wrong with the cache file at path, in err.  A damaged file is
 * marked for rebuilding, and the message says so. */
static void file_error(sqlite3 *db, const char *path, gl_msg *err)
{
	int code = sqlite3_errcode(db);

	if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB) {
		db_error(db, "cache.db", err);
		return;
	}
	mark_damaged(path);
	glmsg_set(err, "本地数据已损坏（%s）：下次同步将从快照重建，或运行 greenlane sync",
		  "the local data is damaged (%s): the next sync rebuilds it from a snapshot, or run greenlane sync",
		  sqlite3_errmsg(db));
}

/* Damage met while reading: the file is marked for rebuilding, the read
 * transaction remembers it (see cache_read_damaged), and so do the lists
 * kept in memory if it was met while loading them (kept: 1). */
static void damage(struct cache *c, int kept)
{
	if (c->path != NULL)
		mark_damaged(c->path);
	c->damage_seen = 1;
	if (kept)
		c->lists_damaged = 1;
}

static int corrupt(struct cache *c)
{
	return sqlite3_errcode(c->db) == SQLITE_CORRUPT || sqlite3_errcode(c->db) == SQLITE_NOTADB;
}

static void cache_error(struct cache *c, gl_msg *err)
{
	if (corrupt(c))
		c->damage_seen = 1;	/* file_error marks the file */
	file_error(c->db, c->path != NULL ? c->path : "cache.db", err);
}

/* For readers that return no message: a step that failed (not DONE) on a
 * damaged file still counts. */
static void step_failed(struct cache *c, int rc, int kept)
{
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && corrupt(c))
		damage(c, kept);
}

int cache_read_damaged(const struct cache *c)
{
	return c->damage_seen || c->lists_damaged || c->marked;
}

/* A column's JSON: in a (NULL: malloc'd, the caller deletes it, and it is
 * kept in memory).  The import stored only well-formed JSON, so text that is
 * not means a damaged file: see damage(); the record is left out. */
static cJSON *parse_text(struct cache *c, const char *s, size_t n, struct arena *a)
{
	cJSON *d = a != NULL ? arena_json_parse(a, s, n) : cJSON_ParseWithLength(s, n);

	if (d == NULL && s != NULL && jscan_object(s, n, NULL, 0) < 0 && jscan_array(s, n, NULL, 0) < 0)
		damage(c, a == NULL);
	return d;
}

/* 1 if the data in column col is what was imported: its hash, in the
 * column after it, matches (a row of an older file has none).  Else the
 * file is damaged (see damage(); kept as there) and 0. */
static int row_ok(struct cache *c, sqlite3_stmt *st, int col, int kept)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (sqlite3_column_type(st, col + 1) == SQLITE_NULL)
		return 1;
	if (s != NULL && row_hash(s, (size_t)sqlite3_column_bytes(st, col)) == sqlite3_column_int64(st, col + 1))
		return 1;
	damage(c, kept);
	return 0;
}

/* A column's JSON, checked (row_ok) and parsed (parse_text); NULL if
 * either fails. */
static cJSON *parse_col(struct cache *c, sqlite3_stmt *st, int col, struct arena *a)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (!row_ok(c, st, col, a == NULL))
		return NULL;
	return parse_text(c, s, (size_t)sqlite3_column_bytes(st, col), a);
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
		if (corrupt(c))
			file_error(c->db, file, err);
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
	/* A cache connection is used by one thread only (the lane's loop, a
	 * sync child): SQLite need not lock around every call. */
	c = open_at(path, SQLITE_OPEN_NOMUTEX |
			  (writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY),
		    /* A big import (a long offline spell) grows the WAL to its
		     * size: give the disk back once checkpointed. */
		    writable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=67108864;"
			     : "PRAGMA query_only=1; PRAGMA cache_size=-16384;", err);
	if (c != NULL && writable)
		db_keep_wal(c->db);
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
		    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-32768;"
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
	damaged_mark_path(c->path, side, sizeof side);	/* a new file: whatever was damaged is gone */
	unlink(side);
	rc = 0;
	/* Give the installed file its -wal and -shm files now (kept, see
	 * db_keep_wal), while the disk has room: a snapshot can leave it nearly
	 * full, and the lane must still open the data afterwards.  Best effort:
	 * the data is in place either way. */
	{
		gl_msg e2;
		cache_close(cache_open(c->path, 1, &e2));
	}
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

static void forget(struct cache *c)
{
	free(c->areas);
	c->areas = NULL;
	c->nareas = 0;
	c->areas_loaded = 0;
	free(c->keys);
	c->keys = NULL;
	c->nkeys = 0;
	c->keys_loaded = 0;
	cJSON_Delete(c->checkpoint);
	c->checkpoint = NULL;
	c->as_of_loaded = 0;
	c->lists_damaged = 0;
}

void cache_close(struct cache *c)
{
	if (c == NULL)
		return;
	close_db(c);
	forget(c);
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
	cache_error(c, err);
	return -1;
}

static int row_put(struct cache *c, int replace, const char *home, int kind, const char *key,
		   const char *data, gl_msg *err)
{
	sqlite3_stmt *st = S(c, replace ? ST_UPSERT : ST_INS);

	bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	bind_text(st, 3, key);
	bind_data(st, 4, data, strlen(data));
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
		if (!row_ok(c, st, 0, 0)) {
			sqlite3_reset(st);
			glmsg_set(err, "本地数据已损坏：下次同步将从快照重建", "the local data is damaged: the next sync rebuilds it");
			return -1;
		}
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	cache_error(c, err);
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
			/* The trailer's alias goes only if it still names this tractor:
			 * the trailer may have been coupled to another one since. */
			struct plate p;
			char owner[PLATE_MAX];
			if (plate_parse(facts_str(old, "trailer_plate"), NULL, &p, NULL) == 0 &&
			    row_get(c, p.canon, X_TRAILER, "", owner, sizeof owner, err) == 1 && strcmp(owner, key) == 0)
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
		if (kind == K_INTERCEPT) {
			sqlite3_stmt *st = S(c, ST_SMALL_DEL);
			sqlite3_bind_int(st, 1, CACHE_INTERCEPT);
			bind_text(st, 2, key);
			if (step_done(c, st, err) != 0)
				return -1;
		}
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

/* What a big record's rows need: what it points at, and the data text to
 * store (the centre's own bytes when they were already canonical, else a
 * re-serialisation in im->buf). */
struct rec_info {
	struct record_refs r;
	const char *data;
	size_t len;
};

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
	st = S(c, ST_INS);
	sqlite3_bind_text(st, 1, ri->r.home, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, kind);
	sqlite3_bind_text(st, 3, kind == K_VEHICLE || kind == K_DRIVER ? "" : key, -1, SQLITE_STATIC);
	bind_data(st, 4, ri->data, ri->len);
	rc = step_done(c, st, err);
	if (rc != 0)
		return rc == 1 && kind != K_VEHICLE && kind != K_DRIVER ? -1 : rc;
	if (ri->r.trailer[0] != '\0' && row_put(c, 1, ri->r.trailer, X_TRAILER, "", key, err) < 0)
		return -1;
	if (kind == K_INTERCEPT) {
		st = S(c, ST_SMALL_PUT);
		sqlite3_bind_int(st, 1, CACHE_INTERCEPT);
		bind_text(st, 2, key);
		bind_data(st, 3, ri->data, ri->len);
		if (step_done(c, st, err) != 0)
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
	st = S(im->c, ST_SMALL_PUT);
	sqlite3_bind_int(st, 1, kind - S_BASE);
	bind_text(st, 2, key);
	bind_data(st, 3, data, len);
	return step_done(im->c, st, err) == 0 ? 0 : -1;
}

static int meta_put(struct cache *c, const char *k, const char *v, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_META_PUT);

	bind_text(st, 1, k);
	bind_data(st, 2, v, strlen(v));
	return step_done(c, st, err) == 0 ? 0 : -1;
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
			sqlite3_stmt *st = S(im->c, ST_SMALL_DEL);
			sqlite3_bind_int(st, 1, kind - S_BASE);
			bind_text(st, 2, key);
			return step_done(im->c, st, err) == 0 ? 0 : -1;
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

/* Loads every key record (for verification inside the import, or for
 * look-ups).  Caller frees *keys. */
static int load_keys(struct cache *c, struct jws_key **keys, size_t *n)
{
	sqlite3_stmt *st = S(c, ST_SMALL_ALL);
	struct dynbuf b;
	int rc = 0;

	dynbuf_init(&b, CACHE_KEYS_MAX * sizeof **keys);
	sqlite3_bind_int(st, 1, CACHE_KEY);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = parse_col(c, st, 1, NULL);
		struct jws_key k;
		memset(&k, 0, sizeof k);
		snprintf(k.kid, sizeof k.kid, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(k.use, sizeof k.use, "%s", facts_str(d, "use") ? facts_str(d, "use") : "");
		if (jws_key_from_b64(facts_str(d, "pub"), k.pub) == 0)
			rc = dynbuf_add(&b, &k, sizeof k);
		cJSON_Delete(d);
	}
	sqlite3_reset(st);
	if (rc != 0) {
		dynbuf_free(&b);
		return -1;
	}
	*n = b.len / sizeof **keys;
	*keys = (struct jws_key *)(void *)dynbuf_take(&b);
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
		bind_data(s, 3, im->pol[i].data, strlen(im->pol[i].data));
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

int cache_get_plate(struct cache *c, const char *plate, struct arena *a, struct cache_plate *out, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_SCAN);
	int rc;

	memset(out, 0, sizeof *out);
	out->passes = arena_json_array(a);
	out->trips = arena_json_array(a);
	out->intercepts = arena_json_array(a);
	if (out->passes == NULL || out->trips == NULL || out->intercepts == NULL)
		goto oom;
	bind_text(st, 1, plate);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		cJSON *d;
		if (kind == X_TRAILER) {
			if (row_ok(c, st, 2, 0))
				snprintf(out->tractor, sizeof out->tractor, "%s", (const char *)sqlite3_column_text(st, 2));
			continue;
		}
		if (kind > K_INTERCEPT)
			continue;
		d = parse_col(c, st, 2, a);
		if (d == NULL)
			continue;	/* imported whole, so only a damaged file: skip the record */
		switch (kind) {
		case K_VEHICLE: out->vehicle = d; break;
		case K_PASS: arena_json_add(out->passes, NULL, d); break;
		case K_TRIP: arena_json_add(out->trips, NULL, d); break;
		default: arena_json_add(out->intercepts, NULL, d); break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cache_error(c, err);
		return -1;
	}
	return 0;
oom:
	glmsg_set(err, "内存不足", "out of memory");
	return -1;
}

int cache_get_person(struct cache *c, const char *id_no, struct arena *a, struct cache_person *out, gl_msg *err)
{
	sqlite3_stmt *st = S(c, ST_SCAN);
	int rc;

	memset(out, 0, sizeof *out);
	out->trip_plates = arena_json_array(a);
	out->intercepts = arena_json_array(a);
	if (out->trip_plates == NULL || out->intercepts == NULL)
		goto oom;
	bind_text(st, 1, id_no);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		cJSON *d = NULL;
		if (kind == X_CREW)
			d = row_ok(c, st, 2, 0) ? arena_json_string(a, (const char *)sqlite3_column_text(st, 2)) : NULL;
		else if (kind == K_DRIVER || kind == K_INTERCEPT)
			d = parse_col(c, st, 2, a);
		if (d == NULL)
			continue;
		if (kind == X_CREW)
			arena_json_add(out->trip_plates, NULL, d);
		else if (kind == K_DRIVER)
			out->driver = d;
		else
			arena_json_add(out->intercepts, NULL, d);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cache_error(c, err);
		return -1;
	}
	return 0;
oom:
	glmsg_set(err, "内存不足", "out of memory");
	return -1;
}

int cache_pass_plate(struct cache *c, const char *pass_no, char plate[PLATE_MAX], gl_msg *err)
{
	return row_get(c, pass_no, X_PASSNO, "", plate, PLATE_MAX, err);
}

cJSON *cache_get_small(struct cache *c, struct arena *a, enum cache_small kind, const char *key)
{
	sqlite3_stmt *st;
	cJSON *d = NULL;
	int rc;

	st = S(c, ST_SMALL_GET);
	sqlite3_bind_int(st, 1, kind);
	bind_text(st, 2, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		d = parse_col(c, st, 0, a);
	step_failed(c, rc, a == NULL);
	sqlite3_reset(st);
	return d;
}

static cJSON *small_all(struct cache *c, enum cache_small kind)
{
	sqlite3_stmt *st = S(c, ST_SMALL_ALL);
	cJSON *arr = cJSON_CreateArray();
	int rc = SQLITE_DONE;

	sqlite3_bind_int(st, 1, kind);
	while (arr != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *d = parse_col(c, st, 1, NULL);
		if (d != NULL)
			cJSON_AddItemToArray(arr, d);
	}
	step_failed(c, rc, 1);
	sqlite3_reset(st);
	return arr;
}

int cache_risk_areas(struct cache *c, const struct facts_area **areas, size_t *n)
{
	if (!c->areas_loaded) {
		cJSON *all = small_all(c, CACHE_RISK_AREA);
		long k = all != NULL ? facts_areas(all, &c->areas) : -1;
		cJSON_Delete(all);
		if (k < 0)
			return -1;
		c->nareas = (size_t)k;
		c->areas_loaded = 1;
	}
	*areas = c->areas;
	*n = c->nareas;
	return 0;
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
	if (sqlite3_step(st) == SQLITE_ROW && row_ok(c, st, 0, 0)) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

int64_t cache_as_of(struct cache *c)
{
	sqlite3_stmt *st;

	if (c->as_of_loaded && c->in_read)
		return c->as_of;
	st = S(c, ST_META_GET);
	c->as_of = INT64_MIN;
	bind_text(st, 1, "as_of");
	/* A damaged as_of is no as_of: the data's age is unknown. */
	if (sqlite3_step(st) == SQLITE_ROW && row_ok(c, st, 0, 0))
		c->as_of = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	c->as_of_loaded = 1;
	return c->as_of;
}


int cache_read_begin(struct cache *c)
{
	sqlite3_stmt *st = S(c, ST_BEGIN);
	int64_t v = -1;

	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	st = S(c, ST_DATA_VERSION);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (v != c->data_version) {
		forget(c);
		c->data_version = v;
	}
	c->in_read = 1;
	c->damage_seen = 0;
	/* A cache known damaged (by any reader, or the background check) is
	 * trusted for no verdict until a snapshot rebuilds it. */
	c->marked = c->path != NULL && cache_damaged(c->path);
	return 0;
}

int cache_check(const char *cache_path, gl_msg *err)
{
	struct cache *c = cache_open(cache_path, 0, err);
	sqlite3_stmt *st = NULL;
	char first[200] = "";
	int rc = -1, bad = 0;

	if (c == NULL)
		return -1;
	/* quick_check: every page's structure and every row's format, in one
	 * pass over the file (not the indexes' agreement, which integrity_check
	 * adds at several times the cost; this file has none). */
	if (sqlite3_prepare_v2(c->db, "PRAGMA quick_check(1)", -1, &st, NULL) == SQLITE_OK) {
		int s;
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			const char *line = (const char *)sqlite3_column_text(st, 0);
			if (line != NULL && strcmp(line, "ok") != 0) {
				bad = 1;
				snprintf(first, sizeof first, "%s", line);
			}
		}
		if (s == SQLITE_DONE)
			rc = bad;
		else if (corrupt(c))
			rc = bad = 1;
		if (bad && first[0] == '\0')
			snprintf(first, sizeof first, "%s", sqlite3_errmsg(c->db));
		for (char *q = first; *q; q++)
			if (*q == '\n')
				*q = ' ';
	}
	sqlite3_finalize(st);
	if (rc < 0)
		db_error(c->db, "cache.db", err);
	if (bad) {
		mark_damaged(cache_path);
		glmsg_set(err, "本地数据已损坏（%s）：已标记，下次同步将从快照重建",
			  "the local data is damaged (%s): marked; the next sync rebuilds it from a snapshot", first);
	}
	cache_close(c);
	return rc;
}

int64_t cache_version(struct cache *c)
{
	if (cache_read_begin(c) != 0)
		return -1;
	cache_read_end(c);
	return c->data_version;
}

void cache_read_end(struct cache *c)
{
	c->in_read = 0;
	sqlite3_step(S(c, ST_COMMIT));
	sqlite3_reset(c->st[ST_COMMIT]);
}

const cJSON *cache_checkpoint(struct cache *c, const char *id)
{
	if (c->checkpoint == NULL || strcmp(facts_str(c->checkpoint, "id") ? facts_str(c->checkpoint, "id") : "", id) != 0) {
		cJSON_Delete(c->checkpoint);
		c->checkpoint = cache_get_small(c, NULL, CACHE_CHECKPOINT, id);
	}
	return c->checkpoint;
}

cJSON *cache_alerts(struct cache *c, int64_t now)
{
	cJSON *out = cJSON_CreateArray(), *all = small_all(c, CACHE_INTERCEPT);
	const cJSON *i;
	sqlite3_stmt *st = NULL;

	cJSON_ArrayForEach(i, all) {
		int64_t since = facts_time(i, "since");
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(i, "cleared")) ||
		    (since != FACTS_NO_TIME && since > now))
			continue;
		cJSON *a = cJSON_Duplicate(i, 1);
		cJSON_AddStringToObject(a, "alert", "intercept");
		cJSON_AddItemToArray(out, a);
	}
	cJSON_Delete(all);
	/* Meltdowns: enterprises suspended or taken off the whitelist. */
	if (sqlite3_prepare_v2(c->db, "SELECT data, h FROM small WHERE kind = ?1 AND "
			       "(json_extract(data, '$.status') = 'suspended' OR json_extract(data, '$.whitelisted') = 0)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, CACHE_ENTERPRISE);
		while (sqlite3_step(st) == SQLITE_ROW) {
			cJSON *e = parse_col(c, st, 0, NULL);
			if (e == NULL)
				continue;
			cJSON_AddStringToObject(e, "alert", "meltdown");
			cJSON_AddItemToArray(out, e);
		}
	}
	sqlite3_finalize(st);
	return out;
}

int cache_set_meta(struct cache *c, const char *k, const char *v, gl_msg *err)
{
	return meta_put(c, k, v, err);
}
