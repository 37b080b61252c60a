/* edit.c — the line editor every text field uses. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "tui_edit.h"
#include "tui_term.h"
#include "utf8.h"

void edit_init(struct line_edit *e, int max, int secret)
{
	memset(e, 0, sizeof *e);
	e->max = max > 0 && max < EDIT_MAX ? max : EDIT_MAX;
	e->secret = secret;
}

void edit_clear(struct line_edit *e)
{
	if (e->secret)
		memset(e->buf, 0, sizeof e->buf);
	e->len = e->cur = 0;
	e->buf[0] = L'\0';
}

void edit_insert(struct line_edit *e, wchar_t c)
{
	if (e->len >= e->max)
		return;
	memmove(e->buf + e->cur + 1, e->buf + e->cur, (size_t)(e->len - e->cur) * sizeof e->buf[0]);
	e->buf[e->cur++] = c;
	e->buf[++e->len] = L'\0';
}

static void delete_at(struct line_edit *e, int at)
{
	memmove(e->buf + at, e->buf + at + 1, (size_t)(e->len - at - 1) * sizeof e->buf[0]);
	e->buf[--e->len] = L'\0';
}

int edit_key(struct line_edit *e, int is_key, wint_t ch, enum action a)
{
	switch (a) {
	case ACT_LEFT: if (e->cur > 0) e->cur--; return 1;
	case ACT_RIGHT: if (e->cur < e->len) e->cur++; return 1;
	case ACT_BOL: e->cur = 0; return 1;
	case ACT_EOL: e->cur = e->len; return 1;
	case ACT_BACKSPACE:
		if (e->cur > 0)
			delete_at(e, --e->cur);
		return 1;
	case ACT_DELETE:
		if (e->cur < e->len)
			delete_at(e, e->cur);
		return 1;
	case ACT_CLEAR: edit_clear(e); return 1;
	case ACT_NONE: break;
	default: return 0;
	}
	/* Every printable character is text: a pass code in a URL has '?'. */
	if (is_key || ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0))
		return 0;
	edit_insert(e, (wchar_t)ch);
	return 1;
}

void edit_set(struct line_edit *e, const char *s)
{
	size_t n = strlen(s), i = 0;

	edit_clear(e);
	while (i < n && e->len < e->max) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			k = 1;
		e->buf[e->len++] = (wchar_t)cp;
		i += k;
	}
	e->buf[e->len] = L'\0';
	e->cur = e->len;
}

void edit_text(const struct line_edit *e, char *out, size_t cap)
{
	size_t o = 0;

	for (int i = 0; i < e->len; i++) {
		char b[4];
		size_t k = utf8_encode((uint32_t)e->buf[i], b);
		if (k == 0 || o + k >= cap)
			break;
		memcpy(out + o, b, k);
		o += k;
	}
	if (cap > 0)
		out[o] = '\0';
}

/* Columns of characters [from, to) as drawn. */
static int span_width(const struct line_edit *e, int from, int to)
{
	int w = 0;

	for (int i = from; i < to; i++) {
		int cw = e->secret ? 1 : wcwidth(e->buf[i]);
		w += cw > 0 ? cw : 1;
	}
	return w;
}

int edit_draw(const struct line_edit *e, int y, int x, int w, int attr)
{
	int start = 0, col = 0;

	term_fill(y, x, w, attr);
	if (w <= 1)
		return x;
	/* Keep the cursor in sight: drop characters from the left. */
	while (start < e->cur && span_width(e, start, e->cur) > w - 1)
		start++;
	attron(attr);
	for (int i = start; i < e->len; i++) {
		wchar_t c[2] = { e->secret ? L'*' : e->buf[i], 0 };
		int cw = e->secret ? 1 : wcwidth(c[0]);
		if (cw <= 0) {
			c[0] = 0xFFFD;
			cw = 1;
		}
		if (col + cw > w)
			break;
		mvaddnwstr(y, x + col, c, 1);
		col += cw;
	}
	attroff(attr);
	return x + span_width(e, start, e->cur);
}
