/* screen_trip.c — the truck's current trip in full: 出发地 → 公路通行段 →
 * 目的地, each checkpoint of its route by name, this one marked. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "facts.h"
#include "gltime.h"
#include "tui_screens.h"
#include "tui_term.h"
#include "words.h"

struct trip_view {
	cJSON *trip;		/* a copy: the truck on the lane is checked again meanwhile */
};

static void init(struct tui *t, void *p, void *arg)
{
	(void)t;
	((struct trip_view *)p)->trip = arg != NULL ? cJSON_Duplicate(arg, 1) : NULL;
}

static void done(struct tui *t, void *p)
{
	(void)t;
	cJSON_Delete(((struct trip_view *)p)->trip);
}

static const char *s_or(const cJSON *o, const char *f, const char *dflt)
{
	const char *s = facts_str(o, f);
	return s != NULL ? s : dflt;
}

static void draw(struct tui *t, void *p)
{
	const cJSON *trip = ((struct trip_view *)p)->trip, *o, *d, *e;
	char buf[300], a[24], b[24];
	int y = 2, step = 1;

	tui_title(_("Trip detail — 出发地 → 公路通行段 → 目的地"), NULL);
	if (trip == NULL) {
		term_text(3, 2, COLS - 4, _("No current trip for the truck on screen."), term_attr(TC_DIM));
		tui_keybar(ON_TRIP);
		return;
	}
	o = cJSON_GetObjectItemCaseSensitive(trip, "origin");
	d = cJSON_GetObjectItemCaseSensitive(trip, "destination");
	tui_short_time(facts_str(trip, "depart_at"), 1, a, sizeof a);
	tui_short_time(facts_str(trip, "eta"), 1, b, sizeof b);
	snprintf(buf, sizeof buf, "%s %s · %s · %s", _("Trip"), s_or(trip, "id", "?"), words_label(facts_str(trip, "status"), t->cfg->zh),
		 cJSON_GetObjectItemCaseSensitive(trip, "registered_here") != NULL ? _("registered here") :
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(trip, "registered")) ? _("registered") : _("NOT registered"));
	term_text(y++, 2, COLS - 4, buf, (int)A_BOLD);
	y++;
	snprintf(buf, sizeof buf, "%d. %s  %s (%s)  %s %s", step++, _("origin"), s_or(o, "place", ""), s_or(o, "region", "?"),
		 _("departed"), a);
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(trip, "via")) {
		snprintf(buf, sizeof buf, "   %s %s", _("via region"), cJSON_IsString(e) ? e->valuestring : "?");
		term_text(y++, 2, COLS - 4, buf, term_attr(TC_DIM));
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(trip, "route")) {
		int here = cJSON_IsString(e) && strcmp(e->valuestring, t->checkpoint) == 0;
		const cJSON *cp = cJSON_IsString(e) ? cache_checkpoint(t->cache, e->valuestring) : NULL;
		snprintf(buf, sizeof buf, "%d. %s %s %s%s", step++, _("checkpoint"), cJSON_IsString(e) ? e->valuestring : "?",
			 s_or(cp, "name", ""), here ? _("  ← here ✓") : "");
		term_text(y++, 2, COLS - 4, buf, here ? (int)A_BOLD : (int)A_NORMAL);
	}
	snprintf(buf, sizeof buf, "%d. %s  %s · %s · %s  %s %s", step, _("destination"), s_or(d, "region", "?"),
		 s_or(d, "enterprise_id", ""), s_or(d, "reception_point", ""), _("eta"), b);
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	y++;
	snprintf(buf, sizeof buf, "%s %d", _("crew on the trip:"), cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(trip, "crew")));
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	tui_keybar(ON_TRIP);
}

const struct screen_ops trip_screen = {
	ON_TRIP, 0, sizeof(struct trip_view), init, draw, tui_key_close, NULL, NULL, NULL, done,
};
