/* lane_view.c — drawing the lane screen: the status bar, the field, the
 * queue of undecided trucks and the truck on screen (banner, reasons,
 * vehicle, enterprise, pass, crew, trip).  Reads the lane's state; changes
 * nothing. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include "facts.h"
#include "gltime.h"
#include "tui_lane.h"
#include "tui_screens.h"
#include "tui_term.h"
#include "words.h"

static const char *word(const struct tui *t, const char *v)
{
	return words_label(v, t->cfg->zh);
}

static const char *s_or(const cJSON *o, const char *f, const char *dflt)
{
	const char *s = facts_str(o, f);
	return s != NULL ? s : dflt;
}

static const cJSON *member(const cJSON *o, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

static void short_time(const cJSON *o, const char *field, char *buf, size_t n)
{
	tui_short_time(facts_str(o, field), 1, buf, n);
}

/* ---- the status bar and the field ---- */

/* Draws segments of the status bar from x; returns the next column. */
static int segment(int x, int maxx, const char *text, int attr)
{
	if (x > 0)
		x += term_text(0, x, maxx - x, " │ ", term_attr(TC_STATUS));
	return x + term_text(0, x, maxx - x, text, attr);
}

static void status_bar(struct tui *t)
{
	char buf[160], when[40];
	int64_t as_of = cache_as_of(t->cache), age = tui_now() - as_of;
	int64_t pending = journal_pending(t->journal);
	enum tui_link link = tui_link(t);
	int x = 0, st = term_attr(TC_STATUS), maxx = COLS - 6;

	term_fill(0, 0, COLS, st);
	snprintf(buf, sizeof buf, " %s %s", t->checkpoint[0] ? t->checkpoint : "-", t->cfg->outbound ? _("out") : _("in"));
	x = term_text(0, 0, maxx, buf, st);
	snprintf(buf, sizeof buf, "%s %s", _("officer"), t->officer[0] ? t->officer : "-");
	x = segment(x, maxx, buf, st);
	x = segment(x, maxx, link == TUI_STANDALONE ? _("standalone") : link == TUI_ONLINE ? _("online") : _("OFFLINE"),
		    link == TUI_OFFLINE ? term_attr(TC_HOLD) : st);
	if (as_of == INT64_MIN)
		snprintf(buf, sizeof buf, "%s", _("no data"));
	else if (age < 3600)
		snprintf(buf, sizeof buf, _("data %lld min"), (long long)(age / 60));
	else
		snprintf(buf, sizeof buf, _("data %lld h"), (long long)(age / 3600));
	x = segment(x, maxx, buf, age > 7200 || as_of == INT64_MIN ? term_attr(TC_HOLD) : st);
	snprintf(buf, sizeof buf, "%s %lld", _("unsent"), (long long)pending);
	x = segment(x, maxx, buf, st);
	snprintf(buf, sizeof buf, "%s %d", _("alerts"), t->alerts_new);
	segment(x, maxx, buf, t->alerts_new > 0 ? term_attr(TC_HOLD) : st);
	gltime_format(tui_now(), GLTIME_CST, when, sizeof when);
	snprintf(buf, sizeof buf, "%.5s", when + 11);
	term_text(0, COLS - 6, 6, buf, st);
}

/* The row under the field: a rule, or what the officer must know of the
 * data before trusting any verdict. */
static void data_row(struct tui *t)
{
	char buf[320];
	int attr = term_attr(TC_HOLD) | (int)A_BOLD;

	if (journal_damaged(t->journal) != NULL)
		snprintf(buf, sizeof buf, " %s ", _("JOURNAL DAMAGED: nothing can be logged · keep journal.db, call the administrator"));
	else if (cache_damaged(t->cfg->cache_path))
		snprintf(buf, sizeof buf, " %s ", _("LOCAL DATA DAMAGED: verdicts are at best check · the next sync rebuilds it"));
	else if (cache_as_of(t->cache) == INT64_MIN)
		snprintf(buf, sizeof buf, " %s ", _("NO DATA: import a snapshot or sync with the centre"));
	else if (tui_link(t) == TUI_OFFLINE)
		snprintf(buf, sizeof buf, " %s: %s · %s ", _("OFFLINE"), tui_link_reason(t),
			 _("checks use the local data · F12 sync now"));
	else
		buf[0] = '\0';
	term_rule(2, 0, COLS);
	if (buf[0] != '\0')
		term_text(2, (COLS - term_width(buf)) / 2 > 0 ? (COLS - term_width(buf)) / 2 : 0, COLS, buf, attr);
}

