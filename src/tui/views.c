/* views.c — the screens beside the lane: the journal (search, filter by
 * verdict), alerts (acknowledged into the journal), the shift report (by
 * verdict, by hour, by officer; CSV for the daily ledger), sync status and
 * the current trip in full.  Each is {init, draw, key, done}. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "facts.h"
#include "gltime.h"
#include "tui_app.h"
#include "tui_term.h"

void tui_title(const char *title, const char *right)
{
	term_fill(0, 0, COLS, term_attr(TC_STATUS));
	term_text(0, 1, COLS - 2, title, term_attr(TC_STATUS) | (int)A_BOLD);
	if (right != NULL)
		term_text(0, COLS - 1 - term_width(right), term_width(right), right, term_attr(TC_STATUS));
}

static int collect(const cJSON *body, void *arg)
{
	const char *kind = facts_str(body, "kind");

	if (kind != NULL && strcmp(kind, "transit") == 0)
		cJSON_AddItemToArray((cJSON *)arg, cJSON_Duplicate(body, 1));
	return cJSON_GetArraySize((cJSON *)arg) >= 20000;
}

cJSON *tui_recent_transits(struct tui *t)
{
	cJSON *all = cJSON_CreateArray(), *out = cJSON_CreateArray();
	gl_msg err;

	journal_each(t->journal, tui_now() - 86400, collect, all, &err);
	/* Newest first. */
	while (cJSON_GetArraySize(all) > 0)
		cJSON_AddItemToArray(out, cJSON_DetachItemFromArray(all, cJSON_GetArraySize(all) - 1));
	cJSON_Delete(all);
	return out;
}

static void rows_free(struct tui *t)
{
	cJSON_Delete(t->rows);
	t->rows = NULL;
	t->sel = t->top = 0;
}

/* Up/Down/PgUp/PgDn/Home/End over n rows of which `page` fit. */
static void navigate(struct tui *t, wint_t ch, int n, int page)
{
	switch (ch) {
	case KEY_UP: t->sel--; break;
	case KEY_DOWN: t->sel++; break;
	case KEY_PPAGE: t->sel -= page; break;
	case KEY_NPAGE: t->sel += page; break;
	case KEY_HOME: t->sel = 0; break;
	case KEY_END: t->sel = n - 1; break;
	default: return;
	}
	if (t->sel >= n)
		t->sel = n - 1;
	if (t->sel < 0)
		t->sel = 0;
}

static void keep_visible(struct tui *t, int page)
{
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + page)
		t->top = t->sel - page + 1;
}

/* ---- journal ---- */

static int matches(const struct tui *t, const cJSON *r)
{
	enum level l;
	char *text;
	int ok;

	if (t->vfilter != 0 && (level_parse(facts_str(r, "verdict"), &l) != 0 || level_letter(l) != t->vfilter))
		return 0;
	if (t->search[0] == '\0')
		return 1;
	text = cJSON_PrintUnformatted(r);
	ok = text != NULL && strstr(text, t->search) != NULL;
	cJSON_free(text);
	return ok;
}

/* Marks each row shown or not: once per change of search or filter, not on
 * every redraw. */
static void refilter(struct tui *t)
{
	cJSON *r;

	cJSON_ArrayForEach(r, t->rows) {
		cJSON_DeleteItemFromObjectCaseSensitive(r, "_shown");
		cJSON_AddBoolToObject(r, "_shown", matches(t, r));
	}
	t->sel = t->top = 0;
}

static int row_shown(const cJSON *r)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "_shown"));
}

static void history_init(struct tui *t)
{
	t->rows = tui_recent_transits(t);
	t->search[0] = '\0';
	t->vfilter = 0;
	refilter(t);
}

