/* screen_journal.c — this lane's decisions of the last 24 hours: filtered
 * by verdict or to overrides, searched (ignoring case, in what the screen
 * shows: an ID number only masked), and each opened whole (the record
 * screen, also here). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "facts.h"
#include "gltime.h"
#include "tui_screens.h"
#include "tui_term.h"
#include "words.h"

#define JOURNAL_ROWS 20000

struct row {
	cJSON *body;
	char *search;		/* what the row shows, lower case */
	int shown;
};

struct journal_view {
	struct row *rows;
	int n, nshown;
	struct tui_list list;
	char search[128];
	char filter;		/* a verdict letter, 'o' for overrides, 0 for all */
};

/* A verdict as the journal's columns show it: 拦截劝返, or hold. */
static const char *verdict_word(const struct tui *t, const char *name)
{
	enum level l;

	if (level_parse(name, &l) != 0)
		return name != NULL ? name : "-";
	return t->cfg->zh ? level_zh(l) : level_name(l);
}

static const char *decision_word(const struct tui *t, const char *name)
{
	enum decision d;

	if (decision_parse(name, &d) != 0)
		return name != NULL ? name : "-";
	return t->cfg->zh ? decision_zh(d) : decision_name(d);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void append(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf);

	if (s != NULL && n + strlen(s) + 2 < cap)
		snprintf(buf + n, cap - n, "%s ", s);
}

/* What a row can be found by: what the screens show of it, in both
 * languages; ID numbers only masked. */
static char *search_text(const cJSON *b)
{
	char buf[2048] = "", masked[IDNO_MAX];
	const cJSON *e;
	enum level l;
	enum decision d;

	append(buf, sizeof buf, facts_str(b, "at"));
	append(buf, sizeof buf, facts_str(b, "plate"));
	append(buf, sizeof buf, facts_str(b, "officer"));
	append(buf, sizeof buf, facts_str(b, "checkpoint"));
	append(buf, sizeof buf, facts_str(b, "tube"));
	append(buf, sizeof buf, facts_str(b, "override_reason"));
	if (level_parse(facts_str(b, "verdict"), &l) == 0) {
		append(buf, sizeof buf, level_name(l));
		append(buf, sizeof buf, level_zh(l));
		append(buf, sizeof buf, level_en(l));
	}
	if (decision_parse(facts_str(b, "decision"), &d) == 0) {
		append(buf, sizeof buf, decision_name(d));
		append(buf, sizeof buf, decision_zh(d));
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "override")))
		append(buf, sizeof buf, "override 改判");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "reasons"))
		append(buf, sizeof buf, facts_str(e, "code"));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "crew"))
		if (cJSON_IsString(e)) {
			idno_mask(e->valuestring, masked);
			append(buf, sizeof buf, masked);
		}
	lower(buf);
	return strdup(buf);
}

static int collect(const cJSON *body, void *arg)
{
	struct journal_view *v = arg;
	struct row *r;

	if (v->n % 256 == 0) {
		r = realloc(v->rows, (size_t)(v->n + 256) * sizeof *r);
		if (r == NULL)
			return 1;
		v->rows = r;
	}
	r = &v->rows[v->n];
	r->body = cJSON_Duplicate(body, 1);
	r->search = search_text(body);
	if (r->body == NULL || r->search == NULL) {
		cJSON_Delete(r->body);
		free(r->search);
		return 1;
	}
	v->n++;
	return v->n >= JOURNAL_ROWS;
}

static int matches(const struct journal_view *v, const struct row *r)
{
	enum level l;

	if (v->filter == 'o' && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->body, "override")))
		return 0;
	if (v->filter != 0 && v->filter != 'o' &&
	    (level_parse(facts_str(r->body, "verdict"), &l) != 0 || level_letter(l) != v->filter))
		return 0;
	return v->search[0] == '\0' || strstr(r->search, v->search) != NULL;
}

/* Marks the rows shown: once per change of search or filter. */
static void refilter(struct journal_view *v)
{
	v->nshown = 0;
	for (int i = 0; i < v->n; i++)
		v->nshown += v->rows[i].shown = matches(v, &v->rows[i]);
	v->list.sel = v->list.top = 0;
}

/* The i-th row shown, newest first. */
static struct row *shown_row(struct journal_view *v, int i)
{
	for (int k = v->n - 1; k >= 0; k--)
		if (v->rows[k].shown && i-- == 0)
			return &v->rows[k];
	return NULL;
}

static void init(struct tui *t, void *p, void *arg)
{
	struct journal_view *v = p;
	gl_msg err;

	(void)arg;
	if (journal_each(t->journal, "transit", tui_now() - 86400, collect, v, &err) != 0)
		tui_say(t, 1, "%s", glmsg_text(&err, t->cfg->zh));
	refilter(v);
}

