/* pg.c — the centre's store in PostgreSQL (15, through libpq): the store of
 * a real province, where several greenlane-central processes on different
 * hosts serve one database.
 *
 * The change feed never skips a record.  A sequence number taken by one
 * transaction may commit after a higher one taken by another, and a lane
 * that read up to the higher one would never see the lower.  Publication is
 * therefore serialised: every transaction that publishes a record first
 * takes one transaction-level advisory lock (FEED_LOCK), held until it
 * commits, and numbers its records from the highest committed one.  So a
 * number is visible only after every lower one is.  Publishing is an
 * administrator's act (an import, a revocation), rare beside the reads, so
 * one writer at a time costs nothing a lane feels; the events lanes post do
 * not take it.  (The other known way, storing each row's transaction id and
 * reading only below pg_snapshot_xmin, needs the id taken in the same order
 * as the number, which a transaction that writes twice does not give.)
 *
 * Events are held once across centrals by their UUID: a terminal's records
 * are taken one at a time under a per-terminal advisory lock, on every
 * central, so the look-up of a UUID, the chain checks (gap, link, fork) and
 * the insert are one step that two centrals taking the same lane's records
 * at once cannot interleave (tests/pg/events.py fails without the lock: gaps
 * left open, twins refused); the UUID is the primary key besides.  A tube is
 * unique by index: two terminals' records racing for one tube make the
 * loser's batch a 503, and its retry is refused naming the winner.  No session state lives between transactions (no
 * named statements, no session locks), so the centre works through
 * PgBouncer in transaction mode. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend.h"
#include "central_db.h"
#include "dynbuf.h"
#include "record.h"
#include "utf8.h"

/* The publication lock (see above), taken until the transaction ends. */
#define FEED_LOCK "SELECT pg_advisory_xact_lock(7310551)"
/* Said by each publishing transaction; PostgreSQL delivers it to every
 * central's watcher (cdb_watch) when, and only if, that transaction
 * commits. */
#define FEED_CHANNEL "greenlane_changes"
#define SCHEMA_VERSION 6
#define FETCH "FETCH 1000 FROM feed"	/* a snapshot's server-side cursor, a page at a time */

static const char *const migrations[SCHEMA_VERSION] = {
	/* 1 (meta, which holds the version, exists before any step) */
	"CREATE TABLE record(kind text NOT NULL, key text NOT NULL, data jsonb, seq bigint NOT NULL,"
	" PRIMARY KEY(kind, key));"
	"CREATE UNIQUE INDEX record_seq ON record(seq);"
	"CREATE INDEX record_plate ON record(kind, (data->>'plate')) WHERE data IS NOT NULL;"
	"CREATE INDEX record_value ON record(kind, (data->>'value')) WHERE data IS NOT NULL;"
	"CREATE TABLE terminal(id text PRIMARY KEY, token_hash text NOT NULL UNIQUE, revoked boolean NOT NULL DEFAULT false,"
	" last_seq bigint NOT NULL DEFAULT 0, last_hash text NOT NULL, created_at bigint NOT NULL);"
	"CREATE TABLE event(uuid text PRIMARY KEY, terminal text NOT NULL, seq bigint NOT NULL, kind text NOT NULL,"
	" body text NOT NULL, hash text NOT NULL, prev_hash text NOT NULL, chain text NOT NULL, received_at bigint NOT NULL,"
	" tube text);"
	"CREATE INDEX event_terminal ON event(terminal, seq);"
	"CREATE UNIQUE INDEX event_tube ON event(tube) WHERE tube IS NOT NULL;"
	"CREATE TABLE signing_key(kid text PRIMARY KEY, use text NOT NULL, sk text NOT NULL, created_at bigint NOT NULL);",
	/* 2: the command centre's staff, their sessions, and what they did
	 * (store.c: the same statements on either backend) */
	"CREATE TABLE staff(name text PRIMARY KEY, pw_hash text NOT NULL, created_at bigint NOT NULL,"
	" failures int NOT NULL DEFAULT 0, locked_until bigint NOT NULL DEFAULT 0);"
	"CREATE TABLE staff_session(id_hash text PRIMARY KEY, name text NOT NULL, csrf text NOT NULL,"
	" created_at bigint NOT NULL, seen_at bigint NOT NULL, addr text NOT NULL);"
	"CREATE INDEX staff_session_name ON staff_session(name);"
	"CREATE TABLE audit(at bigint NOT NULL, id text NOT NULL, name text NOT NULL, addr text NOT NULL,"
	" action text NOT NULL, detail text NOT NULL, PRIMARY KEY(at, id));"
	/* what a terminal last said of itself, and when */
	"ALTER TABLE terminal ADD COLUMN seen_at bigint NOT NULL DEFAULT 0, ADD COLUMN backlog bigint,"
	" ADD COLUMN data_as_of bigint, ADD COLUMN policy text;",
	/* 3: what the centre's page counts a record by (cdb_event_summarise),
	 * for the records held before */
	"ALTER TABLE event ADD COLUMN at_s bigint, ADD COLUMN checkpoint text, ADD COLUMN verdict text,"
	" ADD COLUMN decision text, ADD COLUMN plate text, ADD COLUMN scan_s bigint, ADD COLUMN override int;"
	"UPDATE event SET at_s = extract(epoch FROM (body::jsonb->>'at')::timestamptz)::bigint,"
	" checkpoint = body::jsonb->>'checkpoint', verdict = body::jsonb->>'verdict',"
	" decision = body::jsonb->>'decision', plate = body::jsonb->>'plate',"
	" scan_s = extract(epoch FROM (body::jsonb->>'at')::timestamptz - (body::jsonb->>'first_scan_at')::timestamptz)::bigint,"
	" override = CASE WHEN (body::jsonb->>'override')::boolean THEN 1 ELSE 0 END;"
	"CREATE INDEX event_at ON event(at_s);",
	/* 4: a sample's result, once recorded, on the record of its sampling */
	"ALTER TABLE event ADD COLUMN result text, ADD COLUMN result_at bigint;"
	"CREATE INDEX event_open_tube ON event(at_s) WHERE tube IS NOT NULL AND result IS NULL;",
	/* 5: where a truck was last seen, for the closed loop */
	"CREATE INDEX event_plate ON event(plate, at_s);",
	/* 6: a terminal's records counted as they are held, and the few not
	 * in order found by an index: the report reads no whole table */
	"ALTER TABLE terminal ADD COLUMN events bigint NOT NULL DEFAULT 0;"
	"UPDATE terminal SET events = (SELECT count(*) FROM event WHERE event.terminal = terminal.id);"
	"CREATE INDEX event_unusual ON event(terminal, chain) WHERE chain <> 'ok';",
};

