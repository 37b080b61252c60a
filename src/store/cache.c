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
 * record's keys are parsed and folded to the canonical forms queries use.
 *
 * This file: the schema, opening, installing a fresh file, meta, read
 * transactions and damage.  The import, the reads and what is kept in
 * memory are in cache_import.c, cache_read.c and cache_mem.c (cache_int.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cache_int.h"
#include "db.h"
#include "jscan.h"

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
	"DROP TRIGGER IF EXISTS enterprise_put;"
	"DROP TRIGGER IF EXISTS enterprise_set;"
	"DROP TRIGGER IF EXISTS enterprise_del; DELETE FROM meta WHERE k = 'enterprise_gen';",
	/* 6: the alerts (active intercepts, kind 5; enterprises suspended or
	 * off the whitelist, kind 0) listed as they change, whoever changes
	 * them, so that the lane counts them without reading every one: a
	 * province has millions of enterprises.  since: the intercept's, in
	 * seconds (NULL for a meltdown). */
	"CREATE TABLE alert(kind INTEGER NOT NULL, key TEXT NOT NULL, since INTEGER,"
	" PRIMARY KEY(kind, key)) WITHOUT ROWID;"
	"CREATE INDEX alert_since ON alert(since);"
	"CREATE TRIGGER alert_put AFTER INSERT ON small WHEN NEW.kind IN (0, 5) BEGIN"
	" DELETE FROM alert WHERE kind = NEW.kind AND key = NEW.key;"
	" INSERT INTO alert SELECT NEW.kind, NEW.key,"
	"  CASE NEW.kind WHEN 5 THEN unixepoch(json_extract(NEW.data, '$.since')) END"
	"  WHERE (NEW.kind = 5 AND coalesce(json_extract(NEW.data, '$.cleared'), 0) = 0) OR (NEW.kind = 0 AND"
	"  (json_extract(NEW.data, '$.status') = 'suspended' OR json_extract(NEW.data, '$.whitelisted') = 0)); END;"
	"CREATE TRIGGER alert_set AFTER UPDATE ON small WHEN OLD.kind IN (0, 5) OR NEW.kind IN (0, 5) BEGIN"
	" DELETE FROM alert WHERE (kind = OLD.kind AND key = OLD.key) OR (kind = NEW.kind AND key = NEW.key);"
	" INSERT INTO alert SELECT NEW.kind, NEW.key,"
	"  CASE NEW.kind WHEN 5 THEN unixepoch(json_extract(NEW.data, '$.since')) END"
	"  WHERE (NEW.kind = 5 AND coalesce(json_extract(NEW.data, '$.cleared'), 0) = 0) OR (NEW.kind = 0 AND"
	"  (json_extract(NEW.data, '$.status') = 'suspended' OR json_extract(NEW.data, '$.whitelisted') = 0)); END;"
	"CREATE TRIGGER alert_del AFTER DELETE ON small WHEN OLD.kind IN (0, 5) BEGIN"
	" DELETE FROM alert WHERE kind = OLD.kind AND key = OLD.key; END;"
	"INSERT INTO alert SELECT kind, key, unixepoch(json_extract(data, '$.since')) FROM small"
	" WHERE kind = 5 AND coalesce(json_extract(data, '$.cleared'), 0) = 0;"
	"INSERT INTO alert SELECT kind, key, NULL FROM small WHERE kind = 0 AND"
	" (json_extract(data, '$.status') = 'suspended' OR json_extract(data, '$.whitelisted') = 0);",
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

struct sqlite3 *cache_db(struct cache *c) { return c->db; }

sqlite3_stmt *cache_stmt(struct cache *c, enum stmt s)
{
	sqlite3_reset(c->st[s]);
	sqlite3_clear_bindings(c->st[s]);
	return c->st[s];
}

void cache_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* A row's data hash: SipHash-2-4 (libsodium's shorthash) under a fixed key.
 * It guards against the disk, not against someone who can write the file
 * (who could write the hash too). */