static void done(struct tui *t, void *p)
{
	struct journal_view *v = p;

	(void)t;
	for (int i = 0; i < v->n; i++) {
		cJSON_Delete(v->rows[i].body);
		free(v->rows[i].search);
	}
	free(v->rows);
}

static int page(void)
{
	return LINES - 5;
}

/* One row of columns, each in display columns (Chinese is two wide). */
static void columns(int y, int attr, const char *const col[7])
{
	static const int width[] = { 5, 10, 8, 8, 7, 1, 0 };
	int x = 1;

	term_fill(y, 0, COLS, attr);
	for (int i = 0; i < 7 && x < COLS - 1; i++) {
		int w = width[i] > 0 ? width[i] : COLS - 1 - x;
		int a = i == 5 && col[i][0] == '!' ? term_attr(TC_ALERT) | (int)A_BOLD | attr : attr;
		term_text(y, x, w, col[i], a);
		x += w + 2;
	}
}

static void draw(struct tui *t, void *p)
{
	struct journal_view *v = p;
	char right[200], filt[48] = "";
	const char *head[7] = { _("time"), _("plate"), _("verdict"), _("decision"), _("officer"), " ", _("reasons") };
	int y = 2;

	if (v->filter == 'o')
		snprintf(filt, sizeof filt, " · %s", _("overrides"));
	else if (v->filter != 0)
		snprintf(filt, sizeof filt, " · %s %c", _("verdict"), v->filter);
	snprintf(right, sizeof right, _("%d of %d in the last 24 h%s%s%s"), v->nshown, v->n, v->search[0] ? _(" · search: ") : "",
		 v->search, filt);
	tui_title(_("Journal — this lane's decisions"), right);
	columns(1, (int)A_BOLD, head);
	tui_list_fit(&v->list, v->nshown, page());
	for (int i = v->list.top; i < v->nshown && y < LINES - 3; i++, y++) {
		const struct row *r = shown_row(v, i);
		const cJSON *e;
		char codes[300] = "", tm[24];
		const char *col[7];
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->body, "reasons"))
			append(codes, sizeof codes, facts_str(e, "code"));
		tui_short_time(facts_str(r->body, "at"), 0, tm, sizeof tm);
		col[0] = tm;
		col[1] = facts_str(r->body, "plate") ? facts_str(r->body, "plate") : "-";
		col[2] = verdict_word(t, facts_str(r->body, "verdict"));
		col[3] = decision_word(t, facts_str(r->body, "decision"));
		col[4] = facts_str(r->body, "officer") ? facts_str(r->body, "officer") : "";
		col[5] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->body, "override")) ? "!" : " ";
		col[6] = codes;
		columns(y, i == v->list.sel ? (int)A_REVERSE : A_NORMAL, col);
	}
	if (v->nshown == 0)
		term_text(3, 2, COLS - 4, _("Nothing logged yet (or nothing matches)."), term_attr(TC_DIM));
	term_text(LINES - 2, 1, COLS - 2, _("! an override: the decision differs from the verdict · Enter opens the record"),
		  term_attr(TC_DIM));
	tui_keybar(ON_JOURNAL);
}

static int searched(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct journal_view *v = arg;

	(void)t;
	(void)err;
	if (text != NULL) {
		snprintf(v->search, sizeof v->search, "%s", text);
		lower(v->search);
		refilter(v);
	}
	return 0;
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct journal_view *v = p;
	struct row *r;

	(void)is_key;
	switch (a) {
	case ACT_CANCEL: tui_pop(t); return;
	case ACT_SEARCH:
		tui_prompt(t, _("Search the journal (plate, officer, reason, tube; ID numbers as shown, masked):"), v->search,
			   searched, v);
		return;
	case ACT_FILTER:
		v->filter = ch == 'a' ? 0 : ch == 'o' ? 'o' : (char)(ch - 'a' + 'A');
		refilter(v);
		return;
	case ACT_OPEN:
		r = shown_row(v, v->list.sel);
		if (r != NULL)
			tui_push(t, &record_screen, r->body);
		return;
	default:
		tui_list_key(&v->list, a, v->nshown, page());
	}
}

const struct screen_ops journal_screen = {
	ON_JOURNAL, 0, sizeof(struct journal_view), init, draw, key, NULL, NULL, NULL, done,
};

/* ---- one record, whole ---- */

#define RECORD_LINES 64

struct record_view {
	struct {
		char label[48];
		char text[400];
		int attr;
	} line[RECORD_LINES];
	int n;
	struct tui_list list;
};

static void add(struct record_view *r, const char *label, int attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct record_view *r, const char *label, int attr, const char *fmt, ...)
{
	va_list ap;

	if (r->n == RECORD_LINES)
		return;
	snprintf(r->line[r->n].label, sizeof r->line[0].label, "%s", label);
	va_start(ap, fmt);
	vsnprintf(r->line[r->n].text, sizeof r->line[0].text, fmt, ap);
	va_end(ap);
	r->line[r->n].attr = attr;
	r->n++;
}