/* The field's label: marked when what is in it was refused. */
static const char *field_label(const struct lane *L)
{
	return L->field_bad ? _("✗ Query ▶ ") : _("Query ▶ ");
}

void lane_draw_cursor(struct tui *t, struct lane *L)
{
	int lw = term_width(field_label(L));

	(void)t;
	move(1, edit_draw(&L->field, 1, lw, COLS - lw - 1, L->field_bad ? term_attr(TC_ALERT) | (int)A_BOLD : (int)A_NORMAL));
}

/* ---- the queue of undecided trucks ---- */

/* Rows the queue takes (0 when one truck or none is at the lane). */
static int queue(struct lane *L, int y, int draw)
{
	char label[64], name[IDNO_MAX], buf[64];
	int x, rows = 1, lw;

	if (L->n < 2)
		return 0;
	snprintf(label, sizeof label, _("Waiting %d:"), L->n);
	lw = term_width(label) + 2;
	if (draw)
		term_text(y, 1, COLS - 2, label, (int)A_BOLD);
	x = lw;
	for (int i = 0; i < L->n; i++) {
		const struct truck *tr = L->trucks[i];
		enum level l = tr->res.verdict.level;
		int w, attr = i == L->cur ? (int)A_REVERSE : l >= LEVEL_SAMPLE ? term_attr(term_level_color(l)) : (int)A_NORMAL;
		/* The one on screen is marked in the text too, not by reverse video alone. */
		snprintf(buf, sizeof buf, "%s%s %c%s ", i == L->cur ? "▶" : " ", truck_name(tr, name), level_letter(l),
			 tr->changed ? "!" : tr->logged ? "✓" : "");
		w = term_width(buf);
		if (x + w > COLS - 1) {
			if (rows == 3)
				break;	/* LANE_TRUCKS fit in three rows at 80 columns */
			rows++;
			x = lw;
		}
		if (draw)
			term_text(y + rows - 1, x, w, buf, attr);
		x += w + 1;
	}
	return rows;
}

/* ---- the truck ---- */

/* A labelled line; text that does not fit continues on the next rows. */
static void line(int *y, int maxy, const char *label, const char *text, int attr)
{
	if (*y >= maxy)
		return;
	term_text(*y, 1, 12, label, A_BOLD);
	*y += term_wrap(*y, 14, COLS - 15, maxy, text, attr);
}

static void draw_trip(struct tui *t, const struct truck *tr, int *y, int maxy)
{
	const cJSON *trip = tr->res.trip, *o, *d, *e, *here_rec;
	char buf[512], tm[24];
	int on_route = 0, n;

	if (trip == NULL) {
		line(y, maxy, _("Trip"), _("no current trip"), term_attr(TC_DIM));
		return;
	}
	o = member(trip, "origin");
	d = member(trip, "destination");
	short_time(trip, "depart_at", tm, sizeof tm);
	n = snprintf(buf, sizeof buf, "%s %s(%s) %s", _("from"), s_or(o, "place", ""), s_or(o, "region", "?"), tm);
	cJSON_ArrayForEach(e, member(trip, "route")) {
		int here = cJSON_IsString(e) && strcmp(e->valuestring, t->checkpoint) == 0;
		on_route |= here;
		if (n < (int)sizeof buf)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " → %s%s", cJSON_IsString(e) ? e->valuestring : "?",
				      here ? _(" (here ✓)") : "");
	}
	short_time(trip, "eta", tm, sizeof tm);
	if (n < (int)sizeof buf)
		snprintf(buf + n, sizeof buf - (size_t)n, " → %s %s %s %s %s", _("to"), s_or(d, "region", "?"),
			 s_or(d, "reception_point", ""), _("eta"), tm);
	line(y, maxy, _("Trip"), buf, A_NORMAL);
	if (cJSON_GetArraySize(member(trip, "route")) > 0 && !on_route) {
		snprintf(buf, sizeof buf, _("✗ this checkpoint %s is not on the registered route"), t->checkpoint);
		line(y, maxy, "", buf, term_attr(TC_ALERT));
	}
	here_rec = member(trip, "registered_here");
	if (here_rec != NULL)
		snprintf(buf, sizeof buf, "%s · %s · %s #%.0f", s_or(trip, "id", "?"), word(t, facts_str(trip, "status")),
			 _("registered here"), cJSON_GetNumberValue(member(here_rec, "seq")));
	else
		snprintf(buf, sizeof buf, "%s · %s · %s", s_or(trip, "id", "?"), word(t, facts_str(trip, "status")),
			 cJSON_IsTrue(member(trip, "registered")) ? _("registered") : _("NOT registered"));
	line(y, maxy, "", buf, term_attr(TC_DIM));
}

