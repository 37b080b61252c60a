/* screens.c — the help screen (generated from the key table), the province
 * picker, the text prompt and the quit confirmation. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "plate.h"
#include "tui_app.h"
#include "tui_term.h"

/* ---- help ---- */

/* The help screen lists every binding of the key table, screen by screen,
 * flowing into a second column when the first is full. */
static void help_draw(struct tui *t)
{
	static const struct { unsigned id; const char *title; } groups[] = {
		{ ON_MAIN, N_("Lane screen") }, { ON_HISTORY, N_("Journal") }, { ON_ALERTS, N_("Alerts") },
		{ ON_REPORT, N_("Shift report") }, { ON_PICKER, N_("Province picker") },
	};
	int y = 2, col = 0, colw = COLS / 2;

	tui_title(_("greenlane — help"), NULL);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		for (size_t i = 0, first = 1; i < tui_nkeys; i++) {
			const struct key_binding *k = &tui_keys[i];
			int dup = 0;
			if (!(k->screens & groups[g].id))
				continue;
			for (size_t j = 0; j < i; j++)	/* Enter is bound twice */
				if ((tui_keys[j].screens & groups[g].id) && strcmp(tui_keys[j].label, k->label) == 0)
					dup = 1;
			if (dup)
				continue;
			if (y >= LINES - 3 - (first ? 1 : 0) && col == 0) {
				col = 1;
				y = 2;
			}
			if (first) {
				term_text(y++, 1 + col * colw, colw - 2, _(groups[g].title), (int)(A_BOLD | A_UNDERLINE));
				first = 0;
			}
			term_text(y, 2 + col * colw, 8, k->label, term_attr(TC_KEY));
			term_text(y++, 11 + col * colw, colw - 12, _(k->desc), A_NORMAL);
		}
		y++;
	}
	term_text(LINES - 2, 1, COLS - 2,
		  _("Verdicts: [G] green channel · [P] pass · [S] sample and go · [C] manual check · [H] hold"),
		  term_attr(TC_DIM));
	tui_keybar(t, ON_HELP);
}

void tui_close_on_cancel(struct tui *t, int is_key, wint_t ch, enum action a)
{
	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL)
		tui_pop(t);
}

const struct screen_ops help_screen = { ON_HELP, 0, NULL, help_draw, tui_close_on_cancel, NULL };

/* ---- province picker: a grid of the 31 characters ---- */

#define PICK_COLS 8

static void picker_init(struct tui *t)
{
	t->pick = 15;	/* 豫 */
}

static void picker_draw(struct tui *t)
{
	int rows = (PLATE_PROVINCES + PICK_COLS - 1) / PICK_COLS;
	int w = PICK_COLS * 5 + 4, h = rows + 4, y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;

	for (int y = 0; y < h; y++)
		term_fill(y0 + y, x0, w, term_attr(TC_KEY));
	term_text(y0, x0 + 2, w - 4, _("Province — arrows, Enter"), term_attr(TC_KEY) | A_BOLD);
	for (int i = 0; i < PLATE_PROVINCES; i++) {
		int attr = i == t->pick ? term_attr(TC_GREEN) | (int)A_REVERSE : term_attr(TC_KEY);
		char cell[16];
		snprintf(cell, sizeof cell, " %s ", plate_province(i));
		term_text(y0 + 2 + i / PICK_COLS, x0 + 2 + (i % PICK_COLS) * 5, 4, cell, attr);
	}
	tui_keybar(t, ON_PICKER);
}

static void picker_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	if (a == ACT_CANCEL) {
		tui_pop(t);
		return;
	}
	if (a == ACT_SUBMIT) {
		wchar_t w[2];
		if (mbstowcs(w, plate_province(t->pick), 2) == 1 && t->ilen < INPUT_MAX) {
			memmove(t->input + t->icur + 1, t->input + t->icur, (size_t)(t->ilen - t->icur) * sizeof(wchar_t));
			t->input[t->icur++] = w[0];
			t->ilen++;
		}
		tui_pop(t);
		return;
	}
	if (!is_key)
		return;
	switch (ch) {
	case KEY_LEFT: if (t->pick > 0) t->pick--; break;
	case KEY_RIGHT: if (t->pick < PLATE_PROVINCES - 1) t->pick++; break;
	case KEY_UP: if (t->pick >= PICK_COLS) t->pick -= PICK_COLS; break;
	case KEY_DOWN: if (t->pick + PICK_COLS < PLATE_PROVINCES) t->pick += PICK_COLS; break;
	default: break;
	}
}

const struct screen_ops picker_screen = { ON_PICKER, 1, picker_init, picker_draw, picker_key, NULL };

/* ---- prompt ---- */

static void prompt_draw(struct tui *t)
{
	char text[1024];
	int w = COLS - 8, y0 = LINES / 2 - 2, x0 = 4, x;

	for (int y = 0; y < 4; y++)
		term_fill(y0 + y, x0, w, term_attr(TC_KEY));
	term_text(y0, x0 + 1, w - 2, t->prompt_title, term_attr(TC_KEY) | A_BOLD);
	tui_wcs_to_utf8(t->prompt_buf, t->prompt_len, text, sizeof text);
	term_fill(y0 + 2, x0 + 1, w - 2, A_NORMAL);
	x = term_text(y0 + 2, x0 + 1, w - 2, text, A_NORMAL);
	tui_keybar(t, ON_PROMPT);
	move(y0 + 2, x0 + 1 + x);
}

static void prompt_finish(struct tui *t, int ok)
{
	char text[1024];
	void (*done)(struct tui *, const char *) = t->prompt_done;

	tui_wcs_to_utf8(t->prompt_buf, t->prompt_len, text, sizeof text);
	tui_pop(t);
	if (done != NULL)
		done(t, ok ? text : NULL);
}

