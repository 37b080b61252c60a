/* screen_picker.c — the province picker: a grid of the 31 characters; Enter
 * types the chosen one into the field the picker was opened for. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include "plate.h"
#include "tui_edit.h"
#include "tui_screens.h"
#include "tui_term.h"

#define PICK_COLS 8

struct picker {
	struct line_edit *field;	/* borrowed: the screen beneath outlives this */
	int pick;
};

static void init(struct tui *t, void *p, void *arg)
{
	struct picker *k = p;

	(void)t;
	k->field = arg;
	k->pick = 15;	/* 豫 */
}

static void draw(struct tui *t, void *p)
{
	struct picker *k = p;
	int rows = (PLATE_PROVINCES + PICK_COLS - 1) / PICK_COLS;
	int w = PICK_COLS * 5 + 4, h = rows + 4, y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;

	(void)t;
	for (int y = 0; y < h; y++)
		term_fill(y0 + y, x0, w, term_attr(TC_KEY));
	term_text(y0, x0 + 2, w - 4, _("Province — arrows, Enter"), term_attr(TC_KEY) | A_BOLD);
	for (int i = 0; i < PLATE_PROVINCES; i++) {
		int attr = i == k->pick ? term_attr(TC_GREEN) | (int)A_REVERSE : term_attr(TC_KEY);
		char cell[16];
		snprintf(cell, sizeof cell, " %s ", plate_province(i));
		term_text(y0 + 2 + i / PICK_COLS, x0 + 2 + (i % PICK_COLS) * 5, 4, cell, attr);
	}
	tui_keybar(ON_PICKER);
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct picker *k = p;
	wchar_t w[2];

	(void)is_key;
	(void)ch;
	switch (a) {
	case ACT_CANCEL: tui_pop(t); return;
	case ACT_SUBMIT:
		if (mbstowcs(w, plate_province(k->pick), 2) == 1)
			edit_insert(k->field, w[0]);
		tui_pop(t);
		return;
	case ACT_LEFT: if (k->pick > 0) k->pick--; return;
	case ACT_RIGHT: if (k->pick < PLATE_PROVINCES - 1) k->pick++; return;
	case ACT_UP: if (k->pick >= PICK_COLS) k->pick -= PICK_COLS; return;
	case ACT_DOWN: if (k->pick + PICK_COLS < PLATE_PROVINCES) k->pick += PICK_COLS; return;
	default: return;
	}
}

const struct screen_ops picker_screen = { ON_PICKER, 1, sizeof(struct picker), init, draw, key, NULL, NULL, NULL, NULL };
