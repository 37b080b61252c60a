/* central_db.c — greenlane-central's store.  Records live in one table with
 * a change sequence; a delete leaves a tombstone (data NULL) so the change
 * feed can carry it until compaction moves the horizon past it.  Events are
 * kept by UUID, so a retried batch never duplicates, and each terminal's
 * sequence and hash chain is checked as events arrive. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "central_db.h"
#include "db.h"
#include "event.h"
#include "journal.h"
#include "record.h"
#include "utf8.h"

static const char *const schema[] = {
	/* 1 */
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE record(kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT, seq INTEGER NOT NULL,"
	" PRIMARY KEY(kind, key)) WITHOUT ROWID;"
	"CREATE UNIQUE INDEX record_seq ON record(seq);"
	"CREATE INDEX record_plate ON record(kind, json_extract(data, '$.plate')) WHERE data IS NOT NULL;"
	"CREATE TABLE terminal(id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, revoked INTEGER NOT NULL DEFAULT 0,"
	" last_seq INTEGER NOT NULL DEFAULT 0, last_hash TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE event(uuid TEXT PRIMARY KEY, terminal TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	" body TEXT NOT NULL, hash TEXT NOT NULL, prev_hash TEXT NOT NULL, chain TEXT NOT NULL,"
	" received_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX event_terminal ON event(terminal, seq);"
	"CREATE TABLE signing_key(kid TEXT PRIMARY KEY, use TEXT NOT NULL, sk TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;",
	/* 2: intercepts found by their target without a scan */
	"CREATE INDEX record_value ON record(kind, json_extract(data, '$.value')) WHERE data IS NOT NULL;",
	/* 3: a tube labels one sample, province-wide; as_of is the time a
	 * snapshot or page is served, not a stored time */
	"CREATE INDEX event_tube ON event(json_extract(body, '$.tube'))"
	" WHERE json_extract(body, '$.tube') IS NOT NULL;"
	"DELETE FROM meta WHERE k = 'as_of';",
};

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Statements on the look-up path, prepared once per connection. */
enum { Q_GET, Q_FIND_PLATE, Q_FIND_VALUE, Q_AUTH, Q_COUNT };

static const char *const qsql[Q_COUNT] = {
	"SELECT data FROM record WHERE kind = ?1 AND key = ?2 AND data IS NOT NULL",
	"SELECT data FROM record INDEXED BY record_plate WHERE kind = ?1 AND"
	" json_extract(data, '$.plate') = ?2 AND data IS NOT NULL",
	"SELECT data FROM record INDEXED BY record_value WHERE kind = ?1 AND"
	" json_extract(data, '$.value') = ?2 AND data IS NOT NULL",
	"SELECT id FROM terminal WHERE token_hash = ?1 AND revoked = 0",
};

struct cdb {
	sqlite3 *db;
	sqlite3_stmt *q[Q_COUNT];
};

/* A cached statement, reset and ready for binding; NULL on error. */
static sqlite3_stmt *Q(struct cdb *c, int i)
{
	if (c->q[i] == NULL &&
	    sqlite3_prepare_v3(c->db, qsql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->q[i], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(c->q[i]);
	sqlite3_clear_bindings(c->q[i]);
	return c->q[i];
}

struct cdb_iter {
	struct cdb *db;
	sqlite3_stmt *st;
};

struct cdb *cdb_open(const char *path, gl_msg *err)
{
	struct cdb *c = calloc(1, sizeof *c);

	if (c == NULL || sodium_init() < 0) {
		free(c);
		return NULL;
	}
	c->db = db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", err);
	if (c->db == NULL ||
	    db_migrate(c->db, schema, (int)(sizeof schema / sizeof schema[0]), "central.db", err) != 0) {
		cdb_close(c);
		return NULL;
	}
	return c;
}

struct cdb *cdb_open_reader(const char *path, gl_msg *err)
{
	struct cdb *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->db = db_open(path, SQLITE_OPEN_READONLY, "PRAGMA query_only=1;", err);
	if (c->db == NULL || db_exec(c->db, "BEGIN", err) != 0) {
		cdb_close(c);
		return NULL;
	}
	return c;
}

void cdb_close(struct cdb *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(c->q[i]);
	sqlite3_close(c->db);
	free(c);
}

int cdb_begin(struct cdb *c, gl_msg *err) { return db_exec(c->db, "BEGIN IMMEDIATE", err); }
int cdb_read_begin(struct cdb *c, gl_msg *err) { return db_exec(c->db, "BEGIN", err); }
int cdb_commit(struct cdb *c, gl_msg *err) { return db_exec(c->db, "COMMIT", err); }
void cdb_rollback(struct cdb *c) { sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL); }

int64_t cdb_cursor(struct cdb *c)
{
	return db_scalar(c->db, "SELECT max((SELECT coalesce(max(seq), 0) FROM record),"
			 " (SELECT coalesce(max(CAST(v AS INTEGER)), 0) FROM meta WHERE k = 'horizon'))", 0);
}
int64_t cdb_horizon(struct cdb *c) { return db_scalar(c->db, "SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'horizon'", 0); }

static int meta_set(struct cdb *c, const char *k, int64_t v, gl_msg *err)
{
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)v);
	return db_meta_set(c->db, k, num, "central.db", err);
}

