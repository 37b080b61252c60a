/* sqlite.c — the centre's store in one SQLite file (the embedded default:
 * the demo and the tests need nothing installed).  Records live in one table
 * with a change sequence; a delete leaves a tombstone (data NULL) so the
 * change feed can carry it until compaction moves the horizon past it.  One
 * writer at a time (BEGIN IMMEDIATE), so a sequence number is committed in
 * the order it was taken and the feed can never skip one. */
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend.h"
#include "central_db.h"
#include "db.h"
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
	/* 4: the command centre's staff, their sessions, and what they did
	 * (store.c: the same statements on either backend) */
	"CREATE TABLE staff(name TEXT PRIMARY KEY, pw_hash TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE staff_session(id_hash TEXT PRIMARY KEY, name TEXT NOT NULL, csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL, addr TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX staff_session_name ON staff_session(name);"
	"CREATE TABLE audit(at INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, addr TEXT NOT NULL,"
	" action TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY(at, id)) WITHOUT ROWID;"
	/* what a terminal last said of itself, and when */
	"ALTER TABLE terminal ADD COLUMN seen_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE terminal ADD COLUMN backlog INTEGER;"
	"ALTER TABLE terminal ADD COLUMN data_as_of INTEGER;"
	"ALTER TABLE terminal ADD COLUMN policy TEXT;",
	/* 5: what the centre's page counts a record by (cdb_event_summarise),
	 * for the records held before */
	"ALTER TABLE event ADD COLUMN at_s INTEGER;"
	"ALTER TABLE event ADD COLUMN checkpoint TEXT;"
	"ALTER TABLE event ADD COLUMN verdict TEXT;"
	"ALTER TABLE event ADD COLUMN decision TEXT;"
	"ALTER TABLE event ADD COLUMN plate TEXT;"
	"ALTER TABLE event ADD COLUMN scan_s INTEGER;"
	"ALTER TABLE event ADD COLUMN override INTEGER;"
	"UPDATE event SET at_s = CAST(strftime('%s', json_extract(body, '$.at')) AS INTEGER),"
	" checkpoint = json_extract(body, '$.checkpoint'), verdict = json_extract(body, '$.verdict'),"
	" decision = json_extract(body, '$.decision'), plate = json_extract(body, '$.plate'),"
	" scan_s = CAST(strftime('%s', json_extract(body, '$.at')) AS INTEGER)"
	" - CAST(strftime('%s', json_extract(body, '$.first_scan_at')) AS INTEGER),"
	" override = coalesce(json_extract(body, '$.override'), 0);"
	"CREATE INDEX event_at ON event(at_s);",
	/* 6: a sample's result, once recorded, on the record of its sampling;
	 * the tube as a column, as PostgreSQL has it */
	"ALTER TABLE event ADD COLUMN tube TEXT;"
	"UPDATE event SET tube = json_extract(body, '$.tube');"
	"ALTER TABLE event ADD COLUMN result TEXT;"
	"ALTER TABLE event ADD COLUMN result_at INTEGER;"
	"CREATE INDEX event_open_tube ON event(at_s) WHERE tube IS NOT NULL AND result IS NULL;",
	/* 7: where a truck was last seen, for the closed loop */
	"CREATE INDEX event_plate ON event(plate, at_s);",
	/* 8: a terminal's records counted as they are held, and the few not
	 * in order found by an index: the report reads no whole table */
	"ALTER TABLE terminal ADD COLUMN events INTEGER NOT NULL DEFAULT 0;"
	"UPDATE terminal SET events = (SELECT count(*) FROM event WHERE event.terminal = terminal.id);"
	"CREATE INDEX event_unusual ON event(terminal, chain) WHERE chain <> 'ok';",
};

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

struct sq {
	struct cdb base;
	sqlite3 *db;
	sqlite3_stmt *q[Q_COUNT];
};

struct sq_iter {
	struct cdb_iter base;
	sqlite3_stmt *st;
};

#define DB(c) (((struct sq *)(void *)(c))->db)