static void record_init(struct tui *t, void *p, void *arg)
{
	struct record_view *r = p;
	const cJSON *b = arg, *e;
	char masked[IDNO_MAX], a[24], f[24];
	int64_t at = facts_time(b, "at"), first = facts_time(b, "first_scan_at");
	double seq = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "seq"));
	int ov = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "override"));

	tui_short_time(facts_str(b, "at"), 1, a, sizeof a);
	tui_short_time(facts_str(b, "first_scan_at"), 1, f, sizeof f);
	add(r, _("Record"), A_BOLD, "#%.0f · %s", seq, facts_str(b, "uuid") ? facts_str(b, "uuid") : "");
	add(r, _("Logged"), A_NORMAL, "%s", a);
	if (first != FACTS_NO_TIME && at != FACTS_NO_TIME)
		add(r, _("First scan"), A_NORMAL, _("%s · %lld min at the lane"), f, (long long)((at - first) / 60));
	add(r, _("Checkpoint"), A_NORMAL, "%s · %s", facts_str(b, "checkpoint") ? facts_str(b, "checkpoint") : "-",
	    facts_str(b, "direction") && strcmp(facts_str(b, "direction"), "out") == 0 ? _("out") : _("in"));
	add(r, _("Officer"), A_NORMAL, "%s", facts_str(b, "officer") && facts_str(b, "officer")[0] ? facts_str(b, "officer") : "-");
	add(r, _("Plate"), A_BOLD, "%s", facts_str(b, "plate") ? facts_str(b, "plate") : "-");
	add(r, _("Verdict shown"), A_BOLD, "%s", verdict_word(t, facts_str(b, "verdict")));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "reasons")) {
		const char *code = facts_str(e, "code"), *subject = facts_str(e, "subject"), *zh = NULL, *en = NULL;
		enum level l = LEVEL_INFO;
		level_parse(facts_str(e, "level"), &l);
		if (code == NULL || policy_reason_text(t->policy, code, subject != NULL, &zh, &en) != 0)
			zh = en = "";
		if (subject != NULL)
			idno_mask(subject, masked);
		add(r, "", A_NORMAL, "[%c] %s%s%s", level_letter(l), code ? code : "?", subject ? "  " : "",
		    subject ? masked : "");
		if (*zh != '\0')
			add(r, "", A_NORMAL, "    %s", t->cfg->zh ? zh : en);
	}
	add(r, _("Decision"), A_BOLD, "%s%s", decision_word(t, facts_str(b, "decision")), ov ? _("  ! an override") : "");
	if (facts_str(b, "override_reason") != NULL)
		add(r, _("Why"), A_NORMAL, "%s", facts_str(b, "override_reason"));
	if (facts_str(b, "tube") != NULL)
		add(r, _("Tube"), A_NORMAL, "%s", facts_str(b, "tube"));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "crew"))
		if (cJSON_IsString(e)) {
			idno_mask(e->valuestring, masked);
			add(r, _("Crew"), A_NORMAL, "%s", masked);
		}
	e = cJSON_GetObjectItemCaseSensitive(b, "policy");
	add(r, _("Policy"), A_NORMAL, _("%s %s · data %.0f min old"), facts_str(e, "id") ? facts_str(e, "id") : "-",
	    facts_str(e, "version") ? facts_str(e, "version") : "",
	    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "cache_age_s")) / 60);
	add(r, _("Centre"), A_NORMAL, "%s", journal_unsent(t->journal, (int64_t)seq) ? _("not sent yet") : _("holds it"));
}

static void record_draw(struct tui *t, void *p)
{
	struct record_view *r = p;
	int y = 2;

	(void)t;
	tui_title(_("Journal — one record"), NULL);
	tui_list_fit(&r->list, r->n, LINES - 4);
	r->list.top = r->list.sel > r->n - (LINES - 4) ? (r->n - (LINES - 4) > 0 ? r->n - (LINES - 4) : 0) : r->list.sel;
	for (int i = r->list.top; i < r->n && y < LINES - 2; i++, y++) {
		term_text(y, 1, 14, r->line[i].label, (int)A_BOLD);
		term_text(y, 16, COLS - 17, r->line[i].text, r->line[i].attr);
	}
	tui_keybar(ON_RECORD);
}

static void record_key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct record_view *r = p;

	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL)
		tui_pop(t);
	else
		tui_list_key(&r->list, a, r->n, 1);
}

const struct screen_ops record_screen = {
	ON_RECORD, 0, sizeof(struct record_view), record_init, record_draw, record_key, NULL, NULL, NULL, NULL,
};