static void history_draw(struct tui *t)
{
	const cJSON *r;
	char buf[400], right[160];
	int y = 2, page = LINES - 4, i = 0, shown = 0, n = 0;

	cJSON_ArrayForEach(r, t->rows)
		n += row_shown(r);
	snprintf(right, sizeof right, _("%d of %d in the last 24 h%s%s%s%c"), n, cJSON_GetArraySize(t->rows),
		 t->search[0] ? _(" · search: ") : "", t->search, t->vfilter ? _(" · verdict ") : "", t->vfilter ? t->vfilter : ' ');
	tui_title(_("Journal — this lane's records"), right);
	term_text(1, 1, COLS - 2, _("time      plate        verdict  decision   officer  reasons"), (int)A_BOLD);
	if (t->sel >= n)
		t->sel = n > 0 ? n - 1 : 0;
	keep_visible(t, page);
	cJSON_ArrayForEach(r, t->rows) {
		const cJSON *re;
		char codes[200] = "";
		const char *at = facts_str(r, "at");
		if (!row_shown(r))
			continue;
		if (i++ < t->top || y >= LINES - 2)
			continue;
		cJSON_ArrayForEach(re, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
			if (facts_str(re, "code") != NULL && strlen(codes) + strlen(facts_str(re, "code")) + 2 < sizeof codes)
				snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s", codes[0] ? " " : "",
					 facts_str(re, "code"));
		snprintf(buf, sizeof buf, "%.8s  %-11s  %-7s  %-9s  %-7s  %s", at != NULL && strlen(at) > 19 ? at + 11 : "-",
			 facts_str(r, "plate") ? facts_str(r, "plate") : "-", facts_str(r, "verdict") ? facts_str(r, "verdict") : "-",
			 facts_str(r, "decision") ? facts_str(r, "decision") : "-", facts_str(r, "officer") ? facts_str(r, "officer") : "",
			 codes);
		term_text(y, 1, COLS - 2, buf, shown + t->top == t->sel ? (int)A_REVERSE : (int)A_NORMAL);
		y++;
		shown++;
	}
	if (n == 0)
		term_text(3, 2, COLS - 4, _("Nothing logged yet (or nothing matches)."), term_attr(TC_DIM));
	tui_keybar(t, ON_HISTORY);
}

static void searched(struct tui *t, const char *text)
{
	if (text != NULL)
		snprintf(t->search, sizeof t->search, "%s", text);
	refilter(t);
}

static void history_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	switch (a) {
	case ACT_CANCEL: tui_pop(t); return;
	case ACT_SEARCH: tui_prompt(t, _("Search the journal (plate, ID number, officer, reason):"), searched); return;
	case ACT_FILTER:
		t->vfilter = ch == 'a' ? 0 : (char)(ch - 'a' + 'A');
		refilter(t);
		return;
	default:
		if (is_key)
			navigate(t, ch, cJSON_GetArraySize(t->rows), LINES - 4);
	}
}

const struct screen_ops history_screen = { ON_HISTORY, 0, history_init, history_draw, history_key, rows_free };

/* ---- alerts ---- */

static int ack_seen(const cJSON *body, void *arg)
{
	const char *kind = facts_str(body, "kind"), *id = facts_str(body, "alert_id");

	if (kind != NULL && id != NULL && strcmp(kind, "ack") == 0)
		cJSON_AddItemToArray((cJSON *)arg, cJSON_CreateString(id));
	return 0;
}

static const char *alert_id(const cJSON *a)
{
	return facts_str(a, "id") != NULL ? facts_str(a, "id") : "";
}

static void alerts_init(struct tui *t)
{
	cJSON *acks = cJSON_CreateArray(), *a, *k;
	gl_msg err;

	t->rows = cache_alerts(t->cache, tui_now());
	journal_each(t->journal, INT64_MIN, ack_seen, acks, &err);
	cJSON_ArrayForEach(a, t->rows) {
		int acked = 0;
		cJSON_ArrayForEach(k, acks)
			acked |= strcmp(k->valuestring, alert_id(a)) == 0;
		cJSON_AddBoolToObject(a, "acked", acked);
	}
	cJSON_Delete(acks);
	t->sel = t->top = 0;
}

static void alerts_draw(struct tui *t)
{
	const cJSON *a;
	char buf[400], right[64];
	int y = 2, i = 0, n = cJSON_GetArraySize(t->rows), open = 0;

	cJSON_ArrayForEach(a, t->rows)
		open += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "acked"));
	snprintf(right, sizeof right, _("%d open, %d in all"), open, n);
	tui_title(_("Alerts — intercepts and meltdowns"), right);
	keep_visible(t, LINES - 4);
	cJSON_ArrayForEach(a, t->rows) {
		int acked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "acked"));
		int attr = i == t->sel ? (int)A_REVERSE : acked ? term_attr(TC_DIM) : (int)A_BOLD;
		if (i++ < t->top || y >= LINES - 2)
			continue;
		if (strcmp(facts_str(a, "alert"), "intercept") == 0)
			snprintf(buf, sizeof buf, "%s %s  %s %s  %s", acked ? "  " : "! ", _("INTERCEPT"),
				 facts_str(a, "target") && strcmp(facts_str(a, "target"), "plate") == 0 ? _("plate") : _("person"),
				 facts_str(a, "value") ? facts_str(a, "value") : "?", facts_str(a, "reason") ? facts_str(a, "reason") : "");
		else
			snprintf(buf, sizeof buf, "%s %s  %s %s  %s", acked ? "  " : "! ", _("MELTDOWN"), alert_id(a),
				 facts_str(a, "name") ? facts_str(a, "name") : "",
				 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "whitelisted")) ? _("suspended") : _("off the whitelist"));
		term_text(y++, 1, COLS - 2, buf, attr);
	}
	if (n == 0)
		term_text(3, 2, COLS - 4, _("No alerts."), term_attr(TC_DIM));
	tui_keybar(t, ON_ALERTS);
}