/* A cached statement, reset and ready for binding; NULL on error. */
static sqlite3_stmt *Q(struct cdb *c, int i)
{
	struct sq *q = (struct sq *)(void *)c;

	if (q->q[i] == NULL &&
	    sqlite3_prepare_v3(q->db, qsql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->q[i], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(q->q[i]);
	sqlite3_clear_bindings(q->q[i]);
	return q->q[i];
}

static void sq_close(struct cdb *c)
{
	struct sq *q = (struct sq *)(void *)c;

	if (q == NULL)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(q->q[i]);
	sqlite3_close(q->db);
	free(q);
}

static struct cdb *sq_open(const char *path, enum cdb_how how, gl_msg *err)
{
	struct sq *q = calloc(1, sizeof *q);

	if (q == NULL)
		return NULL;
	q->base.be = &cdb_sqlite;
	(void)how;	/* the central's own file: brought up to date by whoever opens it */
	q->db = db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", err);
	if (q->db == NULL || db_migrate(q->db, schema, (int)(sizeof schema / sizeof schema[0]), "central.db", err) != 0)
		goto fail;
	return &q->base;
fail:
	sq_close(&q->base);
	return NULL;
}

static int sq_release(struct cdb *c)
{
	if (!sqlite3_get_autocommit(DB(c)))
		sqlite3_exec(DB(c), "ROLLBACK", NULL, NULL, NULL);
	return 1;
}

static int sq_begin(struct cdb *c, gl_msg *err) { return db_exec(DB(c), "BEGIN IMMEDIATE", err); }
static int sq_read_begin(struct cdb *c, gl_msg *err) { return db_exec(DB(c), "BEGIN", err); }
static int sq_commit(struct cdb *c, gl_msg *err) { return db_exec(DB(c), "COMMIT", err); }
static void sq_rollback(struct cdb *c) { sqlite3_exec(DB(c), "ROLLBACK", NULL, NULL, NULL); }

static int64_t sq_cursor(struct cdb *c)
{
	return db_scalar(DB(c), "SELECT max((SELECT coalesce(max(seq), 0) FROM record),"
			 " (SELECT coalesce(max(CAST(v AS INTEGER)), 0) FROM meta WHERE k = 'horizon'))", -1);
}

static int64_t sq_horizon(struct cdb *c)
{
	return db_scalar(DB(c), "SELECT coalesce((SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'horizon'), 0)", -1);
}

static int sq_write(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err)
{
	/* The next sequence is past every record and past the horizon, even when
	 * compaction removed the newest tombstones: a number is never reused. */
	sqlite3_stmt *st = db_prepare(DB(c), "INSERT OR REPLACE INTO record(kind, key, data, seq) VALUES(?1, ?2, ?3,"
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
		db_error(DB(c), "central.db", err);
	sqlite3_finalize(st);
	return rc;
}

static int sq_refs_check(struct cdb *c, int64_t since, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(DB(c),
		"SELECT v.kind, v.key, json_extract(v.data, '$.enterprise_id') FROM record v INDEXED BY record_seq"
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
		db_error(DB(c), "central.db", err);
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_get(struct cdb *c, const char *kind, const char *key, char **data)
{
	sqlite3_stmt *st = Q(c, Q_GET);
	int rc = -1;

	*data = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		*data = strdup((const char *)sqlite3_column_text(st, 0));
		rc = *data != NULL ? 1 : -1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	sqlite3_reset(st);
	return rc;
}

static cJSON *sq_find(struct cdb *c, const char *kind, const char *field, const char *value)
{
	/* field is one of ours, plate or value, never the client's: each has an
	 * index on json_extract, named so that the planner cannot miss it. */
	sqlite3_stmt *st = strcmp(field, "plate") == 0 ? Q(c, Q_FIND_PLATE) :
			   strcmp(field, "value") == 0 ? Q(c, Q_FIND_VALUE) : NULL;
	cJSON *out;
	int rc;

	if (st == NULL)
		return NULL;
	out = cJSON_CreateArray();
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *d = cJSON_ParseWithLength((const char *)sqlite3_column_text(st, 0),
						 (size_t)sqlite3_column_bytes(st, 0));
		if (d != NULL)
			cJSON_AddItemToArray(out, d);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

static int sq_compact(struct cdb *c, int64_t upto, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(DB(c), "DELETE FROM record WHERE data IS NULL AND seq <= ?1", err);
	char num[32];
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, upto);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0) {
		db_error(DB(c), "central.db", err);
		return -1;
	}
	snprintf(num, sizeof num, "%lld", (long long)upto);
	return db_meta_set(DB(c), "horizon", num, "central.db", err);
}

static struct cdb_iter *iter(struct cdb *c, const char *sql, gl_msg *err)
{
	struct sq_iter *it = calloc(1, sizeof *it);

	if (it == NULL)
		return NULL;
	it->base.be = &cdb_sqlite;
	it->st = db_prepare(DB(c), sql, err);
	if (it->st == NULL) {
		free(it);
		return NULL;
	}
	return &it->base;
}

#define ST(it) (((struct sq_iter *)(void *)(it))->st)

static struct cdb_iter *sq_snapshot(struct cdb *c, const char *from_kind, const char *from_key, gl_msg *err)
{
	struct cdb_iter *it = iter(c, "SELECT kind, key, data, seq FROM record WHERE data IS NOT NULL AND"
				   " (kind, key) > (?1, ?2) ORDER BY kind, key", err);

	if (it != NULL) {
		sqlite3_bind_text(ST(it), 1, from_kind != NULL ? from_kind : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ST(it), 2, from_key != NULL ? from_key : "", -1, SQLITE_TRANSIENT);
	}
	return it;
}

static struct cdb_iter *sq_changes(struct cdb *c, int64_t since, int limit, gl_msg *err)
{
	struct cdb_iter *it = iter(c, "SELECT kind, key, data, seq FROM record WHERE seq > ?1 ORDER BY seq LIMIT ?2", err);

	if (it != NULL) {
		sqlite3_bind_int64(ST(it), 1, since);
		sqlite3_bind_int(ST(it), 2, limit);
	}
	return it;
}

static int sq_next(struct cdb_iter *it, const char **kind, const char **key, const char **data, int64_t *seq)
{
	int rc = sqlite3_step(ST(it));

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	*kind = (const char *)sqlite3_column_text(ST(it), 0);
	*key = (const char *)sqlite3_column_text(ST(it), 1);
	*data = (const char *)sqlite3_column_text(ST(it), 2);
	*seq = sqlite3_column_int64(ST(it), 3);
	return 1;
}

static void sq_iter_free(struct cdb_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(ST(it));
	free(it);
}

static int sq_terminal_insert(struct cdb *c, const char *id, const char *token_hash, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(DB(c), "INSERT INTO terminal(id, token_hash, last_hash, created_at)"
				      " VALUES(?1, ?2, ?3, ?4)", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, CDB_GENESIS, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return 1;
	if (rc != SQLITE_DONE) {
		db_error(DB(c), "central.db", err);
		return -1;
	}
	return 0;
}

/* An UPDATE of one terminal's row: 0, or -1 (no such terminal). */
static int terminal_update(struct cdb *c, const char *sql, const char *id, const char *arg, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(DB(c), sql, err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (arg != NULL)
		sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(DB(c)) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0)
		glmsg_set(err, "没有终端 %s", "no terminal %s", id);
	return rc;
}

static int sq_terminal_set_token(struct cdb *c, const char *id, const char *token_hash, gl_msg *err)
{
	return terminal_update(c, "UPDATE terminal SET token_hash = ?2, revoked = 0 WHERE id = ?1", id, token_hash, err);
}

static int sq_terminal_revoke(struct cdb *c, const char *id, gl_msg *err)
{
	return terminal_update(c, "UPDATE terminal SET revoked = 1 WHERE id = ?1", id, NULL, err);
}

static int sq_terminal_auth(struct cdb *c, const char *token_hash, char id[EVENT_TERMINAL_MAX])
{
	sqlite3_stmt *st = Q(c, Q_AUTH);
	int ok = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		snprintf(id, EVENT_TERMINAL_MAX, "%s", (const char *)sqlite3_column_text(st, 0));
		ok = 1;
		break;
	case SQLITE_DONE:
		break;
	default:
		ok = -1;
	}
	sqlite3_reset(st);
	return ok;
}

/* One integer from a statement taking (terminal, seq), or -1. */
static int64_t count_at(struct cdb *c, const char *sql, const char *terminal, int64_t seq, const char *hash)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(DB(c), sql, -1, &st, NULL) == SQLITE_OK) {
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
		return strcmp(h->prev_hash, CDB_GENESIS) == 0 ? "ok" : "break";
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

	if (sqlite3_prepare_v2(DB(c), "SELECT uuid, terminal, seq, json_extract(body, '$.at') FROM event"
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

static int sq_event_put(struct cdb *c, const struct event_head *h, const char *body, const char *hash, int *fresh,
			gl_msg *err)
{
	char used[160];
	const char *chain;
	sqlite3_stmt *st = NULL;
	int rc;

	*fresh = 0;
	glmsg_clear(err);
	if (sq_begin(c, err) != 0)
		return CDB_UNAVAILABLE;	/* busy past the timeout, say: not the record's fault */
	/* Held already?  A retry: say so, change nothing. */
	st = db_prepare(DB(c), "SELECT hash FROM event WHERE uuid = ?1", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, h->uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int same = strcmp((const char *)sqlite3_column_text(st, 0), hash) == 0;
		sqlite3_finalize(st);
		sq_rollback(c);
		if (!same) {
			glmsg_set(err, "同一 uuid 的内容不同", "a different record with the same uuid is held");
			return CDB_REFUSED;
		}
		return 0;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* A tube labels one sample: its result must follow one truck. */
	if (h->tube[0] != '\0' && tube_taken(c, h->tube, used, sizeof used)) {
		sq_rollback(c);
		glmsg_set(err, "采样管号 %s 已被记录 %s 使用", "tube %s was already used by record %s", h->tube, used);
		return CDB_REFUSED;
	}
	chain = chain_of(c, h);
	st = db_prepare(DB(c), "INSERT INTO event(uuid, terminal, seq, kind, body, hash, prev_hash, chain, received_at)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, h->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, h->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, h->seq);
	sqlite3_bind_text(st, 4, h->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, h->prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		db_error(DB(c), "central.db", err);
		goto fail;
	}
	if (cdb_event_summarise(c, h->uuid, body, err) != 0)
		goto fail;
	/* An event that fills a gap re-checks the ones after it (a fork stays
	 * a fork). */
	st = db_prepare(DB(c), "UPDATE event SET chain = CASE WHEN EXISTS(SELECT 1 FROM event p WHERE p.terminal = ?1"
			" AND p.seq = ?2 AND p.hash = event.prev_hash) THEN 'ok' ELSE 'break' END"
			" WHERE terminal = ?1 AND seq = ?2 + 1 AND chain <> 'fork'", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, h->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h->seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = db_prepare(DB(c), "UPDATE terminal SET last_seq = max(last_seq, ?2), events = events + 1 WHERE id = ?1", err);
	if (rc != SQLITE_DONE || st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, h->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h->seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE || sq_commit(c, err) != 0)
		goto fail;
	*fresh = 1;
	return 0;
fail:
	sqlite3_finalize(st);
	sq_rollback(c);
	if (err->en[0] == '\0')
		db_error(DB(c), "central.db", err);
	return CDB_UNAVAILABLE;
}

static cJSON *sq_events_by_tube(struct cdb *c, const char *tube)
{
	sqlite3_stmt *st = NULL;
	cJSON *out = cJSON_CreateArray();
	int rc;

	if (sqlite3_prepare_v2(DB(c), "SELECT body FROM event WHERE json_extract(body, '$.tube') = ?1 ORDER BY received_at",
			       -1, &st, NULL) != SQLITE_OK) {
		cJSON_Delete(out);
		return NULL;
	}
	sqlite3_bind_text(st, 1, tube, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *b = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		if (b != NULL)
			cJSON_AddItemToArray(out, b);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

static int sq_key_insert(struct cdb *c, const char *kid, const char *use, const char *sk_b64, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(DB(c), "INSERT INTO signing_key(kid, use, sk, created_at) VALUES(?1, ?2, ?3, ?4)", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, use, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sk_b64, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		glmsg_set(err, "密钥 %s 已存在或无法保存", "key %s exists already or cannot be saved", kid);
		return -1;
	}
	return 0;
}

/* The newest key for use (use NULL: any whose secret is still in the
 * database): 1, 0 none, CDB_UNAVAILABLE. */
static int sq_key_get(struct cdb *c, const char *use, char kid[64], char *sk_b64, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int rc, found = CDB_UNAVAILABLE;

	if (sqlite3_prepare_v2(DB(c), use != NULL ? "SELECT kid, sk FROM signing_key WHERE use = ?1"
							 " ORDER BY created_at DESC, kid DESC LIMIT 1"
						  : "SELECT kid, sk FROM signing_key WHERE sk <> '' ORDER BY kid LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return CDB_UNAVAILABLE;
	if (use != NULL)
		sqlite3_bind_text(st, 1, use, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		found = 0;
	else if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) < 64 && (size_t)sqlite3_column_bytes(st, 1) < cap) {
		snprintf(kid, 64, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(sk_b64, cap, "%s", (const char *)sqlite3_column_text(st, 1));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* The secret gone from the file too, not only from the table: with
 * secure_delete its bytes are overwritten, not left on a free page. */
static int sq_key_clear(struct cdb *c, const char *kid, gl_msg *err)
{
	sqlite3_stmt *st;
	int rc;

	sqlite3_exec(DB(c), "PRAGMA secure_delete = ON", NULL, NULL, NULL);
	st = db_prepare(DB(c), "UPDATE signing_key SET sk = '' WHERE kid = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		glmsg_set(err, "无法从数据库中移除密钥 %s", "cannot remove key %s from the database", kid);
		return -1;
	}
	return 0;
}

static cJSON *sq_query(struct cdb *c, const char *sql, int n, const char *const *params, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(DB(c), sql, err);
	cJSON *rows;
	int rc;

	if (st == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof name, "$%d", i + 1);
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, name), params[i], -1, SQLITE_STATIC);
	}
	rows = cJSON_CreateArray();
	while (rows != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *row = cJSON_CreateArray();
		cJSON_AddItemToArray(rows, row);
		for (int i = 0; row != NULL && i < sqlite3_column_count(st); i++)
			cJSON_AddItemToArray(row, sqlite3_column_type(st, i) == SQLITE_NULL ?
					 cJSON_CreateNull() : cJSON_CreateString((const char *)sqlite3_column_text(st, i)));
	}
	if (rows == NULL || rc != SQLITE_DONE) {
		glmsg_set(err, "数据库：%s", "the database: %s", sqlite3_errmsg(DB(c)));
		cJSON_Delete(rows);
		rows = NULL;
	}
	sqlite3_finalize(st);
	return rows;
}

/* SQLite has no word of another process's commit: the caller polls the
 * cursor after each wait. */
static int sq_watch(struct cdb *c, int ms)
{
	(void)c;
	poll(NULL, 0, ms);
	return 0;
}

const struct cdb_backend cdb_sqlite = {
	.name = "sqlite", .schema_version = (int)(sizeof schema / sizeof schema[0]),
	.open = sq_open, .close = sq_close, .release = sq_release, .begin = sq_begin,
	.read_begin = sq_read_begin, .commit = sq_commit, .rollback = sq_rollback, .write = sq_write,
	.get = sq_get, .find = sq_find, .cursor = sq_cursor, .horizon = sq_horizon, .compact = sq_compact,
	.refs_check = sq_refs_check, .snapshot = sq_snapshot, .changes = sq_changes, .next = sq_next,
	.iter_free = sq_iter_free, .terminal_insert = sq_terminal_insert,
	.terminal_set_token = sq_terminal_set_token, .terminal_revoke = sq_terminal_revoke,
	.terminal_auth = sq_terminal_auth, .event_put = sq_event_put, .events_by_tube = sq_events_by_tube,
	.key_insert = sq_key_insert, .key_get = sq_key_get, .key_clear = sq_key_clear, .watch = sq_watch,
	.query = sq_query,
};
