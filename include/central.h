/* central.h — greenlane-central: the reference implementation of the
 * central API (DESIGN.md §4) and its administration. */
#ifndef GL_CENTRAL_H
#define GL_CENTRAL_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include "glmsg.h"
#include "record.h"

#define CENTRAL_MAX_BODY (4 * 1024 * 1024)	/* one request's body */
#define CENTRAL_MAX_INFLIGHT (64 * 1024 * 1024)	/* bodies being received, all connections together */
#define CENTRAL_PAGE_DEFAULT 1000
#define CENTRAL_PAGE_MAX 10000
#define CENTRAL_PAGE_BYTES (32 * 1024 * 1024)	/* a change page's records, at most (a lane takes 64 MiB) */
#define CENTRAL_WAIT_MAX 60			/* seconds a change-feed request may wait for a change */
#define CENTRAL_WAIT_MAX_TEXT "60"
#define CENTRAL_BATCH_MAX 1000			/* events in one POST /v1/events */
/* libmicrohttpd's worker threads, each with its own event loop: at most this
 * many requests use the database at once, besides the snapshots streaming,
 * each of which holds a connection of its own. */
#define CENTRAL_THREADS 2
#define CENTRAL_DB_CONNECTIONS 8		/* a central's database connections, by default */

/* Faults for tests, on every endpoint whose path begins with path. */
struct central_faults {
	char path[64];		/* the endpoint they apply to ("" = none) */
	int delay_ms;		/* wait before answering */
	int status;		/* answer this status instead (0 = no) */
	int drop;		/* close the connection without an answer */
	long truncate;		/* cut the reply's body after this many bytes (0 = no) */
};

struct central_opts {
	const char *listen;	/* ADDR:PORT */
	const char *db_path;
	int db_connections;	/* at most, open at once (0: CENTRAL_DB_CONNECTIONS) */
	int offline_s;		/* a terminal silent this long is offline on the centre's page (0: 120) */
	const char *cert, *key;	/* PEM files for TLS */
	FILE *log;
	struct central_faults faults;
};

/* Serves until SIGINT/SIGTERM.  Returns an exit code. */
int central_serve(const struct central_opts *o);

/* greenlane-central admin …: keys is the key directory (--keys) or NULL.
 * Returns an exit code. */
int central_admin(const char *db_path, const char *keys, int argc, char **argv);

/* Files that hold secrets (the database with the signing keys, the TLS key)
 * must be readable by their owner alone: 0, or -1 with err saying how to
 * mend it.  Refused, not mended: a readable secret may have been copied. */
int central_private_file(const char *path, gl_msg *err);
int central_private_db(const char *path, gl_msg *err);	/* the file, its -wal and -shm */

/* A whole (small) file, NUL-terminated: NULL if it cannot be read, is empty
 * or is over max bytes.  Caller frees. */
char *central_read_file(const char *path, size_t max);

/* ---- reading requests (request.c; pure) ---- */

/* A whole number written as digits, in [lo, hi]: 0, or -1. */
int central_whole(const char *s, long long lo, long long hi, long long *out);

/* GET /v1/changes?since=CURSOR&limit=N: whole numbers only; limit defaults
 * to CENTRAL_PAGE_DEFAULT and is cut to CENTRAL_PAGE_MAX.  0, or -1. */
int central_changes_args(const char *since_s, const char *limit_s, int64_t *since, int *limit, gl_msg *err);
/* …&wait=S: whole seconds from 0 to CENTRAL_WAIT_MAX; absent: 0. */
int central_wait_arg(const char *wait_s, int *wait, gl_msg *err);

/* GET /v1/snapshot?after=KIND/KEY.  0, or -1 with err. */
int central_after_arg(const char *after, char kind[32], char key[RECORD_KEY_MAX], gl_msg *err);

/* The events of a POST /v1/events body {"events":[{"body":…,"hash":…},…]}
 * (I-JSON, at most CENTRAL_BATCH_MAX, each an object): the array (caller
 * frees), or NULL with err. */
cJSON *central_read_batch(const char *p, size_t n, gl_msg *err);

/* The uuid a record's body names, for a refusal ("" if none can be read). */
void central_event_uuid(const char *body, char uuid[37]);

/* Request text (a path, a method) as the access log keeps it: control
 * characters, quotes and bad UTF-8 escaped as \xNN (no forged lines), and
 * ID numbers masked as the lanes show them (410402********0003). */
void central_log_text(const char *in, char *out, size_t cap);

#endif