/* The banner: three rows in the verdict's colour; the name, the verdict,
 * whether it is logged or changed, and how long the truck has waited. */
static void banner(struct tui *t, const struct truck *tr, int y)
{
	enum level l = tr->res.verdict.level;
	int attr = term_attr(term_level_color(l));
	char buf[256], name[IDNO_MAX];
	const char *plate = tr->res.plate[0] ? tr->res.plate : NULL;

	for (int i = 0; i < 3; i++)
		term_fill(y + i, 0, COLS, attr);
	if (plate == NULL) {
		const struct query *q = &tr->res.q[tr->res.primary];
		plate = q->kind == QUERY_TOKEN ? _("pass code") : tr->reveal ? q->value : truck_name(tr, name);
	}
	term_text(y, 2, COLS / 2, plate, attr | A_BOLD);
	if (tr->logged)
		snprintf(buf, sizeof buf, _("✓ logged #%lld"), tr->seq);
	else if (tr->was_changed)
		snprintf(buf, sizeof buf, "%s", _("⚠ VERDICT CHANGED"));
	else
		buf[0] = '\0';
	if (buf[0] != '\0')
		term_text(y, COLS - 2 - term_width(buf), term_width(buf), buf, attr | A_BOLD | (tr->logged ? 0 : A_BLINK));
	if (t->cfg->zh)
		snprintf(buf, sizeof buf, "[%c]  %s", level_letter(l), level_zh(l));
	else
		snprintf(buf, sizeof buf, "[%c]  %s  %s", level_letter(l), level_zh(l), level_en(l));
	term_text(y + 1, (COLS - term_width(buf)) / 2, COLS, buf, attr | A_BOLD);
	snprintf(buf, sizeof buf, _("at the lane %lld min"), (long long)((tui_now() - tr->first_scan) / 60));
	if (!tr->logged)
		term_text(y + 2, COLS - 2 - term_width(buf), term_width(buf), buf, attr);
}

/* Each reason: its letter, its text and whom it concerns, broken over rows
 * as needed, and its code in a column of its own. */
static int reasons(struct tui *t, const struct truck *tr, int y, int maxy)
{
	const struct verdict *v = &tr->res.verdict;
	int codew = 0;

	for (size_t i = 0; i < v->n; i++)
		if ((int)strlen(v->reasons[i].code) > codew)
			codew = (int)strlen(v->reasons[i].code);
	for (size_t i = 0; i < v->n && y < maxy; i++) {
		const struct reason *re = &v->reasons[i];
		char text[512], masked[IDNO_MAX], letter[4] = { '[', level_letter(re->level), ']', 0 };
		int textw = COLS - 6 - codew - 2;
		idno_mask(re->subject, masked);
		snprintf(text, sizeof text, "%s%s%s", t->cfg->zh ? re->zh : re->en, re->subject[0] ? "  " : "",
			 re->subject[0] ? (tr->reveal ? re->subject : masked) : "");
		term_text(y, 1, 4, letter, re->level >= LEVEL_SAMPLE ? term_attr(term_level_color(re->level)) : (int)A_BOLD);
		term_text(y, COLS - 1 - codew, codew, re->code, term_attr(TC_DIM));
		y += term_wrap(y, 5, textw, maxy, text, A_NORMAL);
	}
	return y;
}