static int write_record(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err)
{
	/* The next sequence is past every record and past the horizon, even when
	 * compaction removed the newest tombstones: a number is never reused. */
	sqlite3_stmt *st = db_prepare(c->db, "INSERT OR REPLACE INTO record(kind, key, data, seq) VALUES(?1, ?2, ?3,"
				      " max((SELECT coalesce(max(seq), 0) FROM record),"
				      " (SELECT coalesce(max(CAST(v AS INTEGER)), 0) FROM meta WHERE k = 'horizon')) + 1)", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (data != NULL)
		sqlite3_bind_text(st, 3, data, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		db_error(c->db, "central.db", err);
	sqlite3_finalize(st);
	return rc;
}

/* The record kind and canonical key; -1 with err if a lane would refuse
 * them. */
static int record_id(const char *kind, const char *key, char canon[RECORD_KEY_MAX], gl_msg *err)
{
	enum record_kind k = record_kind(kind);

	if (k == REC_NONE) {
		glmsg_set(err, "未知的记录类型 %s", "unknown record kind %s", kind);
		return -1;
	}
	return record_key(k, key, canon, err);
}

int cdb_put(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err)
{
	char canon[RECORD_KEY_MAX], *rewritten = NULL;
	struct record_refs refs;
	size_t len = strlen(data);
	gl_msg why;
	int rc;

	/* Only what a lane takes is published: one bad record would stop
	 * every lane's feed. */
	rc = record_id(kind, key, canon, &why) == 0 ? record_check(record_kind(kind), canon, data, len, &refs, &why) : -1;
	if (rc < 0) {
		char shown[64];
		utf8_excerpt(key, 24, shown, sizeof shown);
		if (record_kind(kind) == REC_DRIVER)
			snprintf(shown, sizeof shown, "(ID number)");	/* never shown whole */
		glmsg_prefix(err, &why, "%s %s 不能发布", "%s %s cannot be published", kind, shown);
		return -1;
	}
	if (rc == 1) {
		rewritten = malloc(RECORD_DATA_MAX + 1);
		if (rewritten == NULL ||
		    record_canonical(record_kind(kind), canon, data, len, &refs, rewritten, RECORD_DATA_MAX + 1, err) != 0) {
			free(rewritten);
			return -1;
		}
	}
	rc = write_record(c, kind, canon, rewritten != NULL ? rewritten : data, err);
	free(rewritten);
	return rc;
}

int cdb_del(struct cdb *c, const char *kind, const char *key, gl_msg *err)
{
	char canon[RECORD_KEY_MAX], *old;

	if (record_id(kind, key, canon, err) != 0)
		return -1;
	old = cdb_get(c, kind, canon);
	if (old == NULL)
		return 0;	/* nothing live: nothing to say */
	free(old);
	return write_record(c, kind, canon, NULL, err);
}

int cdb_refs_check(struct cdb *c, int64_t since, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(c->db,
		"SELECT v.kind, v.key, json_extract(v.data, '$.enterprise_id') FROM record v"
		" WHERE v.seq > ?1 AND v.kind IN ('vehicle', 'pass') AND v.data IS NOT NULL"
		" AND json_extract(v.data, '$.enterprise_id') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM record e"
		" WHERE e.kind = 'enterprise' AND e.key = json_extract(v.data, '$.enterprise_id') AND e.data IS NOT NULL)"
		" LIMIT 1", err);
	int rc = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW: {
		char ent[64];
		utf8_excerpt((const char *)sqlite3_column_text(st, 2), 24, ent, sizeof ent);
		glmsg_set(err, "%s %s 的企业 %s 不存在", "%s %s names enterprise %s, which does not exist",
			  (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), ent);
		rc = -1;
		break;
	}
	case SQLITE_DONE:
		break;
	default:
		db_error(c->db, "central.db", err);
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

char *cdb_get(struct cdb *c, const char *kind, const char *key)
{
	sqlite3_stmt *st = Q(c, Q_GET);
	char *d = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		d = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return d;
}

cJSON *cdb_find(struct cdb *c, const char *kind, const char *field, const char *value)
{
	/* field is one of ours, plate or value, never the client's: each has an
	 * index on json_extract, named so that the planner cannot miss it. */
	sqlite3_stmt *st = strcmp(field, "plate") == 0 ? Q(c, Q_FIND_PLATE) :
			   strcmp(field, "value") == 0 ? Q(c, Q_FIND_VALUE) : NULL;
	cJSON *out = cJSON_CreateArray();

	if (st == NULL)
		return out;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = cJSON_ParseWithLength((const char *)sqlite3_column_text(st, 0),
						 (size_t)sqlite3_column_bytes(st, 0));
		if (d != NULL)
			cJSON_AddItemToArray(out, d);
	}
	sqlite3_reset(st);
	return out;
}

int cdb_compact(struct cdb *c, int64_t upto, gl_msg *err)
{
	sqlite3_stmt *st;
	int64_t horizon = cdb_horizon(c), cursor = cdb_cursor(c);
	int rc;

	/* The horizon only moves forward (a lane below it must get 410), and
	 * never past the newest change (a lane there would get 410 for
	 * nothing). */
	if (upto < horizon || upto > cursor) {
		glmsg_set(err, "只能压缩到 %lld 至 %lld 之间（当前视界至最新变更）",
			  "compact up to a cursor from %lld (the horizon now) to %lld (the newest change)",
			  (long long)horizon, (long long)cursor);
		return -1;
	}
	st = db_prepare(c->db, "DELETE FROM record WHERE data IS NULL AND seq <= ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, upto);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0) {
		db_error(c->db, "central.db", err);
		return -1;
	}
	return meta_set(c, "horizon", upto, err);
}

static struct cdb_iter *iter(struct cdb *c, sqlite3 *db, const char *sql, gl_msg *err)
{
	struct cdb_iter *it = calloc(1, sizeof *it);

	if (it == NULL)
		return NULL;
	it->db = c;
	it->st = db_prepare(db, sql, err);
	if (it->st == NULL) {
		free(it);
		return NULL;
	}
	return it;
}

struct cdb_iter *cdb_snapshot(struct cdb *c, const char *from_kind, const char *from_key, gl_msg *err)
{
	struct cdb_iter *it = iter(c, c->db, "SELECT kind, key, data, seq FROM record WHERE data IS NOT NULL AND"
				   " (kind, key) > (?1, ?2) ORDER BY kind, key", err);

	if (it != NULL) {
		sqlite3_bind_text(it->st, 1, from_kind != NULL ? from_kind : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(it->st, 2, from_key != NULL ? from_key : "", -1, SQLITE_TRANSIENT);
	}
	return it;
}

struct cdb_iter *cdb_changes(struct cdb *c, int64_t since, int limit, gl_msg *err)
{
	struct cdb_iter *it = iter(c, c->db, "SELECT kind, key, data, seq FROM record WHERE seq > ?1 ORDER BY seq LIMIT ?2", err);

	if (it != NULL) {
		sqlite3_bind_int64(it->st, 1, since);
		sqlite3_bind_int(it->st, 2, limit);
	}
	return it;
}

int cdb_next(struct cdb_iter *it, const char **kind, const char **key, const char **data, int64_t *seq)
{
	int rc = sqlite3_step(it->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	*kind = (const char *)sqlite3_column_text(it->st, 0);
	*key = (const char *)sqlite3_column_text(it->st, 1);
	*data = (const char *)sqlite3_column_text(it->st, 2);
	*seq = sqlite3_column_int64(it->st, 3);
	return 1;
}

void cdb_iter_free(struct cdb_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->st);
	free(it);
}

char *cdb_record_line(const char *kind, const char *key, const char *data, int64_t seq, size_t *len)
{
	cJSON *o = cJSON_CreateObject();
	char *line;

	/* data is stored JSON: added raw, the rest escaped by cJSON. */
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "op", data != NULL ? "put" : "del");
	cJSON_AddStringToObject(o, "key", key);
	if (data != NULL)
		cJSON_AddRawToObject(o, "data", data);
	line = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (line == NULL)
		return NULL;
	*len = strlen(line);
	line[(*len)++] = '\n';	/* replaces the NUL; the length is kept */
	return line;
}

/* A new random token in token, its SHA-256 in hash. */
static void new_token(char token[65], char hash[JOURNAL_HASH_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	journal_sha256_hex(token, strlen(token), hash);
}

int cdb_terminal_add(struct cdb *c, const char *id, char token[65], gl_msg *err)
{
	char hash[JOURNAL_HASH_LEN];
	sqlite3_stmt *st;
	int rc;

	if (!event_terminal_valid(id)) {
		glmsg_set(err, "终端编号无效：应为 1 至 63 个字母、数字、“.”、“_”或“-”",
			  "a terminal name is 1 to 63 letters, digits, '.', '_' or '-'");
		return -1;
	}
	new_token(token, hash);
	st = db_prepare(c->db, "INSERT INTO terminal(id, token_hash, last_hash, created_at) VALUES(?1, ?2, ?3, ?4)", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, GENESIS, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT) {
		glmsg_set(err, "终端 %s 已存在（换发令牌请用 token rotate）",
			  "terminal %s exists already (token rotate gives it a new token)", id);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		db_error(c->db, "central.db", err);
		return -1;
	}
	return 0;
}

int cdb_terminal_rotate(struct cdb *c, const char *id, char token[65], gl_msg *err)
{
	char hash[JOURNAL_HASH_LEN];
	sqlite3_stmt *st = db_prepare(c->db, "UPDATE terminal SET token_hash = ?2, revoked = 0 WHERE id = ?1", err);
	int rc;

	if (st == NULL)
		return -1;
	new_token(token, hash);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(c->db) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0)
		glmsg_set(err, "没有终端 %s", "no terminal %s", id);
	return rc;
}

int cdb_terminal_revoke(struct cdb *c, const char *id, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(c->db, "UPDATE terminal SET revoked = 1 WHERE id = ?1", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(c->db) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0)
		glmsg_set(err, "没有终端 %s", "no terminal %s", id);
	return rc;
}

int cdb_terminal_auth(struct cdb *c, const char *token, char id[64])
{
	char hash[JOURNAL_HASH_LEN];
	sqlite3_stmt *st;
	int ok = 0;

	if (token == NULL || strlen(token) != 64)
		return 0;
	st = Q(c, Q_AUTH);
	if (st == NULL)
		return 0;
	journal_sha256_hex(token, 64, hash);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(id, 64, "%s", (const char *)sqlite3_column_text(st, 0));
		ok = 1;
	}
	sqlite3_reset(st);
	return ok;
}

/* One integer from a statement taking (terminal, seq), or -1. */
static int64_t count_at(struct cdb *c, const char *sql, const char *terminal, int64_t seq, const char *hash)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, terminal, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, seq);
		if (hash != NULL)
			sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

