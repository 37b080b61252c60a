/* tui_truck.h — the trucks at the lane: everything scanned for one truck,
 * checked together exactly as `greenlane verify` checks it, and the verdict
 * the officer was shown.  A truck stays until it is decided (logged) or the
 * officer puts it away on purpose; nothing scanned is dropped.  Only
 * src/tui includes this. */
#ifndef GL_TUI_TRUCK_H
#define GL_TUI_TRUCK_H
#include "tui_app.h"

struct truck {
	char *inputs[LANE_MAX_QUERIES];	/* as typed or scanned, in order */
	struct query kinds[LANE_MAX_QUERIES];	/* their kinds and values (token: borrowed) */
	int n;
	struct lane_result res;		/* the verdict on screen (always one: a truck
					 * exists only once checked) */
	int64_t first_scan;		/* when its first scan came */
	int changed;			/* a re-check gave another verdict or other
					 * reasons: the next decision key only
					 * acknowledges it */
	int was_changed;		/* shown as changed, until decided or scanned */
	int logged;			/* decided: in the journal as #seq */
	long long seq;
	int reveal;			/* full ID numbers shown (journaled) */
};

/* What a scan does to a truck: joins it, is there already, or cannot join
 * (a second plate or pass: another truck). */
enum truck_join { TRUCK_JOINS, TRUCK_HAS_IT, TRUCK_OTHER };

/* Parses what was typed (the lane's province applies).  0, or -1 with err. */
int truck_parse(struct tui *t, const char *text, struct query *q, gl_msg *err);

enum truck_join truck_join(const struct truck *tr, const struct query *q);

/* A new truck from one scan, checked.  NULL with err if the check refused
 * it (err says why) or failed. */
struct truck *truck_new(struct tui *t, const char *text, gl_msg *err);

/* Adds a scan to tr and checks the whole truck again; what is shown is the
 * new check.  0, or -1 with err and tr unchanged. */
int truck_add(struct tui *t, struct truck *tr, const char *text, gl_msg *err);

/* Checks tr again on the data as it is now.  1 if the verdict or its
 * reasons differ from what was shown (then tr shows the new check and is
 * marked changed), 0 if not, -1 with err if the check failed (tr keeps what
 * it showed). */
int truck_recheck(struct tui *t, struct truck *tr, gl_msg *err);

void truck_free(struct truck *tr);

/* The truck's name in messages and the log file: its plate, else the ID
 * masked, else "pass code".  Static or in out. */
const char *truck_name(const struct truck *tr, char out[IDNO_MAX]);

#endif