static int64_t cache_row_hash(const char *s, size_t n)
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
void cache_bind_data(sqlite3_stmt *st, int i, const char *data, size_t n)
{
	sqlite3_bind_text(st, i, data, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(st, i + 1, cache_row_hash(data, n));
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

static void cache_mark_damaged(const char *cache_path)
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
	cache_mark_damaged(path);
	glmsg_set(err, "本地数据已损坏（%s）：下次同步将从快照重建，或运行 greenlane sync",
		  "the local data is damaged (%s): the next sync rebuilds it from a snapshot, or run greenlane sync",
		  sqlite3_errmsg(db));
}

/* Damage met while reading: the file is marked for rebuilding, the read
 * transaction remembers it (see cache_read_damaged), and so do the lists
 * kept in memory if it was met while loading them (kept: 1). */
void cache_met_damage(struct cache *c, int kept)
{
	if (c->path != NULL)
		cache_mark_damaged(c->path);
	c->damage_seen = 1;
	if (kept)
		c->lists_damaged = 1;
}

int cache_corrupt(struct cache *c)
{
	return sqlite3_errcode(c->db) == SQLITE_CORRUPT || sqlite3_errcode(c->db) == SQLITE_NOTADB;
}

void cache_error(struct cache *c, gl_msg *err)
{
	if (cache_corrupt(c))
		c->damage_seen = 1;	/* file_error marks the file */
	file_error(c->db, c->path != NULL ? c->path : "cache.db", err);
}

/* For readers that return no message: a step that failed (not DONE) on a
 * damaged file still counts. */
void cache_step_failed(struct cache *c, int rc, int kept)
{
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && cache_corrupt(c))
		cache_met_damage(c, kept);
}

int cache_read_damaged(const struct cache *c)
{
	return c->damage_seen || c->lists_damaged || c->marked;
}

/* A column's JSON: in a (NULL: malloc'd, the caller deletes it, and it is
 * kept in memory).  The import stored only well-formed JSON, so text that is
 * not means a damaged file: see cache_met_damage(); the record is left out. */
cJSON *cache_parse_text(struct cache *c, const char *s, size_t n, struct arena *a)
{
	cJSON *d = a != NULL ? arena_json_parse(a, s, n) : cJSON_ParseWithLength(s, n);

	if (d == NULL && s != NULL && jscan_object(s, n, NULL, 0) < 0 && jscan_array(s, n, NULL, 0) < 0)
		cache_met_damage(c, a == NULL);
	return d;
}

/* 1 if the data in column col is what was imported: its hash, in the
 * column after it, matches (a row of an older file has none).  Else the
 * file is damaged (see cache_met_damage(); kept as there) and 0. */
int cache_row_ok(struct cache *c, sqlite3_stmt *st, int col, int kept)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (sqlite3_column_type(st, col + 1) == SQLITE_NULL)
		return 1;
	if (s != NULL && cache_row_hash(s, (size_t)sqlite3_column_bytes(st, col)) == sqlite3_column_int64(st, col + 1))
		return 1;
	cache_met_damage(c, kept);
	return 0;
}

/* A column's JSON, checked (row_ok) and parsed (parse_text); NULL if
 * either fails. */
cJSON *cache_parse_col(struct cache *c, sqlite3_stmt *st, int col, struct arena *a)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (!cache_row_ok(c, st, col, a == NULL))
		return NULL;
	return cache_parse_text(c, s, (size_t)sqlite3_column_bytes(st, col), a);
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
		if (cache_corrupt(c))
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

void cache_close(struct cache *c)
{
	if (c == NULL)
		return;
	close_db(c);
	cache_forget(c);
	free(c->path);
	free(c->fresh_path);
	free(c);
}

int cache_meta(struct cache *c, const char *k, char *out, size_t cap)
{
	sqlite3_stmt *st = cache_stmt(c, ST_META_GET);
	int found = 0;

	cache_bind_text(st, 1, k);
	if (sqlite3_step(st) == SQLITE_ROW && cache_row_ok(c, st, 0, 0)) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

int cache_read_begin(struct cache *c)
{
	sqlite3_stmt *st = cache_stmt(c, ST_BEGIN);
	int64_t v = -1;

	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	st = cache_stmt(c, ST_DATA_VERSION);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (v != c->data_version) {
		cache_forget(c);
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
		else if (cache_corrupt(c))
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
		cache_mark_damaged(cache_path);
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
	sqlite3_step(cache_stmt(c, ST_COMMIT));
	sqlite3_reset(c->st[ST_COMMIT]);
}

int cache_step_done(struct cache *c, sqlite3_stmt *st, gl_msg *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT)
		return 1;
	cache_error(c, err);
	return -1;
}

int cache_meta_put(struct cache *c, const char *k, const char *v, gl_msg *err)
{
	sqlite3_stmt *st = cache_stmt(c, ST_META_PUT);

	cache_bind_text(st, 1, k);
	cache_bind_data(st, 2, v, strlen(v));
	return cache_step_done(c, st, err) == 0 ? 0 : -1;
}

int cache_set_meta(struct cache *c, const char *k, const char *v, gl_msg *err)
{
	return cache_meta_put(c, k, v, err);
}