/* How a new event sits in its terminal's chain: a second record with a
 * sequence number already held is a fork (two machines with one identity:
 * a cloned terminal), else its prev_hash must be the hash of one held
 * record before it (gap if none is held yet, break if none matches). */
static const char *chain_of(struct cdb *c, const struct event_head *h)
{
	int64_t before, match;

	if (count_at(c, "SELECT count(*) FROM event WHERE terminal = ?1 AND seq = ?2", h->terminal, h->seq, NULL) != 0)
		return "fork";
	if (h->seq == 1)
		return strcmp(h->prev_hash, GENESIS) == 0 ? "ok" : "break";
	before = count_at(c, "SELECT count(*) FROM event WHERE terminal = ?1 AND seq = ?2", h->terminal, h->seq - 1, NULL);
	match = count_at(c, "SELECT count(*) FROM event WHERE terminal = ?1 AND seq = ?2 AND hash = ?3", h->terminal,
			 h->seq - 1, h->prev_hash);
	return before == 0 ? "gap" : match > 0 ? "ok" : "break";
}

/* The record that already used this tube: 1 with its description in out. */
static int tube_taken(struct cdb *c, const char *tube, char *out, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT uuid, terminal, seq, json_extract(body, '$.at') FROM event"
			       " WHERE json_extract(body, '$.tube') = ?1 LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, tube, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(out, cap, "%s (%s #%lld, %s)", (const char *)sqlite3_column_text(st, 0),
				 (const char *)sqlite3_column_text(st, 1), (long long)sqlite3_column_int64(st, 2),
				 sqlite3_column_text(st, 3) != NULL ? (const char *)sqlite3_column_text(st, 3) : "?");
			found = 1;
		}
	}
	sqlite3_finalize(st);
	return found;
}