static void prompt_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	if (a == ACT_CANCEL || a == ACT_SUBMIT) {
		prompt_finish(t, a == ACT_SUBMIT);
		return;
	}
	if (a == ACT_CLEAR) {
		t->prompt_len = 0;
		return;
	}
	if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8))) {
		if (t->prompt_len > 0)
			t->prompt_len--;
		return;
	}
	if (!is_key && ch >= 32 && t->prompt_len < (int)(sizeof t->prompt_buf / sizeof t->prompt_buf[0]) - 1)
		t->prompt_buf[t->prompt_len++] = (wchar_t)ch;
}

const struct screen_ops prompt_screen = { ON_PROMPT, 1, NULL, prompt_draw, prompt_key, NULL };

/* ---- quit with an unlogged verdict ---- */

static void confirm_draw(struct tui *t)
{
	int y0 = LINES / 2 - 2, x0 = 6, w = COLS - 12;

	for (int y = 0; y < 4; y++)
		term_fill(y0 + y, x0, w, term_attr(TC_HOLD));
	term_text(y0 + 1, x0 + 2, w - 4, _("The truck on screen is not logged. Quit anyway? (y/n)"),
		  term_attr(TC_HOLD) | A_BOLD);
	tui_keybar(t, ON_CONFIRM);
}

static void confirm_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	(void)is_key;
	(void)ch;
	if (a == ACT_SUBMIT)
		t->quit = 1;
	else if (a == ACT_CANCEL)
		tui_pop(t);
}

const struct screen_ops confirm_screen = { ON_CONFIRM, 1, NULL, confirm_draw, confirm_key, NULL };

/* ---- sign-in: officer ID and PIN ---- */

static void signin_init(struct tui *t)
{
	t->si_idlen = t->si_pinlen = t->si_field = 0;
	t->si_pin[0] = '\0';
}

static void signin_draw(struct tui *t)
{
	char id[140], stars[70];
	int y0 = LINES / 2 - 4, x0 = (COLS - 50) / 2, x;

	tui_title(_("greenlane — sign in"), NULL);
	term_text(y0, x0, 50, _("Officer sign-in"), (int)A_BOLD);
	term_text(y0 + 2, x0, 14, _("Officer ID"), A_NORMAL);
	term_text(y0 + 4, x0, 14, _("PIN"), A_NORMAL);
	tui_wcs_to_utf8(t->si_id, t->si_idlen, id, sizeof id);
	term_fill(y0 + 2, x0 + 14, 24, term_attr(TC_KEY));
	x = term_text(y0 + 2, x0 + 14, 24, id, term_attr(TC_KEY));
	memset(stars, '*', (size_t)t->si_pinlen);
	stars[t->si_pinlen] = '\0';
	term_fill(y0 + 4, x0 + 14, 24, term_attr(TC_KEY));
	term_text(y0 + 4, x0 + 14, 24, stars, term_attr(TC_KEY));
	if (t->si_fails > 0) {
		char buf[80];
		snprintf(buf, sizeof buf, _("Wrong officer ID or PIN (%d)"), t->si_fails);
		term_text(y0 + 6, x0, 50, buf, term_attr(TC_ALERT) | (int)A_BOLD);
	}
	tui_keybar(t, ON_SIGNIN);
	if (t->si_field == 0)
		move(y0 + 2, x0 + 14 + x);
	else
		move(y0 + 4, x0 + 14 + t->si_pinlen);
}

static void signin_submit(struct tui *t)
{
	char id[140], name[64];
	cJSON *f;
	struct journal_entry e;
	gl_msg err;
	int ok;

	if (t->si_field == 0) {
		t->si_field = 1;
		return;
	}
	tui_wcs_to_utf8(t->si_id, t->si_idlen, id, sizeof id);
	ok = journal_officer_check(t->journal, id, t->si_pin, name, sizeof name) == 1;
	memset(t->si_pin, 0, sizeof t->si_pin);
	t->si_pinlen = 0;
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "officer", id);
	journal_append(t->journal, ok ? "sign_in" : "sign_in_failed", tui_now(), f, &e, &err);
	cJSON_Delete(f);
	if (!ok) {
		t->si_fails++;
		t->si_idlen = 0;
		t->si_field = 0;
		tui_log(t, "sign-in failed for %s", id);
		return;
	}
	snprintf(t->officer, sizeof t->officer, "%s", id);
	t->si_fails = 0;
	tui_log(t, "signed in: %s", id);
	tui_pop(t);
	tui_say(t, 0, _("Signed in: %s %s"), id, name);
}

static void signin_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	switch (a) {
	case ACT_QUIT: t->quit = 1; return;
	case ACT_SUBMIT: signin_submit(t); return;
	case ACT_NEXT_FIELD: t->si_field = !t->si_field; return;
	case ACT_CANCEL: signin_init(t); return;
	default: break;
	}
	if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8))) {
		if (t->si_field == 0 && t->si_idlen > 0)
			t->si_idlen--;
		else if (t->si_field == 1 && t->si_pinlen > 0)
			t->si_pin[--t->si_pinlen] = '\0';
		return;
	}
	if (is_key || ch < 32)
		return;
	if (t->si_field == 0 && t->si_idlen < 32)
		t->si_id[t->si_idlen++] = (wchar_t)ch;
	else if (t->si_field == 1 && ch < 127 && t->si_pinlen < 64) {
		t->si_pin[t->si_pinlen++] = (char)ch;
		t->si_pin[t->si_pinlen] = '\0';
	}
}

const struct screen_ops signin_screen = { ON_SIGNIN, 0, signin_init, signin_draw, signin_key, NULL };
