/* tui_lane.h — the lane screen's private header: its state, shared by the
 * screen (screen_lane.c: keys, scans, decisions) and its drawing
 * (lane_view.c), as sqlite pairs btree.c with btreeInt.h. */
#ifndef GL_TUI_LANE_H
#define GL_TUI_LANE_H
#include "tube.h"
#include "tui_edit.h"
#include "tui_truck.h"

#define LANE_TRUCKS 12		/* undecided trucks the lane holds at once */
#define LANE_HISTORY 100

struct lane {
	struct line_edit field;
	int field_bad;			/* the text in the field was refused: marked */
	char *history[LANE_HISTORY];	/* what was typed, for Up and Down */
	int nhist, hpos;
	/* Every truck not yet decided, in the order of their first scans, and
	 * the last decided one while it is on screen and none other waits. */
	struct truck *trucks[LANE_TRUCKS];
	int n, cur;			/* cur: the one on screen, -1 none */
	int64_t logged_at;		/* when the decided one on screen was logged */
	/* A decision or a form under way, for the prompts' answers. */
	struct truck *busy;
	int deciding;			/* a decision's prompt is open for busy */
	enum decision pending;
	char tube[TUBE_MAX];
	char reg_origin[8], reg_dest[8];
};

/* The truck on screen, or NULL. */
struct truck *lane_shown(struct lane *L);

/* lane_view.c: the status bar, the field, the queue and the truck. */
void lane_draw(struct tui *t, struct lane *L);
/* Where the cursor goes: the field. */
void lane_draw_cursor(struct tui *t, struct lane *L);

#endif
