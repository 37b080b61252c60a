/* cache.h — cache.db: what the centre publishes, as the wire format's records
 * (DESIGN.md §3).  Disposable: rebuilt from a snapshot at any time.  WAL,
 * synchronous=NORMAL.
 *
 * Records are kept by their subject so one look-up finds everything about it:
 * a plate's vehicle, passes, trips and intercepts are one range scan; an ID
 * number's driver, trips and intercepts another. */
#ifndef GL_CACHE_H
#define GL_CACHE_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "glmsg.h"
#include "jws.h"
#include "plate.h"

struct cache;

/* The first line of a signed bundle (see cache_import_file). */
#define CACHE_BUNDLE_HEADER "{\"bundle_version\":1}"

/* How far in this machine's future a trailer's as_of may be (clocks
 * differ a little); beyond it the import is refused. */
#define CACHE_AS_OF_SKEW_S 300

/* The longest NDJSON line an import takes (bytes, without the newline). */
#define CACHE_LINE_MAX (1024 * 1024)

/* Opens (creating it if writable) the cache at path.  Returns NULL with
 * err. */
struct cache *cache_open(const char *path, int writable, gl_msg *err);
void cache_close(struct cache *c);

/* A fresh cache built beside path (path.new) with fast, unsafe pragmas: it is
 * either installed whole by cache_install or thrown away. */
struct cache *cache_create_fresh(const char *path, gl_msg *err);

/* Makes the fresh cache durable and moves it over path.  Closes c whatever
 * happens.  0 or -1 with err (then path is untouched). */
int cache_install(struct cache *c, gl_msg *err);

/* Removes the fresh file and closes c. */
void cache_discard(struct cache *c);

struct cache_stats {
	long lines, puts, dels, refused;
	int64_t as_of;		/* FACTS_NO_TIME-like INT64_MIN if no trailer */
	char cursor[128];
	char checkpoint[64];	/* the trailer may name the terminal's checkpoint */
	char signed_by[64];	/* a signed bundle's key, verified; "" if unsigned */
};

/* Importing NDJSON (DESIGN.md §3): begin, feed lines, finish.  All lines of
 * one import are one transaction: a bad line aborts it and nothing changes.
 * A policy whose signature does not verify is refused (counted, warned in
 * err of finish) and the last good one kept. */
struct cache_import;
/* Why an import failed: a bad line or input, the disk, no input file. */
enum { CACHE_IMPORT_DATA = -1, CACHE_IMPORT_IO = -2, CACHE_IMPORT_NOINPUT = -3 };
struct cache_import *cache_import_begin(struct cache *c, gl_msg *err);
/* line is modified (it is the caller's buffer).  0, or CACHE_IMPORT_DATA
 * (the line is bad) or CACHE_IMPORT_IO (the disk failed) with err. */
int cache_import_line(struct cache_import *im, char *line, size_t len, gl_msg *err);
/* Commits.  warn receives a warning (refused policies) or is cleared. */
int cache_import_finish(struct cache_import *im, struct cache_stats *st, gl_msg *warn,
			gl_msg *err);
void cache_import_abort(struct cache_import *im);

/* Imports a whole NDJSON file ("-": standard input), plain or gzip, in one
 * transaction; into a fresh file (moved into place at the end) when replace
 * is set or there is no cache yet — and then only a whole snapshot: one that
 * ends with its closing line {"cursor":…,"as_of":…} (an empty file, or one
 * cut at a line boundary, is refused: it would empty the cache).  progress (may be NULL) is told the lines
 * read and the bytes read of total (0 if unknown).  Returns 0, or one of the
 * codes below with err; warn gets a refused policy's warning.
 *
 * A signed bundle starts with the line CACHE_BUNDLE_HEADER and ends in a
 * line {"bundle":JWS}: a JWS by a key of use
 * "snapshot" whose payload's "blake2b" is the BLAKE2b-256 (base64url) of
 * every line before it, each hashed as its text and one newline.  It is
 * imported only if the signature verifies against trust (keys the caller
 * was configured with) or a snapshot key the cache held before this import,
 * and the digest matches; else nothing changes (CACHE_IMPORT_DATA).
 * st->signed_by names the key. */
typedef void (*cache_progress_fn)(void *arg, long lines, int64_t done, int64_t total);
int cache_import_file(const char *cache_path, const char *file, int replace, const struct jws_key *trust,
		      size_t ntrust, cache_progress_fn progress, void *arg, struct cache_stats *st, gl_msg *warn,
		      gl_msg *err);

/* What the cache holds about a plate, built in a (see arena.h: the trees
 * are the arena's, never cJSON_Delete them).  Arrays are never NULL after a
 * successful call.  A record that does not parse (only a damaged file holds
 * one) is left out. */
