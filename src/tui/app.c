/* app.c — the interface's loop and what every screen shares: the data, the
 * screen stack, the message line, the log file and the background sync.
 * The loop waits on the keyboard and the watched descriptors with poll,
 * drains every key curses has buffered before drawing — so a scanner's
 * burst arrives whole — and draws once per turn, only when something
 * changed.  It calls screens through their operations and names none but
 * the two it starts with. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include "gltime.h"
#include "paths.h"
#include "tui_app.h"
#include "tui_screens.h"
#include "tui_term.h"

/* ---- the screen stack ---- */

int tui_push(struct tui *t, const struct screen_ops *s, void *arg)
{
	void *p = NULL;

	if (t->depth < TUI_MAX_DEPTH && s->private_size > 0)
		p = calloc(1, s->private_size);
	if (t->depth == TUI_MAX_DEPTH || (s->private_size > 0 && p == NULL)) {
		tui_say(t, 1, "%s", _("Cannot open that screen here: close one first"));
		return -1;
	}
	t->stack[t->depth].ops = s;
	t->stack[t->depth].p = p;
	t->depth++;
	/* A message belongs to the screen it was said on. */
	if (!s->modal)
		t->msg[0] = '\0';
	if (s->init != NULL)
		s->init(t, p, arg);
	t->dirty = 1;
	return 0;
}

void tui_pop(struct tui *t)
{
	int d = t->depth - 1;

	if (d < 1)
		return;
	/* Off the stack first: done may open another screen. */
	t->depth = d;
	if (t->stack[d].ops->done != NULL)
		t->stack[d].ops->done(t, t->stack[d].p);
	free(t->stack[d].p);
	t->dirty = 1;
}

const struct screen_ops *tui_top(const struct tui *t)
{
	return t->depth > 0 ? t->stack[t->depth - 1].ops : NULL;
}

void tui_broadcast(struct tui *t, enum tui_event ev)
{
	for (int i = 0; i < t->depth; i++)
		if (t->stack[i].ops->event != NULL)
			t->stack[i].ops->event(t, t->stack[i].p, ev);
	t->dirty = 1;
}

/* ---- messages and the log ---- */

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

int tui_journal(struct tui *t, const char *kind, cJSON *fields, struct journal_entry *out, gl_msg *err)
{
	struct journal_entry e;

	if (cJSON_GetObjectItemCaseSensitive(fields, "officer") == NULL)
		cJSON_AddStringToObject(fields, "officer", t->officer);
	if (cJSON_GetObjectItemCaseSensitive(fields, "checkpoint") == NULL)
		cJSON_AddStringToObject(fields, "checkpoint", t->checkpoint);
	if (journal_append(t->journal, kind, tui_now(), fields, out != NULL ? out : &e, err) != 0)
		return -1;
	tui_sync_soon(t);	/* it should reach the centre soon */
	return 0;
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

/* ---- watched descriptors ---- */

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

/* ---- children: a sync, a check, so that nothing slow runs here ---- */

/* One line a child printed: into the log; an error is kept to be shown. */
static void child_line(struct tui *t, struct tui_child *ch, const char *line)
{
	static const char prefix[] = "greenlane: ";

	tui_log(t, "%s: %s", ch->what, line);
	if (strncmp(line, "wait: ", 6) == 0)
		ch->waiting = 1;
	if (strncmp(line, prefix, sizeof prefix - 1) == 0 && ch->error[0] == '\0')
		snprintf(ch->error, sizeof ch->error, "%s", line + sizeof prefix - 1);
}

static void child_output(struct tui *t, int fd, short revents, void *arg)
{
	struct tui_child *ch = arg;
	char buf[512];
	ssize_t n;
	int status = 0;

	(void)revents;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || ch->len == sizeof ch->line - 1) {
				ch->line[ch->len] = '\0';
				child_line(t, ch, ch->line);
				ch->len = 0;
				if (buf[i] == '\n')
					continue;
			}
			ch->line[ch->len++] = buf[i];
		}
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* The child closed its output: it has finished. */
	if (ch->len > 0) {
		ch->line[ch->len] = '\0';
		child_line(t, ch, ch->line);
		ch->len = 0;
	}
	tui_unwatch(t, fd);
	close(fd);
	ch->fd = -1;
	if (waitpid(ch->pid, &status, 0) > 0)
		ch->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	ch->failed = ch->code != 0;
	if (!ch->failed)
		ch->error[0] = '\0';
	ch->pid = 0;
	ch->waiting = 0;
	ch->ended = tui_now();
	tui_log(t, "%s %s (exit %d)", ch->what, ch->failed ? "failed" : "done", ch->code);
	ch->done(t, ch);
}

