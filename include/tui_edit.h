/* tui_edit.h — the one line editor: the lane's field, every prompt and the
 * sign-in fields.  Text is wide characters; every printable character is
 * text, the editing keys are the key table's (ACT_LEFT …).  Only src/tui
 * includes this. */
#ifndef GL_TUI_EDIT_H
#define GL_TUI_EDIT_H
#include <stddef.h>
#include <wchar.h>
#include "tui_keys.h"

#define EDIT_MAX 2048		/* characters: a scanned pass token fits */

struct line_edit {
	wchar_t buf[EDIT_MAX + 1];
	int len, cur;
	int max;		/* characters allowed (at most EDIT_MAX) */
	int secret;		/* drawn as '*' (a PIN), and wiped when cleared */
};

/* An empty editor of at most max characters. */
void edit_init(struct line_edit *e, int max, int secret);

/* Applies an editing action, or types ch (a printable character, when a
 * is ACT_NONE).  1 if the key changed or moved something, 0 if it was not
 * the editor's. */
int edit_key(struct line_edit *e, int is_key, wint_t ch, enum action a);

void edit_clear(struct line_edit *e);
/* Replaces the text with s (UTF-8), the cursor at its end. */
void edit_set(struct line_edit *e, const char *s);
/* Inserts one character at the cursor. */
void edit_insert(struct line_edit *e, wchar_t c);
/* The text as UTF-8 in out (cap bytes; cut at a character). */
void edit_text(const struct line_edit *e, char *out, size_t cap);

/* Draws the editor in w columns from (y, x) in attr, the end of a text too
 * long to fit (a scanned token) kept in sight.  Returns the cursor's
 * column. */
int edit_draw(const struct line_edit *e, int y, int x, int w, int attr);

#endif
