/* central_db.h — the centre's store, the one seam between greenlane-central
 * and its database: every published record with a change sequence (puts and
 * tombstones), the terminals and their hashed tokens, the events terminals
 * sent (each UUID once, chains checked), and the signing keys.  Nothing
 * above it knows which backend it has (src/central/store: store.c over
 * backend.h; sqlite.c, one file, the embedded default). */
#ifndef GL_CENTRAL_DB_H
#define GL_CENTRAL_DB_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include "glmsg.h"

struct cdb;
struct cdb_pool;

/* Opens the store --db names: an SQLite file (WAL, synchronous=FULL;
 * created or brought up to date), or a PostgreSQL database, whose schema
 * must be this program's (cdb_migrate; a central never changes a shared
 * database's schema by itself).  NULL with err. */
struct cdb *cdb_open(const char *path, gl_msg *err);
/* Brings the store's schema up to this program's (never down: a newer one
 * is refused), safely while other centrals run or migrate: the version, or
 * -1 with err. */
int cdb_migrate(const char *path, gl_msg *err);
/* 1 if where names a PostgreSQL database (postgresql://… or a libpq
 * conninfo such as "host=… dbname=…"), not a file. */
int cdb_is_postgres(const char *where);
void cdb_close(struct cdb *db);

/* A bounded pool of connections to one store, shared by a central's
 * threads (pool.c): at most size open at once.  NULL with err if the store
 * cannot be opened now (one connection is opened at once). */
struct cdb_pool *cdb_pool_new(const char *path, int size, gl_msg *err);
void cdb_pool_free(struct cdb_pool *pool);
/* A connection of the pool, opened if need be, or NULL with err: the
 * database cannot be reached, or fewer than reserve connections would stay
 * free for others (the caller answers 503; taking never waits). */
struct cdb *cdb_pool_take(struct cdb_pool *pool, int reserve, gl_msg *err);
/* Back to the pool: a transaction left open is rolled back; a connection
 * the database dropped is closed. */
void cdb_pool_give(struct cdb_pool *pool, struct cdb *db);

int cdb_begin(struct cdb *db, gl_msg *err);	/* a write transaction */
/* A read transaction: one consistent state until rollback (a streamed
 * snapshot or change page sees no commit made meanwhile). */
int cdb_read_begin(struct cdb *db, gl_msg *err);
int cdb_commit(struct cdb *db, gl_msg *err);
void cdb_rollback(struct cdb *db);

/* Publishes a record (data is a JSON object's text) or a tombstone; each
 * takes the next change sequence.  A record is checked first with the rules
 * of a lane's import (record.h) and published with its canonical key and
 * plates: the centre never publishes what a lane refuses.  0 or -1 with err. */
int cdb_put(struct cdb *db, const char *kind, const char *key, const char *data, gl_msg *err);
int cdb_del(struct cdb *db, const char *kind, const char *key, gl_msg *err);

/* Vehicles and passes published after change sequence since must name an
 * enterprise that exists: 0, or -1 with err naming the first that does not
 * (checked before an administrator's change commits). */
int cdb_refs_check(struct cdb *db, int64_t since, gl_msg *err);

/* A live record's data: 1 with *data (caller frees), 0 if there is none,
 * -1 if the database failed (never to be taken for "none": a merge would
 * drop what the record held, a look-up would say 404). */
int cdb_get(struct cdb *db, const char *kind, const char *key, char **data);
/* The live records of a kind under keys[0..n): data[i] (caller frees), or
 * NULL where there is none; 0, or -1 if the database failed (data[] all
 * NULL).  A bulk merge's reads, in one round trip where the backend can. */
int cdb_get_many(struct cdb *db, const char *kind, const char *const *keys, int n, char **data);

/* Up to limit live records of a kind, as data objects in key order: for
 * the small kinds the centre's page lists (intercepts, risk areas).
 * Caller frees; NULL if the database failed. */
cJSON *cdb_live(struct cdb *db, const char *kind, int limit);

/* Live records of a kind whose data field (plate or value) equals value
 * (caller frees), or NULL if the database failed. */
cJSON *cdb_find(struct cdb *db, const char *kind, const char *field, const char *value);

/* The newest change sequence (never below the horizon), and the oldest a
 * change feed can start from (a cursor below it, or above the newest, gets
 * 410 Gone); -1 if the database failed. */
int64_t cdb_cursor(struct cdb *db);
int64_t cdb_horizon(struct cdb *db);

/* On a connection of its own, outside any transaction: waits up to ms for
 * word that a publication committed somewhere (PostgreSQL: LISTEN; SQLite
 * has none and just waits).  1, 0 none, -1 the connection failed.  Word
 * may be late or lost (a reconnection): read cdb_cursor after each call. */
