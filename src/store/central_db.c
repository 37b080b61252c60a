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
#include "journal.h"

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
int cdb_commit(struct cdb *c, gl_msg *err) { return db_exec(c->db, "COMMIT", err); }
void cdb_rollback(struct cdb *c) { sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL); }

int64_t cdb_cursor(struct cdb *c)
{
	return db_scalar(c->db, "SELECT max((SELECT coalesce(max(seq), 0) FROM record),"
			 " (SELECT coalesce(max(CAST(v AS INTEGER)), 0) FROM meta WHERE k = 'horizon'))", 0);
}
int64_t cdb_horizon(struct cdb *c) { return db_scalar(c->db, "SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'horizon'", 0); }
int64_t cdb_as_of(struct cdb *c) { return db_scalar(c->db, "SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'as_of'", 0); }

static int meta_set(struct cdb *c, const char *k, int64_t v, gl_msg *err)
{
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)v);
	return db_meta_set(c->db, k, num, "central.db", err);
}

int cdb_set_as_of(struct cdb *c, int64_t t, gl_msg *err)
{
	return meta_set(c, "as_of", t, err);
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

int cdb_put(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err)
{
	return write_record(c, kind, key, data, err);
}

int cdb_del(struct cdb *c, const char *kind, const char *key, gl_msg *err)
{
	char *old = cdb_get(c, kind, key);

	if (old == NULL)
		return 0;	/* nothing live: nothing to say */
	free(old);
	return write_record(c, kind, key, NULL, err);
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
	int rc = -1;

	if (cdb_begin(c, err) != 0)
		return -1;
	st = db_prepare(c->db, "DELETE FROM record WHERE data IS NULL AND seq <= ?1", err);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, upto);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(c->db, "central.db", err);
		sqlite3_finalize(st);
		goto out;
	}
	sqlite3_finalize(st);
	if (meta_set(c, "horizon", upto, err) != 0)
		goto out;
	rc = cdb_commit(c, err);
out:
	if (rc != 0)
		cdb_rollback(c);
	return rc;
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

