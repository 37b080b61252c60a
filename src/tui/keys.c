/* keys.c — the one key table, its look-up and the key bar made from it.
 * The help screen (screen_help.c) lists the same table. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <libintl.h>
#include "tui_keys.h"
#include "tui_term.h"

#define _(s) gettext(s)
#define N_(s) (s)
#define CTRL(c) ((c) & 0x1f)

const struct key_binding tui_keys[] = {
	/* the lane: the bar shows these, in this order */
	{ KEY_F(1), 1, "F1", N_("help"), N_("help"), ACT_HELP, ON_LANE, KEY_BAR },
	{ '?', 0, "?", N_("help (when the field is empty)"), NULL, ACT_HELP, ON_LANE, KEY_EMPTY },
	{ KEY_F(2), 1, "F2", N_("province"), NULL, ACT_PROVINCE, ON_LANE, KEY_BAR | KEY_WIDE },
	{ KEY_F(3), 1, "F3", N_("journal"), N_("log"), ACT_JOURNAL, ON_LANE, KEY_BAR },
	{ KEY_F(4), 1, "F4", N_("alerts"), N_("alerts"), ACT_ALERTS, ON_LANE, KEY_BAR },
	{ KEY_F(5), 1, "F5", N_("release"), N_("release"), ACT_RELEASE, ON_LANE, KEY_BAR },
	{ KEY_F(6), 1, "F6", N_("sample"), N_("sample"), ACT_SAMPLE, ON_LANE, KEY_BAR },
	{ KEY_F(7), 1, "F7", N_("hold"), N_("hold"), ACT_HOLD, ON_LANE, KEY_BAR },
	{ KEY_F(8), 1, "F8", N_("divert"), N_("divert"), ACT_DIVERT, ON_LANE, KEY_BAR },
	{ KEY_F(9), 1, "F9", N_("show ID numbers (journaled)"), NULL, ACT_REVEAL, ON_LANE, 0 },
	{ KEY_F(10), 1, "F10", N_("quit"), N_("quit"), ACT_QUIT, ON_LANE | ON_SIGNIN, KEY_BAR },
	{ KEY_F(11), 1, "F11", N_("shift report"), NULL, ACT_REPORT, ON_LANE, 0 },
	{ KEY_F(12), 1, "F12", N_("sync status, sync now"), NULL, ACT_SYNC, ON_LANE, 0 },
	{ '\r', 0, "Enter", N_("check what was typed or scanned"), NULL, ACT_SUBMIT, ON_LANE, 0 },
	{ KEY_ENTER, 1, "Enter", N_("check what was typed or scanned"), NULL, ACT_SUBMIT, ON_LANE, KEY_ALIAS },
	{ '\t', 0, "Tab", N_("next undecided truck"), NULL, ACT_NEXT_TRUCK, ON_LANE, 0 },
	{ KEY_BTAB, 1, "Shift-Tab", N_("previous undecided truck"), NULL, ACT_PREV_TRUCK, ON_LANE, 0 },
	{ 27, 0, "Esc", N_("clear the field, else put the truck away (asks if undecided)"), NULL, ACT_CANCEL, ON_LANE, 0 },
	{ CTRL('t'), 0, "Ctrl-T", N_("trip detail"), NULL, ACT_TRIP, ON_LANE, 0 },
	{ CTRL('r'), 0, "Ctrl-R", N_("register on the spot (补录)"), NULL, ACT_REGISTER, ON_LANE, 0 },
	{ CTRL('e'), 0, "Ctrl-E", N_("record a landing test (落地检)"), NULL, ACT_LANDING, ON_LANE, 0 },
	{ CTRL('x'), 0, "Ctrl-X", N_("lock the screen"), NULL, ACT_LOCK, ON_LANE, 0 },
	{ KEY_UP, 1, "Up", N_("previous input"), NULL, ACT_HISTORY_PREV, ON_LANE, 0 },
	{ KEY_DOWN, 1, "Down", N_("next input"), NULL, ACT_HISTORY_NEXT, ON_LANE, 0 },

	/* editing a line: the lane's field, prompts, sign-in */
	{ KEY_LEFT, 1, "Left", N_("cursor left"), NULL, ACT_LEFT, ON_EDIT | ON_PICKER, 0 },
	{ KEY_RIGHT, 1, "Right", N_("cursor right"), NULL, ACT_RIGHT, ON_EDIT | ON_PICKER, 0 },
	{ KEY_HOME, 1, "Home", N_("start of the line"), NULL, ACT_BOL, ON_EDIT, 0 },
	{ KEY_END, 1, "End", N_("end of the line"), NULL, ACT_EOL, ON_EDIT, 0 },
	{ KEY_BACKSPACE, 1, "Backspace", N_("delete before the cursor"), NULL, ACT_BACKSPACE, ON_EDIT, 0 },
	{ 127, 0, "Backspace", N_("delete before the cursor"), NULL, ACT_BACKSPACE, ON_EDIT, KEY_ALIAS },
	{ 8, 0, "Backspace", N_("delete before the cursor"), NULL, ACT_BACKSPACE, ON_EDIT, KEY_ALIAS },
	{ KEY_DC, 1, "Delete", N_("delete at the cursor"), NULL, ACT_DELETE, ON_EDIT, 0 },
	{ CTRL('u'), 0, "Ctrl-U", N_("clear the line"), NULL, ACT_CLEAR, ON_EDIT, 0 },

	/* screens beside the lane */
	{ '/', 0, "/", N_("search"), N_("search"), ACT_SEARCH, ON_JOURNAL, KEY_BAR },
	{ 'g', 0, "g", N_("green only"), NULL, ACT_FILTER, ON_JOURNAL, 0 },
	{ 'p', 0, "p", N_("pass only"), NULL, ACT_FILTER, ON_JOURNAL, 0 },
	{ 's', 0, "s", N_("sample only"), NULL, ACT_FILTER, ON_JOURNAL, 0 },
	{ 'c', 0, "c", N_("check only"), NULL, ACT_FILTER, ON_JOURNAL, 0 },
	{ 'h', 0, "h", N_("hold only"), NULL, ACT_FILTER, ON_JOURNAL, 0 },
	{ 'o', 0, "o", N_("overrides only"), N_("overrides"), ACT_FILTER, ON_JOURNAL, KEY_BAR },
	{ 'a', 0, "a", N_("all records"), N_("all"), ACT_FILTER, ON_JOURNAL, KEY_BAR },
	{ '\r', 0, "Enter", N_("open the record"), N_("open"), ACT_OPEN, ON_JOURNAL, KEY_BAR },
	{ KEY_ENTER, 1, "Enter", N_("open the record"), NULL, ACT_OPEN, ON_JOURNAL, KEY_ALIAS },
	{ 'a', 0, "a", N_("acknowledge"), N_("ack"), ACT_ACK, ON_ALERTS, KEY_BAR },
	{ '\r', 0, "Enter", N_("acknowledge"), NULL, ACT_ACK, ON_ALERTS, KEY_ALIAS },
	{ KEY_ENTER, 1, "Enter", N_("acknowledge"), NULL, ACT_ACK, ON_ALERTS, KEY_ALIAS },
	{ 'e', 0, "e", N_("write the ledger CSV"), N_("CSV"), ACT_EXPORT, ON_REPORT, KEY_BAR },
	{ 's', 0, "s", N_("sync now"), N_("sync now"), ACT_SYNC_NOW, ON_SYNC, KEY_BAR },

	/* lists and the help */
	{ KEY_UP, 1, "Up", N_("previous row"), NULL, ACT_UP, ON_LISTS | ON_PICKER, 0 },
	{ KEY_DOWN, 1, "Down", N_("next row"), NULL, ACT_DOWN, ON_LISTS | ON_PICKER, 0 },
	{ KEY_PPAGE, 1, "PgUp", N_("previous page"), NULL, ACT_PGUP, ON_LISTS, 0 },
	{ KEY_NPAGE, 1, "PgDn", N_("next page"), NULL, ACT_PGDN, ON_LISTS, 0 },
	{ KEY_HOME, 1, "Home", N_("first row"), NULL, ACT_TOP, ON_LISTS, 0 },
	{ KEY_END, 1, "End", N_("last row"), NULL, ACT_BOTTOM, ON_LISTS, 0 },

	/* sign-in */
	{ '\t', 0, "Tab", N_("next field"), N_("next field"), ACT_NEXT_FIELD, ON_SIGNIN, KEY_BAR },
	{ '\r', 0, "Enter", N_("sign in"), N_("sign in"), ACT_SUBMIT, ON_SIGNIN, KEY_BAR },
	{ KEY_ENTER, 1, "Enter", N_("sign in"), NULL, ACT_SUBMIT, ON_SIGNIN, KEY_ALIAS },
	{ 27, 0, "Esc", N_("start again"), N_("clear"), ACT_CANCEL, ON_SIGNIN, KEY_BAR },

	/* dialogs */
	{ '\r', 0, "Enter", N_("confirm"), N_("confirm"), ACT_SUBMIT, ON_PICKER | ON_PROMPT, KEY_BAR },
	{ KEY_ENTER, 1, "Enter", N_("confirm"), NULL, ACT_SUBMIT, ON_PICKER | ON_PROMPT, KEY_ALIAS },
	{ 'y', 0, "y", N_("yes"), N_("yes"), ACT_SUBMIT, ON_CONFIRM, KEY_BAR },
	{ 'n', 0, "n", N_("no"), N_("no"), ACT_CANCEL, ON_CONFIRM, KEY_BAR },

	/* closing */
	{ 27, 0, "Esc", N_("back"), N_("back"), ACT_CANCEL, ON_HELP | ON_PICKER | ON_PROMPT | ON_CONFIRM | ON_VIEWS, KEY_BAR },
	{ 'q', 0, "q", N_("back"), NULL, ACT_CANCEL, ON_HELP | ON_VIEWS, KEY_ALIAS },
	{ KEY_F(1), 1, "F1", N_("back"), NULL, ACT_CANCEL, ON_HELP, KEY_ALIAS },
	{ CTRL('l'), 0, "Ctrl-L", N_("redraw the screen"), NULL, ACT_REDRAW, ON_ALL, 0 },
};
const size_t tui_nkeys = sizeof tui_keys / sizeof tui_keys[0];