int cdb_event_put(struct cdb *c, const char *terminal, const char *body, const char *hash, int *fresh, gl_msg *err)
{
	char computed[JOURNAL_HASH_LEN], used[160];
	struct event_head h;
	const char *chain;
	sqlite3_stmt *st = NULL;
	gl_msg why;
	int rc;

	*fresh = 0;
	glmsg_clear(err);
	if (body == NULL || hash == NULL) {
		glmsg_set(err, "缺少 body 或 hash", "body and hash are required");
		return -1;
	}
	journal_sha256_hex(body, strlen(body), computed);
	if (strcmp(computed, hash) != 0) {
		glmsg_set(err, "hash 与 body 不符", "the hash does not match the body");
		return -1;
	}
	/* The lane's own rules: what it could not have written is not held. */
	if (event_check(body, strlen(body), &h, &why) != 0) {
		*err = why;
		return -1;
	}
	if (strcmp(h.terminal, terminal) != 0) {
		glmsg_set(err, "记录不属于此终端", "the record is not this terminal's");
		return -1;
	}
	if (cdb_begin(c, err) != 0)
		return -1;
	/* Held already?  A retry: say so, change nothing. */
	st = db_prepare(c->db, "SELECT hash FROM event WHERE uuid = ?1", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, h.uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int same = strcmp((const char *)sqlite3_column_text(st, 0), hash) == 0;
		sqlite3_finalize(st);
		cdb_rollback(c);
		if (!same) {
			glmsg_set(err, "同一 uuid 的内容不同", "a different record with the same uuid is held");
			return -1;
		}
		return 0;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* A tube labels one sample: its result must follow one truck. */
	if (h.tube[0] != '\0' && tube_taken(c, h.tube, used, sizeof used)) {
		cdb_rollback(c);
		glmsg_set(err, "采样管号 %s 已被记录 %s 使用", "tube %s was already used by record %s", h.tube, used);
		return -1;
	}
	chain = chain_of(c, &h);
	st = db_prepare(c->db, "INSERT INTO event(uuid, terminal, seq, kind, body, hash, prev_hash, chain, received_at)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, h.uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, h.seq);
	sqlite3_bind_text(st, 4, h.kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, h.prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		db_error(c->db, "central.db", err);
		goto fail;
	}
	/* An event that fills a gap re-checks the ones after it (a fork stays
	 * a fork). */
	st = db_prepare(c->db, "UPDATE event SET chain = CASE WHEN EXISTS(SELECT 1 FROM event p WHERE p.terminal = ?1"
			" AND p.seq = ?2 AND p.hash = event.prev_hash) THEN 'ok' ELSE 'break' END"
			" WHERE terminal = ?1 AND seq = ?2 + 1 AND chain <> 'fork'", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h.seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = db_prepare(c->db, "UPDATE terminal SET last_seq = max(last_seq, ?2) WHERE id = ?1", err);
	if (rc != SQLITE_DONE || st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h.seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE || cdb_commit(c, err) != 0)
		goto fail;
	*fresh = 1;
	return 0;
fail:
	sqlite3_finalize(st);
	cdb_rollback(c);
	if (err->en[0] == '\0')
		db_error(c->db, "central.db", err);
	return -1;
}

cJSON *cdb_report(struct cdb *c)
{
	sqlite3_stmt *st = NULL;
	cJSON *out = cJSON_CreateArray();

	if (sqlite3_prepare_v2(c->db,
			       "SELECT t.id, t.revoked, count(e.uuid), coalesce(max(e.seq), 0),"
			       " coalesce(sum(e.chain = 'gap'), 0), coalesce(sum(e.chain = 'break'), 0),"
			       " max(0, coalesce(max(e.seq), 0) - count(DISTINCT e.seq)), coalesce(sum(e.chain = 'fork'), 0)"
			       " FROM terminal t LEFT JOIN event e ON e.terminal = t.id GROUP BY t.id ORDER BY t.id",
			       -1, &st, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "terminal", (const char *)sqlite3_column_text(st, 0));
		cJSON_AddBoolToObject(o, "revoked", sqlite3_column_int(st, 1));
		cJSON_AddNumberToObject(o, "events", (double)sqlite3_column_int64(st, 2));
		cJSON_AddNumberToObject(o, "last_seq", (double)sqlite3_column_int64(st, 3));
		cJSON_AddNumberToObject(o, "gaps", (double)sqlite3_column_int64(st, 4));
		cJSON_AddNumberToObject(o, "breaks", (double)sqlite3_column_int64(st, 5));
		cJSON_AddNumberToObject(o, "missing", (double)sqlite3_column_int64(st, 6));
		cJSON_AddNumberToObject(o, "forks", (double)sqlite3_column_int64(st, 7));
		cJSON_AddItemToArray(out, o);
	}
	sqlite3_finalize(st);
	return out;
}

int cdb_key_add(struct cdb *c, const char *kid, const char *use, const unsigned char sk[64], gl_msg *err)
{
	char b64[128], pub[64], data[256];
	sqlite3_stmt *st;
	int rc;

	sodium_bin2base64(b64, sizeof b64, sk, 64, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(pub, sizeof pub, sk + 32, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	st = db_prepare(c->db, "INSERT INTO signing_key(kid, use, sk, created_at) VALUES(?1, ?2, ?3, ?4)", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, use, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b64, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	sodium_memzero(b64, sizeof b64);
	if (rc != SQLITE_DONE) {
		glmsg_set(err, "密钥 %s 已存在或无法保存", "key %s exists already or cannot be saved", kid);
		return -1;
	}
	snprintf(data, sizeof data, "{\"kid\":\"%s\",\"alg\":\"EdDSA\",\"pub\":\"%s\",\"use\":\"%s\"}", kid, pub, use);
	return cdb_put(c, "key", kid, data, err);
}

int cdb_key_get(struct cdb *c, const char *use, char kid[64], unsigned char sk[64])
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int ok = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT kid, sk FROM signing_key WHERE use = ?1 ORDER BY created_at DESC, kid DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, use, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sodium_base642bin(sk, 64, (const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1),
			      NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 && n == 64) {
		snprintf(kid, 64, "%s", (const char *)sqlite3_column_text(st, 0));
		ok = 1;
	}
	sqlite3_finalize(st);
	return ok;
}

cJSON *cdb_events_by_tube(struct cdb *c, const char *tube)
{
	sqlite3_stmt *st = NULL;
	cJSON *out = cJSON_CreateArray();

	if (sqlite3_prepare_v2(c->db, "SELECT body FROM event WHERE json_extract(body, '$.tube') = ?1 ORDER BY received_at",
			       -1, &st, NULL) != SQLITE_OK)
		return out;
	sqlite3_bind_text(st, 1, tube, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *b = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		if (b != NULL)
			cJSON_AddItemToArray(out, b);
	}
	sqlite3_finalize(st);
	return out;
}
