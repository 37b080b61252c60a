/* main.c — the lane screen: status bar, the one input field, the verdict
 * banner, reasons, vehicle, pass, crew and trip chain; one-key decisions.
 * Every decision goes through lane_log, like `greenlane log`, and the screen
 * says "logged" only after the journal committed. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "facts.h"
#include "gltime.h"
#include "idno.h"
#include "tui_app.h"
#include "tui_term.h"
#include "words.h"

/* How a query is named on screen and in the log: an ID number masked unless
 * revealed; a pass code never whole (NULL: the caller names it). */
static const char *query_name(const struct query *q, int reveal, char out[IDNO_MAX])
{
	if (q->kind == QUERY_TOKEN)
		return NULL;
	if (q->kind == QUERY_IDNO && !reveal) {
		idno_mask(q->value, out);
		return out;
	}
	return q->value;
}

/* The truck on screen, for the log file: no personal data. */
static const char *logged_name(const struct tui *t, char out[IDNO_MAX])
{
	const char *plate = facts_str(t->res.vehicle, "plate");
	const char *name = query_name(&t->res.q[t->res.primary], 0, out);

	return plate != NULL ? plate : name != NULL ? name : "(pass code)";
}

void main_screen_clear(struct tui *t)
{
	if (t->have_res)
		lane_result_free(&t->res);
	t->have_res = 0;
	t->logged = 0;
	t->reveal = 0;
	for (int i = 0; i < t->nq; i++)
		free(t->queries[i]);
	t->nq = 0;
}

void main_screen_forget(struct tui *t)
{
	main_screen_clear(t);
	for (int i = 0; i < t->nhist; i++)
		free(t->history[i]);
	t->nhist = t->hpos = 0;
	t->ilen = t->icur = 0;
}

void main_screen_tick(struct tui *t)
{
	if (t->have_res && t->cfg->clear_after_s > 0 && tui_now() - t->shown_at >= t->cfg->clear_after_s) {
		main_screen_forget(t);
		tui_say(t, 0, "%s", _("Personal data cleared from the screen"));
	}
}

static void bell(struct tui *t, enum level l)
{
	if (!t->cfg->bell)
		return;
	if (l == LEVEL_HOLD) {
		beep();
		flash();
	} else if (l >= LEVEL_SAMPLE) {
		beep();
	}
}

static void run_check(struct tui *t)
{
	struct lane_ctx ctx;
	gl_msg err;
	enum lane_status st;
	char masked[IDNO_MAX];

	if (t->have_res)
		lane_result_free(&t->res);
	t->have_res = 0;
	memset(&ctx, 0, sizeof ctx);
	ctx.now = tui_now();
	ctx.checkpoint_id = t->checkpoint[0] ? t->checkpoint : NULL;
	ctx.checkpoint_region = t->cfg->region[0] ? t->cfg->region : NULL;
	ctx.outbound = t->cfg->outbound;
	ctx.local_province = t->cfg->province[0] ? t->cfg->province : NULL;
	st = lane_check(t->cache, t->policy, &ctx, (const char *const *)t->queries, (size_t)t->nq, &t->res, &err);
	if (st != LANE_OK) {
		lane_result_free(&t->res);
		/* The query that failed is dropped; the others stay. */
		free(t->queries[--t->nq]);
		if (t->nq > 0)
			run_check(t);
		tui_say(t, 1, "%s", glmsg_text(&err, t->cfg->zh));
		return;
	}
	t->have_res = 1;
	t->logged = 0;
	t->reveal = 0;
	t->shown_at = tui_now();
	t->msg[0] = '\0';
	if (verdict_has(&t->res.verdict, "NOT_REGISTERED"))
		tui_say(t, 0, "%s", _("Not registered: Ctrl-R registers on the spot (补录)"));
	else if (verdict_has(&t->res.verdict, "LANDING_TEST_DUE"))
		tui_say(t, 0, "%s", _("Landing test due: Ctrl-E records it (落地检)"));
	tui_log(t, "check %s: %s", logged_name(t, masked), level_name(t->res.verdict.level));
	bell(t, t->res.verdict.level);
}

/* Enter: an ID number adds a crew member to the truck at the lane; anything
 * else starts a new truck. */