const struct key_group tui_key_groups[] = {
	{ ON_LANE, N_("Lane screen") }, { ON_JOURNAL, N_("Journal") }, { ON_ALERTS, N_("Alerts") },
	{ ON_REPORT, N_("Shift report") }, { ON_SYNC, N_("Sync status") }, { ON_PICKER, N_("Province picker") },
	{ ON_HELP, N_("Lists and this help") }, { ON_SIGNIN, N_("Sign-in") },
};
const size_t tui_nkey_groups = sizeof tui_key_groups / sizeof tui_key_groups[0];

enum action tui_action(unsigned screen, int is_key, wint_t ch, int field_empty)
{
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct key_binding *k = &tui_keys[i];
		if ((k->screens & screen) && k->is_key == is_key && (wint_t)k->code == ch &&
		    (!(k->flags & KEY_EMPTY) || field_empty))
			return k->act;
	}
	/* Enter arrives as \r (nonl) or \n. */
	if (!is_key && ch == '\n')
		return tui_action(screen, 0, '\r', field_empty);
	return ACT_NONE;
}

/* Columns the bar needs: brief or full labels, one or two spaces apart. */
static int bar_width(unsigned screen, int brief, int gap)
{
	int w = 0;

	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct key_binding *k = &tui_keys[i];
		if ((k->screens & screen) && (k->flags & KEY_BAR) && !(brief && (k->flags & KEY_WIDE)))
			w += term_width(k->label) + 1 + term_width(_(brief && k->brief ? k->brief : k->desc)) + gap;
	}
	return w - gap;
}

