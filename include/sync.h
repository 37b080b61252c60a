/* sync.h — the terminal's side of the central API: pull the centre's data
 * (a snapshot when there is no cursor or the centre says 410, else the
 * change feed) and push the journal's outbox, so that everything logged
 * reaches the centre once, with nothing lost.  Only src/net speaks HTTP. */
#ifndef GL_SYNC_H
#define GL_SYNC_H
#include <stdint.h>
#include "glmsg.h"
#include "journal.h"

struct sync_config {
	const char *url;	/* https://host:port (http:// only for loopback) */
	const char *token;	/* this terminal's bearer token */
	const char *ca;		/* a CA file for the centre's certificate, or NULL */
	const char *cache_path;
	const char *work_dir;	/* where a snapshot download is kept until whole */
};

struct sync_report {
	int snapshot;		/* a full snapshot was taken */
	long records;		/* records applied */
	int64_t cursor;
	long held, refused, left;	/* journal records pushed, refused, still unsent */
	int64_t skew_s;		/* the centre's clock minus ours (from Date) */
	int resumed;		/* times a broken snapshot download was resumed */
};

/* How a round ended: the centre not reached (or its reply broken, or a
 * download that kept breaking: try again later); the centre refused this
 * lane (its token); the centre sent data a lane refuses; this machine
 * failed (its disk, its journal); this lane's configuration is wrong (the
 * URL, the CA file). */
enum sync_status {
	SYNC_OK = 0, SYNC_NETWORK = -1, SYNC_REFUSED = -2, SYNC_DATA = -3, SYNC_LOCAL = -4, SYNC_CONFIG = -5,
};

/* One round: pull, then push.  On failure err says what and nothing
 * already committed is undone; the outbox keeps whatever was not held. */
enum sync_status sync_once(const struct sync_config *cfg, struct journal *j, struct sync_report *rep, gl_msg *err);

#endif