int cdb_watch(struct cdb *db, int ms);

/* Forgets tombstones up to sequence upto (in the caller's write
 * transaction): the horizon moves there.  It only moves forward, and never
 * past the cursor (-1 with err). */
int cdb_compact(struct cdb *db, int64_t upto, gl_msg *err);

/* Iterating records: the snapshot (live records by kind, then key, after
 * (from_kind, from_key) if given) or the change feed (after since, in
 * sequence order, tombstones included, at most limit).  Each iterator holds
 * one read snapshot of the database until freed. */
struct cdb_iter;
struct cdb_iter *cdb_snapshot(struct cdb *db, const char *from_kind, const char *from_key, gl_msg *err);
struct cdb_iter *cdb_changes(struct cdb *db, int64_t since, int limit, gl_msg *err);
/* 1 with the row (borrowed until the next call; data NULL for a tombstone),
 * 0 at the end, -1 on error. */
int cdb_next(struct cdb_iter *it, const char **kind, const char **key, const char **data, int64_t *seq);
void cdb_iter_free(struct cdb_iter *it);

/* A record as one wire-format line ending in a newline (DESIGN.md §3): put
 * with data, del when data is NULL.  Caller frees (cJSON_free); NULL if out
 * of memory.  *len gets its length. */
char *cdb_record_line(const char *kind, const char *key, const char *data, int64_t seq, size_t *len);

/* Terminals: a new one gets a random bearer token (printed once; only its
 * SHA-256 is kept); its name follows event_terminal_valid.  rotate gives a
 * terminal a new token (the old one stops working; a revoked terminal is
 * live again), keeping its chain.  auth: 1 and the terminal's id for a live
 * token, else 0. */
int cdb_terminal_add(struct cdb *db, const char *id, char token[65], gl_msg *err);
int cdb_terminal_rotate(struct cdb *db, const char *id, char token[65], gl_msg *err);
int cdb_terminal_revoke(struct cdb *db, const char *id, gl_msg *err);
int cdb_terminal_auth(struct cdb *db, const char *token, char id[64]);	/* -1: the database failed */
/* A terminal was heard from at now, saying status (X-Greenlane-Status:
 * "backlog=N; as_of=EPOCH; policy=VERSION", each part optional; NULL:
 * nothing said); written at most every 30 s unless what it says changed.
 * 0, or -1. */
int cdb_terminal_seen(struct cdb *db, const char *id, int64_t now, const char *status);


enum { CDB_REFUSED = -1, CDB_UNAVAILABLE = -2 };

/* Stores an event a terminal sent: its exact body text and hash.  Returns
 * 0 if held (now or before: *fresh tells), CDB_REFUSED with the reason in
 * err (bad hash, body not this terminal's, a record event_check refuses, a
 * tube another record used), or CDB_UNAVAILABLE when the database failed
 * (nothing is refused for that: the lane tries again).  Sequence gaps,
 * broken links and forks (a second record with a sequence number already
 * held) are recorded, never silently accepted. */
int cdb_event_put(struct cdb *db, const char *terminal, const char *body, const char *hash,
		  int *fresh, gl_msg *err);

/* The events (bodies) that name a sample tube: samples at the lane and
 * landing tests.  Caller frees; NULL when the database cannot be read. */
cJSON *cdb_events_by_tube(struct cdb *db, const char *tube);

/* Per terminal: id, revoked, events, last_seq, gaps, breaks, missing
 * (sequence numbers below last_seq not held), forks; and what it last said
 * of itself (cdb_terminal_seen): seen_at (0: never), backlog, data_as_of,
 * policy (null: never said).  Caller frees; NULL when the database cannot
 * be read. */
cJSON *cdb_report(struct cdb *db);

/* Signing keys (Ed25519) by use: pass, policy, snapshot.  The public half
 * is published as a `key` record; the secret is kept in the database, or
 * with cdb_set_keys in a key directory (one file a key, closed to other
 * users) and the database holds only its id.  cdb_set_keys: 0, or -1 with
 * err when dir is not a directory of this user's closed to others. */
int cdb_set_keys(struct cdb *db, const char *dir, gl_msg *err);
int cdb_key_add(struct cdb *db, const char *kid, const char *use, const unsigned char sk[64], gl_msg *err);
/* The newest key for use: 1, 0 there is none, CDB_UNAVAILABLE (the
 * database failed: try again) or CDB_REFUSED with err (its secret is where
 * this command may not use it, or damaged). */