struct pg {
	struct cdb base;
	PGconn *conn;
	int in_txn, feed_locked;
	int copying;		/* a COPY into the staging table is open (see pg_write) */
	int64_t staged;		/* rows sent down it */
	struct dynbuf row;	/* one row of it, escaped */
	unsigned resets;	/* times the connection was made again */
	unsigned listening;	/* resets + 1 when LISTEN was said on it; else 0 */
};

struct pg_iter {
	struct cdb_iter base;
	struct pg *pg;
	PGresult *res;
	int row, rows, cursor;	/* cursor: a server-side cursor named "feed" feeds res */
	int64_t seq;
};

#define PG(c) ((struct pg *)(void *)(c))

static void pg_error(struct pg *p, const PGresult *r, gl_msg *err)
{
	const char *m = r != NULL && PQresultErrorMessage(r)[0] != '\0' ? PQresultErrorMessage(r) : PQerrorMessage(p->conn);
	char line[400], shown[200];
	size_t n;

	/* Its first line, which says what went wrong. */
	snprintf(line, sizeof line, "%s", m);
	n = strcspn(line, "\n");
	line[n] = '\0';
	utf8_excerpt(line, 160, shown, sizeof shown);
	glmsg_set(err, "PostgreSQL：%s", "PostgreSQL: %s", shown);
}

/* Notices (a table that exists already, say) are not for the terminal. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Runs sql with text parameters; the result (the caller clears it), or
 * NULL with err when it did not succeed. */
static int copy_end(struct pg *p, int publish, gl_msg *err);