static void alerts_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	cJSON *al = cJSON_GetArrayItem(t->rows, t->sel), *f;
	struct journal_entry e;
	gl_msg err;

	if (a == ACT_CANCEL) {
		tui_pop(t);
		return;
	}
	if ((a == ACT_ACK || a == ACT_SUBMIT) && al != NULL &&
	    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(al, "acked"))) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "alert", facts_str(al, "alert"));
		cJSON_AddStringToObject(f, "alert_id", alert_id(al));
		cJSON_AddStringToObject(f, "officer", t->officer);
		cJSON_AddStringToObject(f, "checkpoint", t->checkpoint);
		if (journal_append(t->journal, "ack", tui_now(), f, &e, &err) == 0)
			cJSON_ReplaceItemInObjectCaseSensitive(al, "acked", cJSON_CreateTrue());
		else
			tui_say(t, 1, "%s", glmsg_text(&err, t->cfg->zh));
		cJSON_Delete(f);
		return;
	}
	if (is_key)
		navigate(t, ch, cJSON_GetArraySize(t->rows), LINES - 4);
}

const struct screen_ops alerts_screen = { ON_ALERTS, 0, alerts_init, alerts_draw, alerts_key, rows_free };

/* ---- shift report ---- */

struct tally {
	int by_level[5], by_hour[24], total, overrides;
	char officers[16][32];
	int per_officer[16], nofficers;
};

static void tally(const cJSON *rows, struct tally *s)
{
	const cJSON *r;

	memset(s, 0, sizeof *s);
	cJSON_ArrayForEach(r, rows) {
		enum level l;
		const char *at = facts_str(r, "at"), *o = facts_str(r, "officer");
		int k;
		if (level_parse(facts_str(r, "verdict"), &l) == 0 && l >= LEVEL_GREEN)
			s->by_level[l]++;
		if (at != NULL && strlen(at) >= 13)
			s->by_hour[(at[11] - '0') * 10 + (at[12] - '0')]++;
		s->overrides += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "override"));
		s->total++;
		if (o == NULL)
			o = "";
		for (k = 0; k < s->nofficers && strcmp(s->officers[k], o) != 0; k++)
			;
		if (k == s->nofficers && k < 16)
			snprintf(s->officers[s->nofficers++], sizeof s->officers[0], "%s", o);
		if (k < 16)
			s->per_officer[k]++;
	}
}

static void report_init(struct tui *t)
{
	t->rows = tui_recent_transits(t);
}

