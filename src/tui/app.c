/* app.c — the interface's loop and its one key table.  The loop waits on the
 * keyboard (and, later, the network's descriptors) with poll, drains every
 * key curses has buffered before drawing — so a scanner's burst arrives
 * whole — and draws once per turn, only when something changed. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gltime.h"
#include "paths.h"
#include "tui_app.h"
#include "tui_term.h"
#include "utf8.h"

#define CTRL(c) ((c) & 0x1f)

static void sync_start(struct tui *t);

const struct key_binding tui_keys[] = {
	{ KEY_F(1), 1, "F1", N_("help"), ACT_HELP, ON_MAIN, 1 },
	{ '?', 0, "?", N_("help"), ACT_HELP, ON_MAIN, 0 },
	{ KEY_F(2), 1, "F2", N_("province"), ACT_PROVINCE, ON_MAIN, 1 },
	{ KEY_F(3), 1, "F3", N_("journal"), ACT_HISTORY, ON_MAIN, 1 },
	{ KEY_F(4), 1, "F4", N_("alerts"), ACT_ALERTS, ON_MAIN, 1 },
	{ KEY_F(5), 1, "F5", N_("release"), ACT_RELEASE, ON_MAIN, 1 },
	{ KEY_F(6), 1, "F6", N_("sample"), ACT_SAMPLE, ON_MAIN, 1 },
	{ KEY_F(7), 1, "F7", N_("hold"), ACT_HOLD, ON_MAIN, 1 },
	{ KEY_F(8), 1, "F8", N_("divert"), ACT_DIVERT, ON_MAIN, 1 },
	{ KEY_F(9), 1, "F9", N_("show IDs (journaled)"), ACT_REVEAL, ON_MAIN, 0 },
	{ KEY_F(10), 1, "F10", N_("quit"), ACT_QUIT, ON_MAIN, 1 },
	{ KEY_F(11), 1, "F11", N_("shift report"), ACT_REPORT, ON_MAIN, 0 },
	{ KEY_F(12), 1, "F12", N_("sync status"), ACT_SYNC, ON_MAIN, 0 },
	{ CTRL('t'), 0, "Ctrl-T", N_("trip detail"), ACT_TRIP, ON_MAIN, 0 },
	{ CTRL('r'), 0, "Ctrl-R", N_("register on the spot (补录)"), ACT_REGISTER, ON_MAIN, 0 },
	{ CTRL('e'), 0, "Ctrl-E", N_("record a landing test (落地检)"), ACT_LANDING, ON_MAIN, 0 },
	{ '/', 0, "/", N_("search"), ACT_SEARCH, ON_HISTORY, 1 },
	{ 'g', 0, "g", N_("green only"), ACT_FILTER, ON_HISTORY, 0 },
	{ 'p', 0, "p", N_("pass only"), ACT_FILTER, ON_HISTORY, 0 },
	{ 's', 0, "s", N_("sample only"), ACT_FILTER, ON_HISTORY, 0 },
	{ 'c', 0, "c", N_("check only"), ACT_FILTER, ON_HISTORY, 0 },
	{ 'h', 0, "h", N_("hold only"), ACT_FILTER, ON_HISTORY, 0 },
	{ 'a', 0, "a", N_("all verdicts"), ACT_FILTER, ON_HISTORY, 1 },
	{ 'a', 0, "a", N_("acknowledge"), ACT_ACK, ON_ALERTS, 1 },
	{ CTRL('x'), 0, "Ctrl-X", N_("lock the screen"), ACT_LOCK, ON_MAIN, 0 },
	{ '\t', 0, "Tab", N_("next field"), ACT_NEXT_FIELD, ON_SIGNIN, 1 },
	{ '\r', 0, "Enter", N_("sign in"), ACT_SUBMIT, ON_SIGNIN, 1 },
	{ 27, 0, "Esc", N_("clear"), ACT_CANCEL, ON_SIGNIN, 1 },
	{ KEY_F(10), 1, "F10", N_("quit"), ACT_QUIT, ON_SIGNIN, 1 },
	{ 'e', 0, "e", N_("export CSV for the ledger"), ACT_EXPORT, ON_REPORT, 1 },
	{ KEY_UP, 1, "Up", N_("previous input"), ACT_HISTORY_PREV, ON_MAIN, 0 },
	{ KEY_DOWN, 1, "Down", N_("next input"), ACT_HISTORY_NEXT, ON_MAIN, 0 },
	{ '\r', 0, "Enter", N_("check / confirm"), ACT_SUBMIT, ON_MAIN | ON_PICKER | ON_PROMPT | ON_CONFIRM, 0 },
	{ KEY_ENTER, 1, "Enter", N_("check / confirm"), ACT_SUBMIT, ON_MAIN | ON_PICKER | ON_PROMPT | ON_CONFIRM, 0 },
	{ 27, 0, "Esc", N_("cancel / clear / back"), ACT_CANCEL, ON_MAIN | ON_HELP | ON_PICKER | ON_PROMPT | ON_CONFIRM | ON_VIEWS, 1 },
	{ CTRL('u'), 0, "Ctrl-U", N_("clear the input"), ACT_CLEAR, ON_MAIN | ON_PROMPT, 0 },
	{ CTRL('l'), 0, "Ctrl-L", N_("redraw"), ACT_REDRAW, ON_MAIN | ON_HELP | ON_PICKER | ON_PROMPT | ON_CONFIRM | ON_VIEWS | ON_SIGNIN, 0 },
	{ 'q', 0, "q", N_("close"), ACT_CANCEL, ON_HELP | ON_VIEWS, 1 },
	{ KEY_F(1), 1, "F1", N_("close"), ACT_CANCEL, ON_HELP, 0 },
	{ 'y', 0, "y", N_("yes"), ACT_SUBMIT, ON_CONFIRM, 1 },
	{ 'n', 0, "n", N_("no"), ACT_CANCEL, ON_CONFIRM, 1 },
};
const size_t tui_nkeys = sizeof tui_keys / sizeof tui_keys[0];

enum action tui_action(unsigned screen, int is_key, wint_t ch)
{
	for (size_t i = 0; i < tui_nkeys; i++)
		if ((tui_keys[i].screens & screen) && tui_keys[i].is_key == is_key &&
		    (wint_t)tui_keys[i].code == ch)
			return tui_keys[i].act;
	/* Enter arrives as \r (nonl) or \n. */
	if (!is_key && ch == '\n')
		return tui_action(screen, 0, '\r');
	return ACT_NONE;
}

