/* tui_keys.h — the interface's one key table: every binding, what it does
 * and on which screens (tig's REQ_INFO, tmux's bind -N).  The help screen
 * and every key bar are made from it, so a key that works is a key that is
 * documented.  Only src/tui includes this. */
#ifndef GL_TUI_KEYS_H
#define GL_TUI_KEYS_H
#include <stddef.h>
#include <wchar.h>

enum action {
	ACT_NONE,
	/* the lane */
	ACT_HELP, ACT_PROVINCE, ACT_RELEASE, ACT_SAMPLE, ACT_HOLD, ACT_DIVERT, ACT_REVEAL, ACT_QUIT,
	ACT_JOURNAL, ACT_ALERTS, ACT_REPORT, ACT_SYNC, ACT_TRIP, ACT_REGISTER, ACT_LANDING, ACT_LOCK,
	ACT_NEXT_TRUCK, ACT_PREV_TRUCK, ACT_HISTORY_PREV, ACT_HISTORY_NEXT,
	/* everywhere */
	ACT_SUBMIT, ACT_CANCEL, ACT_REDRAW,
	/* screens beside the lane */
	ACT_SEARCH, ACT_FILTER, ACT_OPEN, ACT_ACK, ACT_EXPORT, ACT_SYNC_NOW, ACT_NEXT_FIELD,
	/* moving in a list or a grid */
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM,
	/* editing a line (and moving in a grid: left, right) */
	ACT_LEFT, ACT_RIGHT, ACT_BOL, ACT_EOL, ACT_BACKSPACE, ACT_DELETE, ACT_CLEAR,
};

/* Which screens a binding belongs to (a screen_ops' keys). */
#define ON_LANE 0x1u
#define ON_HELP 0x2u
#define ON_PICKER 0x4u
#define ON_PROMPT 0x8u
#define ON_CONFIRM 0x10u
#define ON_JOURNAL 0x20u
#define ON_RECORD 0x40u
#define ON_ALERTS 0x80u
#define ON_REPORT 0x100u
#define ON_SYNC 0x200u
#define ON_TRIP 0x400u
#define ON_SIGNIN 0x800u
#define ON_VIEWS (ON_JOURNAL | ON_RECORD | ON_ALERTS | ON_REPORT | ON_SYNC | ON_TRIP)
#define ON_LISTS (ON_HELP | ON_JOURNAL | ON_RECORD | ON_ALERTS)
#define ON_EDIT (ON_LANE | ON_PROMPT | ON_SIGNIN)
#define ON_ALL 0xFFFu

/* flags */
#define KEY_BAR 0x1u		/* shown in the key bar */
#define KEY_ALIAS 0x2u		/* another key for a binding above: not listed again */
#define KEY_EMPTY 0x4u		/* only while the screen's text field is empty ('?') */
#define KEY_WIDE 0x8u		/* in the key bar only when every label fits in full */

struct key_binding {
	int code;		/* a KEY_* code, or a character */
	int is_key;		/* code is a function key (get_wch said KEY_CODE_YES) */
	const char *label;	/* as shown: "F5", "Esc", "?" */
	const char *desc;	/* msgid: what it does */
	const char *brief;	/* msgid: the same, shorter, for a narrow key bar */
	enum action act;
	unsigned screens;
	unsigned flags;
};

extern const struct key_binding tui_keys[];
extern const size_t tui_nkeys;

/* The help screen's sections: a screen's bindings under a title (msgid). */
struct key_group {
	unsigned screen;
	const char *title;
};
extern const struct key_group tui_key_groups[];
extern const size_t tui_nkey_groups;

/* The action of a key on a screen, or ACT_NONE (then a printable character
 * is text).  field_empty: the screen's text field holds nothing. */
enum action tui_action(unsigned screen, int is_key, wint_t ch, int field_empty);

/* Draws a screen's key bar on the last row.  F10 (quit, if the screen has
 * it) is always shown, at the right; the others in table order while they
 * fit, in brief when the full labels do not. */
void tui_keybar(unsigned screen);

#endif