static PGresult *run(struct pg *p, const char *sql, int n, const char *const *params, gl_msg *err)
{
	PGresult *r = NULL;

	/* Whatever comes after staged writes sees them published. */
	if (p->copying && copy_end(p, 1, err) != 0)
		return NULL;
	for (int attempt = 0;; attempt++) {
		/* A connection the server dropped (a restart, a failover) is made
		 * again, outside a transaction only: a transaction is lost whole,
		 * and its caller fails and tries again. */
		if (PQstatus(p->conn) == CONNECTION_BAD) {
			if (p->in_txn) {
				if (err != NULL)
					glmsg_set(err, "PostgreSQL：连接中断", "PostgreSQL: the connection was lost");
				return NULL;
			}
			PQreset(p->conn);
			p->resets++;
		}
		/* Without parameters, the simple protocol: a migration is
		 * several statements. */
		r = n == 0 ? PQexec(p->conn, sql) : PQexecParams(p->conn, sql, n, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
			return r;
		/* A connection dropped while it sat idle fails its next statement
		 * without running it.  A read or a BEGIN outside a transaction
		 * changes nothing: once more, connected again. */
		if (attempt > 0 || p->in_txn || PQstatus(p->conn) != CONNECTION_BAD ||
		    (strncmp(sql, "SELECT ", 7) != 0 && strncmp(sql, "BEGIN", 5) != 0))
			break;
		PQclear(r);
	}
	if (err != NULL)
		pg_error(p, r, err);
	PQclear(r);
	return NULL;
}

/* sql, its outcome only: 0, or -1 with err. */
static int exec0(struct pg *p, const char *sql, int n, const char *const *params, gl_msg *err)
{
	PGresult *r = run(p, sql, n, params, err);

	PQclear(r);
	return r != NULL ? 0 : -1;
}

/* Transactions: every BEGIN, COMMIT and ROLLBACK goes through these, so a
 * connection knows when it is inside one: run() makes a dropped connection
 * again only outside a transaction, where nothing is lost with it. */
static int tx_begin(struct pg *p, const char *sql, gl_msg *err)
{
	p->feed_locked = 0;
	if (exec0(p, sql, 0, NULL, err) != 0)
		return -1;
	p->in_txn = 1;
	return 0;
}

static int tx_end(struct pg *p, const char *sql, gl_msg *err)
{
	int rc;

	/* A COMMIT publishes what is staged (run); a ROLLBACK drops it. */
	if (p->copying && strcmp(sql, "ROLLBACK") == 0)
		copy_end(p, 0, NULL);
	rc = exec0(p, sql, 0, NULL, err);
	/* A COMMIT that was never sent (its staged rows failed) or failed
	 * leaves no transaction open behind it. */
	if (PQtransactionStatus(p->conn) == PQTRANS_INTRANS || PQtransactionStatus(p->conn) == PQTRANS_INERROR)
		PQclear(PQexec(p->conn, "ROLLBACK"));

	p->in_txn = p->feed_locked = 0;
	return rc;
}

/* The first column of the first row as a number, or def (also when the
 * statement failed). */
static int64_t scalar(struct pg *p, const char *sql, int n, const char *const *params, int64_t def)
{
	PGresult *r = run(p, sql, n, params, NULL);
	int64_t v = def;

	if (r != NULL && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* The database's schema version (0: none yet), or -1 with err. */
static int schema_version(struct pg *p, gl_msg *err)
{
	PGresult *r = run(p, "SELECT to_regclass('meta') IS NOT NULL", 0, NULL, err);
	int v = -1;

	if (r != NULL && PQntuples(r) == 1)
		v = strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? -2 : 0;
	PQclear(r);
	if (v == -2) {
		r = run(p, "SELECT coalesce(max(v::int), 0) FROM meta WHERE k = 'schema'", 0, NULL, err);
		v = r != NULL && PQntuples(r) == 1 ? (int)strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;
		PQclear(r);
	}
	return v;
}

/* 0 if the database's schema is this program's, else -1 with err saying
 * what to do. */
static int schema_check(struct pg *p, gl_msg *err)
{
	int v = schema_version(p, err);

	if (v < 0)
		return -1;
	if (v < SCHEMA_VERSION) {
		glmsg_set(err, "PostgreSQL 数据库结构版本 %d，本程序需要 %d：请先运行 greenlane-central admin --db … migrate",
			  "the PostgreSQL schema is at version %d, this program needs %d: run greenlane-central admin --db … migrate first",
			  v, SCHEMA_VERSION);
		return -1;
	}
	if (v > SCHEMA_VERSION) {
		glmsg_set(err, "PostgreSQL 数据库结构版本 %d 比本程序新（%d），请升级 greenlane-central",
			  "the PostgreSQL schema is at version %d, newer than this program's %d: upgrade greenlane-central",
			  v, SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Brings the schema up to SCHEMA_VERSION, each step in its own transaction,
 * under the publication lock from the first statement: two centrals
 * migrating at once take turns (CREATE … IF NOT EXISTS alone is not safe
 * against a concurrent twin), and a publication never meets half a schema. */
static int migrate(struct pg *p, gl_msg *err)
{
	for (;;) {
		char v[16];
		const char *params[1] = { v };
		int at;
		if (tx_begin(p, "BEGIN", err) != 0)
			return -1;
		if (exec0(p, FEED_LOCK, 0, NULL, err) != 0 ||
		    exec0(p, "CREATE TABLE IF NOT EXISTS meta(k text PRIMARY KEY, v text NOT NULL)", 0, NULL, err) != 0)
			goto fail;
		at = schema_version(p, err);
		if (at < 0)
			goto fail;
		if (at > SCHEMA_VERSION) {
			schema_check(p, err);
			goto fail;
		}
		if (at == SCHEMA_VERSION)
			return tx_end(p, "COMMIT", err);
		if (exec0(p, migrations[at], 0, NULL, err) != 0)
			goto fail;
		snprintf(v, sizeof v, "%d", at + 1);
		if (exec0(p, "INSERT INTO meta(k, v) VALUES('schema', $1) ON CONFLICT (k) DO UPDATE SET v = $1", 1, params,
			  err) != 0 ||
		    tx_end(p, "COMMIT", err) != 0)
			goto fail;
	}
fail:
	tx_end(p, "ROLLBACK", NULL);
	return -1;
}

/* jsonb's text, {"a": 1, "b": [1, 2]}, made compact in place, as the SQLite
 * store keeps records and lanes see them: the spaces jsonb puts after a
 * colon or a comma outside strings go. */
static char *compact(char *s)
{
	char *o = s;
	int in_string = 0;

	for (char *p = s; *p != '\0'; p++) {
		if (in_string) {
			if (*p == '\\' && p[1] != '\0')
				*o++ = *p++;
			else if (*p == '"')
				in_string = 0;
		} else if (*p == '"') {
			in_string = 1;
		} else if (*p == ' ' && o > s && (o[-1] == ':' || o[-1] == ',')) {
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return s;
}

static void pg_close(struct cdb *c)
{
	struct pg *p = PG(c);

	if (p == NULL)
		return;
	PQfinish(p->conn);
	dynbuf_free(&p->row);
	free(p);
}

static struct cdb *pg_open(const char *where, enum cdb_how how, gl_msg *err)
{
	struct pg *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->base.be = &cdb_postgres;
	dynbuf_init(&p->row, 2 * RECORD_DATA_MAX + 4 * RECORD_KEY_MAX);
	{
		/* Never a hang on a server that does not answer: 5 s to connect,
		 * unless where says otherwise (its values come after, and win).
		 * The encoding as a startup parameter, not a SET: no session
		 * state, for PgBouncer in transaction mode. */
		const char *const keys[] = { "connect_timeout", "client_encoding", "dbname", NULL };
		const char *const values[] = { "5", "UTF8", where, NULL };
		p->conn = PQconnectdbParams(keys, values, 1);
	}
	if (PQstatus(p->conn) != CONNECTION_OK) {
		pg_error(p, NULL, err);
		goto fail;
	}
	PQsetNoticeProcessor(p->conn, quiet, NULL);
	if ((how == CDB_MIGRATE ? migrate(p, err) : schema_check(p, err)) != 0)
		goto fail;
	return &p->base;
fail:
	pg_close(&p->base);
	return NULL;
}

static int pg_begin(struct cdb *c, gl_msg *err) { return tx_begin(PG(c), "BEGIN", err); }
static int pg_read_begin(struct cdb *c, gl_msg *err)
{
	return tx_begin(PG(c), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

static int pg_release(struct cdb *c)
{
	PGnotify *n;

	if (PG(c)->in_txn)
		tx_end(PG(c), "ROLLBACK", NULL);
	/* Behind PgBouncer a server connection that a watcher LISTENed on may
	 * serve this one next, and bring its notifications: libpq keeps them
	 * until read. */
	while ((n = PQnotifies(PG(c)->conn)) != NULL)
		PQfreemem(n);
	return PQstatus(PG(c)->conn) == CONNECTION_OK;
}
static int pg_commit(struct cdb *c, gl_msg *err) { return tx_end(PG(c), "COMMIT", err); }
static void pg_rollback(struct cdb *c) { tx_end(PG(c), "ROLLBACK", NULL); }

static int64_t pg_cursor(struct cdb *c)
{
	return scalar(PG(c), "SELECT greatest((SELECT coalesce(max(seq), 0) FROM record),"
		      " (SELECT coalesce(max(v::bigint), 0) FROM meta WHERE k = 'horizon'))", 0, NULL, -1);
}

static int64_t pg_horizon(struct cdb *c)
{
	return scalar(PG(c), "SELECT coalesce((SELECT v::bigint FROM meta WHERE k = 'horizon'), 0)", 0, NULL, -1);
}

/* Writes are staged: a transaction's records go down one COPY stream into
 * a temporary table, and the next statement of any kind (a read, the
 * reference check, COMMIT) first ends the stream and publishes what it
 * holds in one INSERT … SELECT (copy_end).  An import of millions of
 * records is then a stream, not millions of round trips, and a single
 * revocation takes the same path.  The numbers are as row-by-row writes
 * would give them: each key's last write, in the order written, after the
 * highest number committed or compacted. */
#define STAGE_ROWS 100000
#define STAGE "CREATE TEMP TABLE IF NOT EXISTS staged(n bigint, kind text, key text, data text) ON COMMIT DROP"
#define PUBLISH \
	"INSERT INTO record(kind, key, data, seq)" \
	" SELECT s.kind, s.key, s.data::jsonb, b.base + row_number() OVER (ORDER BY s.n)" \
	" FROM (SELECT DISTINCT ON (kind, key) n, kind, key, data FROM staged ORDER BY kind, key, n DESC) s," \
	" (SELECT greatest((SELECT coalesce(max(seq), 0) FROM record)," \
	" (SELECT coalesce(max(v::bigint), 0) FROM meta WHERE k = 'horizon')) AS base) b" \
	" ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data, seq = EXCLUDED.seq"

/* Ends the COPY: with publish, the staged rows are published and the
 * table emptied for the next stream; without, dropped (a ROLLBACK
 * follows).  0, or -1 with err. */
static int copy_end(struct pg *p, int publish, gl_msg *err)
{
	PGresult *r;
	int ok;

	p->copying = 0;
	ok = PQputCopyEnd(p->conn, publish ? NULL : "rolled back") == 1;
	if (!ok && err != NULL)
		pg_error(p, NULL, err);
	while ((r = PQgetResult(p->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && ok) {
			if (err != NULL)
				pg_error(p, r, err);
			ok = 0;
		}
		PQclear(r);
	}
	if (!publish || !ok)
		return publish ? -1 : 0;
	return exec0(p, PUBLISH, 0, NULL, err) == 0 ? exec0(p, "TRUNCATE staged", 0, NULL, err) : -1;
}

/* s as a field of COPY's text format, appended to b. */
static int copy_field(struct dynbuf *b, const char *s, char end)
{
	const char *from = s;
	int rc = DYNBUF_OK;

	if (s == NULL)
		rc = dynbuf_add(b, "\\N", 2);
	for (; s != NULL && *s != '\0' && rc == DYNBUF_OK; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;
		if (esc != NULL) {
			rc = dynbuf_add(b, from, (size_t)(s - from));
			if (rc == DYNBUF_OK)
				rc = dynbuf_add(b, esc, 2);
			from = s + 1;
		}
	}
	if (s != NULL && rc == DYNBUF_OK)
		rc = dynbuf_add(b, from, (size_t)(s - from));
	return rc == DYNBUF_OK ? dynbuf_add(b, &end, 1) : rc;
}

static int pg_write(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err)
{
	struct pg *p = PG(c);
	int own = !p->in_txn;
	char n[24];

	/* See the top of this file: one publisher at a time, to its commit.
	 * A write outside a transaction gets one of its own, for the lock. */
	if (own && pg_begin(c, err) != 0)
		return -1;
	if (!p->feed_locked) {
		if (exec0(p, FEED_LOCK, 0, NULL, err) != 0 || exec0(p, "NOTIFY " FEED_CHANNEL, 0, NULL, err) != 0)
			goto fail;
		p->feed_locked = 1;
	}
	if (!p->copying) {
		PGresult *r;
		if (exec0(p, STAGE, 0, NULL, err) != 0)
			goto fail;
		r = PQexec(p->conn, "COPY staged FROM STDIN");
		if (PQresultStatus(r) != PGRES_COPY_IN) {
			pg_error(p, r, err);
			PQclear(r);
			goto fail;
		}
		PQclear(r);
		p->copying = 1;
		p->staged = 0;
	}
	dynbuf_reset(&p->row);
	snprintf(n, sizeof n, "%lld", (long long)++p->staged);
	if (copy_field(&p->row, n, '\t') != DYNBUF_OK || copy_field(&p->row, kind, '\t') != DYNBUF_OK ||
	    copy_field(&p->row, key, '\t') != DYNBUF_OK || copy_field(&p->row, data, '\n') != DYNBUF_OK) {
		glmsg_set(err, "记录过大", "the record is too large");
		goto fail;
	}
	if (PQputCopyData(p->conn, p->row.p, (int)p->row.len) != 1) {
		pg_error(p, NULL, err);
		goto fail;
	}
	/* A stream of millions published a part at a time: the staging table
	 * and the sort that finds each key's last write stay small. */
	if (p->staged % STAGE_ROWS == 0 && copy_end(p, 1, err) != 0)
		goto fail;
	return own ? pg_commit(c, err) == 0 ? 0 : (pg_rollback(c), -1) : 0;
fail:
	if (own)
		pg_rollback(c);
	return -1;
}

static int pg_get(struct cdb *c, const char *kind, const char *key, char **data)
{
	const char *params[2] = { kind, key };
	PGresult *r = run(PG(c), "SELECT data::text FROM record WHERE kind = $1 AND key = $2 AND data IS NOT NULL", 2,
			  params, NULL);
	int rc = r == NULL ? -1 : PQntuples(r) > 0;

	*data = NULL;
	if (rc == 1) {
		*data = strdup(PQgetvalue(r, 0, 0));
		if (*data == NULL)
			rc = -1;
		else
			compact(*data);
	}
	PQclear(r);
	return rc;
}

/* keys as one text[] parameter, each element quoted. */
static char *text_array(const char *const *keys, int n)
{
	struct dynbuf b;
	int rc;

	dynbuf_init(&b, (size_t)n * (2 * RECORD_KEY_MAX + 3) + 3);
	rc = dynbuf_add(&b, "{", 1);
	for (int i = 0; i < n && rc == DYNBUF_OK; i++) {
		rc = dynbuf_add(&b, i > 0 ? ",\"" : "\"", i > 0 ? 2 : 1);
		for (const char *k = keys[i]; *k != '\0' && rc == DYNBUF_OK; k++) {
			if (*k == '"' || *k == '\\')
				rc = dynbuf_add(&b, "\\", 1);
			if (rc == DYNBUF_OK)
				rc = dynbuf_add(&b, k, 1);
		}
		if (rc == DYNBUF_OK)
			rc = dynbuf_add(&b, "\"", 1);
	}
	if (rc == DYNBUF_OK)
		rc = dynbuf_add(&b, "}", 1);
	if (rc != DYNBUF_OK) {
		dynbuf_free(&b);
		return NULL;
	}
	return dynbuf_take(&b);
}

static int pg_get_many(struct cdb *c, const char *kind, const char *const *keys, int n, char **data)
{
	char *arr = text_array(keys, n);
	const char *params[2] = { kind, arr };
	PGresult *r = arr == NULL ? NULL :
		run(PG(c), "SELECT k.i, r.data::text FROM unnest($2::text[]) WITH ORDINALITY k(key, i)"
			   " JOIN record r ON r.kind = $1 AND r.key = k.key AND r.data IS NOT NULL", 2, params, NULL);
	int rc = r != NULL ? 0 : -1;

	free(arr);
	for (int i = 0; i < n; i++)
		data[i] = NULL;
	for (int row = 0; rc == 0 && row < PQntuples(r); row++) {
		long i = strtol(PQgetvalue(r, row, 0), NULL, 10) - 1;
		if (i < 0 || i >= n || data[i] != NULL) {
			rc = -1;
			break;
		}
		data[i] = strdup(PQgetvalue(r, row, 1));
		if (data[i] == NULL)
			rc = -1;
		else
			compact(data[i]);
	}
	PQclear(r);
	if (rc != 0)
		for (int i = 0; i < n; i++) {
			free(data[i]);
			data[i] = NULL;
		}
	return rc;
}

static cJSON *pg_find(struct cdb *c, const char *kind, const char *field, const char *value)
{
	const char *params[2] = { kind, value };
	/* field is one of ours, plate or value, never the client's. */
	const char *sql = strcmp(field, "plate") == 0 ?
		"SELECT data::text FROM record WHERE kind = $1 AND data->>'plate' = $2 AND data IS NOT NULL" :
		"SELECT data::text FROM record WHERE kind = $1 AND data->>'value' = $2 AND data IS NOT NULL";
	PGresult *r = strcmp(field, "plate") == 0 || strcmp(field, "value") == 0 ? run(PG(c), sql, 2, params, NULL) : NULL;
	cJSON *out;

	if (r == NULL)
		return NULL;
	out = cJSON_CreateArray();
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *d = cJSON_Parse(PQgetvalue(r, i, 0));
		if (d != NULL)
			cJSON_AddItemToArray(out, d);
	}
	PQclear(r);
	return out;
}

static int pg_compact(struct cdb *c, int64_t upto, gl_msg *err)
{
	char num[32];
	const char *params[1] = { num };

	snprintf(num, sizeof num, "%lld", (long long)upto);
	if (exec0(PG(c), "DELETE FROM record WHERE data IS NULL AND seq <= $1::bigint", 1, params, err) != 0)
		return -1;
	return exec0(PG(c), "INSERT INTO meta(k, v) VALUES('horizon', $1) ON CONFLICT (k) DO UPDATE SET v = $1", 1, params,
		     err);
}

static int pg_refs_check(struct cdb *c, int64_t since, gl_msg *err)
{
	char num[32];
	const char *params[1] = { num };
	PGresult *r;
	int rc = 0;

	snprintf(num, sizeof num, "%lld", (long long)since);
	r = run(PG(c), "SELECT v.kind, v.key, v.data->>'enterprise_id' FROM record v"
		" WHERE v.seq > $1::bigint AND v.kind IN ('vehicle', 'pass') AND v.data IS NOT NULL"
		" AND v.data->>'enterprise_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM record e"
		" WHERE e.kind = 'enterprise' AND e.key = v.data->>'enterprise_id' AND e.data IS NOT NULL) LIMIT 1",
		1, params, err);
	if (r == NULL)
		return -1;
	if (PQntuples(r) > 0) {
		char ent[64];
		utf8_excerpt(PQgetvalue(r, 0, 2), 24, ent, sizeof ent);
		glmsg_set(err, "%s %s 的企业 %s 不存在", "%s %s names enterprise %s, which does not exist",
			  PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), ent);
		rc = -1;
	}
	PQclear(r);
	return rc;
}

/* ---- iterating: a change page at once, a snapshot through a cursor ---- */

static struct cdb_iter *iter_new(struct pg *p)
{
	struct pg_iter *it = calloc(1, sizeof *it);

	if (it == NULL)
		return NULL;
	it->base.be = &cdb_postgres;
	it->pg = p;
	return &it->base;
}

#define IT(it) ((struct pg_iter *)(void *)(it))

static struct cdb_iter *pg_snapshot(struct cdb *c, const char *from_kind, const char *from_key, gl_msg *err)
{
	const char *params[2] = { from_kind != NULL ? from_kind : "", from_key != NULL ? from_key : "" };
	struct cdb_iter *it;

	/* Never the whole table in memory: a cursor, FETCH_ROWS at a time, in
	 * the caller's (read) transaction. */
	if (!PG(c)->in_txn && pg_read_begin(c, err) != 0)
		return NULL;
	if (exec0(PG(c), "DECLARE feed NO SCROLL CURSOR FOR SELECT kind, key, data::text, seq FROM record"
		  " WHERE data IS NOT NULL AND (kind, key) > ($1, $2) ORDER BY kind, key", 2, params, err) != 0)
		return NULL;
	it = iter_new(PG(c));
	if (it != NULL)
		IT(it)->cursor = 1;
	return it;
}

static struct cdb_iter *pg_changes(struct cdb *c, int64_t since, int limit, gl_msg *err)
{
	char s[32], l[16];
	const char *params[2] = { s, l };
	struct cdb_iter *it;
	PGresult *r;

	snprintf(s, sizeof s, "%lld", (long long)since);
	snprintf(l, sizeof l, "%d", limit);
	r = run(PG(c), "SELECT kind, key, data::text, seq FROM record WHERE seq > $1::bigint ORDER BY seq LIMIT $2::int", 2,
		params, err);
	if (r == NULL)
		return NULL;
	it = iter_new(PG(c));
	if (it == NULL) {
		PQclear(r);
		return NULL;
	}
	IT(it)->res = r;
	IT(it)->rows = PQntuples(r);
	return it;
}

static int pg_next(struct cdb_iter *it, const char **kind, const char **key, const char **data, int64_t *seq)
{
	struct pg_iter *i = IT(it);

	if (i->row == i->rows) {
		if (!i->cursor)
			return 0;
		PQclear(i->res);
		i->res = run(i->pg, FETCH, 0, NULL, NULL);
		if (i->res == NULL)
			return -1;
		i->rows = PQntuples(i->res);
		i->row = 0;
		if (i->rows == 0)
			return 0;
	}
	*kind = PQgetvalue(i->res, i->row, 0);
	*key = PQgetvalue(i->res, i->row, 1);
	/* The result's own memory, made compact in place. */
	*data = PQgetisnull(i->res, i->row, 2) ? NULL : compact(PQgetvalue(i->res, i->row, 2));
	*seq = strtoll(PQgetvalue(i->res, i->row, 3), NULL, 10);
	i->row++;
	return 1;
}

static void pg_iter_free(struct cdb_iter *it)
{
	if (it == NULL)
		return;
	if (IT(it)->cursor)
		exec0(IT(it)->pg, "CLOSE feed", 0, NULL, NULL);
	PQclear(IT(it)->res);
	free(it);
}

/* ---- terminals ---- */

static int pg_terminal_insert(struct cdb *c, const char *id, const char *token_hash, gl_msg *err)
{
	char now[32];
	const char *params[4] = { id, token_hash, CDB_GENESIS, now };
	PGresult *r;
	int rc;

	snprintf(now, sizeof now, "%lld", (long long)time(NULL));
	r = run(PG(c), "INSERT INTO terminal(id, token_hash, last_hash, created_at) VALUES($1, $2, $3, $4::bigint)"
		" ON CONFLICT (id) DO NOTHING", 4, params, err);
	if (r == NULL)
		return -1;
	rc = strcmp(PQcmdTuples(r), "1") == 0 ? 0 : 1;
	PQclear(r);
	return rc;
}

static int terminal_update(struct cdb *c, const char *sql, int n, const char *const *params, gl_msg *err)
{
	PGresult *r = run(PG(c), sql, n, params, err);
	int rc = r != NULL && strcmp(PQcmdTuples(r), "1") == 0 ? 0 : -1;

	if (r != NULL && rc != 0)
		glmsg_set(err, "没有终端 %s", "no terminal %s", params[0]);
	PQclear(r);
	return rc;
}

static int pg_terminal_set_token(struct cdb *c, const char *id, const char *token_hash, gl_msg *err)
{
	const char *params[2] = { id, token_hash };

	return terminal_update(c, "UPDATE terminal SET token_hash = $2, revoked = false WHERE id = $1", 2, params, err);
}

static int pg_terminal_revoke(struct cdb *c, const char *id, gl_msg *err)
{
	const char *params[1] = { id };

	return terminal_update(c, "UPDATE terminal SET revoked = true WHERE id = $1", 1, params, err);
}

static int pg_terminal_auth(struct cdb *c, const char *token_hash, char id[EVENT_TERMINAL_MAX])
{
	const char *params[1] = { token_hash };
	PGresult *r = run(PG(c), "SELECT id FROM terminal WHERE token_hash = $1 AND NOT revoked", 1, params, NULL);
	int ok = r == NULL ? -1 : PQntuples(r) == 1;

	if (ok == 1)
		snprintf(id, EVENT_TERMINAL_MAX, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return ok;
}

/* ---- events ---- */

/* How a new event sits in its terminal's chain (see sqlite.c's chain_of),
 * or NULL if the database failed. */
static const char *chain_of(struct pg *p, const struct event_head *h)
{
	char seq[32], prev[32];
	const char *held[2] = { h->terminal, seq }, *before[3] = { h->terminal, prev, h->prev_hash };
	int64_t n;

	snprintf(seq, sizeof seq, "%lld", (long long)h->seq);
	snprintf(prev, sizeof prev, "%lld", (long long)(h->seq - 1));
	n = scalar(p, "SELECT count(*) FROM event WHERE terminal = $1 AND seq = $2::bigint", 2, held, -1);
	if (n != 0)
		return n > 0 ? "fork" : NULL;
	if (h->seq == 1)
		return strcmp(h->prev_hash, CDB_GENESIS) == 0 ? "ok" : "break";
	n = scalar(p, "SELECT count(*) FROM event WHERE terminal = $1 AND seq = $2::bigint AND hash = $3", 3, before, -1);
	if (n < 0)
		return NULL;
	if (n > 0)
		return "ok";
	return scalar(p, "SELECT count(*) FROM event WHERE terminal = $1 AND seq = $2::bigint", 2, before, -1) > 0
		       ? "break" : "gap";
}

static int pg_event_put(struct cdb *c, const struct event_head *h, const char *body, const char *hash, int *fresh,
			gl_msg *err)
{
	struct pg *p = PG(c);
	char seq[32], now[32];
	const char *chain, *uuid[1] = { h->uuid }, *lock[1] = { h->terminal };
	const char *ins[10] = { h->uuid, h->terminal, seq, h->kind, body, hash, h->prev_hash, NULL, now,
				h->tube[0] != '\0' ? h->tube : NULL };
	PGresult *r;

	*fresh = 0;
	glmsg_clear(err);
	snprintf(seq, sizeof seq, "%lld", (long long)h->seq);
	snprintf(now, sizeof now, "%lld", (long long)time(NULL));
	if (tx_begin(p, "BEGIN", err) != 0)
		return CDB_UNAVAILABLE;
	/* One terminal's records one at a time, on every central: its chain
	 * checks see each other. */
	if (exec0(p, "SELECT pg_advisory_xact_lock(hashtext($1))", 1, lock, err) != 0)
		goto fail;
	r = run(p, "SELECT hash FROM event WHERE uuid = $1", 1, uuid, err);
	if (r == NULL)
		goto fail;
	if (PQntuples(r) > 0) {
		int same = strcmp(PQgetvalue(r, 0, 0), hash) == 0;
		PQclear(r);
		tx_end(p, "ROLLBACK", NULL);
		if (!same) {
			glmsg_set(err, "同一 uuid 的内容不同", "a different record with the same uuid is held");
			return CDB_REFUSED;
		}
		return 0;	/* held already: a retry */
	}
	PQclear(r);
	if (h->tube[0] != '\0') {
		const char *tube[1] = { h->tube };
		r = run(p, "SELECT uuid, terminal, seq, body::jsonb->>'at' FROM event WHERE tube = $1", 1, tube, err);
		if (r == NULL)
			goto fail;
		if (PQntuples(r) > 0) {
			glmsg_set(err, "采样管号 %s 已被记录 %s（%s #%s，%s）使用", "tube %s was already used by record %s (%s #%s, %s)",
				  h->tube, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
			PQclear(r);
			tx_end(p, "ROLLBACK", NULL);
			return CDB_REFUSED;
		}
		PQclear(r);
	}
	chain = chain_of(p, h);
	if (chain == NULL) {
		glmsg_set(err, "PostgreSQL：读取失败", "PostgreSQL: a read failed");
		goto fail;
	}
	ins[7] = chain;
	if (exec0(p, "INSERT INTO event(uuid, terminal, seq, kind, body, hash, prev_hash, chain, received_at, tube)"
		  " VALUES($1, $2, $3::bigint, $4, $5, $6, $7, $8, $9::bigint, $10)", 10, ins, err) != 0 ||
	    cdb_event_summarise(c, h->uuid, body, err) != 0)
		goto fail;
	/* An event that fills a gap re-checks the ones after it (a fork stays
	 * a fork). */
	{
		const char *next[2] = { h->terminal, seq };
		if (exec0(p, "UPDATE event SET chain = CASE WHEN EXISTS(SELECT 1 FROM event q WHERE q.terminal = $1"
			  " AND q.seq = $2::bigint AND q.hash = event.prev_hash) THEN 'ok' ELSE 'break' END"
			  " WHERE terminal = $1 AND seq = $2::bigint + 1 AND chain <> 'fork'", 2, next, err) != 0 ||
		    exec0(p, "UPDATE terminal SET last_seq = greatest(last_seq, $2::bigint), events = events + 1 WHERE id = $1",
			  2, next, err) != 0)
			goto fail;
	}
	if (tx_end(p, "COMMIT", err) != 0)
		return CDB_UNAVAILABLE;	/* held or not: the lane's retry finds out, by UUID */
	*fresh = 1;
	return 0;
fail:
	tx_end(p, "ROLLBACK", NULL);
	return CDB_UNAVAILABLE;
}

static cJSON *pg_events_by_tube(struct cdb *c, const char *tube)
{
	const char *params[1] = { tube };
	PGresult *r = run(PG(c), "SELECT body FROM event WHERE tube = $1 ORDER BY received_at", 1, params, NULL);
	cJSON *out = r != NULL ? cJSON_CreateArray() : NULL;

	for (int i = 0; r != NULL && i < PQntuples(r); i++) {
		cJSON *b = cJSON_Parse(PQgetvalue(r, i, 0));
		if (b != NULL)
			cJSON_AddItemToArray(out, b);
	}
	PQclear(r);
	return out;
}

/* ---- signing keys ---- */

static int pg_key_insert(struct cdb *c, const char *kid, const char *use, const char *sk_b64, gl_msg *err)
{
	char now[32];
	const char *params[4] = { kid, use, sk_b64, now };

	snprintf(now, sizeof now, "%lld", (long long)time(NULL));
	if (exec0(PG(c), "INSERT INTO signing_key(kid, use, sk, created_at) VALUES($1, $2, $3, $4::bigint)", 4, params,
		  NULL) != 0) {
		glmsg_set(err, "密钥 %s 已存在或无法保存", "key %s exists already or cannot be saved", kid);
		return -1;
	}
	return 0;
}

static int pg_key_get(struct cdb *c, const char *use, char kid[64], char *sk_b64, size_t cap)
{
	const char *params[1] = { use };
	PGresult *r = use != NULL ? run(PG(c), "SELECT kid, sk FROM signing_key WHERE use = $1"
					       " ORDER BY created_at DESC, kid DESC LIMIT 1", 1, params, NULL)
				  : run(PG(c), "SELECT kid, sk FROM signing_key WHERE sk <> '' ORDER BY kid LIMIT 1", 0,
					NULL, NULL);
	int found = r == NULL ? CDB_UNAVAILABLE : PQntuples(r) == 0 ? 0 : 1;

	if (found == 1 && (strlen(PQgetvalue(r, 0, 0)) >= 64 || strlen(PQgetvalue(r, 0, 1)) >= cap))
		found = CDB_UNAVAILABLE;
	if (found == 1) {
		snprintf(kid, 64, "%s", PQgetvalue(r, 0, 0));
		snprintf(sk_b64, cap, "%s", PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return found;
}

/* The row's old version stays in the table's pages until VACUUM, and in
 * the WAL and its archive: greenlane-central(8) says what to do. */
static int pg_key_clear(struct cdb *c, const char *kid, gl_msg *err)
{
	const char *params[1] = { kid };

	if (exec0(PG(c), "UPDATE signing_key SET sk = '' WHERE kid = $1", 1, params, NULL) != 0) {
		glmsg_set(err, "无法从数据库中移除密钥 %s", "cannot remove key %s from the database", kid);
		return -1;
	}
	return 0;
}

static cJSON *pg_query(struct cdb *c, const char *sql, int n, const char *const *params, gl_msg *err)
{
	PGresult *r = run(PG(c), sql, n, params, err);
	cJSON *rows = r != NULL ? cJSON_CreateArray() : NULL;

	for (int i = 0; rows != NULL && i < PQntuples(r); i++) {
		cJSON *row = cJSON_CreateArray();
		cJSON_AddItemToArray(rows, row);
		for (int j = 0; row != NULL && j < PQnfields(r); j++)
			cJSON_AddItemToArray(row, PQgetisnull(r, i, j) ? cJSON_CreateNull() :
					 cJSON_CreateString(PQgetvalue(r, i, j)));
	}
	PQclear(r);
	return rows;
}

/* ---- word of publications ---- */

static int pg_watch(struct cdb *c, int ms)
{
	struct pg *p = PG(c);
	struct pollfd pfd;
	PGnotify *n;
	int got = 0;

	/* LISTEN again on a connection made again: the old one's is gone. */
	if (p->listening != p->resets + 1) {
		if (exec0(p, "LISTEN " FEED_CHANNEL, 0, NULL, NULL) != 0) {
			poll(NULL, 0, ms);
			return -1;
		}
		p->listening = p->resets + 1;
	}
	pfd.fd = PQsocket(p->conn);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || poll(&pfd, 1, ms) < 0 || PQconsumeInput(p->conn) == 0) {
		/* A dead socket polls ready at once: wait here, and LISTEN
		 * (connecting again) next time. */
		p->listening = 0;
		poll(NULL, 0, ms);
		return -1;
	}
	while ((n = PQnotifies(p->conn)) != NULL) {
		got = 1;
		PQfreemem(n);
	}
	return got;
}

const struct cdb_backend cdb_postgres = {
	.name = "postgresql", .schema_version = SCHEMA_VERSION,
	.open = pg_open, .close = pg_close, .release = pg_release, .begin = pg_begin,
	.read_begin = pg_read_begin, .commit = pg_commit, .rollback = pg_rollback, .write = pg_write,
	.get = pg_get, .get_many = pg_get_many, .find = pg_find, .cursor = pg_cursor, .horizon = pg_horizon, .compact = pg_compact,
	.refs_check = pg_refs_check, .snapshot = pg_snapshot, .changes = pg_changes, .next = pg_next,
	.iter_free = pg_iter_free, .terminal_insert = pg_terminal_insert,
	.terminal_set_token = pg_terminal_set_token, .terminal_revoke = pg_terminal_revoke,
	.terminal_auth = pg_terminal_auth, .event_put = pg_event_put, .events_by_tube = pg_events_by_tube,
	.key_insert = pg_key_insert, .key_get = pg_key_get, .key_clear = pg_key_clear, .watch = pg_watch,
	.query = pg_query,
};