int cdb_terminal_add(struct cdb *c, const char *id, char token[65], gl_msg *err)
{
	unsigned char raw[32];
	char hash[JOURNAL_HASH_LEN];
	sqlite3_stmt *st;
	int rc;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 65, raw, sizeof raw);
	journal_sha256_hex(token, strlen(token), hash);
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
		glmsg_set(err, "终端 %s 已存在", "terminal %s exists already", id);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		db_error(c->db, "central.db", err);
		return -1;
	}
	return 0;
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

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The hash of a terminal's event with sequence seq, or "" if not held. */
static void hash_of(struct cdb *c, const char *terminal, int64_t seq, char out[JOURNAL_HASH_LEN])
{
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (seq == 0) {
		snprintf(out, JOURNAL_HASH_LEN, "%s", GENESIS);
		return;
	}
	if (sqlite3_prepare_v2(c->db, "SELECT hash FROM event WHERE terminal = ?1 AND seq = ?2", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, terminal, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, seq);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(out, JOURNAL_HASH_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

int cdb_event_put(struct cdb *c, const char *terminal, const char *body, const char *hash, int *fresh, gl_msg *err)
{
	char computed[JOURNAL_HASH_LEN], prev[JOURNAL_HASH_LEN];
	cJSON *b = NULL;
	const cJSON *seqv;
	const char *uuid, *prev_hash, *kind, *chain = "ok";
	sqlite3_stmt *st = NULL;
	int64_t seq;
	int rc = -1;

	*fresh = 0;
	if (body == NULL || hash == NULL) {
		glmsg_set(err, "缺少 body 或 hash", "body and hash are required");
		return -1;
	}
	journal_sha256_hex(body, strlen(body), computed);
	if (strcmp(computed, hash) != 0) {
		glmsg_set(err, "hash 与 body 不符", "the hash does not match the body");
		return -1;
	}
	b = cJSON_Parse(body);
	uuid = str(b, "uuid");
	prev_hash = str(b, "prev_hash");
	kind = str(b, "kind");
	seqv = cJSON_GetObjectItemCaseSensitive(b, "seq");
	if (uuid == NULL || prev_hash == NULL || kind == NULL || !cJSON_IsNumber(seqv) || seqv->valuedouble < 1 ||
	    strlen(uuid) != 36) {
		glmsg_set(err, "记录缺少 uuid、seq、kind 或 prev_hash", "the record lacks uuid, seq, kind or prev_hash");
		goto out;
	}
	if (str(b, "terminal") == NULL || strcmp(str(b, "terminal"), terminal) != 0) {
		glmsg_set(err, "记录不属于此终端", "the record is not this terminal's");
		goto out;
	}
	seq = (int64_t)seqv->valuedouble;
	if (cdb_begin(c, err) != 0)
		goto out;
	/* Held already?  A retry: say so, change nothing. */
	st = db_prepare(c->db, "SELECT hash FROM event WHERE uuid = ?1", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = strcmp((const char *)sqlite3_column_text(st, 0), hash) == 0;
		sqlite3_finalize(st);
		cdb_rollback(c);
		if (!same) {
			glmsg_set(err, "同一 uuid 的内容不同", "a different record with the same uuid is held");
			goto out;
		}
		rc = 0;
		goto out;
	}
	sqlite3_finalize(st);
	/* The chain: seq must follow the terminal's last, prev_hash its hash. */
	hash_of(c, terminal, seq - 1, prev);
	if (prev[0] == '\0')
		chain = "gap";
	else if (strcmp(prev, prev_hash) != 0)
		chain = "break";
	st = db_prepare(c->db, "INSERT INTO event(uuid, terminal, seq, kind, body, hash, prev_hash, chain, received_at)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(c->db, "central.db", err);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* An event that fills a gap re-checks the one after it. */
	{
		char next_prev[JOURNAL_HASH_LEN] = "";
		sqlite3_stmt *n = db_prepare(c->db, "SELECT prev_hash FROM event WHERE terminal = ?1 AND seq = ?2", err);
		if (n != NULL) {
			sqlite3_bind_text(n, 1, terminal, -1, SQLITE_STATIC);
			sqlite3_bind_int64(n, 2, seq + 1);
			if (sqlite3_step(n) == SQLITE_ROW)
				snprintf(next_prev, sizeof next_prev, "%s", (const char *)sqlite3_column_text(n, 0));
			sqlite3_finalize(n);
		}
		if (next_prev[0] != '\0') {
			n = db_prepare(c->db, "UPDATE event SET chain = ?3 WHERE terminal = ?1 AND seq = ?2", err);
			if (n != NULL) {
				sqlite3_bind_text(n, 1, terminal, -1, SQLITE_STATIC);
				sqlite3_bind_int64(n, 2, seq + 1);
				sqlite3_bind_text(n, 3, strcmp(next_prev, hash) == 0 ? "ok" : "break", -1, SQLITE_STATIC);
				sqlite3_step(n);
				sqlite3_finalize(n);
			}
		}
	}
	st = db_prepare(c->db, "UPDATE terminal SET last_seq = max(last_seq, ?2) WHERE id = ?1", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (cdb_commit(c, err) != 0)
		goto fail;
	*fresh = 1;
	rc = 0;
	goto out;
fail:
	sqlite3_finalize(st);
	cdb_rollback(c);
out:
	cJSON_Delete(b);
	return rc;
}

cJSON *cdb_report(struct cdb *c)
{
	sqlite3_stmt *st = NULL;
	cJSON *out = cJSON_CreateArray();

	if (sqlite3_prepare_v2(c->db,
			       "SELECT t.id, t.revoked, count(e.uuid), coalesce(max(e.seq), 0),"
			       " sum(e.chain = 'gap'), sum(e.chain = 'break'),"
			       " coalesce(max(e.seq), 0) - count(e.uuid)"
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
