/* sync.h — the terminal's side of the central API: pull the centre's data
 * (a snapshot when there is no cursor or the centre says 410, else the
 * change feed) and push the journal's outbox, so that everything logged
 * reaches the centre once, with nothing lost.  Only src/net speaks HTTP. */
#ifndef GL_SYNC_H
#define GL_SYNC_H
#include <signal.h>
#include <stdint.h>
#include "glmsg.h"
#include "journal.h"

/* A download stops when the disk has less than this left: the journal must
 * always be able to take the next truck. */
#define SYNC_DISK_RESERVE (64LL * 1024 * 1024)
/* The snapshot being downloaded, in work_dir; removed whole or not. */
#define SYNC_PART_FILE "snapshot.ndjson.part"

struct sync_config {
	const char *url;	/* https://host:port (http:// only for loopback) */
	const char *token;	/* this terminal's bearer token */
	const char *ca;		/* a CA file for the centre's certificate, or NULL */
	const char *cache_path;
	const char *work_dir;	/* where a snapshot download is kept until whole */
	volatile sig_atomic_t *stop;	/* set (by a signal handler): end the round now; may be NULL */
	/* Waiting for a change: a centre that says it can (X-Wait-Max) is
	 * asked to hold the round's first change page until there is
	 * something after the cursor, for up to wait_s seconds (0: never).
	 * Set *wake (by a signal handler) to end the wait at once, say for a
	 * record just logged; may be NULL.  waiting, if set, is told just
	 * before the round waits. */
	int wait_s;
	volatile sig_atomic_t *wake;
	/* A sync typed by hand: if another holds this lane's sync lock (the
	 * lane screen's, waiting for changes), end its wait and take the next
	 * turn, waiting up to 30 s, rather than give up at once. */
	int take_turn;
	void (*waiting)(void *arg, long long cursor, int wait_s);
	void *arg;
	/* (Set by sync_once for its round; callers leave it NULL.)  What the
	 * lane says of itself on each request, for the command centre's page:
	 * X-Greenlane-Status: backlog=N; as_of=EPOCH; policy=VERSION. */
	const char *status;
};

struct sync_report {
	int snapshot;		/* a full snapshot was taken */
	long records;		/* records applied */
	int64_t cursor;
	long held, refused, left;	/* journal records pushed, refused, still unsent */
	long unknown;		/* records the centre named that were not sent (ignored) */
	int64_t skew_s;		/* the centre's clock minus ours (from Date) */
	int resumed;		/* times a broken snapshot download was resumed */
	int push, pull;		/* how each half ended (enum sync_status) */
	int centre_waits;	/* the centre's last change page said it can wait for a change */
	int waited, woken;	/* the round waited for a change; *wake ended the wait */
};

/* How a round ended: the centre not reached (or its reply broken, or a
 * download that kept breaking: try again later); the centre refused this
 * lane (its token); the centre sent data a lane refuses; this machine
 * failed (its disk, its journal); this lane's configuration is wrong (the
 * URL, the CA file). */
enum sync_status {
	SYNC_OK = 0, SYNC_NETWORK = -1, SYNC_REFUSED = -2, SYNC_DATA = -3, SYNC_LOCAL = -4, SYNC_CONFIG = -5,
	SYNC_STOPPED = -6,	/* a stop was asked for */
	SYNC_BUSY = -7,		/* another sync runs on this data */
	SYNC_GONE = -8,		/* (inside a round) the centre no longer has the changes asked for */
};

/* One round: push, then pull, each whatever became of the other; err says
 * what failed (both, if both did) and nothing already committed is undone;
 * the outbox keeps whatever was not held.  The status is the push's if it
 * failed, else the pull's. */
enum sync_status sync_once(const struct sync_config *cfg, struct journal *j, struct sync_report *rep, gl_msg *err);

/* The most a lane asks the centre to wait for a change: below the idle
 * timeout of the usual load balancers (60 s). */
#define SYNC_WAIT_MAX 55

/* How many outbox records go in one POST /v1/events. */
#define SYNC_BATCH 100

/* What the centre's reply to a batch says of one record sent. */
struct sync_ack {
	enum { SYNC_ACK_NONE, SYNC_ACK_HELD, SYNC_ACK_REFUSED } state;
	char why[256];		/* the centre's error, when refused */
};

/* Reads a reply to POST /v1/events (n bytes at p) for a batch of records
 * as journal_outbox gives them: ack[i] for the i-th record.  A record
 * named twice counts once (held first); names of records not sent are
 * counted in *unknown and move nothing.  -1: the reply cannot be read (not
 * one I-JSON object with a "held" array), and nothing is acknowledged. */
int sync_read_ack(const char *p, size_t n, const cJSON *batch, struct sync_ack *ack, long *unknown);

/* Free bytes for this user on the disk of dir, or -1. */
int64_t sync_free_bytes(const char *dir);

/* A record was just logged: a sync running on work_dir that waits for
 * changes (the lane screen's, a `greenlane sync` loop) ends its wait and
 * pushes it now.  1 if one was woken, else 0. */
int sync_wake(const char *work_dir);

#endif
