/* tui_screens.h — the screens, each a file with its own private state, and
 * what other screens may ask of them.  Only src/tui includes this. */
#ifndef GL_TUI_SCREENS_H
#define GL_TUI_SCREENS_H
#include "tui_app.h"

extern const struct screen_ops lane_screen;	/* screen_lane.c: the lane, the root */
extern const struct screen_ops help_screen;	/* screen_help.c */
extern const struct screen_ops picker_screen;	/* screen_picker.c: arg, the line_edit to type into */
extern const struct screen_ops prompt_screen;	/* screen_prompt.c: see tui_prompt */
extern const struct screen_ops confirm_screen;	/* screen_prompt.c: see tui_confirm */
extern const struct screen_ops journal_screen;	/* screen_journal.c */
extern const struct screen_ops record_screen;	/* screen_journal.c: arg, a record's body (copied) */
extern const struct screen_ops alerts_screen;	/* screen_alerts.c */
extern const struct screen_ops report_screen;	/* screen_report.c */
extern const struct screen_ops sync_screen;	/* screen_sync.c */
extern const struct screen_ops trip_screen;	/* screen_trip.c: arg, the trip (copied) or NULL */
extern const struct screen_ops signin_screen;	/* screen_signin.c */

/* Asks for a line of text over the current screen, starting with initial
 * (may be NULL).  done gets the text on Enter, NULL on Esc; it returns 0 to
 * close the prompt, or -1 with err filled to keep it open with the text as
 * it is and err shown in it (a tube number that is no tube).  title is
 * copied.  0, or -1 if it could not open. */
typedef int (*tui_prompt_fn)(struct tui *t, void *arg, const char *text, gl_msg *err);
int tui_prompt(struct tui *t, const char *title, const char *initial, tui_prompt_fn done, void *arg);

/* Asks a yes/no question (copied); done gets 1 for yes, 0 for no. */
typedef void (*tui_confirm_fn)(struct tui *t, void *arg, int yes);
int tui_confirm(struct tui *t, const char *question, tui_confirm_fn done, void *arg);

/* Counts the alerts this lane has not acknowledged (screen_alerts.c). */
int alerts_count(struct tui *t);

/* Lists (widgets.c): a title bar on the first row; a selection moved by the
 * key table's list actions over n rows of which page are in sight. */
void tui_title(const char *title, const char *right);
struct tui_list {
	int sel, top;
};
/* 1 if a was a list action (and moved the selection). */
int tui_list_key(struct tui_list *l, enum action a, int n, int page);
/* Keeps the selection within n rows and in sight. */
void tui_list_fit(struct tui_list *l, int n, int page);

/* A time as screens show it, in China Standard Time: "MM-DD HH:MM" (date
 * set) or "HH:MM" of an RFC 3339 text, or "-". */
void tui_short_time(const char *rfc3339, int date, char *out, size_t cap);

/* The key handler of a screen that only shows something: Esc closes it. */
void tui_key_close(struct tui *t, void *p, int is_key, wint_t ch, enum action a);

#endif
