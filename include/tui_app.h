/* tui_app.h — the interface's application: the data it works on, the
 * screen stack, messages, the log file and the background sync.  Screens
 * are tables of operations with private state (tig's view_ops with
 * private_size, tmux's window_mode with wme->data); the loop calls them and
 * never names one.  Only src/tui includes this. */
#ifndef GL_TUI_APP_H
#define GL_TUI_APP_H
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <wchar.h>
#include "lane.h"
#include "tui.h"
#include "tui_keys.h"

#define _(s) gettext(s)
#define N_(s) (s)

struct tui;

/* What the loop tells every screen on the stack, bottom first. */
enum tui_event {
	TUI_EV_TICK,		/* once a second */
	TUI_EV_DATA,		/* the data changed: a sync, an import, a snapshot, a record logged */
	TUI_EV_LOCK,		/* the screen locks: forget what was typed */
	TUI_EV_UNLOCK,		/* an officer signed in */
};

struct screen_ops {
	unsigned keys;		/* ON_*: which of the key table's bindings apply */
	int modal;		/* drawn over the screen beneath it */
	size_t private_size;	/* zeroed for each push, freed at the pop */
	/* arg is what tui_push was given (borrowed for the call). */
	void (*init)(struct tui *t, void *p, void *arg);
	void (*draw)(struct tui *t, void *p);
	/* One key; a is the key table's action for it, or ACT_NONE. */
	void (*key)(struct tui *t, void *p, int is_key, wint_t ch, enum action a);
	/* 1 if the screen's text field holds something ('?' is then text).
	 * NULL: no field. */
	int (*typing)(struct tui *t, void *p);
	/* Leaves the cursor where typing goes; NULL: the cursor is hidden. */
	void (*cursor)(struct tui *t, void *p);
	void (*event)(struct tui *t, void *p, enum tui_event ev);
	void (*done)(struct tui *t, void *p);
};

#define TUI_MAX_WATCH 16
#define TUI_CHECK_EVERY_S 3600	/* the file's structure checked again after an hour, */
#define TUI_CHECK_IDLE_S 60	/* when no key was pressed for a minute */
#define TUI_MAX_DEPTH 8
typedef void (*tui_fd_cb)(struct tui *t, int fd, short revents, void *arg);

/* The link to the centre. */
enum tui_link {
	TUI_STANDALONE,		/* no centre configured */
	TUI_ONLINE,		/* the last sync reached the centre, lately */
	TUI_OFFLINE,		/* it did not */
};

/* A command the lane runs in the background as a child process, so that
 * nothing slow runs in the loop: `greenlane sync --once` now and then, and
 * `greenlane check` at the start and when idle.  Its output goes to the
 * log file; the last thing it said on failing is kept. */
struct tui_child {
	const char *what;	/* its subcommand */
	pid_t pid;		/* running, or 0 */
	int fd;			/* its output; -1 */
	int64_t next;		/* when to start it next */
	int64_t started, ended;
	int failed;		/* the last run did not succeed */
	int code;		/* its exit status */
	int waiting;		/* it said it waits for the centre's changes ("wait: ") */
	char error[256];	/* what it said last on failing */
	char line[512];		/* output not yet a whole line */
	size_t len;
	void (*done)(struct tui *t, struct tui_child *ch);
};

struct tui {
	const struct tui_config *cfg;
	FILE *log;
	char officer[64];	/* who is signed in (or the configured officer) */
	int officers;		/* officers registered: sign-in and locking apply */
	int locked;		/* the sign-in screen is up */
	int signed_in;		/* an officer signed in since the start */
	int64_t last_key;	/* for the idle lock */

	/* the data */
	struct cache *cache;
	ino_t cache_ino;	/* to notice a snapshot replacing the file */
	int64_t cache_version;	/* to notice any other change (cache_version) */
	struct policy *policy;
	struct journal *journal;
	char checkpoint[64];
	int alerts_new;		/* alerts this lane has not acknowledged */

	struct {
		const struct screen_ops *ops;
		void *p;
	} stack[TUI_MAX_DEPTH];
	int depth;
	int dirty, quit;

	char msg[320];
	int msg_error;
	int64_t submit_ns;	/* Enter pressed, until the verdict is drawn */
	int64_t start_ns;	/* the interface started, until its first frame is drawn */

	struct tui_child sync, check;
	struct {
		int fd;
		short events;
		tui_fd_cb cb;
		void *arg;
	} watch[TUI_MAX_WATCH];
	int nwatch;
};

/* The screen stack.  tui_push allocates the screen's private state and
 * calls its init with arg; tui_pop calls done and frees it.  tui_push fails
 * (-1, said on the message line) only when the stack is full or memory is
 * out. */
int tui_push(struct tui *t, const struct screen_ops *s, void *arg);
void tui_pop(struct tui *t);
/* The screen on top. */
const struct screen_ops *tui_top(const struct tui *t);
/* Tells every screen on the stack, bottom first. */
void tui_broadcast(struct tui *t, enum tui_event ev);

/* A message on the message line (error: shown as such), also logged.
 * printf-style. */
void tui_say(struct tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A line in the log file (never the terminal). */
void tui_log(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Journals a record the officer made here (kind, fields), with the officer
 * and checkpoint added.  0, or -1 with err (nothing written). */
int tui_journal(struct tui *t, const char *kind, cJSON *fields, struct journal_entry *out, gl_msg *err);

int64_t tui_now(void);
/* A monotonic clock in nanoseconds. */
int64_t tui_mono_ns(void);

/* Watches a descriptor in the loop; cb runs when it is ready and must not
 * block.  0, or -1 if the table is full. */
int tui_watch(struct tui *t, int fd, short events, tui_fd_cb cb, void *arg);
void tui_unwatch(struct tui *t, int fd);

/* The link to the centre, and in words why it is down ("" if it is not). */
enum tui_link tui_link(struct tui *t);
const char *tui_link_reason(struct tui *t);
/* Starts a background sync now (0), or says why not (-1, on the message
 * line).  tui_sync_soon: within two seconds (after a record was logged).
 * A sync waiting for the centre's changes is woken instead (SIGUSR1): it
 * ends, and the next round, which pushes first, starts at once. */
int tui_sync_now(struct tui *t);
void tui_sync_soon(struct tui *t);

/* Locks the screen: what was typed is forgotten, the sign-in screen comes
 * up.  The undecided trucks stay for whoever signs in. */
void tui_lock(struct tui *t);

/* The lane's data changed: the policy is read again if the centre sent a
 * new one, the alerts are counted, every screen is told (TUI_EV_DATA). */
void tui_data_changed(struct tui *t);

#endif