static void submit(struct tui *t)
{
	char text[INPUT_MAX * 4 + 1], masked[IDNO_MAX];
	struct query q;

	tui_wcs_to_utf8(t->input, t->ilen, text, sizeof text);
	if (text[strspn(text, " \t")] == '\0')
		return;
	if (t->nhist == 0 || strcmp(t->history[t->nhist - 1], text) != 0) {
		if (t->nhist == HISTORY_MAX) {
			free(t->history[0]);
			memmove(t->history, t->history + 1, (HISTORY_MAX - 1) * sizeof t->history[0]);
			t->nhist--;
		}
		t->history[t->nhist++] = strdup(text);
	}
	t->hpos = t->nhist;
	t->ilen = t->icur = 0;
	if (!(t->have_res && !t->logged && t->nq < LANE_MAX_QUERIES &&
	      query_parse(text, NULL, tui_now(), &q, NULL) == 0 && q.kind == QUERY_IDNO)) {
		if (t->have_res && !t->logged)
			tui_log(t, "not logged: %s", logged_name(t, masked));
		main_screen_clear(t);
	}
	t->queries[t->nq++] = strdup(text);
	run_check(t);
}

static void log_decision(struct tui *t, const char *reason)
{
	struct lane_decision d;
	struct journal_entry e;
	gl_msg err;
	int rc;

	memset(&d, 0, sizeof d);
	d.decision = t->pending;
	d.at = tui_now();
	d.officer = t->officer;
	d.reason = reason;
	d.tube = t->tube;
	d.checkpoint_id = t->checkpoint;
	d.outbound = t->cfg->outbound;
	rc = lane_log(t->journal, &t->res, &d, &e, &err);
	if (rc != 0) {
		tui_say(t, 1, "%s: %s", _("NOT logged"), glmsg_text(&err, t->cfg->zh));
		return;
	}
	t->logged = 1;
	t->logged_seq = (long long)e.seq;
	tui_sync_soon(t);	/* the record should reach the centre soon */
	tui_say(t, 0, _("Logged #%lld: %s"), t->logged_seq,
		t->cfg->zh ? decision_zh(d.decision) : decision_name(d.decision));
}

static void reason_given(struct tui *t, const char *text)
{
	if (text == NULL || text[0] == '\0') {
		tui_say(t, 1, "%s", _("An override needs a reason: nothing logged"));
		return;
	}
	log_decision(t, text);
}

static void after_tube(struct tui *t)
{
	if (decision_overrides(t->res.verdict.level, t->pending))
		tui_prompt(t, _("Override: why? (journaled)"), reason_given);
	else
		log_decision(t, NULL);
}

static void tube_given(struct tui *t, const char *text)
{
	if (text == NULL || text[0] == '\0') {
		tui_say(t, 1, "%s", _("Sampling needs the tube number: nothing logged"));
		return;
	}
	snprintf(t->tube, sizeof t->tube, "%s", text);
	after_tube(t);
}

static void decide(struct tui *t, enum decision d)
{
	if (!t->have_res) {
		tui_say(t, 1, "%s", _("Check a truck first"));
		return;
	}
	if (t->logged) {
		tui_say(t, 1, _("Already logged as #%lld"), t->logged_seq);
		return;
	}
	t->pending = d;
	t->tube[0] = '\0';
	if (d == DECIDE_SAMPLE)
		tui_prompt(t, _("Scan the sample tube"), tube_given);
	else
		after_tube(t);
}

static void reveal(struct tui *t)
{
	cJSON *f;
	const cJSON *m;
	struct journal_entry e;
	gl_msg err;

	if (!t->have_res || t->reveal)
		return;
	/* Looking at full ID numbers is itself journaled. */
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "officer", t->officer);
	cJSON_AddStringToObject(f, "checkpoint", t->checkpoint);
	if (facts_str(t->res.vehicle, "plate") != NULL)
		cJSON_AddStringToObject(f, "plate", facts_str(t->res.vehicle, "plate"));
	cJSON *ids = cJSON_AddArrayToObject(f, "id_nos");
	cJSON_ArrayForEach(m, t->res.crew)
		cJSON_AddItemToArray(ids, cJSON_CreateString(facts_str(m, "id_no")));
	if (journal_append(t->journal, "reveal", tui_now(), f, &e, &err) != 0)
		tui_say(t, 1, "%s", glmsg_text(&err, t->cfg->zh));
	else
		t->reveal = 1;
	cJSON_Delete(f);
}

/* A record about the truck on screen (registration, landing test), with
 * its plate and crew, journaled like a transit. */