static void details(struct tui *t, const struct truck *tr, int y, int maxy)
{
	const struct lane_result *r = &tr->res;
	char buf[512], tm[24];
	const cJSON *m;

	if (r->vehicle != NULL) {
		snprintf(buf, sizeof buf, "%s %s · %s%s%s", s_or(r->vehicle, "plate", "?"), s_or(r->vehicle, "type", ""),
			 word(t, facts_str(r->vehicle, "relation")),
			 facts_str(r->vehicle, "trailer_plate") ? _(" · trailer ") : "", s_or(r->vehicle, "trailer_plate", ""));
		line(&y, maxy, _("Vehicle"), buf, A_NORMAL);
	} else {
		line(&y, maxy, _("Vehicle"), _("not in the local data"), term_attr(TC_ALERT));
	}
	if (r->enterprise != NULL) {
		snprintf(buf, sizeof buf, "%s · %s · %s · %s", s_or(r->enterprise, "name", "?"),
			 word(t, facts_str(r->enterprise, "sector")),
			 cJSON_IsTrue(member(r->enterprise, "whitelisted")) ? _("whitelisted") : _("NOT whitelisted"),
			 word(t, facts_str(r->enterprise, "status")));
		line(&y, maxy, _("Enterprise"), buf, A_NORMAL);
	}
	if (r->pass != NULL) {
		char from[24];
		const char *sig = facts_str(r->pass, "signature");
		short_time(r->pass, "valid_from", from, sizeof from);
		short_time(r->pass, "valid_to", tm, sizeof tm);
		snprintf(buf, sizeof buf, "%s · %s → %s%s%s", s_or(r->pass, "pass_no", "?"), from, tm,
			 cJSON_IsTrue(member(r->pass, "revoked")) ? _(" · REVOKED") : "",
			 sig == NULL ? "" : strcmp(sig, "ok") == 0 ? _(" · signature ok") : _(" · SIGNATURE BAD"));
		line(&y, maxy, _("Pass"), buf, A_NORMAL);
	} else {
		line(&y, maxy, _("Pass"), _("none"), term_attr(TC_DIM));
	}
	cJSON_ArrayForEach(m, r->crew) {
		char nat[24];
		const char *id = tr->reveal ? s_or(m, "id_no", "") : s_or(m, "id_masked", "");
		short_time(m, "nat_at", nat, sizeof nat);
		if (cJSON_IsTrue(member(m, "known")))
			snprintf(buf, sizeof buf, "%s %s · %s · %s %s %s%s", s_or(m, "name", "?"), id,
				 word(t, facts_str(m, "health_code")), _("test"), word(t, facts_str(m, "nat_result")), nat,
				 member(m, "landing_test_here") != NULL ? _(" · landing test here") : "");
		else
			snprintf(buf, sizeof buf, "%s %s", id, _("(no record)"));
		line(&y, maxy, _("Crew"), buf, A_NORMAL);
	}
	if (cJSON_GetArraySize(r->crew) == 0)
		line(&y, maxy, _("Crew"), _("unknown: scan the drivers' ID cards"), term_attr(TC_ALERT));
	draw_trip(t, tr, &y, maxy);
}

void lane_draw(struct tui *t, struct lane *L)
{
	struct truck *tr = lane_shown(L);
	int y = 3, maxy = LINES - 3;

	status_bar(t);
	term_text(1, 0, COLS, field_label(L), L->field_bad ? term_attr(TC_ALERT) | (int)A_BOLD : (int)A_BOLD);
	data_row(t);
	if (tr == NULL) {
		term_text(4, 2, COLS - 4, _("Scan a pass code, or type a plate, ID number or pass number, then Enter"),
			  term_attr(TC_DIM));
		if (t->cfg->province[0] != '\0') {
			char buf[160];
			snprintf(buf, sizeof buf, _("Local province %s: D12345 means %sD12345 · F2 picks another"),
				 t->cfg->province, t->cfg->province);
			term_text(5, 2, COLS - 4, buf, term_attr(TC_DIM));
		}
	} else {
		y += queue(L, y, 1);
		banner(t, tr, y);
		y = reasons(t, tr, y + 3, maxy);
		if (y < maxy)
			y++;
		details(t, tr, y, maxy);
	}
	tui_keybar(ON_LANE);
	lane_draw_cursor(t, L);
}
