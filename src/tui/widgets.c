/* widgets.c — what several screens draw alike: a title bar, a list's
 * selection, a short time. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "gltime.h"
#include "tui_screens.h"
#include "tui_term.h"

void tui_key_close(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	(void)p;
	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL)
		tui_pop(t);
}

void tui_title(const char *title, const char *right)
{
	int rw = right != NULL ? term_width(right) : 0;

	term_fill(0, 0, COLS, term_attr(TC_STATUS));
	term_text(0, 1, COLS - 3 - rw, title, term_attr(TC_STATUS) | (int)A_BOLD);
	if (right != NULL)
		term_text(0, COLS - 1 - rw, rw, right, term_attr(TC_STATUS));
}

int tui_list_key(struct tui_list *l, enum action a, int n, int page)
{
	switch (a) {
	case ACT_UP: l->sel--; break;
	case ACT_DOWN: l->sel++; break;
	case ACT_PGUP: l->sel -= page; break;
	case ACT_PGDN: l->sel += page; break;
	case ACT_TOP: l->sel = 0; break;
	case ACT_BOTTOM: l->sel = n - 1; break;
	default: return 0;
	}
	tui_list_fit(l, n, page);
	return 1;
}

void tui_list_fit(struct tui_list *l, int n, int page)
{
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (page < 1)
		page = 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top < 0)
		l->top = 0;
}

void tui_short_time(const char *rfc3339, int date, char *out, size_t cap)
{
	int64_t t;
	char full[40];

	if (rfc3339 == NULL || gltime_parse(rfc3339, &t) != 0) {
		snprintf(out, cap, "-");
		return;
	}
	gltime_format(t, GLTIME_CST, full, sizeof full);
	/* A no-break space: a wrapped line never parts the date from the time. */
	if (date)
		snprintf(out, cap, "%.5s\u00a0%.5s", full + 5, full + 11);
	else
		snprintf(out, cap, "%.5s", full + 11);
}