static int journal_about_truck(struct tui *t, const char *kind, cJSON *f)
{
	struct journal_entry e;
	const cJSON *m;
	gl_msg err;
	cJSON *ids = cJSON_AddArrayToObject(f, "crew");
	int rc;

	cJSON_ArrayForEach(m, t->res.crew)
		if (facts_str(m, "id_no") != NULL)
			cJSON_AddItemToArray(ids, cJSON_CreateString(facts_str(m, "id_no")));
	if (facts_str(t->res.vehicle, "plate") != NULL)
		cJSON_AddStringToObject(f, "plate", facts_str(t->res.vehicle, "plate"));
	cJSON_AddStringToObject(f, "officer", t->officer);
	cJSON_AddStringToObject(f, "checkpoint", t->checkpoint);
	rc = journal_append(t->journal, kind, tui_now(), f, &e, &err);
	if (rc != 0)
		tui_say(t, 1, "%s: %s", _("NOT logged"), glmsg_text(&err, t->cfg->zh));
	else
		tui_say(t, 0, _("Logged #%lld: %s"), (long long)e.seq, kind);
	cJSON_Delete(f);
	return rc;
}

static void reg_point(struct tui *t, const char *text)
{
	cJSON *f;

	if (text == NULL) {
		tui_say(t, 1, "%s", _("Registration cancelled: nothing logged"));
		return;
	}
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "origin_region", t->reg_origin);
	cJSON_AddStringToObject(f, "dest_region", t->reg_dest);
	cJSON_AddStringToObject(f, "reception_point", text);
	journal_about_truck(t, "registration", f);
}

/* One region answer of the registration prompts: kept in dst and the next
 * prompt asked, or the registration dropped with the reason. */
static void reg_region(struct tui *t, const char *text, char *dst, size_t cap, const char *next,
		       void (*then)(struct tui *, const char *))
{
	if (text == NULL || !region_code_valid(text)) {
		tui_say(t, 1, "%s", _("A region is a 6-digit code such as 410402: registration not logged"));
		return;
	}
	snprintf(dst, cap, "%s", text);
	tui_prompt(t, next, then);
}

static void reg_dest(struct tui *t, const char *text)
{
	reg_region(t, text, t->reg_dest, sizeof t->reg_dest,
		   _("Register on the spot (3/3): reception point at the destination"), reg_point);
}

static void reg_origin(struct tui *t, const char *text)
{
	reg_region(t, text, t->reg_origin, sizeof t->reg_origin,
		   _("Register on the spot (2/3): destination region code"), reg_dest);
}

static void landing_tube(struct tui *t, const char *text)
{
	cJSON *f;

	if (text == NULL || text[0] == '\0') {
		tui_say(t, 1, "%s", _("A landing test needs the tube number: nothing logged"));
		return;
	}
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "tube", text);
	journal_about_truck(t, "landing_test", f);
}

static void edit(struct tui *t, int is_key, wint_t ch)
{
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: if (t->icur > 0) t->icur--; break;
		case KEY_RIGHT: if (t->icur < t->ilen) t->icur++; break;
		case KEY_HOME: t->icur = 0; break;
		case KEY_END: t->icur = t->ilen; break;
		case KEY_BACKSPACE:
			if (t->icur > 0) {
				memmove(t->input + t->icur - 1, t->input + t->icur, (size_t)(t->ilen - t->icur) * sizeof(wchar_t));
				t->icur--;
				t->ilen--;
			}
			break;
		case KEY_DC:
			if (t->icur < t->ilen) {
				memmove(t->input + t->icur, t->input + t->icur + 1, (size_t)(t->ilen - t->icur - 1) * sizeof(wchar_t));
				t->ilen--;
			}
			break;
		default: break;
		}
		return;
	}
	if (ch == 127 || ch == 8) {
		edit(t, 1, KEY_BACKSPACE);
		return;
	}
	if (ch < 32 || t->ilen >= INPUT_MAX)
		return;
	memmove(t->input + t->icur + 1, t->input + t->icur, (size_t)(t->ilen - t->icur) * sizeof(wchar_t));
	t->input[t->icur++] = (wchar_t)ch;
	t->ilen++;
}

static void set_input(struct tui *t, const char *s)
{
	t->ilen = (int)mbstowcs(t->input, s, INPUT_MAX);
	if (t->ilen < 0)
		t->ilen = 0;
	t->icur = t->ilen;
}

