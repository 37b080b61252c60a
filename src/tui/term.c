/* term.c — curses setup and teardown, colour roles and column-measured text
 * (the htop CRT.c idea).  Signal handlers only set flags, except the fatal
 * ones, which put the terminal back before the default action runs. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include "tui_term.h"
#include "utf8.h"

static volatile sig_atomic_t quit_flag;
static int active, colors, saved_stderr = -1, quit_pipe[2] = { -1, -1 };
static SCREEN *screen;

static void on_quit(int sig)
{
	int saved = errno;

	(void)sig;
	quit_flag = 1;
	if (quit_pipe[1] >= 0 && write(quit_pipe[1], "q", 1) < 0) {
		/* full: the loop is already being woken */
	}
	errno = saved;
}

int term_quit_fd(void)
{
	return quit_pipe[0];
}

static void on_fatal(int sig)
{
	/* Not async-signal-safe, as in htop and tmux: a terminal left in raw mode
	 * is worse than the small risk. */
	if (active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

int term_quit_requested(void)
{
	return quit_flag != 0;
}

int term_init(int log_fd)
{
	struct sigaction sa;
	int fd = log_fd >= 0 ? log_fd : open("/dev/null", O_WRONLY);

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL)
		return -1;
	active = 1;
	/* Nothing may write to the terminal behind curses' back. */
	if (fd >= 0) {
		saved_stderr = dup(STDERR_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd != log_fd)
			close(fd);
	}
	atexit(term_end);
	if (quit_pipe[0] < 0 && pipe(quit_pipe) == 0) {
		fcntl(quit_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(quit_pipe[1], F_SETFL, O_NONBLOCK);
		fcntl(quit_pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(quit_pipe[1], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_quit;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	colors = has_colors() && getenv("NO_COLOR") == NULL;
	if (colors) {
		start_color();
		use_default_colors();
		init_pair(TC_STATUS, COLOR_BLACK, COLOR_CYAN);
		init_pair(TC_GREEN, COLOR_BLACK, COLOR_GREEN);
		init_pair(TC_PASS, COLOR_WHITE, COLOR_BLUE);
		init_pair(TC_SAMPLE, COLOR_BLACK, COLOR_YELLOW);
		init_pair(TC_CHECK, COLOR_WHITE, COLOR_MAGENTA);
		init_pair(TC_HOLD, COLOR_WHITE, COLOR_RED);
		init_pair(TC_INFO, COLOR_CYAN, -1);
		init_pair(TC_DIM, COLOR_BLUE, -1);
		init_pair(TC_KEY, COLOR_BLACK, COLOR_WHITE);
		init_pair(TC_ALERT, COLOR_RED, -1);
	}
	return 0;
}

void term_end(void)
{
	if (!active)
		return;
	active = 0;
	endwin();
	delscreen(screen);
	screen = NULL;
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

int term_attr(enum term_color c)
{
	if (colors)
		return c == TC_NORMAL ? A_NORMAL : (int)COLOR_PAIR(c) | (c >= TC_GREEN && c <= TC_HOLD ? A_BOLD : 0);
	/* Monochrome: meaning is in the text; emphasis only. */
	switch (c) {
	case TC_STATUS: case TC_KEY: return A_REVERSE;
	case TC_GREEN: case TC_PASS: case TC_SAMPLE: case TC_CHECK: case TC_HOLD: return A_REVERSE | A_BOLD;
	case TC_ALERT: return A_BOLD;
	case TC_DIM: return A_DIM;
	default: return A_NORMAL;
	}
}

enum term_color term_level_color(enum level l)
{
	switch (l) {
	case LEVEL_GREEN: return TC_GREEN;
	case LEVEL_PASS: return TC_PASS;
	case LEVEL_SAMPLE: return TC_SAMPLE;
	case LEVEL_CHECK: return TC_CHECK;
	case LEVEL_HOLD: return TC_HOLD;
	default: return TC_INFO;
	}
}

/* The next character to show and its width. */
static const char *next_char(const char *s, wchar_t *wc, int *w)
{
	uint32_t cp;
	size_t k = utf8_decode(s, strnlen(s, 4), &cp);

	if (k == 0) {
		cp = 0xFFFD;
		k = 1;
	}
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		cp = 0xB7;
	*wc = (wchar_t)cp;
	*w = wcwidth(*wc);
	if (*w < 0) {
		*wc = 0xFFFD;
		*w = 1;
	}
	return s + k;
}

int term_width(const char *s)
{
	int total = 0, w;
	wchar_t wc;

	while (s != NULL && *s) {
		s = next_char(s, &wc, &w);
		total += w;
	}
	return total;
}

int term_text_n(int y, int x, int maxw, const char *s, int attr, size_t *consumed)
{
	const char *start = s;
	int used = 0, w;
	wchar_t wc[2] = { 0, 0 };

	int draw = y >= 0;	/* y < 0: only measure what would fit */

	if (consumed != NULL)
		*consumed = 0;
	if (s == NULL || maxw <= 0 || y >= LINES)
		return 0;
	if (draw) {
		attron(attr);
		move(y, x);
	}
	while (*s) {
		const char *n = next_char(s, &wc[0], &w);
		if (used + w > maxw)
			break;
		if (draw)
			addnwstr(wc, 1);
		used += w;
		s = n;
	}
	if (draw)
		attroff(attr);
	if (consumed != NULL)
		*consumed = (size_t)(s - start);
	return used;
}

int term_text(int y, int x, int maxw, const char *s, int attr)
{
	return term_text_n(y, x, maxw, s, attr, NULL);
}

int term_wrap(int y, int x, int w, int maxy, const char *s, int attr)
{
	int rows = 0;

	while (y + rows < maxy) {
		char part[1024];
		size_t used, cut;
		term_text_n(-1, 0, w, s, attr, &used);	/* measure only */
		cut = used;
		if (s[used] != '\0')
			for (size_t i = used; i > used / 2; i--)
				if (s[i] == ' ') {
					cut = i + 1;
					break;
				}
		snprintf(part, sizeof part, "%.*s", (int)(cut < sizeof part ? cut : sizeof part - 1), s);
		term_text(y + rows, x, w, part, attr);
		rows++;
		s += cut;
		if (*s == '\0' || cut == 0)
			break;
	}
	return rows > 0 ? rows : 1;
}

void term_fill(int y, int x, int w, int attr)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	attron(attr);
	mvhline(y, x, ' ', w);
	attroff(attr);
}

void term_box(int y, int x, int h, int w, int attr)
{
	if (h < 2 || w < 2)
		return;
	for (int i = 0; i < h; i++)
		term_fill(y + i, x, w, attr);
	attron(attr);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attroff(attr);
}

void term_rule(int y, int x, int w)
{
	if (w > 0 && y >= 0 && y < LINES)
		mvhline(y, x, ACS_HLINE, w);
}