/* Starts `greenlane WHAT [ARG [ARG2]]` in the background.  0, or -1. */
static int child_start(struct tui *t, struct tui_child *ch, const char *arg, const char *arg2)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	int p[2];
	pid_t pid;

	if (ch->pid != 0)
		return 0;
	if (n <= 0 || pipe(p) != 0)
		return -1;
	exe[n] = '\0';
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* Its output comes to the loop, which logs it.  If the lane quits
		 * first, it still finishes: a write to the closed pipe fails
		 * instead of killing it. */
		signal(SIGPIPE, SIG_IGN);
		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[1]);
		execl(exe, "greenlane", ch->what, arg, arg2, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	ch->pid = pid;
	ch->fd = p[0];
	ch->started = tui_now();
	ch->waiting = 0;
	ch->error[0] = '\0';
	tui_watch(t, p[0], POLLIN, child_output, ch);
	tui_log(t, "%s started (pid %d)", ch->what, (int)pid);
	return 0;
}

static void sync_done(struct tui *t, struct tui_child *ch)
{
	char v[8];

	/* Whatever it brought counts at once, not at the next tick. */
	tui_data_changed(t);
	/* A centre that waits for changes is asked again at once (each round
	 * ends when there is news, or after the interval), but not twice a
	 * second; another keeps the interval. */
	if (!ch->failed && cache_meta(t->cache, "centre_waits", v, sizeof v) == 1 && strcmp(v, "1") == 0)
		t->sync.next = ch->ended > ch->started ? ch->ended : ch->ended + 1;
}

/* A check found the local data damaged: it marked the file, which every
 * check now reads as such; the next sync rebuilds it. */
static void check_done(struct tui *t, struct tui_child *ch)
{
	if (ch->code == EX_DATAERR)
		tui_say(t, 1, "%s", _("The background check found the local data damaged: checks are at best "
				      "manual check until the next sync rebuilds it"));
	tui_data_changed(t);
}

static int sync_start(struct tui *t)
{
	t->sync.next = tui_now() + t->cfg->sync_interval_s;
	return child_start(t, &t->sync, "--once", "--wait");
}

int tui_sync_now(struct tui *t)
{
	if (t->cfg->sync_interval_s <= 0) {
		tui_say(t, 1, "%s", _("No centre is configured ([server] url): this lane works on its own data"));
		return -1;
	}
	if (t->sync.pid != 0 && t->sync.waiting) {
		kill(t->sync.pid, SIGUSR1);	/* it ends its wait; the next round follows */
		t->sync.next = tui_now();
		tui_say(t, 0, "%s", _("Sync started"));
		return 0;
	}
	if (t->sync.pid != 0) {
		tui_say(t, 0, "%s", _("A sync is running already"));
		return 0;
	}
	if (sync_start(t) != 0) {
		tui_say(t, 1, "%s: %s", _("Cannot start greenlane sync"), strerror(errno));
		return -1;
	}
	tui_say(t, 0, "%s", _("Sync started"));
	return 0;
}

void tui_sync_soon(struct tui *t)
{
	if (t->sync.pid != 0 && t->sync.waiting) {
		kill(t->sync.pid, SIGUSR1);
		t->sync.next = tui_now();
	} else if (t->cfg->sync_interval_s > 0 && t->sync.next > tui_now() + 2) {
		t->sync.next = tui_now() + 2;
	}
}

enum tui_link tui_link(struct tui *t)
{
	char v[32];
	int64_t fresh = 3 * (int64_t)t->cfg->sync_interval_s;