static void key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	switch (a) {
	case ACT_SUBMIT:
		t->submit_ns = tui_mono_ns();
		submit(t);
		return;
	case ACT_HELP: tui_push(t, &help_screen); return;
	case ACT_PROVINCE: tui_push(t, &picker_screen); return;
	case ACT_RELEASE: decide(t, DECIDE_RELEASE); return;
	case ACT_SAMPLE: decide(t, DECIDE_SAMPLE); return;
	case ACT_HOLD: decide(t, DECIDE_HOLD); return;
	case ACT_DIVERT: decide(t, DECIDE_DIVERT); return;
	case ACT_REVEAL: reveal(t); return;
	case ACT_LOCK:
		if (t->officers > 0)
			tui_lock(t);
		else
			tui_say(t, 1, "%s", _("No officers registered: greenlane officer add ID registers one"));
		return;
	case ACT_HISTORY: tui_push(t, &history_screen); return;
	case ACT_ALERTS: tui_push(t, &alerts_screen); return;
	case ACT_REPORT: tui_push(t, &report_screen); return;
	case ACT_SYNC: tui_push(t, &sync_screen); return;
	case ACT_TRIP: tui_push(t, &trip_screen); return;
	case ACT_REGISTER:
		if (!t->have_res)
			tui_say(t, 1, "%s", _("Check a truck first"));
		else
			tui_prompt(t, _("Register on the spot (1/3): origin region code (e.g. 410102)"), reg_origin);
		return;
	case ACT_LANDING:
		if (!t->have_res || cJSON_GetArraySize(t->res.crew) == 0)
			tui_say(t, 1, "%s", _("Check a truck with its crew first"));
		else
			tui_prompt(t, _("Landing test: scan the tube"), landing_tube);
		return;
	case ACT_QUIT:
		if (t->have_res && !t->logged)
			tui_push(t, &confirm_screen);
		else
			t->quit = 1;
		return;
	case ACT_CLEAR: t->ilen = t->icur = 0; return;
	case ACT_CANCEL:
		if (t->ilen > 0) {
			t->ilen = t->icur = 0;
		} else if (t->have_res) {
			main_screen_clear(t);
			t->msg[0] = '\0';
		}
		return;
	case ACT_HISTORY_PREV:
		if (t->hpos > 0)
			set_input(t, t->history[--t->hpos]);
		return;
	case ACT_HISTORY_NEXT:
		if (t->hpos < t->nhist - 1)
			set_input(t, t->history[++t->hpos]);
		else {
			t->hpos = t->nhist;
			t->ilen = t->icur = 0;
		}
		return;
	default:
		edit(t, is_key, ch);
	}
}

/* ---- drawing ---- */

static void draw_status(struct tui *t)
{
	char buf[320], when[40], age[48];
	int64_t a = t->have_res ? t->res.cache_age_s : tui_now() - cache_as_of(t->cache);
	int64_t pending = journal_pending(t->journal);

	gltime_format(tui_now(), GLTIME_CST, when, sizeof when);
	if (cache_damaged(t->cfg->cache_path))
		snprintf(age, sizeof age, "%s", _("data damaged: next sync rebuilds"));
	else if (cache_as_of(t->cache) == INT64_MIN)
		snprintf(age, sizeof age, "%s", _("no data"));
	else if (a < 3600)
		snprintf(age, sizeof age, _("data %lld min old"), (long long)(a / 60));
	else
		snprintf(age, sizeof age, _("data %lld h old"), (long long)(a / 3600));
	snprintf(buf, sizeof buf, " %s %s │ %s %s │ %s · %s │ %s %lld │ %.10s %.8s",
		 t->checkpoint[0] ? t->checkpoint : "-", t->cfg->outbound ? _("out") : _("in"),
		 _("officer"), t->officer[0] ? t->officer : "-", tui_online(t) ? _("online") : _("offline"), age,
		 _("unsent"), (long long)pending, when, when + 11);
	term_fill(0, 0, COLS, term_attr(TC_STATUS));
	term_text(0, 0, COLS, buf, term_attr(TC_STATUS));
}

static void draw_input(struct tui *t)
{
	char text[INPUT_MAX * 4 + 1];
	const char *label = _("Query ▶ ");
	int lw = term_width(label), w, start = 0;

	term_text(1, 0, COLS, label, A_BOLD);
	/* Show the end of a long input (a scanned token). */
	tui_wcs_to_utf8(t->input, t->icur, text, sizeof text);
	w = term_width(text);
	while (w > COLS - lw - 2 && start < t->icur) {
		char one[8];
		tui_wcs_to_utf8(t->input + start, 1, one, sizeof one);
		w -= term_width(one);
		start++;
	}
	tui_wcs_to_utf8(t->input + start, t->ilen - start, text, sizeof text);
	term_text(1, lw, COLS - lw, text, A_NORMAL);
	move(1, lw + w);
	term_rule(2, 0, COLS);
}

