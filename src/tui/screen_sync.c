/* screen_sync.c — the link to the centre: online, offline and why, or no
 * centre at all; what the data is and how old; what waits to be sent; and
 * 's' to sync now. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include "gltime.h"
#include "tui_screens.h"
#include "tui_term.h"

static void draw(struct tui *t, void *p)
{
	char buf[400], when[40], cursor[128] = "-", v[32];
	int64_t as_of = cache_as_of(t->cache);
	enum tui_link link = tui_link(t);
	int y = 2;

	(void)p;
	tui_title(_("Sync status"), NULL);
	if (link == TUI_STANDALONE) {
		y += term_wrap(y, 2, COLS - 4, LINES - 2, _("State: standalone — no centre is configured ([server] url); data comes by import"),
			  (int)A_BOLD);
	} else if (link == TUI_ONLINE) {
		y += term_wrap(y, 2, COLS - 4, LINES - 2, _("State: online — the centre answered lately"), (int)A_BOLD);
	} else {
		snprintf(buf, sizeof buf, "%s: %s", _("State: OFFLINE"), tui_link_reason(t));
		y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, term_attr(TC_ALERT) | (int)A_BOLD);
		y += term_wrap(y, 2, COLS - 4, LINES - 2, _("The lane goes on checking with the local data; what is logged is sent later."),
			  A_NORMAL);
		if (t->sync.error[0] != '\0') {
			snprintf(buf, sizeof buf, "%s %s", _("Last error:"), t->sync.error);
			y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, term_attr(TC_ALERT));
		}
	}
	if (t->sync.pid != 0 && t->sync.waiting)
		y += term_wrap(y, 2, COLS - 4, LINES - 2, _("Connected: waiting for the centre's changes."), term_attr(TC_INFO));
	else if (t->sync.pid != 0)
		y += term_wrap(y, 2, COLS - 4, LINES - 2, _("A sync is running now."), term_attr(TC_INFO));
	if (cache_meta(t->cache, "synced_at", v, sizeof v) == 1) {
		gltime_format(strtoll(v, NULL, 10), GLTIME_CST, when, sizeof when);
		snprintf(buf, sizeof buf, _("Last reached the centre: %s"), when);
		y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, A_NORMAL);
	}
	y++;
	if (as_of == INT64_MIN) {
		snprintf(buf, sizeof buf, "%s", _("Data: none"));
	} else {
		gltime_format(as_of, GLTIME_CST, when, sizeof when);
		snprintf(buf, sizeof buf, _("Data as of %s (%lld min ago)"), when, (long long)((tui_now() - as_of) / 60));
	}
	y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, A_NORMAL);
	cache_meta(t->cache, "cursor", cursor, sizeof cursor);
	snprintf(buf, sizeof buf, _("Cursor: %s"), cursor);
	y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, A_NORMAL);
	snprintf(buf, sizeof buf, _("Unsent journal records: %lld"), (long long)journal_pending(t->journal));
	y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, A_NORMAL);
	snprintf(buf, sizeof buf, _("Terminal: %s · checkpoint %s"), journal_terminal(t->journal), t->checkpoint);
	y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, A_NORMAL);
	snprintf(buf, sizeof buf, _("Policy: %s %s"), policy_id(t->policy), policy_version(t->policy));
	y += term_wrap(y, 2, COLS - 4, LINES - 2, buf, A_NORMAL);
	tui_keybar(ON_SYNC);
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	(void)p;
	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL)
		tui_pop(t);
	else if (a == ACT_SYNC_NOW)
		tui_sync_now(t);
}

const struct screen_ops sync_screen = { ON_SYNC, 0, 0, NULL, draw, key, NULL, NULL, NULL, NULL };
