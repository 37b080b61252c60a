/* tui_app.h — the interface's shared state, its screens and its one key
 * table.  Screens are a table of {init, draw, key, done}; the help screen
 * and the key bar are generated from the key table. */
#ifndef GL_TUI_APP_H
#define GL_TUI_APP_H
#include <libintl.h>
#include <stdio.h>
#include <sys/types.h>
#include <wchar.h>
#include "lane.h"
#include "tui.h"

#define _(s) gettext(s)
#define N_(s) (s)

enum action {
	ACT_NONE, ACT_HELP, ACT_PROVINCE, ACT_RELEASE, ACT_SAMPLE, ACT_HOLD, ACT_DIVERT,
	ACT_REVEAL, ACT_QUIT, ACT_REDRAW, ACT_HISTORY_PREV, ACT_HISTORY_NEXT, ACT_SUBMIT,
	ACT_CANCEL, ACT_CLEAR, ACT_HISTORY, ACT_ALERTS, ACT_REPORT, ACT_SYNC, ACT_TRIP,
	ACT_REGISTER, ACT_LANDING, ACT_SEARCH, ACT_ACK, ACT_EXPORT, ACT_FILTER, ACT_NEXT_FIELD,
	ACT_LOCK,
};

/* Which screens a binding belongs to. */
#define ON_MAIN 0x1u
#define ON_HELP 0x2u
#define ON_PICKER 0x4u
#define ON_PROMPT 0x8u
#define ON_CONFIRM 0x10u
#define ON_HISTORY 0x20u
#define ON_ALERTS 0x40u
#define ON_REPORT 0x80u
#define ON_SYNC 0x100u
#define ON_TRIP 0x200u
#define ON_VIEWS (ON_HISTORY | ON_ALERTS | ON_REPORT | ON_SYNC | ON_TRIP)
#define ON_SIGNIN 0x400u

struct key_binding {
	int code;		/* a KEY_* code, or a character */
	int is_key;		/* code is a function key (get_wch said KEY_CODE_YES) */
	const char *label;	/* as shown: "F5", "Esc", "?" */
	const char *desc;	/* msgid: what it does */
	enum action act;
	unsigned screens;
	int in_bar;		/* shown in the bottom bar */
};

extern const struct key_binding tui_keys[];
extern const size_t tui_nkeys;

/* The action of a key on a screen, or ACT_NONE. */
enum action tui_action(unsigned screen, int is_key, wint_t ch);

struct tui;

#define TUI_MAX_WATCH 16
typedef void (*tui_fd_cb)(struct tui *t, int fd, short revents, void *arg);

struct screen_ops {
	unsigned id;		/* ON_* bit */
	int modal;		/* drawn over the screen beneath */
	void (*init)(struct tui *t);
	void (*draw)(struct tui *t);
	/* Handles one key; an action from the key table is passed along. */
	void (*key)(struct tui *t, int is_key, wint_t ch, enum action act);
	void (*done)(struct tui *t);
};

extern const struct screen_ops main_screen, help_screen, picker_screen, prompt_screen,
	confirm_screen, history_screen, alerts_screen, report_screen, sync_screen, trip_screen,
	signin_screen;

#define INPUT_MAX 2048
#define HISTORY_MAX 100

struct tui {
	const struct tui_config *cfg;
	char officer[64];	/* who is signed in (or the configured officer) */
	int officers;		/* officers registered: sign-in and locking apply */
	int64_t last_key;	/* for the idle lock */
	FILE *log;
	struct cache *cache;
	ino_t cache_ino;	/* to notice a snapshot replacing the file */
	struct policy *policy;
	struct journal *journal;
	char checkpoint[64];

	const struct screen_ops *stack[6];
	int depth;
	int dirty, quit;

	wchar_t input[INPUT_MAX + 1];
	int ilen, icur;
	char *history[HISTORY_MAX];
	int nhist, hpos;

	/* The truck at the lane: its queries so far and the check. */
	char *queries[LANE_MAX_QUERIES];
	int nq;
	struct lane_result res;
	int have_res, logged, reveal;
	long long logged_seq;
	int64_t shown_at;

	char msg[320];
	int msg_error;

	/* A modal text prompt (tube number, override reason). */
	const char *prompt_title;
	wchar_t prompt_buf[256];
	int prompt_len;
	void (*prompt_done)(struct tui *t, const char *text);

	/* What a decision or a form waits for. */
	enum decision pending;
	char tube[64];
	char reg_origin[8], reg_dest[8];

	int pick;		/* province picker cursor */

	int64_t submit_ns;	/* when Enter was pressed, until the verdict is drawn */

	/* Background sync: a `greenlane sync --once` child now and then. */
	pid_t sync_pid;
	int sync_fd;		/* closes when the child exits */
	int64_t sync_next;	/* when to start the next one */
	int sync_failed;	/* the last one did not reach the centre */

	/* The list screens (history, alerts): rows, selection, filters. */
	cJSON *rows;
	int sel, top;
	char search[128];
	char vfilter;		/* a verdict letter, or 0 for all */

	struct {
		int fd;
		short events;
		tui_fd_cb cb;
		void *arg;
	} watch[TUI_MAX_WATCH];
	int nwatch;

	/* Sign-in: officer ID and PIN fields. */
	wchar_t si_id[33];
	int si_idlen;
	char si_pin[65];
	int si_pinlen, si_field, si_fails;
};

/* Other descriptors the loop waits on with the keyboard (the network's, a
 * later issue adds libcurl's).  cb runs on the loop when fd is ready; it must
 * not block.  0, or -1 if the table is full. */
int tui_watch(struct tui *t, int fd, short events, tui_fd_cb cb, void *arg);
void tui_unwatch(struct tui *t, int fd);

/* Locks the screen: personal data off, the sign-in screen on. */
void tui_lock(struct tui *t);

/* Clears the truck on screen (its result and queries). */
void main_screen_clear(struct tui *t);
/* main_screen_clear, and forgets what was typed (the input and its
 * history): when personal data leaves the screen, and at the idle lock. */
void main_screen_forget(struct tui *t);

/* The journal's transit records of the last day, newest first (caller
 * frees), for the history and report screens. */
cJSON *tui_recent_transits(struct tui *t);

/* Common list drawing: a title bar, then rows from y = 2 on. */
void tui_title(const char *title, const char *right);

/* Screen stack. */
void tui_push(struct tui *t, const struct screen_ops *s);
void tui_pop(struct tui *t);
/* The key handler of a screen that only shows something: Esc closes it. */
void tui_close_on_cancel(struct tui *t, int is_key, wint_t ch, enum action a);

/* A message on the message line (error: shown as such).  printf-style. */
void tui_say(struct tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A line in the log file (never the terminal). */
void tui_log(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The key bar for a screen, on the last row. */
void tui_keybar(struct tui *t, unsigned screen);

/* Opens a prompt; done gets the text (NULL if cancelled). */
void tui_prompt(struct tui *t, const char *title, void (*done)(struct tui *t, const char *text));

/* Wide ↔ UTF-8 for the input fields. */
void tui_wcs_to_utf8(const wchar_t *w, int n, char *out, size_t cap);

int64_t tui_now(void);

/* 1 if a sync reached the centre lately. */
int tui_online(struct tui *t);

/* Starts a background sync soon (after a record was logged). */
void tui_sync_soon(struct tui *t);

/* A monotonic clock in nanoseconds. */
int64_t tui_mono_ns(void);

/* Puts the cursor back in the main screen's input field. */
void main_screen_cursor(struct tui *t);

/* Once a second: the main screen's timers (clearing personal data). */
void main_screen_tick(struct tui *t);

#endif