/* A labelled line; text that does not fit continues on the next rows. */
static void line(int *y, int maxy, const char *label, const char *text, int attr)
{
	int x0 = 14;

	if (*y >= maxy)
		return;
	term_text(*y, 1, x0 - 2, label, A_BOLD);
	while (*y < maxy) {
		char part[1024];
		size_t used, cut;
		term_text_n(-1, 0, COLS - x0 - 1, text, attr, &used);	/* measure only */
		cut = used;
		/* Break at the last space that fits, if the text goes on. */
		if (text[used] != '\0')
			for (size_t i = used; i > used / 2; i--)
				if (text[i] == ' ') {
					cut = i + 1;
					break;
				}
		snprintf(part, sizeof part, "%.*s", (int)(cut < sizeof part ? cut : sizeof part - 1), text);
		term_text(*y, x0, COLS - x0 - 1, part, attr);
		(*y)++;
		text += cut;
		if (*text == '\0' || cut == 0)
			break;
	}
}

static const char *s_or(const cJSON *o, const char *f, const char *dflt)
{
	const char *s = facts_str(o, f);
	return s != NULL ? s : dflt;
}

static void short_time(const cJSON *o, const char *field, char *buf, size_t n)
{
	int64_t t = facts_time(o, field);
	char full[40];

	if (t == FACTS_NO_TIME) {
		snprintf(buf, n, "-");
		return;
	}
	gltime_format(t, GLTIME_CST, full, sizeof full);
	snprintf(buf, n, "%.5s %.5s", full + 5, full + 11);
}

static const char *word(const struct tui *t, const char *v)
{
	return words_label(v, t->cfg->zh);
}

static void draw_trip(struct tui *t, int *y, int maxy)
{
	const cJSON *trip = t->res.trip, *o, *d, *e;
	char buf[512], tm[24];
	int on_route = 0, n;

	if (trip == NULL) {
		line(y, maxy, _("Trip"), _("no current trip"), term_attr(TC_DIM));
		return;
	}
	o = cJSON_GetObjectItemCaseSensitive(trip, "origin");
	d = cJSON_GetObjectItemCaseSensitive(trip, "destination");
	short_time(trip, "depart_at", tm, sizeof tm);
	n = snprintf(buf, sizeof buf, "%s %s(%s) %s", _("from"), s_or(o, "place", ""), s_or(o, "region", "?"), tm);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(trip, "route")) {
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
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(trip, "route")) > 0 && !on_route) {
		snprintf(buf, sizeof buf, _("✗ this checkpoint %s is not on the registered route"), t->checkpoint);
		line(y, maxy, "", buf, term_attr(TC_ALERT));
	}
	snprintf(buf, sizeof buf, "%s · %s · %s", s_or(trip, "id", "?"), word(t, facts_str(trip, "status")),
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(trip, "registered")) ? _("registered") : _("NOT registered"));
	line(y, maxy, "", buf, term_attr(TC_DIM));
}

