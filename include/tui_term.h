/* tui_term.h — the one module that sets curses up and tears it down, owns
 * colours and draws text measured in display columns.  Every exit path and
 * every fatal signal restores the terminal first. */
#ifndef GL_TUI_TERM_H
#define GL_TUI_TERM_H
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

enum term_color {
	TC_NORMAL, TC_STATUS, TC_GREEN, TC_PASS, TC_SAMPLE, TC_CHECK, TC_HOLD, TC_INFO,
	TC_DIM, TC_KEY, TC_ALERT, TC_COUNT
};

/* Starts curses on the terminal.  log_fd receives stderr while curses owns
 * the screen (-1: /dev/null).  0 or -1. */
int term_init(int log_fd);

/* Restores the terminal; safe to call twice and from atexit. */
void term_end(void);

/* 1 once SIGTERM, SIGINT or SIGHUP arrived (the loop then quits cleanly). */
int term_quit_requested(void);

/* A descriptor readable once a quit signal arrived (for the poll loop). */
int term_quit_fd(void);

/* The attribute for a colour role (reverse/bold in monochrome). */
int term_attr(enum term_color c);

/* The banner colour of a verdict level. */
enum term_color term_level_color(enum level l);

/* Draws UTF-8 text at (y, x) in at most maxw display columns (invalid bytes
 * become U+FFFD, control characters a middle dot).  Returns the columns
 * drawn. */
int term_text(int y, int x, int maxw, const char *s, int attr);

/* term_text, also telling how many bytes of s it drew (for wrapping); with
 * y < 0 it draws nothing and only measures. */
int term_text_n(int y, int x, int maxw, const char *s, int attr, size_t *consumed);

/* Draws s over rows from (y, x) in w columns, breaking at the last space
 * that fits (anywhere in text without spaces), up to row maxy (exclusive).
 * Returns the rows used (at least 1). */
int term_wrap(int y, int x, int w, int maxy, const char *s, int attr);

/* Display columns of UTF-8 text, as term_text would draw it. */
int term_width(const char *s);

/* Fills a row span with spaces in attr. */
void term_fill(int y, int x, int w, int attr);

/* A box of h rows and w columns at (y, x): filled in attr, with a border. */
void term_box(int y, int x, int h, int w, int attr);

/* A horizontal rule (ACS line, ASCII when the terminal has none). */
void term_rule(int y, int x, int w);

#endif