void tui_keybar(struct tui *t, unsigned screen)
{
	int x = 0, y = LINES - 1;

	(void)t;
	term_fill(y, 0, COLS, term_attr(TC_NORMAL));
	for (size_t i = 0; i < tui_nkeys && x < COLS; i++) {
		const struct key_binding *k = &tui_keys[i];
		if (!(k->screens & screen) || !k->in_bar || (screen == ON_MAIN && k->act == ACT_CANCEL))
			continue;
		x += term_text(y, x, COLS - x, k->label, term_attr(TC_KEY));
		x += 1;
		x += term_text(y, x, COLS - x, _(k->desc), term_attr(TC_NORMAL));
		x += 2;
	}
}

void tui_push(struct tui *t, const struct screen_ops *s)
{
	if (t->depth == (int)(sizeof t->stack / sizeof t->stack[0]))
		return;
	t->stack[t->depth++] = s;
	if (s->init != NULL)
		s->init(t);
	t->dirty = 1;
}

void tui_pop(struct tui *t)
{
	if (t->depth <= 1)
		return;
	if (t->stack[t->depth - 1]->done != NULL)
		t->stack[t->depth - 1]->done(t);
	t->depth--;
	t->dirty = 1;
}

void tui_say(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
	t->dirty = 1;
	tui_log(t, "%s%s", error ? "error: " : "", t->msg);
}

void tui_log(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	char when[40];

	if (t->log == NULL)
		return;
	gltime_format(tui_now(), GLTIME_CST, when, sizeof when);
	fprintf(t->log, "%s ", when);
	va_start(ap, fmt);
	vfprintf(t->log, fmt, ap);
	va_end(ap);
	fputc('\n', t->log);
	fflush(t->log);
}

void tui_prompt(struct tui *t, const char *title, void (*done)(struct tui *t, const char *text))
{
	t->prompt_title = title;
	t->prompt_len = 0;
	t->prompt_buf[0] = 0;
	t->prompt_done = done;
	tui_push(t, &prompt_screen);
}

void tui_wcs_to_utf8(const wchar_t *w, int n, char *out, size_t cap)
{
	size_t o = 0;

	for (int i = 0; i < n; i++) {
		char b[4];
		size_t k = utf8_encode((uint32_t)w[i], b);
		if (k == 0 || o + k >= cap)
			break;
		memcpy(out + o, b, k);
		o += k;
	}
	out[o] = '\0';
}

int64_t tui_now(void)
{
	return (int64_t)time(NULL);
}