static void draw_result(struct tui *t)
{
	const struct lane_result *r = &t->res;
	enum level l = r->verdict.level;
	int attr = term_attr(term_level_color(l)), y, maxy = LINES - 3;
	char buf[512], masked[IDNO_MAX], tm[24];
	const cJSON *m;
	const char *plate = facts_str(r->vehicle, "plate");

	/* The banner: three rows, the letter, both names, the plate. */
	for (int i = 3; i <= 5; i++)
		term_fill(i, 0, COLS, attr);
	snprintf(buf, sizeof buf, "[%c]  %s  %s", level_letter(l), level_zh(l), level_en(l));
	term_text(4, (COLS - term_width(buf)) / 2, COLS, buf, attr | A_BOLD);
	if (plate == NULL)
		plate = query_name(&r->q[r->primary], t->reveal, masked);
	snprintf(buf, sizeof buf, "%s%s", plate ? plate : _("pass code"), t->logged ? _("  ✓ logged") : "");
	term_text(3, 2, COLS - 4, buf, attr | A_BOLD);

	y = 6;
	for (size_t i = 0; i < r->verdict.n && y < maxy; i++, y++) {
		const struct reason *re = &r->verdict.reasons[i];
		int x = term_text(y, 1, 4, (char[]){ '[', level_letter(re->level), ']', 0 },
				  re->level >= LEVEL_SAMPLE ? term_attr(term_level_color(re->level)) : (int)A_BOLD);
		x += 1 + term_text(y, 1 + x + 1, COLS - 30, t->cfg->zh ? re->zh : re->en, A_NORMAL);
		if (re->subject[0] != '\0') {
			idno_mask(re->subject, masked);
			x += term_text(y, 2 + x, COLS - x - 2, t->reveal ? re->subject : masked, term_attr(TC_DIM));
		}
		term_text(y, COLS - 24, 24, re->code, term_attr(TC_DIM));
	}
	if (y < maxy)
		y++;
	if (r->vehicle != NULL) {
		snprintf(buf, sizeof buf, "%s %s · %s%s%s", s_or(r->vehicle, "plate", "?"), s_or(r->vehicle, "type", ""),
			 word(t, facts_str(r->vehicle, "relation")),
			 facts_str(r->vehicle, "trailer_plate") ? _(" · trailer ") : "",
			 s_or(r->vehicle, "trailer_plate", ""));
		line(&y, maxy, _("Vehicle"), buf, A_NORMAL);
	} else {
		line(&y, maxy, _("Vehicle"), _("not in the local data"), term_attr(TC_ALERT));
	}
	if (r->enterprise != NULL) {
		snprintf(buf, sizeof buf, "%s · %s · %s · %s", s_or(r->enterprise, "name", "?"),
			 word(t, facts_str(r->enterprise, "sector")),
			 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->enterprise, "whitelisted")) ? _("whitelisted") : _("NOT whitelisted"),
			 word(t, facts_str(r->enterprise, "status")));
		line(&y, maxy, _("Enterprise"), buf, A_NORMAL);
	}
	if (r->pass != NULL) {
		char from[24];
		short_time(r->pass, "valid_from", from, sizeof from);
		short_time(r->pass, "valid_to", tm, sizeof tm);
		snprintf(buf, sizeof buf, "%s · %s → %s%s%s", s_or(r->pass, "pass_no", "?"), from, tm,
			 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->pass, "revoked")) ? _(" · REVOKED") : "",
			 facts_str(r->pass, "signature") ? (strcmp(facts_str(r->pass, "signature"), "ok") == 0 ? _(" · signature ok") : _(" · SIGNATURE BAD")) : "");
		line(&y, maxy, _("Pass"), buf, A_NORMAL);
	} else {
		line(&y, maxy, _("Pass"), _("none"), term_attr(TC_DIM));
	}
	cJSON_ArrayForEach(m, r->crew) {
		char nat[24];
		short_time(m, "nat_at", nat, sizeof nat);
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "known")))
			snprintf(buf, sizeof buf, "%s %s · %s · %s %s %s", s_or(m, "name", "?"),
				 t->reveal ? s_or(m, "id_no", "") : s_or(m, "id_masked", ""),
				 word(t, facts_str(m, "health_code")), _("test"), word(t, facts_str(m, "nat_result")), nat);
		else
			snprintf(buf, sizeof buf, "%s %s", t->reveal ? s_or(m, "id_no", "") : s_or(m, "id_masked", ""),
				 _("(no record)"));
		line(&y, maxy, _("Crew"), buf, A_NORMAL);
	}
	if (cJSON_GetArraySize(r->crew) == 0)
		line(&y, maxy, _("Crew"), _("unknown: scan the drivers' ID cards"), term_attr(TC_ALERT));
	draw_trip(t, &y, maxy);
}

static void draw(struct tui *t)
{
	draw_status(t);
	if (t->have_res) {
		draw_result(t);
	} else {
		term_text(4, 2, COLS - 4, _("Scan a pass code, or type a plate, ID number or pass number, then Enter"),
			  term_attr(TC_DIM));
		if (t->cfg->province[0] != '\0') {
			char buf[160];
			snprintf(buf, sizeof buf, _("Local province %s: D12345 means %sD12345 · F2 picks another"),
				 t->cfg->province, t->cfg->province);
			term_text(5, 2, COLS - 4, buf, term_attr(TC_DIM));
		}
	}
	tui_keybar(t, ON_MAIN);
	draw_input(t);
}

void main_screen_cursor(struct tui *t)
{
	draw_input(t);	/* last: it leaves the cursor in the field */
}

const struct screen_ops main_screen = { ON_MAIN, 0, NULL, draw, key, NULL };