	if (t->cfg->sync_interval_s <= 0)
		return TUI_STANDALONE;
	/* Online: the last sync reached the centre, within three rounds. */
	if (fresh < 180)
		fresh = 180;
	return !t->sync.failed && cache_meta(t->cache, "synced_at", v, sizeof v) == 1 &&
	       tui_now() - strtoll(v, NULL, 10) < fresh ? TUI_ONLINE : TUI_OFFLINE;
}

const char *tui_link_reason(struct tui *t)
{
	if (tui_link(t) != TUI_OFFLINE)
		return "";
	if (!t->sync.failed)
		return t->sync.pid != 0 ? _("reaching the centre") : _("no sync lately");
	switch (t->sync.code) {
	case EX_UNAVAILABLE: return _("centre unreachable");
	case EX_NOPERM: return _("the centre refused this lane");
	case EX_DATAERR: return _("bad data from the centre");
	case EX_CONFIG: return _("configuration");
	default: return _("sync failed here");
	}
}

/* ---- the data ---- */

/* The cache file's identity: a snapshot replaces the file, and the lane
 * must then read the new one. */
static ino_t cache_inode(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_ino : 0;
}

void tui_data_changed(struct tui *t)
{
	const char *src;
	gl_msg err;
	struct policy *p = lane_policy(t->cache, &src, &err);

	t->cache_version = cache_version(t->cache);
	/* A policy the centre sent is used from the next check on; a truck on
	 * screen holds the one it was checked with until it is checked again. */
	if (p != NULL && (strcmp(policy_id(p), policy_id(t->policy)) != 0 ||
			  strcmp(policy_version(p), policy_version(t->policy)) != 0)) {
		tui_log(t, "policy %s %s (%s) replaces %s %s", policy_id(p), policy_version(p), src,
			policy_id(t->policy), policy_version(t->policy));
		policy_free(t->policy);
		t->policy = p;
	} else {
		policy_free(p);
	}
	t->alerts_new = alerts_count(t);
	tui_broadcast(t, TUI_EV_DATA);
}

static int open_data(struct tui *t, gl_msg *err)
{
	const char *src;
	cJSON *o;

	/* A cache an older greenlane made is brought to this one's schema
	 * first (its alert list, say), as a sync or an import would: best
	 * effort, and only a file that is there. */
	if (access(t->cfg->cache_path, F_OK) == 0) {
		gl_msg e2;
		cache_close(cache_open(t->cfg->cache_path, 1, &e2));
	}
	t->cache_ino = cache_inode(t->cfg->cache_path);
	t->cache = cache_open(t->cfg->cache_path, 0, err);
	if (t->cache == NULL)
		return -1;
	t->policy = lane_policy(t->cache, &src, err);
	if (t->policy == NULL)
		return -1;
	tui_log(t, "policy %s %s (%s)", policy_id(t->policy), policy_version(t->policy), src);
	t->journal = journal_open(t->cfg->journal_path, t->cfg->terminal[0] ? t->cfg->terminal : NULL, err);
	if (t->journal == NULL)
		return -1;
	o = journal_officers(t->journal);
	t->officers = cJSON_GetArraySize(o);
	cJSON_Delete(o);
	if (t->cfg->checkpoint_id[0] != '\0')
		snprintf(t->checkpoint, sizeof t->checkpoint, "%s", t->cfg->checkpoint_id);
	else
		cache_meta(t->cache, "checkpoint", t->checkpoint, sizeof t->checkpoint);
	t->cache_version = cache_version(t->cache);
	t->alerts_new = alerts_count(t);
	return 0;
}

/* Reopens the cache (and its policy) after a snapshot replaced the file;
 * then every truck on screen is checked again on it. */
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
	policy_free(t->policy);	/* a truck on screen holds the one it was checked with */
	cache_close(t->cache);
	t->cache = c;
	t->policy = p;
	t->cache_ino = now;
	/* Its enterprises are loaded when the lane is next idle. */
	tui_log(t, "the cache was replaced (a snapshot): reopened; policy %s %s", policy_id(p), policy_version(p));
	tui_data_changed(t);
}

