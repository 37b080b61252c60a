/* journal.h — journal.db: what happened at this lane (transits, samples,
 * registrations, acknowledgements) and the outbox of what the centre has not
 * yet acknowledged.  Irreplaceable: WAL with synchronous=FULL, and a record
 * is committed before anyone is told it was logged.  Each record has a UUID
 * (idempotency key), a per-terminal sequence number and the SHA-256 of the
 * previous record, inside its own hashed body. */
#ifndef GL_JOURNAL_H
#define GL_JOURNAL_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include "glmsg.h"

#define JOURNAL_UUID_LEN 37
#define JOURNAL_HASH_LEN 65

struct journal;

/* Opens or creates journal.db.  terminal names this terminal; if NULL the
 * one stored in the journal is used, or a new random one is made and
 * stored.  NULL with err on failure.  The hash chain is checked from the
 * last record checked before (meta verified) to the end; journal_verify
 * (greenlane check) checks it whole.  A broken chain, or the mark
 * path.damaged that finding one leaves, keeps the journal open for reading,
 * but it takes nothing more and sends nothing (journal_damaged). */
struct journal *journal_open(const char *path, const char *terminal, gl_msg *err);
void journal_close(struct journal *j);

const char *journal_terminal(const struct journal *j);

struct journal_entry {
	int64_t seq;
	char uuid[JOURNAL_UUID_LEN];
	char hash[JOURNAL_HASH_LEN];
	char prev_hash[JOURNAL_HASH_LEN];
};

/* Appends a record of kind at time `at` whose body holds the members of
 * fields (copied) plus uuid, terminal, seq, kind, at and prev_hash.  Returns
 * 0 only once the record is durably committed; otherwise nothing is written
 * and err says why: JOURNAL_TUBE_USED if fields has a "tube" that a record
 * already has (a tube labels one sample; compared ignoring case), else
 * JOURNAL_FAILED. */
enum { JOURNAL_FAILED = -1, JOURNAL_TUBE_USED = -2 };
int journal_append(struct journal *j, const char *kind, int64_t at, const cJSON *fields,
		   struct journal_entry *out, gl_msg *err);

/* A record found by journal_find_tube. */
struct journal_hit {
	int64_t seq, at;
	char kind[24];
	char plate[32];		/* "" if the record names none */
};

/* The record that used tube (ignoring case): 1 and *hit, 0 if none, -1
 * with err. */
int journal_find_tube(struct journal *j, const char *tube, struct journal_hit *hit, gl_msg *err);

/* The newest record of kind with at >= since whose body member `field` (a
 * fixed name, not user input) is value or, for an array, holds value.
 * Caller frees; NULL if there is none, or with err set on a failure. */
cJSON *journal_find(struct journal *j, const char *kind, int64_t since, const char *field, const char *value,
		    gl_msg *err);

/* Records not yet acknowledged by the centre. */
int64_t journal_pending(struct journal *j);

/* The oldest records after seq `after` the centre has not acknowledged, at
 * most limit, as
 * [{seq, uuid, body, hash, prev_hash, before}] with body the exact hashed
 * text and before the hash of the record before it.  Caller frees. */
cJSON *journal_outbox(struct journal *j, int64_t after, int limit);

/* The centre holds this record: it leaves the outbox (the record stays).
 * 1 if it left, 0 if it was not there, -1 with err. */
int journal_acked(struct journal *j, const char *uuid, gl_msg *err);

/* The centre refused this record: counted and kept for a person to look at. */
int journal_send_failed(struct journal *j, const char *uuid, const char *why);

/* Calls fn for each record of kind (NULL: of every kind) with at >= since,
 * in sequence order, with its parsed body (borrowed for the call).  fn
 * returns non-zero to stop. */
int journal_each(struct journal *j, const char *kind, int64_t since, int (*fn)(const cJSON *body, void *arg),
		 void *arg, gl_msg *err);

/* 1 if the record seq is still in the outbox (not yet held by the centre). */
int journal_unsent(struct journal *j, int64_t seq);

/* Recomputes every hash and link.  0 if the chain is whole; else -1 with the
 * first break in err (and the journal marked damaged, the mark left). */
int journal_verify(struct journal *j, gl_msg *err);

/* Why the journal takes no more records (its chain is broken), or NULL. */
const gl_msg *journal_damaged(struct journal *j);

/* Checks records of journal_outbox before they are sent: each body hashes
 * to its hash and links to the record before it.  0, or -1 with err (and
 * the journal marked damaged). */
int journal_check_outbox(struct journal *j, const cJSON *batch, gl_msg *err);

/* Officers who sign in at this lane, with a PIN (JOURNAL_PIN_MIN to
 * JOURNAL_PIN_MAX characters) stored only as an Argon2 hash.  set adds or replaces (0 / -1 with err); remove: 0, 1 if there was
 * none, -1; check: 1 if the PIN is right (name filled), 0 if not, -1. */
#define JOURNAL_PIN_MIN 4
#define JOURNAL_PIN_MAX 64
int journal_officer_set(struct journal *j, const char *id, const char *name, const char *pin, gl_msg *err);
int journal_officer_remove(struct journal *j, const char *id, gl_msg *err);
int journal_officer_check(struct journal *j, const char *id, const char *pin, char *name, size_t cap);

/* [{id, name}] of the registered officers.  Caller frees. */
cJSON *journal_officers(struct journal *j);

/* The connection's PRAGMA synchronous (2 is FULL), for tests. */
int journal_synchronous(struct journal *j);

/* SHA-256 of s as 64 hex digits. */
void journal_sha256_hex(const char *s, size_t n, char out[JOURNAL_HASH_LEN]);

#endif
