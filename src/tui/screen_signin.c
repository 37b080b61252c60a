/* screen_signin.c — officers sign in with their ID and PIN (checked against
 * journal.db, where the PIN is kept only as an Argon2 hash); and locking,
 * which brings this screen back.  Every sign-in, failed sign-in and lock is
 * journaled. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "tui_edit.h"
#include "tui_screens.h"
#include "tui_term.h"

struct signin {
	struct line_edit id, pin;
	int field;		/* 0 the ID, 1 the PIN */
	int fails;
};

static void init(struct tui *t, void *p, void *arg)
{
	struct signin *s = p;

	(void)t;
	(void)arg;
	edit_init(&s->id, 32, 0);
	edit_init(&s->pin, 64, 1);
}

static void origin(int *y0, int *x0)
{
	*y0 = LINES / 2 - 4;
	*x0 = (COLS - 50) / 2;
}

static void draw(struct tui *t, void *p)
{
	struct signin *s = p;
	int y0, x0;

	(void)t;
	origin(&y0, &x0);
	tui_title(_("greenlane — sign in"), NULL);
	term_text(y0, x0, 50, _("Officer sign-in"), (int)A_BOLD);
	term_text(y0 + 2, x0, 14, _("Officer ID"), A_NORMAL);
	term_text(y0 + 4, x0, 14, _("PIN"), A_NORMAL);
	edit_draw(&s->id, y0 + 2, x0 + 14, 24, term_attr(TC_KEY));
	edit_draw(&s->pin, y0 + 4, x0 + 14, 24, term_attr(TC_KEY));
	if (s->fails > 0) {
		char buf[80];
		snprintf(buf, sizeof buf, _("Wrong officer ID or PIN (%d)"), s->fails);
		term_text(y0 + 6, x0, 50, buf, term_attr(TC_ALERT) | (int)A_BOLD);
	}
	tui_keybar(ON_SIGNIN);
}

static void cursor(struct tui *t, void *p)
{
	struct signin *s = p;
	int y0, x0;

	(void)t;
	origin(&y0, &x0);
	if (s->field == 0)
		move(y0 + 2, edit_draw(&s->id, y0 + 2, x0 + 14, 24, term_attr(TC_KEY)));
	else
		move(y0 + 4, edit_draw(&s->pin, y0 + 4, x0 + 14, 24, term_attr(TC_KEY)));
}

static void submit(struct tui *t, struct signin *s)
{
	char id[140], pin[260], name[64];
	cJSON *f;
	gl_msg err;
	int ok;

	if (s->field == 0) {
		s->field = 1;
		return;
	}
	edit_text(&s->id, id, sizeof id);
	edit_text(&s->pin, pin, sizeof pin);
	ok = journal_officer_check(t->journal, id, pin, name, sizeof name) == 1;
	memset(pin, 0, sizeof pin);
	edit_clear(&s->pin);
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "officer", id);
	if (tui_journal(t, ok ? "sign_in" : "sign_in_failed", f, NULL, &err) != 0)
		tui_log(t, "sign-in not journaled: %s", err.en);
	cJSON_Delete(f);
	if (!ok) {
		s->fails++;
		edit_clear(&s->id);
		s->field = 0;
		tui_log(t, "sign-in failed for %s", id);
		return;
	}
	snprintf(t->officer, sizeof t->officer, "%s", id);
	t->locked = 0;
	t->signed_in = 1;
	tui_log(t, "signed in: %s", id);
	tui_pop(t);
	tui_say(t, 0, _("Signed in: %s %s"), id, name);
	tui_broadcast(t, TUI_EV_UNLOCK);
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct signin *s = p;

	switch (a) {
	case ACT_QUIT: t->quit = 1; return;
	case ACT_SUBMIT: submit(t, s); return;
	case ACT_NEXT_FIELD: s->field = !s->field; return;
	case ACT_CANCEL:
		edit_clear(&s->id);
		edit_clear(&s->pin);
		s->field = 0;
		return;
	default:
		/* A PIN is ASCII: what a keypad types. */
		if (s->field == 1 && a == ACT_NONE && (is_key || ch >= 0x7F))
			return;
		edit_key(s->field == 0 ? &s->id : &s->pin, is_key, ch, a);
	}
}

static int typing(struct tui *t, void *p)
{
	struct signin *s = p;

	(void)t;
	return s->id.len > 0 || s->pin.len > 0;
}

const struct screen_ops signin_screen = {
	ON_SIGNIN, 0, sizeof(struct signin), init, draw, key, typing, cursor, NULL, NULL,
};

void tui_lock(struct tui *t)
{
	cJSON *f;
	gl_msg err;

	while (t->depth > 1)
		tui_pop(t);
	tui_broadcast(t, TUI_EV_LOCK);
	if (t->signed_in) {
		f = cJSON_CreateObject();
		if (tui_journal(t, "lock", f, NULL, &err) != 0)
			tui_log(t, "lock not journaled: %s", err.en);
		cJSON_Delete(f);
		tui_log(t, "locked (%s)", t->officer);
	}
	t->locked = 1;
	tui_push(t, &signin_screen, NULL);
}