struct cache_plate {
	cJSON *vehicle;		/* data object, or NULL */
	cJSON *passes, *trips, *intercepts;
	char tractor[PLATE_MAX];/* set if the plate is a trailer's: look that up */
};
int cache_get_plate(struct cache *c, const char *plate, struct arena *a, struct cache_plate *out, gl_msg *err);

/* What the cache holds about an ID number, as cache_get_plate. */
struct cache_person {
	cJSON *driver;		/* data object, or NULL */
	cJSON *trip_plates;	/* array of plates of trips this person is crew on */
	cJSON *intercepts;
};
int cache_get_person(struct cache *c, const char *id_no, struct arena *a, struct cache_person *out, gl_msg *err);

/* The plate a pass number belongs to: 1 found, 0 not, -1 error. */
int cache_pass_plate(struct cache *c, const char *pass_no, char plate[PLATE_MAX], gl_msg *err);

enum cache_small {
	CACHE_ENTERPRISE, CACHE_RISK_AREA, CACHE_KEY, CACHE_POLICY, CACHE_CHECKPOINT,
	CACHE_INTERCEPT,	/* a copy of every intercept, for listing */
};

/* One record of a small kind by key, or NULL: built in a, or, if a is NULL,
 * malloc'd (caller frees). */
cJSON *cache_get_small(struct cache *c, struct arena *a, enum cache_small kind, const char *key);

/* All risk areas, read once for every check (facts_areas).  Borrowed: valid
 * until the next cache_read_begin that finds the data changed, or
 * cache_close.  0, or -1 if out of memory. */
struct facts_area;
int cache_risk_areas(struct cache *c, const struct facts_area **areas, size_t *n);

/* All signing keys.  Borrowed, as cache_risk_areas. */
const struct jws_key *cache_keys(struct cache *c, size_t *n);

/* The newest verified policy document text (caller frees), or NULL. */
char *cache_policy(struct cache *c);

/* The centre's as_of time of the data, or INT64_MIN if never imported. */
int64_t cache_as_of(struct cache *c);

/* What an officer should know of: active intercepts (each with "alert":
 * "intercept") and enterprises suspended or off the whitelist ("meltdown"),
 * the newest first, at most limit.  Read from a list the file keeps as they
 * change (schema 6), so neither this nor the count reads every enterprise.
 * Caller frees. */
cJSON *cache_alerts(struct cache *c, int64_t now, int limit);
/* How many there are (-1 on an error); whether the one with this id is. */
long cache_alerts_count(struct cache *c, int64_t now);
int cache_alert_active(struct cache *c, const char *id, int64_t now);

/* Sets a meta value (a writable cache).  0 or -1 with err. */
int cache_set_meta(struct cache *c, const char *k, const char *v, gl_msg *err);

/* A meta value ("as_of", "cursor", "checkpoint", "synced_at"): 1 found, 0 not. */
int cache_meta(struct cache *c, const char *k, char *out, size_t cap);

/* A read transaction: every look-up between begin and end sees one snapshot
 * of the data (and the file is locked once, not per statement).  begin
 * returns 0 or -1. */
int cache_read_begin(struct cache *c);
void cache_read_end(struct cache *c);

/* Checks the file's structure (SQLite's quick_check: one pass over every
 * page; on a province's cache, minutes).  0 whole; 1 damaged: marked (see
 * cache_damaged) and err says how; -1 with err if it could not be read. */
int cache_check(const char *cache_path, gl_msg *err);

/* A number that changes whenever another connection (a sync, an import)
 * has changed the file since this one last looked; -1 if it cannot be
 * read.  Not in a read transaction. */
int64_t cache_version(struct cache *c);

/* 1 if what the current read transaction read, or the data kept in memory,
 * came from a damaged file, or the file was marked damaged when the
 * transaction began (cache_damaged): a check must not be decided on it.  A
 * row whose data does not match the hash it was imported with counts as
 * damaged. */
int cache_read_damaged(const struct cache *c);

/* A checkpoint record by id, or NULL.  Borrowed: valid until the next call
 * or the next cache_read_begin. */
const cJSON *cache_checkpoint(struct cache *c, const char *id);

/* 1 if reads found the cache at cache_path damaged (a read SQLite calls
 * corrupt, a stored record that is no longer JSON or whose hash does not
 * match, or cache_check): the next sync must rebuild it from a snapshot.
 * A snapshot install clears it. */
int cache_damaged(const char *cache_path);

/* The database handle, for benchmarks comparing with raw look-ups. */
struct sqlite3 *cache_db(struct cache *c);

#endif