static void close_data(struct tui *t)
{
	journal_close(t->journal);
	policy_free(t->policy);
	cache_close(t->cache);
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

/* ---- drawing and keys ---- */

static int too_small(void)
{
	return LINES < 24 || COLS < 80;
}

static void draw(struct tui *t)
{
	char buf[160];
	int top = t->depth - 1, base = top;

	erase();
	if (too_small()) {
		snprintf(buf, sizeof buf, _("Terminal too small: %d×%d, greenlane needs 80×24"), COLS, LINES);
		term_text(LINES / 2, 0, COLS, buf, term_attr(TC_ALERT));
		term_text(LINES / 2 + 1, 0, COLS, _("Enlarge the window, or press F10 to quit"), A_NORMAL);
		curs_set(0);
	} else {
		/* Modal screens draw over the ones below them. */
		while (base > 0 && t->stack[base].ops->modal)
			base--;
		for (int i = base; i <= top; i++)
			t->stack[i].ops->draw(t, t->stack[i].p);
		if (t->msg[0] != '\0' && !t->stack[top].ops->modal) {
			/* Two rows when it needs them, so that a reason is never cut. */
			int attr = t->msg_error ? term_attr(TC_ALERT) | (int)A_BOLD : term_attr(TC_INFO);
			int y = term_width(t->msg) > COLS - 2 ? LINES - 3 : LINES - 2;
			term_fill(y, 0, COLS, A_NORMAL);
			term_wrap(y, 1, COLS - 2, LINES - 1, t->msg, attr);
		}
		if (t->stack[top].ops->cursor != NULL) {
			curs_set(1);
			t->stack[top].ops->cursor(t, t->stack[top].p);
		} else {
			curs_set(0);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = 0;
	if (t->start_ns != 0) {
		/* Start → the first usable frame, for `make bench`. */
		tui_log(t, "first frame drawn %lld us after start", (long long)((tui_mono_ns() - t->start_ns) / 1000));
		t->start_ns = 0;
	}
	if (t->submit_ns != 0) {
		/* Enter → verdict on screen, for `make bench`. */
		tui_log(t, "drawn %lld us", (long long)((tui_mono_ns() - t->submit_ns) / 1000));
		t->submit_ns = 0;
	}
}

static void handle_key(struct tui *t, int is_key, wint_t ch)
{
	const struct screen_ops *s = t->stack[t->depth - 1].ops;
	void *p = t->stack[t->depth - 1].p;
	enum action a;

	if (is_key && ch == KEY_RESIZE) {
		t->dirty = 1;
		return;
	}
	t->last_key = tui_now();
	t->dirty = 1;
	if (too_small()) {
		/* Nothing else can be shown; quitting asks first where it must. */
		if (is_key && ch == KEY_F(10))
			s->key(t, p, is_key, ch, ACT_QUIT);
		return;
	}
	a = tui_action(s->keys, is_key, ch, s->typing == NULL || !s->typing(t, p));
	if (a == ACT_REDRAW) {
		clearok(curscr, TRUE);
		return;
	}
	s->key(t, p, is_key, ch, a);
}

/* Bytes that are not UTF-8 (a scanner set to GBK?): curses drops them and
 * whatever came with them, so what is left could name another truck.  The
 * screen's field is cleared (as a lock would) and the officer told. */
static void bad_bytes(struct tui *t)
{
	const struct screen_ops *s = t->stack[t->depth - 1].ops;

	if (s->key != NULL)
		s->key(t, t->stack[t->depth - 1].p, 0, 0, ACT_CLEAR);
	tui_say(t, 1, "%s", _("The input had bytes that are not UTF-8 and was cleared; "
			      "check the scanner's encoding and scan again"));
}

/* Once a second: the data's age and state, the timers, the idle lock. */
static void tick(struct tui *t, int64_t now)
{
	int64_t v;

	reopen_if_replaced(t);
	v = cache_version(t->cache);
	if (v != t->cache_version)
		tui_data_changed(t);
	if (t->cfg->sync_interval_s > 0 && now >= t->sync.next)
		sync_start(t);
	/* The file's structure: checked at the start, then when idle. */
	if (now >= t->check.next && (t->check.ended == 0 || now - t->last_key >= TUI_CHECK_IDLE_S)) {
		t->check.next = now + TUI_CHECK_EVERY_S;
		child_start(t, &t->check, NULL, NULL);
	}
	tui_broadcast(t, TUI_EV_TICK);
	if (t->officers > 0 && t->cfg->lock_after_s > 0 && now - t->last_key >= t->cfg->lock_after_s && !t->locked)
		tui_lock(t);
}

static int run(struct tui *t)
{
	int64_t last_tick = 0;

	while (!t->quit && !term_quit_requested()) {
		struct pollfd fds[1 + TUI_MAX_WATCH];
		int64_t now = tui_now();
		int n = 0, r;
		wint_t ch;

		if (now != last_tick) {
			last_tick = now;
			tick(t, now);
		}
		if (t->dirty)
			draw(t);
		fds[n++] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		for (int i = 0; i < t->nwatch; i++)
			fds[n++] = (struct pollfd){ t->watch[i].fd, t->watch[i].events, 0 };
		if (poll(fds, (nfds_t)n, 250) < 0 && errno != EINTR)
			return 70;
		for (int i = 1; i < n; i++)
			for (int k = 0; k < t->nwatch; k++)
				if (fds[i].revents != 0 && t->watch[k].fd == fds[i].fd) {
					t->watch[k].cb(t, fds[i].fd, fds[i].revents, t->watch[k].arg);
					break;
				}
		/* Every key curses holds, then draw: a scanner's burst arrives whole. */
		for (;;) {
			errno = 0;
			r = get_wch(&ch);
			if (r != ERR)
				handle_key(t, r == KEY_CODE_YES, ch);
			else if (errno == EILSEQ)
				bad_bytes(t);
			else
				break;
		}
	}
	return 0;
}

int tui_run(const struct tui_config *cfg)
{
	struct tui *t = calloc(1, sizeof *t);
	char logpath[PATH_MAX];
	gl_msg err;
	int rc = 0, qfd;

	if (t == NULL)
		return 70;
	t->start_ns = tui_mono_ns();
	t->cfg = cfg;
	t->sync = (struct tui_child){ .what = "sync", .fd = -1, .done = sync_done };
	t->check = (struct tui_child){ .what = "check", .fd = -1, .done = check_done };
	setup_language(cfg);
	snprintf(logpath, sizeof logpath, "%s/greenlane.log", cfg->home);
	t->log = fopen(logpath, "a");
	tui_log(t, "start: checkpoint %s, officer %s", cfg->checkpoint_id, cfg->officer);
	if (open_data(t, &err) != 0) {
		fprintf(stderr, "greenlane: %s\n", glmsg_text(&err, cfg->zh));
		rc = 66;
		goto out;
	}
	if (term_init(t->log != NULL ? fileno(t->log) : -1) != 0) {
		fprintf(stderr, "greenlane: %s\n", _("the lane interface needs a terminal"));
		rc = 64;
		goto out;
	}
	snprintf(t->officer, sizeof t->officer, "%s", cfg->officer);
	t->last_key = tui_now();
	/* SIGTERM, SIGINT and SIGHUP wake the loop at once through a pipe. */
	qfd = term_quit_fd();
	if (qfd >= 0)
		tui_watch(t, qfd, POLLIN, on_quit_pipe, NULL);
	t->sync.next = tui_now();	/* a first sync at once */
	t->check.next = tui_now() + 2;	/* a first check once the screen is up */
	if (tui_push(t, &lane_screen, NULL) != 0) {
		rc = 70;
	} else {
		if (t->officers > 0)
			tui_lock(t);
		if (cfg->warning != NULL && cfg->warning[0] != '\0')
			tui_say(t, 1, "%s", cfg->warning);
		rc = run(t);
	}
	while (t->depth > 0) {
		t->depth--;
		if (t->stack[t->depth].ops->done != NULL)
			t->stack[t->depth].ops->done(t, t->stack[t->depth].p);
		free(t->stack[t->depth].p);
	}
	term_end();
	/* A sync or check still running finishes on its own. */
	if (t->sync.fd >= 0)
		close(t->sync.fd);
	if (t->check.fd >= 0)
		close(t->check.fd);
	tui_log(t, "quit");
out:
	close_data(t);
	if (t->log != NULL)
		fclose(t->log);
	free(t);
	return rc;
}
