/* cache_int.h — cache.db's inside, shared by the files that make it (as
 * sqlite pairs btree.h with btreeInt.h): the record kinds as stored, the
 * prepared statements, struct cache and the import's state, and the helpers
 * every part uses.  Only src/store/cache*.c include this.
 *
 *   cache.c         opening, installing a fresh file, meta, read transactions,
 *                   damage (marks, hashes, quick_check)
 *   cache_import.c  NDJSON into the file: a line, a whole file, a bundle
 *   cache_read.c    a plate's and a person's records, small records, alerts
 *   cache_mem.c     what is kept in memory between checks, and its one
 *                   invalidation routine (cache_forget) */
#ifndef GL_CACHE_INT_H
#define GL_CACHE_INT_H
#include <sqlite3.h>
#include <stdint.h>
#include "arena.h"
#include "cache.h"
#include "glmsg.h"
#include "jws.h"
#include "record.h"

/* Kinds as the rec table stores them: records, then index rows that point
 * at a record's home.  Never renumber. */
enum {
	K_VEHICLE = 1, K_PASS = 2, K_TRIP = 3, K_INTERCEPT = 4, K_DRIVER = 5,
	X_PASSNO = 10, X_TRIPID = 11, X_CREW = 12, X_INTERCEPTID = 13, X_TRAILER = 14,
	S_BASE = 20,	/* small kinds: S_BASE + enum cache_small */
};

#define LINE_MAX_BYTES CACHE_LINE_MAX
#define KEY_MAX RECORD_KEY_MAX
#define CACHE_KEYS_MAX 4096	/* signing keys a cache holds, at most */

enum stmt {
	ST_INS, ST_UPSERT, ST_DEL, ST_GET, ST_SCAN, ST_SMALL_PUT, ST_SMALL_DEL,
	ST_SMALL_GET, ST_SMALL_ALL, ST_META_PUT, ST_META_GET, ST_BEGIN, ST_COMMIT,
	ST_DATA_VERSION, ST_COUNT
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

/* A statement, reset and cleared for binding. */
sqlite3_stmt *cache_stmt(struct cache *c, enum stmt s);
void cache_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Binds data (n bytes) at i and its hash at i + 1. */
void cache_bind_data(sqlite3_stmt *st, int i, const char *data, size_t n);

/* Damage: met while reading (marks the file; kept: while loading what is
 * kept in memory), a statement that failed on a damaged file, a file error
 * into err. */
void cache_met_damage(struct cache *c, int kept);
int cache_corrupt(struct cache *c);
void cache_step_failed(struct cache *c, int rc, int kept);
void cache_error(struct cache *c, gl_msg *err);

/* A column's data checked against its hash (cache_row_ok), and parsed
 * (into a, or malloc'd when a is NULL). */
int cache_row_ok(struct cache *c, sqlite3_stmt *st, int col, int kept);
cJSON *cache_parse_text(struct cache *c, const char *s, size_t n, struct arena *a);
cJSON *cache_parse_col(struct cache *c, sqlite3_stmt *st, int col, struct arena *a);

/* One row's data into out (cap bytes): 1 found, 0 not, -1 with err. */
int cache_row_get(struct cache *c, const char *home, int kind, const char *key, char *out, size_t cap, gl_msg *err);

/* Steps a write: 0 done, 1 a constraint (a duplicate), -1 with err. */
int cache_step_done(struct cache *c, sqlite3_stmt *st, gl_msg *err);
int cache_meta_put(struct cache *c, const char *k, const char *v, gl_msg *err);

/* What is kept in memory: dropped whenever another connection changed the
 * file (cache_read_begin), and at close. */
void cache_forget(struct cache *c);
int cache_load_keys(struct cache *c, struct jws_key **keys, size_t *n);
/* Every record of a small kind (a new array; damaged rows left out). */
cJSON *cache_small_all(struct cache *c, enum cache_small kind);

#endif