static void report_draw(struct tui *t)
{
	struct tally s;
	char buf[200];
	int y = 2, max = 1, bar_h = 8, x0 = 4;

	tally(t->rows, &s);
	snprintf(buf, sizeof buf, _("%d transits in the last 24 h · %d overrides"), s.total, s.overrides);
	tui_title(_("Shift report"), buf);
	term_text(y++, 1, COLS - 2, _("By verdict"), (int)A_BOLD);
	for (int l = LEVEL_GREEN; l <= LEVEL_HOLD; l++) {
		snprintf(buf, sizeof buf, "[%c] %-8s %-14s %5d", level_letter((enum level)l), level_zh((enum level)l),
			 level_en((enum level)l), s.by_level[l]);
		term_text(y++, 3, COLS - 4, buf, A_NORMAL);
	}
	y++;
	term_text(y++, 1, COLS - 2, _("By hour"), (int)A_BOLD);
	for (int h = 0; h < 24; h++)
		max = s.by_hour[h] > max ? s.by_hour[h] : max;
	/* A bar chart: one column of # per hour, scaled to the busiest hour. */
	for (int row = 0; row < bar_h && y + row < LINES - 4; row++) {
		for (int h = 0; h < 24; h++) {
			int filled = (s.by_hour[h] * bar_h + max - 1) / max;
			if (filled >= bar_h - row && s.by_hour[h] > 0)
				mvaddch(y + row, x0 + h * 3, '#' | (chtype)term_attr(TC_PASS));
		}
	}
	y += bar_h;
	if (y < LINES - 3) {
		for (int h = 0; h < 24; h += 2) {
			snprintf(buf, sizeof buf, "%02d", h);
			term_text(y, x0 + h * 3, 2, buf, term_attr(TC_DIM));
		}
		snprintf(buf, sizeof buf, _("tallest bar: %d"), max);
		term_text(y, x0 + 74 < COLS ? x0 + 74 : COLS - 20, 20, buf, term_attr(TC_DIM));
		y += 2;
	}
	if (y < LINES - 2)
		term_text(y++, 1, COLS - 2, _("By officer"), (int)A_BOLD);
	for (int k = 0; k < s.nofficers && y < LINES - 2; k++) {
		snprintf(buf, sizeof buf, "%-12s %5d", s.officers[k][0] ? s.officers[k] : "-", s.per_officer[k]);
		term_text(y++, 3, COLS - 4, buf, A_NORMAL);
	}
	tui_keybar(t, ON_REPORT);
}

/* The daily ledger: one CSV row per transit, written beside the data. */
static void report_export(struct tui *t)
{
	char path[4200], day[40];
	const cJSON *r;
	FILE *f;

	gltime_format(tui_now(), GLTIME_CST, day, sizeof day);
	snprintf(path, sizeof path, "%s/ledger-%.4s%.2s%.2s.csv", t->cfg->home, day, day + 5, day + 8);
	f = fopen(path, "w");
	if (f == NULL) {
		tui_say(t, 1, "%s %s: %s", _("cannot write"), path, strerror(errno));
		return;
	}
	fputs("at,checkpoint,officer,plate,verdict,decision,override,tube,uuid\n", f);
	cJSON_ArrayForEach(r, t->rows)
		fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", facts_str(r, "at") ? facts_str(r, "at") : "",
			facts_str(r, "checkpoint") ? facts_str(r, "checkpoint") : "",
			facts_str(r, "officer") ? facts_str(r, "officer") : "", facts_str(r, "plate") ? facts_str(r, "plate") : "",
			facts_str(r, "verdict") ? facts_str(r, "verdict") : "", facts_str(r, "decision") ? facts_str(r, "decision") : "",
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "override")) ? "yes" : "no",
			facts_str(r, "tube") ? facts_str(r, "tube") : "", facts_str(r, "uuid") ? facts_str(r, "uuid") : "");
	if (fclose(f) != 0)
		tui_say(t, 1, "%s %s: %s", _("cannot write"), path, strerror(errno));
	else
		tui_say(t, 0, _("Ledger written: %s"), path);
}

static void report_key(struct tui *t, int is_key, wint_t ch, enum action a)
{
	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL)
		tui_pop(t);
	else if (a == ACT_EXPORT)
		report_export(t);
}

const struct screen_ops report_screen = { ON_REPORT, 0, report_init, report_draw, report_key, rows_free };

/* ---- sync status ---- */

static void sync_draw(struct tui *t)
{
	char buf[300], when[40], cursor[128] = "-";
	int64_t as_of = cache_as_of(t->cache);
	int y = 2;

	tui_title(_("Sync status"), NULL);
	if (tui_online(t))
		term_text(y++, 2, COLS - 4, _("State: online — greenlane sync reached the centre in the last 3 minutes"),
			  (int)A_BOLD);
	else
		term_text(y++, 2, COLS - 4, _("State: offline — the lane runs on the local data; greenlane sync brings it up to date"),
			  term_attr(TC_ALERT) | (int)A_BOLD);
	{
		char v[32];
		if (cache_meta(t->cache, "synced_at", v, sizeof v) == 1) {
			gltime_format(strtoll(v, NULL, 10), GLTIME_CST, when, sizeof when);
			snprintf(buf, sizeof buf, _("Last reached the centre: %s"), when);
			term_text(y++, 2, COLS - 4, buf, A_NORMAL);
		}
	}
	y++;
	if (as_of == INT64_MIN) {
		snprintf(buf, sizeof buf, "%s", _("Data: none"));
	} else {
		gltime_format(as_of, GLTIME_CST, when, sizeof when);
		snprintf(buf, sizeof buf, _("Data as of %s (%lld min ago)"), when, (long long)((tui_now() - as_of) / 60));
	}
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	cache_meta(t->cache, "cursor", cursor, sizeof cursor);
	snprintf(buf, sizeof buf, _("Cursor: %s"), cursor);
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	snprintf(buf, sizeof buf, _("Unsent journal records: %lld"), (long long)journal_pending(t->journal));
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	snprintf(buf, sizeof buf, _("Terminal: %s · checkpoint %s"), journal_terminal(t->journal), t->checkpoint);
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	snprintf(buf, sizeof buf, _("Policy: %s %s"), policy_id(t->policy), policy_version(t->policy));
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	tui_keybar(t, ON_SYNC);
}

