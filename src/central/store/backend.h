/* backend.h — the centre's store, inside: what a backend (SQLite,
 * PostgreSQL) provides.  store.c implements central_db.h over it and keeps
 * everything that does not depend on the database there: the rules a record
 * or an event must meet, tokens, keys, the wire-format line.  A backend only
 * stores and reads, atomically where it says so.  Only src/central/store
 * includes this. */
#ifndef GL_CENTRAL_BACKEND_H
#define GL_CENTRAL_BACKEND_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "glmsg.h"

#define CDB_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The first member of every backend's connection and iterator. */
struct cdb {
	const struct cdb_backend *be;
	const char *keys;	/* the key directory (--keys), or NULL: keys in the database */
};

struct cdb_iter {
	const struct cdb_backend *be;
};

/* How a backend opens: to use (the schema must be this program's: SQLite,
 * the embedded default, brings its own file up to date), or to migrate (the
 * schema brought up to this program's, never down). */
enum cdb_how { CDB_USE, CDB_MIGRATE };

struct cdb_backend {
	const char *name;
	int schema_version;	/* this program's */
	/* A connection to where.  NULL with err. */
	struct cdb *(*open)(const char *where, enum cdb_how how, gl_msg *err);
	void (*close)(struct cdb *c);
	/* Ends any transaction c was left in; 1 if c may serve again, 0 if
	 * the database dropped it. */
	int (*release)(struct cdb *c);
	int (*begin)(struct cdb *c, gl_msg *err);	/* a write transaction */
	int (*read_begin)(struct cdb *c, gl_msg *err);
	int (*commit)(struct cdb *c, gl_msg *err);
	void (*rollback)(struct cdb *c);

	/* A record (data NULL: a tombstone), under the next change sequence. */
	int (*write)(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err);
	int (*get)(struct cdb *c, const char *kind, const char *key, char **data);	/* 1, 0 none, -1 */
	/* Many at once, in one round trip (NULL: one get each); as cdb_get_many. */
	int (*get_many)(struct cdb *c, const char *kind, const char *const *keys, int n, char **data);
	cJSON *(*find)(struct cdb *c, const char *kind, const char *field, const char *value);	/* NULL: failed */
	int64_t (*cursor)(struct cdb *c);
	int64_t (*horizon)(struct cdb *c);
	/* Removes tombstones up to upto and sets the horizon there. */
	int (*compact)(struct cdb *c, int64_t upto, gl_msg *err);
	int (*refs_check)(struct cdb *c, int64_t since, gl_msg *err);
	struct cdb_iter *(*snapshot)(struct cdb *c, const char *from_kind, const char *from_key, gl_msg *err);
	struct cdb_iter *(*changes)(struct cdb *c, int64_t since, int limit, gl_msg *err);
	int (*next)(struct cdb_iter *it, const char **kind, const char **key, const char **data, int64_t *seq);
	void (*iter_free)(struct cdb_iter *it);

	/* Terminals by the SHA-256 of their token.  insert: 0, 1 if the id
	 * exists, -1; set_token and revoke: 0, or -1 (err: no such terminal). */
	int (*terminal_insert)(struct cdb *c, const char *id, const char *token_hash, gl_msg *err);
	int (*terminal_set_token)(struct cdb *c, const char *id, const char *token_hash, gl_msg *err);
	int (*terminal_revoke)(struct cdb *c, const char *id, gl_msg *err);
	/* 1 and the id for a live token, 0 if none, -1 if the database failed. */
	int (*terminal_auth)(struct cdb *c, const char *token_hash, char id[EVENT_TERMINAL_MAX]);

	/* Holds an event that passed event_check, atomically: a UUID held
	 * already is a retry (0, *fresh 0; a different hash under it:
	 * CDB_REFUSED); a tube another record used is refused, naming it; else
	 * it is stored with its chain state (ok, gap, break or fork), the next
	 * record's state set again, and *fresh 1.  CDB_UNAVAILABLE when the
	 * database failed. */
	int (*event_put)(struct cdb *c, const struct event_head *h, const char *body, const char *hash, int *fresh,
			 gl_msg *err);
	cJSON *(*events_by_tube)(struct cdb *c, const char *tube);

	/* Signing keys, the secret as base64url text; "" when it is kept in a
	 * key directory (keydir.h).  key_get: the newest key for use, or with
	 * use NULL any key whose secret is still in the database; 1, 0 none,
	 * CDB_UNAVAILABLE.  key_clear: the secret removed ("" from now on). */
	int (*key_insert)(struct cdb *c, const char *kid, const char *use, const char *sk_b64, gl_msg *err);
	int (*key_get)(struct cdb *c, const char *use, char kid[64], char *sk_b64, size_t cap);
	int (*key_clear)(struct cdb *c, const char *kid, gl_msg *err);

	/* A statement in the SQL both backends speak (parameters $1 … $n as
	 * text, which the database converts to a column's type; elsewhere
	 * CAST($n AS bigint)), for tables that need nothing of a backend's own
	 * (staff.c).  Its rows as a JSON array
	 * of arrays of strings (SQL NULL: JSON null), or NULL with err. */
	cJSON *(*query)(struct cdb *c, const char *sql, int n, const char *const *params, gl_msg *err);

	/* Waits up to ms for word that a publication committed: 1, 0 none in
	 * that time (or the backend has no such word: the caller reads the
	 * cursor), -1 the connection failed (tried again next call). */
	int (*watch)(struct cdb *c, int ms);
};

extern const struct cdb_backend cdb_sqlite, cdb_postgres;

/* For the backends' event_put, inside its transaction, once the event is
 * inserted: the columns the centre's page counts it by (at_s, checkpoint,
 * verdict, decision, plate, scan_s: first scan to decision, override),
 * read from its body.  0, or -1 with err. */
int cdb_event_summarise(struct cdb *c, const char *uuid, const char *body, gl_msg *err);

#endif
