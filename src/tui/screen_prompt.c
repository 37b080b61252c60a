/* screen_prompt.c — the two dialogs: a line of text (a tube number, a
 * reason, a registration's answers) checked by whoever asked, kept open
 * with the reason while it is refused; and a yes/no question. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "tui_edit.h"
#include "tui_screens.h"
#include "tui_term.h"

struct prompt_arg {
	const char *title, *initial;
	tui_prompt_fn done;
	void *arg;
	const gl_msg *refused;	/* opened again after a refusal: why */
};

struct prompt {
	char title[256];
	struct line_edit edit;
	tui_prompt_fn done;
	void *arg;
	gl_msg err;
	int refused;
};

static void prompt_init(struct tui *t, void *p, void *a)
{
	struct prompt *pr = p;
	const struct prompt_arg *pa = a;

	(void)t;
	snprintf(pr->title, sizeof pr->title, "%s", pa->title);
	edit_init(&pr->edit, 255, 0);
	if (pa->initial != NULL)
		edit_set(&pr->edit, pa->initial);
	pr->done = pa->done;
	pr->arg = pa->arg;
	if (pa->refused != NULL) {
		pr->err = *pa->refused;
		pr->refused = 1;
	}
}

static void prompt_box(int *y0, int *x0, int *w)
{
	*w = COLS - 8;
	*y0 = LINES / 2 - 3;
	*x0 = 4;
}

static void prompt_draw(struct tui *t, void *p)
{
	struct prompt *pr = p;
	int y0, x0, w;

	prompt_box(&y0, &x0, &w);
	term_box(y0, x0, 6, w, term_attr(TC_KEY));
	term_text(y0 + 1, x0 + 2, w - 4, pr->title, term_attr(TC_KEY) | A_BOLD);
	edit_draw(&pr->edit, y0 + 2, x0 + 2, w - 4, pr->refused ? term_attr(TC_ALERT) | (int)A_BOLD : (int)A_NORMAL);
	if (pr->refused)
		term_wrap(y0 + 3, x0 + 2, w - 4, y0 + 5, glmsg_text(&pr->err, t->cfg->zh), term_attr(TC_KEY) | A_BOLD);
	tui_keybar(ON_PROMPT);
}

static void prompt_cursor(struct tui *t, void *p)
{
	struct prompt *pr = p;
	int y0, x0, w;

	(void)t;
	prompt_box(&y0, &x0, &w);
	move(y0 + 2, edit_draw(&pr->edit, y0 + 2, x0 + 2, w - 4, pr->refused ? term_attr(TC_ALERT) | (int)A_BOLD : (int)A_NORMAL));
}

static void prompt_key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct prompt *pr = p;
	tui_prompt_fn done = pr->done;
	void *arg = pr->arg;
	char text[EDIT_MAX * 4 + 1], title[sizeof pr->title];
	gl_msg err;

	if (a == ACT_CANCEL) {
		tui_pop(t);
		done(t, arg, NULL, NULL);
		return;
	}
	if (a == ACT_SUBMIT) {
		/* Closed first: the answer may ask the next question. */
		edit_text(&pr->edit, text, sizeof text);
		memcpy(title, pr->title, sizeof title);
		tui_pop(t);
		glmsg_clear(&err);
		if (done(t, arg, text, &err) != 0) {
			/* Refused: asked again, with the text as it was and why. */
			struct prompt_arg pa = { title, text, done, arg, &err };
			tui_push(t, &prompt_screen, &pa);
		}
		return;
	}
	if (edit_key(&pr->edit, is_key, ch, a))
		pr->refused = 0;
}

static int prompt_typing(struct tui *t, void *p)
{
	(void)t;
	return ((struct prompt *)p)->edit.len > 0;
}

const struct screen_ops prompt_screen = {
	ON_PROMPT, 1, sizeof(struct prompt), prompt_init, prompt_draw, prompt_key, prompt_typing, prompt_cursor, NULL, NULL,
};

int tui_prompt(struct tui *t, const char *title, const char *initial, tui_prompt_fn done, void *arg)
{
	struct prompt_arg pa = { title, initial, done, arg, NULL };

	return tui_push(t, &prompt_screen, &pa);
}

/* ---- yes or no ---- */

struct confirm_arg {
	const char *question;
	tui_confirm_fn done;
	void *arg;
};

struct confirm {
	char question[320];
	tui_confirm_fn done;
	void *arg;
};

static void confirm_init(struct tui *t, void *p, void *a)
{
	struct confirm *c = p;
	const struct confirm_arg *ca = a;

	(void)t;
	snprintf(c->question, sizeof c->question, "%s", ca->question);
	c->done = ca->done;
	c->arg = ca->arg;
}

static void confirm_draw(struct tui *t, void *p)
{
	struct confirm *c = p;
	int y0 = LINES / 2 - 2, x0 = 6, w = COLS - 12;

	(void)t;
	term_box(y0, x0, 5, w, term_attr(TC_HOLD));
	term_wrap(y0 + 1, x0 + 2, w - 4, y0 + 4, c->question, term_attr(TC_HOLD) | A_BOLD);
	tui_keybar(ON_CONFIRM);
}

static void confirm_key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct confirm *c = p;
	tui_confirm_fn done = c->done;
	void *arg = c->arg;

	(void)is_key;
	(void)ch;
	if (a != ACT_SUBMIT && a != ACT_CANCEL)
		return;
	tui_pop(t);
	done(t, arg, a == ACT_SUBMIT);
}

const struct screen_ops confirm_screen = {
	ON_CONFIRM, 1, sizeof(struct confirm), confirm_init, confirm_draw, confirm_key, NULL, NULL, NULL, NULL,
};

int tui_confirm(struct tui *t, const char *question, tui_confirm_fn done, void *arg)
{
	struct confirm_arg ca = { question, done, arg };

	return tui_push(t, &confirm_screen, &ca);
}
