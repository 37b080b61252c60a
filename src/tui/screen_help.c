/* screen_help.c — the help screen: every binding of the key table, screen
 * by screen, made when it opens and scrolled with the list keys. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "tui_screens.h"
#include "tui_term.h"

#define HELP_ROWS 160

struct help {
	struct {
		const char *label;	/* NULL: a section title in text */
		const char *text;	/* translated */
	} row[HELP_ROWS];
	int n;
	struct tui_list list;
};

static void add(struct help *h, const char *label, const char *text)
{
	if (h->n < HELP_ROWS) {
		h->row[h->n].label = label;
		h->row[h->n].text = text;
		h->n++;
	}
}

static void init(struct tui *t, void *p, void *arg)
{
	struct help *h = p;

	(void)t;
	(void)arg;
	for (size_t g = 0; g < tui_nkey_groups; g++) {
		add(h, NULL, _(tui_key_groups[g].title));
		for (size_t i = 0; i < tui_nkeys; i++) {
			const struct key_binding *k = &tui_keys[i];
			int dup = 0;
			if (!(k->screens & tui_key_groups[g].screen) || (k->flags & KEY_ALIAS))
				continue;
			for (size_t j = 0; j < i && !dup; j++)	/* a key listed for this screen already */
				dup = (tui_keys[j].screens & tui_key_groups[g].screen) && !(tui_keys[j].flags & KEY_ALIAS) &&
				      strcmp(tui_keys[j].label, k->label) == 0;
			if (!dup)
				add(h, k->label, _(k->desc));
		}
		add(h, "", "");
	}
	add(h, NULL, _("Verdicts"));
	add(h, "[G]", _("绿色通道 green channel: priority passage"));
	add(h, "[P]", _("正常通行 pass: after the ordinary check"));
	add(h, "[S]", _("即采即走 sample and go: sample, release, the result follows"));
	add(h, "[C]", _("人工核查 manual check: an officer must look"));
	add(h, "[H]", _("拦截劝返 hold: stop the truck"));
}

static int page(void)
{
	return LINES - 4;
}

static void draw(struct tui *t, void *p)
{
	struct help *h = p;
	char right[64];
	int y = 2;

	(void)t;
	tui_list_fit(&h->list, h->n, page());
	/* The selection is the first row in sight: the keys scroll the page. */
	h->list.top = h->list.sel;
	if (h->list.top > h->n - page())
		h->list.top = h->n - page() > 0 ? h->n - page() : 0;
	snprintf(right, sizeof right, _("rows %d–%d of %d · Up/Down/PgUp/PgDn"), h->list.top + 1,
		 h->list.top + page() < h->n ? h->list.top + page() : h->n, h->n);
	tui_title(_("greenlane — help"), right);
	for (int i = h->list.top; i < h->n && y < LINES - 2; i++, y++) {
		if (h->row[i].label == NULL) {
			term_text(y, 1, COLS - 2, h->row[i].text, (int)(A_BOLD | A_UNDERLINE));
			continue;
		}
		term_text(y, 3, 11, h->row[i].label, term_attr(TC_KEY));
		term_text(y, 15, COLS - 16, h->row[i].text, A_NORMAL);
	}
	tui_keybar(ON_HELP);
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct help *h = p;

	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL) {
		tui_pop(t);
		return;
	}
	if (h->list.sel > h->n - page())	/* at the end: Up moves the page at once */
		h->list.sel = h->n - page() > 0 ? h->n - page() : 0;
	tui_list_key(&h->list, a, h->n, page());
}

const struct screen_ops help_screen = { ON_HELP, 0, sizeof(struct help), init, draw, key, NULL, NULL, NULL, NULL };