const struct screen_ops sync_screen = { ON_SYNC, 0, NULL, sync_draw, tui_close_on_cancel, NULL };

/* ---- the current trip in full ---- */

static void trip_draw(struct tui *t)
{
	const cJSON *trip = t->have_res ? t->res.trip : NULL, *o, *d, *e;
	char buf[300], a[40], b[40];
	int y = 2, step = 1;

	tui_title(_("Trip detail — 出发地 → 公路通行段 → 目的地"), NULL);
	if (trip == NULL) {
		term_text(3, 2, COLS - 4, _("No current trip for the truck on screen."), term_attr(TC_DIM));
		tui_keybar(t, ON_TRIP);
		return;
	}
	o = cJSON_GetObjectItemCaseSensitive(trip, "origin");
	d = cJSON_GetObjectItemCaseSensitive(trip, "destination");
	gltime_format(facts_time(trip, "depart_at") != FACTS_NO_TIME ? facts_time(trip, "depart_at") : 0, GLTIME_CST, a, sizeof a);
	gltime_format(facts_time(trip, "eta") != FACTS_NO_TIME ? facts_time(trip, "eta") : 0, GLTIME_CST, b, sizeof b);
	snprintf(buf, sizeof buf, "%s %s · %s · %s", _("Trip"), facts_str(trip, "id") ? facts_str(trip, "id") : "?",
		 facts_str(trip, "status") ? facts_str(trip, "status") : "?",
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(trip, "registered")) ? _("registered") : _("NOT registered"));
	term_text(y++, 2, COLS - 4, buf, (int)A_BOLD);
	y++;
	snprintf(buf, sizeof buf, "%d. %s  %s (%s)  %s %.16s", step++, _("origin"), facts_str(o, "place") ? facts_str(o, "place") : "",
		 facts_str(o, "region") ? facts_str(o, "region") : "?", _("departed"), a);
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(trip, "via")) {
		snprintf(buf, sizeof buf, "   %s %s", _("via region"), cJSON_IsString(e) ? e->valuestring : "?");
		term_text(y++, 2, COLS - 4, buf, term_attr(TC_DIM));
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(trip, "route")) {
		int here = cJSON_IsString(e) && strcmp(e->valuestring, t->checkpoint) == 0;
		const cJSON *cp = cJSON_IsString(e) ? cache_checkpoint(t->cache, e->valuestring) : NULL;
		snprintf(buf, sizeof buf, "%d. %s %s %s%s", step++, _("checkpoint"), cJSON_IsString(e) ? e->valuestring : "?",
			 facts_str(cp, "name") ? facts_str(cp, "name") : "", here ? _("  ← here ✓") : "");
		term_text(y++, 2, COLS - 4, buf, here ? (int)A_BOLD : (int)A_NORMAL);
	}
	snprintf(buf, sizeof buf, "%d. %s  %s · %s · %s  %s %.16s", step, _("destination"),
		 facts_str(d, "region") ? facts_str(d, "region") : "?", facts_str(d, "enterprise_id") ? facts_str(d, "enterprise_id") : "",
		 facts_str(d, "reception_point") ? facts_str(d, "reception_point") : "", _("eta"), b);
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	y++;
	snprintf(buf, sizeof buf, "%s %d", _("crew on the trip:"), cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(trip, "crew")));
	term_text(y++, 2, COLS - 4, buf, A_NORMAL);
	tui_keybar(t, ON_TRIP);
}

const struct screen_ops trip_screen = { ON_TRIP, 0, NULL, trip_draw, tui_close_on_cancel, NULL };