int64_t tui_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The translations: beside the binary (a build tree), else installed. */
static void setup_language(const struct tui_config *cfg)
{
	char exe[PATH_MAX], dir[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (setlocale(LC_ALL, "") == NULL || strcmp(setlocale(LC_CTYPE, NULL), "C") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	setenv("LANGUAGE", cfg->zh ? "zh_CN" : "en", 1);
	snprintf(dir, sizeof dir, "%s", GL_LOCALEDIR);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/locale", exe);
			if (access(dir, R_OK) != 0)
				snprintf(dir, sizeof dir, "%s", GL_LOCALEDIR);
		}
	}
	bindtextdomain("greenlane", dir);
	bind_textdomain_codeset("greenlane", "UTF-8");
	textdomain("greenlane");
}

static void draw(struct tui *t)
{
	char buf[160];

	erase();
	if (LINES < 24 || COLS < 80) {
		snprintf(buf, sizeof buf, _("Terminal too small: %d×%d, greenlane needs 80×24"), COLS, LINES);
		term_text(LINES / 2, 0, COLS, buf, term_attr(TC_ALERT));
		term_text(LINES / 2 + 1, 0, COLS, _("Enlarge the window, or press F10 to quit"), A_NORMAL);
	} else {
		/* Modal screens draw over the ones below them. */
		int base = t->depth - 1;
		while (base > 0 && t->stack[base]->modal)
			base--;
		for (int i = base; i < t->depth; i++)
			t->stack[i]->draw(t);
		if (t->msg[0] != '\0' && !t->stack[t->depth - 1]->modal)
			term_text(LINES - 2, 1, COLS - 2, t->msg,
				  t->msg_error ? term_attr(TC_ALERT) | (int)A_BOLD : term_attr(TC_INFO));
		if (t->stack[t->depth - 1] == &main_screen)
			main_screen_cursor(t);
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = 0;
	if (t->submit_ns != 0) {
		/* Enter → verdict on screen, for `make bench`. */
		tui_log(t, "drawn %lld us", (long long)((tui_mono_ns() - t->submit_ns) / 1000));
		t->submit_ns = 0;
	}
}

static void handle_key(struct tui *t, int is_key, wint_t ch)
{
	const struct screen_ops *s = t->stack[t->depth - 1];
	enum action a;

	if (is_key && ch == KEY_RESIZE) {
		t->dirty = 1;
		return;
	}
	if (LINES < 24 || COLS < 80) {
		/* Only quitting works on a screen too small to show anything. */
		if (is_key && ch == KEY_F(10))
			t->quit = 1;
		return;
	}
	t->last_key = tui_now();
	a = tui_action(s->id, is_key, ch);
	if (a == ACT_REDRAW) {
		clearok(curscr, TRUE);
		t->dirty = 1;
		return;
	}
	s->key(t, is_key, ch, a);
	t->dirty = 1;
}

/* The cache file's identity: a snapshot replaces the file, and the lane
 * must then read the new one. */
static ino_t cache_inode(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_ino : 0;
}

/* Checks read enterprises from memory (see cache_keep_enterprises); after a
 * sync changed one, they are loaded again here, when the lane is idle. */
static void keep_enterprises(struct tui *t)
{
	int loaded;
	long n = cache_keep_enterprises(t->cache, &loaded);

	if (loaded)
		tui_log(t, "%ld enterprises loaded into memory", n);
}

static int open_data(struct tui *t, gl_msg *err)
{
	const char *src;

	t->cache_ino = cache_inode(t->cfg->cache_path);
	t->cache = cache_open(t->cfg->cache_path, 0, err);
	if (t->cache == NULL)
		return -1;
	t->policy = lane_policy(t->cache, &src, err);
	if (t->policy == NULL)
		return -1;
	tui_log(t, "policy %s %s (%s)", policy_id(t->policy), policy_version(t->policy), src);
	keep_enterprises(t);
	t->journal = journal_open(t->cfg->journal_path, t->cfg->terminal[0] ? t->cfg->terminal : NULL, err);
	if (t->journal == NULL)
		return -1;
	{
		cJSON *o = journal_officers(t->journal);
		t->officers = cJSON_GetArraySize(o);
		cJSON_Delete(o);
	}
	if (t->cfg->checkpoint_id[0] != '\0')
		snprintf(t->checkpoint, sizeof t->checkpoint, "%s", t->cfg->checkpoint_id);
	else
		cache_meta(t->cache, "checkpoint", t->checkpoint, sizeof t->checkpoint);
	return 0;
}

/* Reopens the cache (and its policy) after a snapshot replaced the file;
 * the truck on screen keeps its verdict until the next check. */
static void reopen_if_replaced(struct tui *t)
{
	ino_t now = cache_inode(t->cfg->cache_path);
	struct cache *c;
	struct policy *p;
	const char *src;
	gl_msg err;

	if (now == 0 || now == t->cache_ino)
		return;
	c = cache_open(t->cfg->cache_path, 0, &err);
	p = c != NULL ? lane_policy(c, &src, &err) : NULL;
	if (p == NULL) {
		cache_close(c);
		tui_log(t, "cannot reopen the replaced cache: %s", err.en);
		t->cache_ino = now;	/* said once; the next snapshot is a new file again */
		return;
	}
	policy_free(t->policy);	/* the truck on screen holds the one it was checked with */
	cache_close(t->cache);
	t->cache = c;
	t->policy = p;
	t->cache_ino = now;
	/* Its enterprises are loaded when the lane is next idle. */
	tui_log(t, "the cache was replaced (a snapshot): reopened; policy %s %s", policy_id(p), policy_version(p));
}

static void close_data(struct tui *t)
{
	if (t->have_res)
		lane_result_free(&t->res);
	for (int i = 0; i < t->nq; i++)
		free(t->queries[i]);
	for (int i = 0; i < t->nhist; i++)
		free(t->history[i]);
	journal_close(t->journal);
	policy_free(t->policy);
	cache_close(t->cache);
}

int tui_watch(struct tui *t, int fd, short events, tui_fd_cb cb, void *arg)
{
	if (t->nwatch == TUI_MAX_WATCH)
		return -1;
	t->watch[t->nwatch].fd = fd;
	t->watch[t->nwatch].events = events;
	t->watch[t->nwatch].cb = cb;
	t->watch[t->nwatch].arg = arg;
	t->nwatch++;
	return 0;
}

void tui_unwatch(struct tui *t, int fd)
{
	for (int i = 0; i < t->nwatch; i++) {
		if (t->watch[i].fd == fd) {
			t->watch[i] = t->watch[--t->nwatch];
			return;
		}
	}
}

static void on_quit_pipe(struct tui *t, int fd, short revents, void *arg)
{
	char b[16];

	(void)revents;
	(void)arg;
	while (read(fd, b, sizeof b) > 0)
		;
	t->quit = 1;
}

/* The first watched descriptor: SIGTERM/SIGINT/SIGHUP wake the loop at
 * once through a pipe, instead of at the next poll timeout. */
static void quit_pipe(struct tui *t)
{
	int fd = term_quit_fd();

	if (fd >= 0)
		tui_watch(t, fd, POLLIN, on_quit_pipe, NULL);
}

int tui_run(const struct tui_config *cfg)
{
	struct tui *t = calloc(1, sizeof *t);
	char logpath[PATH_MAX];
	gl_msg err;
	int64_t last_tick = 0;
	int rc = 0;

	if (t == NULL)
		return 70;
	t->cfg = cfg;
	setup_language(cfg);
	snprintf(logpath, sizeof logpath, "%s/greenlane.log", cfg->home);
	t->log = fopen(logpath, "a");
	tui_log(t, "start: checkpoint %s, officer %s", cfg->checkpoint_id, cfg->officer);
	if (open_data(t, &err) != 0) {
		fprintf(stderr, "greenlane: %s\n", glmsg_text(&err, cfg->zh));
		close_data(t);
		if (t->log != NULL)
			fclose(t->log);
		free(t);
		return 66;
	}
	if (term_init(t->log != NULL ? fileno(t->log) : -1) != 0) {
		fprintf(stderr, "greenlane: %s\n", _("the lane interface needs a terminal"));
		close_data(t);
		if (t->log != NULL)
			fclose(t->log);
		free(t);
		return 64;
	}
	snprintf(t->officer, sizeof t->officer, "%s", cfg->officer);
	t->last_key = tui_now();
	quit_pipe(t);
	t->sync_fd = -1;
	t->sync_next = tui_now();	/* a first sync at once */
	tui_push(t, &main_screen);
	if (t->officers > 0)
		tui_push(t, &signin_screen);
	while (!t->quit && !term_quit_requested()) {
		struct pollfd p = { STDIN_FILENO, POLLIN, 0 }, fds[1 + TUI_MAX_WATCH];
		int64_t now = tui_now();
		wint_t ch;
		int r, n;

		if (now != last_tick) {
			/* The clock, data age and the personal-data timer. */
			last_tick = now;
			reopen_if_replaced(t);
			if (now - t->last_key >= 2)
				keep_enterprises(t);
			if (cfg->sync_interval_s > 0 && now >= t->sync_next)
				sync_start(t);
			main_screen_tick(t);
			if (t->officers > 0 && cfg->lock_after_s > 0 && now - t->last_key >= cfg->lock_after_s &&
			    t->stack[t->depth - 1] != &signin_screen)
				tui_lock(t);
			t->dirty = 1;
		}
		if (t->dirty)
			draw(t);
		/* Curses may hold keys already read from the terminal: take those
		 * first, else wait on the terminal and every watched descriptor. */
		n = 0;
		fds[n++] = p;
		for (int i = 0; i < t->nwatch; i++)
			fds[n++] = (struct pollfd){ t->watch[i].fd, t->watch[i].events, 0 };
		if (poll(fds, (nfds_t)n, 250) < 0 && errno != EINTR)
			break;
		for (int i = 1; i < n; i++)
			for (int k = 0; k < t->nwatch; k++)
				if (fds[i].revents != 0 && t->watch[k].fd == fds[i].fd)
					t->watch[k].cb(t, fds[i].fd, fds[i].revents, t->watch[k].arg);
		for (;;) {
			errno = 0;
			r = get_wch(&ch);
			if (r != ERR) {
				handle_key(t, r == KEY_CODE_YES, ch);
			} else if (errno == EILSEQ) {
				/* Bytes that are not UTF-8 (a scanner set to GBK?): curses
				 * drops them and whatever came with them, so what is left in
				 * the field is a fragment that could name another truck. */
				t->ilen = t->icur = 0;
				t->input[0] = L'\0';
				tui_say(t, 1, "%s", _("The input had bytes that are not UTF-8 and was cleared; "
						      "check the scanner's encoding and scan again"));
				t->dirty = 1;
			} else {
				break;
			}
		}
	}
	term_end();
	/* A sync still running finishes on its own: it is one transaction. */
	if (t->sync_fd >= 0)
		close(t->sync_fd);
	tui_log(t, "quit");
	close_data(t);
	if (t->log != NULL)
		fclose(t->log);
	free(t);
	return rc;
}

void tui_lock(struct tui *t)
{
	cJSON *f = cJSON_CreateObject();
	struct journal_entry e;
	gl_msg err;

	main_screen_forget(t);
	while (t->depth > 1)
		tui_pop(t);
	cJSON_AddStringToObject(f, "officer", t->officer);
	journal_append(t->journal, "lock", tui_now(), f, &e, &err);
	cJSON_Delete(f);
	tui_log(t, "locked (%s)", t->officer);
	tui_push(t, &signin_screen);
}

/* ---- background sync: a child process, so nothing slow runs in the loop ---- */

static void sync_done(struct tui *t, int fd, short revents, void *arg)
{
	int status = 0;

	(void)revents;
	(void)arg;
	tui_unwatch(t, fd);
	close(fd);
	t->sync_fd = -1;
	if (waitpid(t->sync_pid, &status, 0) > 0)
		t->sync_failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	t->sync_pid = 0;
	tui_log(t, "sync %s", t->sync_failed ? "failed (see above)" : "done");
	t->dirty = 1;
}

static void sync_start(struct tui *t)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	int p[2];
	pid_t pid;

	t->sync_next = tui_now() + t->cfg->sync_interval_s;
	if (t->sync_pid != 0 || n <= 0 || pipe(p) != 0)
		return;
	exe[n] = '\0';
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* The child writes only to the log; the pipe closes when it exits. */
		int out = t->log != NULL ? fileno(t->log) : open("/dev/null", O_WRONLY);
		close(p[0]);
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		execl(exe, "greenlane", "sync", "--once", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	t->sync_pid = pid;
	t->sync_fd = p[0];
	tui_watch(t, p[0], POLLIN, sync_done, NULL);
	tui_log(t, "sync started (pid %d)", (int)pid);
}

void tui_sync_soon(struct tui *t)
{
	if (t->cfg->sync_interval_s > 0 && t->sync_next > tui_now() + 2)
		t->sync_next = tui_now() + 2;
}

int tui_online(struct tui *t)
{
	char v[32];

	/* Online: the last sync reached the centre, within three minutes. */
	return !t->sync_failed && cache_meta(t->cache, "synced_at", v, sizeof v) == 1 &&
	       tui_now() - strtoll(v, NULL, 10) < 180;
}