int cdb_key_get(struct cdb *db, const char *use, char kid[64], unsigned char sk[64], gl_msg *err);
/* Every secret still in the database written to the key directory and
 * removed from the database, in the caller's transaction: the number
 * moved, CDB_REFUSED or CDB_UNAVAILABLE with err. */
int cdb_keys_move_out(struct cdb *db, gl_msg *err);

/* ---- the command centre's staff: accounts of their own, never a lane's
 * token (staff.c) ---- */

#define CDB_STAFF_NAME_MAX 64
#define CDB_PWHASH_MAX 256	/* crypto_pwhash_STRBYTES, and room */

/* A member's name: 1 to 63 letters, digits, '.', '_' or '-'. */
int cdb_staff_valid(const char *name);
/* A member with the Argon2id hash of their password (crypto_pwhash_str):
 * 0, 1 if the name is taken, -1 with err. */
int cdb_staff_add(struct cdb *db, const char *name, const char *pw_hash, int64_t now, gl_msg *err);
/* A new password, the lock lifted and every session of theirs ended; or
 * the member removed with their sessions: 0, 1 no such member, -1. */
int cdb_staff_password(struct cdb *db, const char *name, const char *pw_hash, gl_msg *err);
int cdb_staff_remove(struct cdb *db, const char *name, gl_msg *err);
/* [{name, created_at, locked_until, sessions}], or NULL if it failed. */
cJSON *cdb_staff_list(struct cdb *db);
/* For a sign-in: 1 with the hash and until when the account is locked, 0
 * no such member, -1 failed. */
int cdb_staff_get(struct cdb *db, const char *name, char pw_hash[CDB_PWHASH_MAX], int64_t *locked_until);
/* A sign-in's outcome: a success clears the count of failures; after 5
 * in a row the account is locked for a minute, doubling with each further
 * failure, up to an hour.  0, or -1. */
int cdb_staff_signed_in(struct cdb *db, const char *name, int ok, int64_t now);

/* Sessions, by the SHA-256 (hex) of their cookie. */
int cdb_session_add(struct cdb *db, const char *id_hash, const char *name, const char *csrf, const char *addr,
		    int64_t now, gl_msg *err);
/* 1 with the member and the session's CSRF token while it is live (seen
 * within idle_s, begun within max_s), its last sight moved to now; 0 if
 * not; -1 if the database failed. */
int cdb_session_get(struct cdb *db, const char *id_hash, int64_t now, int idle_s, int max_s,
		    char name[CDB_STAFF_NAME_MAX], char csrf[65]);
/* The session ended, and every one expired meanwhile: 0, or -1. */
int cdb_session_end(struct cdb *db, const char *id_hash, int64_t now, int idle_s, int max_s);

/* The figures of the day that begins at day0 (and of the day before),
 * for the command centre's page, with the closed loop as of now: overdue
 * [{trip, plate, status, eta, destination, seen_at, seen_checkpoint}]
 * (trips planned or under way, over overdue_margin_s past their eta; seen:
 * the truck's last transit since it departed, or null), off_route [{at,
 * terminal, checkpoint, plate}] (the day's transits off their route); hours [{checkpoint, yesterday[24],
 * today[24]}] (transits an hour), mix [{verdict, decision, n}] (today),
 * lane_time [{checkpoint, hour, p50, p90, p90_yesterday, grown}] (first
 * scan to decision, seconds: a bucket's upper bound, -1 past 30 min),
 * overrides and held [{at, terminal, checkpoint, plate, verdict, decision,
 * reason, why[]}] (today's newest 100).  NULL with err. */
cJSON *cdb_day_figures(struct cdb *db, int64_t day0, int64_t now, gl_msg *err);

/* A tube's result recorded on the records of its sampling: 0, or -1. */
int cdb_tube_result(struct cdb *db, const char *tube, const char *result, int64_t now, gl_msg *err);
/* Tubes sampled before before whose result is not recorded, the oldest
 * first: [{tube, at, checkpoint, terminal, plate, kind}], or NULL. */
cJSON *cdb_open_tubes(struct cdb *db, int64_t before, int limit);
/* Enterprises suspended (熔断), as their records, or NULL. */
cJSON *cdb_suspended(struct cdb *db);

/* The audit log: what a member did, when, from where.  cdb_audit_list:
 * the newest limit entries [{at, name, addr, action, detail}], or NULL. */
int cdb_audit(struct cdb *db, int64_t now, const char *name, const char *addr, const char *action,
	      const char *detail, gl_msg *err);
cJSON *cdb_audit_list(struct cdb *db, int limit);

#endif