static int bar_item(int y, int x, int maxx, const struct key_binding *k, int brief)
{
	const char *d = _(brief && k->brief ? k->brief : k->desc);

	if (x + term_width(k->label) + 1 + term_width(d) > maxx)
		return -1;
	x += term_text(y, x, maxx - x, k->label, term_attr(TC_KEY));
	x += 1;
	return x + term_text(y, x, maxx - x, d, term_attr(TC_NORMAL));
}

void tui_keybar(unsigned screen)
{
	const struct key_binding *quit = NULL;
	int y = LINES - 1, x = 0, brief = 0, gap = 2, maxx = COLS;

	if (bar_width(screen, 0, 2) > COLS) {
		brief = 1;
		gap = bar_width(screen, 1, 2) > COLS ? 1 : 2;
	}
	term_fill(y, 0, COLS, term_attr(TC_NORMAL));
	for (size_t i = 0; i < tui_nkeys; i++)
		if ((tui_keys[i].screens & screen) && tui_keys[i].act == ACT_QUIT && (tui_keys[i].flags & KEY_BAR))
			quit = &tui_keys[i];
	if (quit != NULL) {
		/* Quitting is always in sight, at the right. */
		const char *d = _(brief ? quit->brief : quit->desc);
		maxx = COLS - (term_width(quit->label) + 1 + term_width(d));
		bar_item(y, maxx, COLS, quit, brief);
		maxx -= gap;
	}
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct key_binding *k = &tui_keys[i];
		int nx;
		if (!(k->screens & screen) || !(k->flags & KEY_BAR) || k == quit || (brief && (k->flags & KEY_WIDE)))
			continue;
		nx = bar_item(y, x, maxx, k, brief);
		if (nx < 0)
			break;
		x = nx + gap;
	}
}
