/* screen_lane.c — the lane screen: one field for everything scanned or
 * typed, the trucks it makes, and one-key decisions.
 *
 * A truck is everything scanned for it: a plate, a pass (code or number)
 * and ID numbers, in any order, are checked together as `greenlane verify`
 * checks them.  A scan that cannot join the truck on screen (a second plate
 * or pass) makes a new truck; the one it replaces on screen waits in the
 * queue, in sight, until it is decided or the officer puts it away on
 * purpose (asked, unless it would have gone green or pass).
 *
 * No decision on a stale verdict: every undecided truck is checked again
 * each second and whenever the data changes; a change is shown at once,
 * marked, and the next decision key only acknowledges it.  F5–F8 check
 * again before the journal is written, and every decision goes through
 * lane_log, like `greenlane log`: the screen says "logged" only after the
 * journal committed. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "facts.h"
#include "gltime.h"
#include "idno.h"
#include "tui_lane.h"
#include "tui_screens.h"
#include "utf8.h"

struct truck *lane_shown(struct lane *L)
{
	return L->cur >= 0 && L->cur < L->n ? L->trucks[L->cur] : NULL;
}

static int undecided(const struct lane *L)
{
	int k = 0;

	for (int i = 0; i < L->n; i++)
		k += !L->trucks[i]->logged;
	return k;
}

static int index_of(const struct lane *L, const struct truck *tr)
{
	for (int i = 0; i < L->n; i++)
		if (L->trucks[i] == tr)
			return i;
	return -1;
}

/* Takes truck i off the lane (freed).  The screen then shows the oldest
 * undecided truck, if any. */
static void remove_truck(struct lane *L, int i)
{
	truck_free(L->trucks[i]);
	memmove(L->trucks + i, L->trucks + i + 1, (size_t)(L->n - i - 1) * sizeof L->trucks[0]);
	L->n--;
	L->cur = L->n > 0 ? 0 : -1;
}

static const char *level_word(const struct tui *t, enum level l)
{
	return t->cfg->zh ? level_zh(l) : level_en(l);
}

static const char *decision_word(const struct tui *t, enum decision d)
{
	return t->cfg->zh ? decision_zh(d) : decision_name(d);
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

/* The reminders a verdict carries for the officer. */
static void hint(struct tui *t, const struct truck *tr)
{
	if (verdict_has(&tr->res.verdict, "NOT_REGISTERED"))
		tui_say(t, 0, "%s", _("Not registered: Ctrl-R registers on the spot (补录)"));
	else if (verdict_has(&tr->res.verdict, "LANDING_TEST_DUE"))
		tui_say(t, 0, "%s", _("Landing test due: Ctrl-E records it (落地检)"));
}

static void shown_new(struct tui *t, const struct truck *tr)
{
	char name[IDNO_MAX];

	tui_log(t, "check %s: %s", truck_name(tr, name), level_name(tr->res.verdict.level));
	bell(t, tr->res.verdict.level);
	hint(t, tr);
}

/* ---- scanning ---- */

static void remember(struct lane *L, const char *text)
{
	if (L->nhist == 0 || strcmp(L->history[L->nhist - 1], text) != 0) {
		char *copy = strdup(text);
		if (copy == NULL)
			return;
		if (L->nhist == LANE_HISTORY) {
			free(L->history[0]);
			memmove(L->history, L->history + 1, (LANE_HISTORY - 1) * sizeof L->history[0]);
			L->nhist--;
		}
		L->history[L->nhist++] = copy;
	}
	L->hpos = L->nhist;
}

static void forget_typing(struct lane *L)
{
	for (int i = 0; i < L->nhist; i++)
		free(L->history[i]);
	L->nhist = L->hpos = 0;
	edit_clear(&L->field);
	L->field_bad = 0;
}

/* A scan that was refused: it stays in the field, marked, and the reason
 * is said; the trucks are as they were. */
static void refuse(struct tui *t, struct lane *L, const char *text, const gl_msg *err)
{
	char shown[96];
	size_t n = strlen(text);

	L->field_bad = 1;
	/* A whole number that looks like a mistyped ID is never quoted whole. */
	if (n >= 15 && n < IDNO_MAX && strspn(text, "0123456789xX") == n)
		idno_mask(text, shown);
	else
		utf8_excerpt(text, 24, shown, sizeof shown);
	if (strstr(err->en, shown) != NULL || strstr(err->zh, shown) != NULL)
		tui_say(t, 1, "%s", glmsg_text(err, t->cfg->zh));
	else
		tui_say(t, 1, "“%s”: %s", shown, glmsg_text(err, t->cfg->zh));
}

/* Enter: the scan joins the truck on screen, or makes a new one. */
static void submit(struct tui *t, struct lane *L)
{
	char text[EDIT_MAX * 4 + 1], name[IDNO_MAX];
	struct truck *tr = lane_shown(L), *nt;
	struct query q;
	gl_msg err;

	edit_text(&L->field, text, sizeof text);
	if (text[strspn(text, " \t")] == '\0')
		return;
	remember(L, text);
	if (truck_parse(t, text, &q, &err) != 0) {
		refuse(t, L, text, &err);
		return;
	}
	switch (tr != NULL ? truck_join(tr, &q) : TRUCK_OTHER) {
	case TRUCK_HAS_IT:
		edit_clear(&L->field);
		L->field_bad = 0;
		tui_say(t, 0, _("Scanned already for %s"), truck_name(tr, name));
		return;
	case TRUCK_JOINS:
		if (truck_add(t, tr, text, &err) != 0) {
			refuse(t, L, text, &err);
			return;
		}
		edit_clear(&L->field);
		L->field_bad = 0;
		t->msg[0] = '\0';
		shown_new(t, tr);
		return;
	case TRUCK_OTHER:
		break;
	}
	if (tr != NULL && tr->logged) {
		remove_truck(L, L->cur);
		tr = NULL;
	}
	/* A truck waiting already (its plate or pass scanned again) comes up. */
	for (int i = 0; i < L->n; i++) {
		if (L->trucks[i] != tr && !L->trucks[i]->logged && truck_join(L->trucks[i], &q) == TRUCK_HAS_IT) {
			L->cur = i;
			edit_clear(&L->field);
			L->field_bad = 0;
			tui_say(t, 0, _("%s is waiting already: here it is"), truck_name(L->trucks[i], name));
			return;
		}
	}
	if (L->n == LANE_TRUCKS) {
		glmsg_set(&err, "已有 %d 辆车未决：请先处理", "%d trucks are undecided: decide some first", LANE_TRUCKS);
		refuse(t, L, text, &err);
		return;
	}
	nt = truck_new(t, text, &err);
	if (nt == NULL) {
		refuse(t, L, text, &err);
		return;
	}
	L->trucks[L->n] = nt;
	L->cur = L->n++;
	edit_clear(&L->field);
	L->field_bad = 0;
	t->msg[0] = '\0';
	shown_new(t, nt);
	/* The truck it replaces on screen waits in the queue, in sight. */
	if (tr != NULL && t->msg[0] == '\0')
		tui_say(t, tr->res.verdict.level >= LEVEL_SAMPLE, _("%s (%s) is still undecided: Tab goes back to it"),
			truck_name(tr, name), level_word(t, tr->res.verdict.level));
}

/* ---- checking again ---- */

/* Checks every undecided truck again; a change is said at once. */
static void recheck_all(struct tui *t, struct lane *L)
{
	for (int i = 0; i < L->n; i++) {
		struct truck *tr = L->trucks[i];
		enum level before = tr->res.verdict.level;
		char name[IDNO_MAX];
		gl_msg err;
		int rc;

		if (tr->logged)
			continue;
		rc = truck_recheck(t, tr, &err);
		if (rc < 0) {
			tui_log(t, "check again failed for %s: %s", truck_name(tr, name), err.en);
			continue;
		}
		if (rc == 0)
			continue;
		tui_log(t, "changed %s: %s -> %s", truck_name(tr, name), level_name(before),
			level_name(tr->res.verdict.level));
		bell(t, tr->res.verdict.level > before ? tr->res.verdict.level : LEVEL_SAMPLE);
		tui_say(t, 1, _("The verdict of %s changed: %s → %s — look again before deciding"), truck_name(tr, name),
			level_word(t, before), level_word(t, tr->res.verdict.level));
		if (tr == L->busy && L->deciding) {
			/* The question asked about the old verdict: it goes at once. */
			if (tui_top(t) == &prompt_screen)
				tui_pop(t);
			L->deciding = 0;
			L->busy = NULL;
			tr->changed = 0;
			tui_say(t, 1, _("NOT logged: the verdict changed to %s while you decided — look again, then decide"),
				level_word(t, tr->res.verdict.level));
		}
	}
}

/* After the officer's own record (a registration, a landing test): the
 * truck is checked again and shows it; being his own doing, the change
 * needs no acknowledging. */
static void recheck_after(struct tui *t, struct lane *L, struct truck *tr, const char *what, long long seq)
{
	char name[IDNO_MAX];

	recheck_all(t, L);
	tr->changed = 0;
	tui_say(t, 0, _("Logged #%lld: %s — %s checked again: %s"), seq, what, truck_name(tr, name),
		level_word(t, tr->res.verdict.level));
}

/* ---- deciding ---- */

/* Before each step of a decision under way: the truck is checked again,
 * and if its verdict moved since the decision key (at the last tick, or
 * now) the decision is dropped and the new verdict is there to look at.
 * The truck, or NULL. */
static struct truck *still_current(struct tui *t, struct lane *L)
{
	struct truck *tr = L->busy;
	gl_msg err;
	int rc;

	if (index_of(L, tr) < 0 || tr->logged) {
		L->busy = NULL;
		return NULL;
	}
	rc = truck_recheck(t, tr, &err);
	if (rc == 0 && !tr->changed)
		return tr;
	L->busy = NULL;
	tr->changed = 0;
	if (rc < 0)
		tui_say(t, 1, "%s: %s", _("NOT logged: the truck could not be checked again"), glmsg_text(&err, t->cfg->zh));
	else
		tui_say(t, 1, _("NOT logged: the verdict changed to %s while you decided — look again, then decide"),
			level_word(t, tr->res.verdict.level));
	bell(t, LEVEL_SAMPLE);
	return NULL;
}

static void log_decision(struct tui *t, struct lane *L, const char *reason)
{
	struct truck *tr = still_current(t, L);
	struct lane_decision d;
	struct journal_entry e;
	char name[IDNO_MAX];
	gl_msg err;
	int rc;

	if (tr == NULL)
		return;
	L->busy = NULL;
	memset(&d, 0, sizeof d);
	d.decision = L->pending;
	d.at = tui_now();
	d.officer = t->officer;
	d.reason = reason;
	d.tube = L->tube;
	d.tube_pattern = t->cfg->tube_pattern;
	d.checkpoint_id = t->checkpoint;
	d.outbound = t->cfg->outbound;
	d.first_scan_at = tr->first_scan;
	rc = lane_log(t->journal, &tr->res, &d, &e, &err);
	if (rc != 0) {
		tui_say(t, 1, "%s: %s", _("NOT logged"), glmsg_text(&err, t->cfg->zh));
		return;
	}
	tr->logged = 1;
	tr->seq = (long long)e.seq;
	tr->changed = tr->was_changed = 0;
	L->logged_at = tui_now();
	tui_sync_soon(t);
	tui_say(t, 0, _("Logged #%lld: %s %s"), tr->seq, truck_name(tr, name), decision_word(t, d.decision));
	/* The next undecided truck comes up; a decided one stays only alone. */
	if (undecided(L) > 0)
		remove_truck(L, index_of(L, tr));
}

static int reason_given(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct lane *L = arg;

	L->deciding = text != NULL;
	if (text == NULL) {
		L->busy = NULL;
		tui_say(t, 1, "%s", _("Cancelled: nothing logged"));
		return 0;
	}
	if (text[strspn(text, " ")] == '\0') {
		glmsg_set(err, "改判需说明理由", "an override needs a reason");
		return -1;
	}
	L->deciding = 0;
	log_decision(t, L, text);
	return 0;
}

static void after_tube(struct tui *t, struct lane *L)
{
	struct truck *tr = still_current(t, L);

	if (tr == NULL)
		return;
	if (decision_overrides(tr->res.verdict.level, L->pending))
		L->deciding = tui_prompt(t, _("Override: why? (journaled)"), NULL, reason_given, L) == 0;
	else
		log_decision(t, L, NULL);
}

/* A tube number: the right shape, and not used at this lane before. */
static int tube_ok(struct tui *t, const char *text, char out[TUBE_MAX], gl_msg *err)
{
	struct journal_hit hit;
	int used;

	if (tube_parse(text, t->cfg->tube_pattern, tui_now(), out, err) != 0)
		return -1;
	used = journal_find_tube(t->journal, out, &hit, err);
	if (used == 1) {
		char when[40];
		gltime_format(hit.at, GLTIME_CST, when, sizeof when);
		glmsg_set(err, "采样管 %s 已用过：第 %lld 条记录（%s，%.16s）", "tube %s was used already: record #%lld (%s, %.16s)",
			  out, (long long)hit.seq, hit.plate[0] ? hit.plate : "-", when);
	}
	return used == 0 ? 0 : -1;
}

static int tube_given(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct lane *L = arg;

	L->deciding = 0;
	if (text == NULL) {
		L->busy = NULL;
		tui_say(t, 1, "%s", _("Cancelled: nothing logged"));
		return 0;
	}
	if (tube_ok(t, text, L->tube, err) != 0) {
		L->deciding = 1;	/* asked again */
		return -1;
	}
	after_tube(t, L);
	return 0;
}

static void decide(struct tui *t, struct lane *L, enum decision d)
{
	struct truck *tr = lane_shown(L);
	gl_msg err;
	int rc;

	if (tr == NULL) {
		tui_say(t, 1, "%s", _("Check a truck first"));
		return;
	}
	if (tr->logged) {
		tui_say(t, 1, _("Already logged as #%lld"), tr->seq);
		return;
	}
	rc = truck_recheck(t, tr, &err);
	if (rc < 0) {
		tui_say(t, 1, "%s: %s", _("NOT logged: the truck could not be checked again"), glmsg_text(&err, t->cfg->zh));
		return;
	}
	if (tr->changed) {
		/* The officer must have seen the verdict he decides on. */
		tr->changed = 0;
		bell(t, LEVEL_SAMPLE);
		tui_say(t, 1, _("The verdict changed (now %s): look again, then press the key again to log"),
			level_word(t, tr->res.verdict.level));
		return;
	}
	L->busy = tr;
	L->pending = d;
	L->tube[0] = '\0';
	if (d == DECIDE_SAMPLE)
		L->deciding = tui_prompt(t, _("Scan the sample tube"), NULL, tube_given, L) == 0;
	else
		after_tube(t, L);
}

/* ---- the officer's own records: reveal, registration, landing test ---- */

/* The plate and crew of a truck, for a record about it. */
static void about(const struct truck *tr, cJSON *f)
{
	cJSON *ids = cJSON_AddArrayToObject(f, "crew");
	const cJSON *m;

	cJSON_ArrayForEach(m, tr->res.crew)
		if (facts_str(m, "id_no") != NULL)
			cJSON_AddItemToArray(ids, cJSON_CreateString(facts_str(m, "id_no")));
	if (tr->res.plate[0] != '\0')
		cJSON_AddStringToObject(f, "plate", tr->res.plate);
}

/* Journals a record of kind about tr (fields f, freed here); then tr is
 * checked again, since what the lane records itself counts at once.  0, or
 * -1 with err (the prompt stays open). */
static int record_about(struct tui *t, struct lane *L, struct truck *tr, const char *kind, const char *what,
			cJSON *f, gl_msg *err)
{
	struct journal_entry e;
	int rc;

	about(tr, f);
	rc = tui_journal(t, kind, f, &e, err);
	cJSON_Delete(f);
	if (rc != 0)
		return -1;
	L->busy = NULL;
	recheck_after(t, L, tr, what, (long long)e.seq);
	return 0;
}

static void reveal(struct tui *t, struct lane *L)
{
	struct truck *tr = lane_shown(L);
	cJSON *f;
	gl_msg err;

	if (tr == NULL || tr->reveal)
		return;
	/* Looking at full ID numbers is itself journaled. */
	f = cJSON_CreateObject();
	about(tr, f);
	if (tui_journal(t, "reveal", f, NULL, &err) != 0)
		tui_say(t, 1, "%s: %s", _("NOT shown"), glmsg_text(&err, t->cfg->zh));
	else
		tr->reveal = 1;
	cJSON_Delete(f);
}

static int reg_point(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct lane *L = arg;
	struct truck *tr = L->busy;
	cJSON *f;

	if (text == NULL || index_of(L, tr) < 0) {
		L->busy = NULL;
		tui_say(t, 1, "%s", _("Registration cancelled: nothing logged"));
		return 0;
	}
	if (text[strspn(text, " ")] == '\0') {
		glmsg_set(err, "请填写目的地接收点", "the reception point at the destination is needed");
		return -1;
	}
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "origin_region", L->reg_origin);
	cJSON_AddStringToObject(f, "dest_region", L->reg_dest);
	cJSON_AddStringToObject(f, "reception_point", text);
	return record_about(t, L, tr, "registration", _("registration"), f, err);
}

/* One region answer of the registration: kept, then the next question. */
static int reg_region(struct tui *t, struct lane *L, const char *text, char *dst, gl_msg *err)
{
	if (text == NULL || index_of(L, L->busy) < 0) {
		L->busy = NULL;
		tui_say(t, 1, "%s", _("Registration cancelled: nothing logged"));
		return 0;
	}
	if (!region_code_valid(text)) {
		glmsg_set(err, "行政区划代码为 6 位数字，如 410402", "a region is a 6-digit code such as 410402");
		return -1;
	}
	snprintf(dst, 8, "%s", text);
	return 1;
}

static const cJSON *member(const cJSON *o, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

static int reg_dest(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct lane *L = arg;
	int rc = reg_region(t, L, text, L->reg_dest, err);

	if (rc == 1)
		tui_prompt(t, _("Register on the spot (3/3): reception point at the destination"),
			   facts_str(member(L->busy->res.trip, "destination"), "reception_point"), reg_point, L);
	return rc < 0 ? -1 : 0;
}

static int reg_origin(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct lane *L = arg;
	const struct lane_result *r = &L->busy->res;
	const char *dest = facts_str(member(r->trip, "destination"), "region");
	int rc = reg_region(t, L, text, L->reg_origin, err);

	if (rc == 1)
		tui_prompt(t, _("Register on the spot (2/3): destination region code"),
			   dest != NULL ? dest : facts_str(r->pass, "dest_region"), reg_dest, L);
	return rc < 0 ? -1 : 0;
}

/* Ctrl-R: what the trip (else the pass) says is offered, to be confirmed. */
static void registration(struct tui *t, struct lane *L)
{
	struct truck *tr = lane_shown(L);
	const char *origin;

	if (tr == NULL) {
		tui_say(t, 1, "%s", _("Check a truck first"));
		return;
	}
	if (tr->res.plate[0] == '\0') {
		tui_say(t, 1, "%s", _("A registration is for a vehicle: scan its plate or pass first"));
		return;
	}
	origin = facts_str(member(tr->res.trip, "origin"), "region");
	L->busy = tr;
	tui_prompt(t, _("Register on the spot (1/3): origin region code (e.g. 410102)"),
		   origin != NULL ? origin : facts_str(tr->res.pass, "origin_region"), reg_origin, L);
}

static int landing_tube(struct tui *t, void *arg, const char *text, gl_msg *err)
{
	struct lane *L = arg;
	struct truck *tr = L->busy;
	char tube[TUBE_MAX];
	cJSON *f;

	if (text == NULL || index_of(L, tr) < 0) {
		L->busy = NULL;
		tui_say(t, 1, "%s", _("Cancelled: nothing logged"));
		return 0;
	}
	if (tube_ok(t, text, tube, err) != 0)
		return -1;
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "tube", tube);
	return record_about(t, L, tr, "landing_test", _("landing test"), f, err);
}

static void landing_test(struct tui *t, struct lane *L)
{
	struct truck *tr = lane_shown(L);

	if (tr == NULL || cJSON_GetArraySize(tr->res.crew) == 0) {
		tui_say(t, 1, "%s", _("Check a truck with its crew first"));
		return;
	}
	L->busy = tr;
	tui_prompt(t, _("Landing test: scan the tube"), NULL, landing_tube, L);
}

/* ---- putting trucks away, quitting ---- */

static void drop(struct tui *t, struct lane *L, int i)
{
	char name[IDNO_MAX];

	tui_log(t, "put away, not logged: %s (%s)", truck_name(L->trucks[i], name),
		level_name(L->trucks[i]->res.verdict.level));
	tui_say(t, 0, _("%s put away without logging"), truck_name(L->trucks[i], name));
	remove_truck(L, i);
}

static void drop_answer(struct tui *t, void *arg, int yes)
{
	struct lane *L = arg;
	int i = index_of(L, L->busy);

	if (yes && i >= 0)
		drop(t, L, i);
	L->busy = NULL;
}

/* Esc on an empty field: a decided truck leaves the screen; an undecided
 * one is put away — asked first unless it would have gone green or pass. */
static void put_away(struct tui *t, struct lane *L)
{
	struct truck *tr = lane_shown(L);
	char q[320], name[IDNO_MAX];

	if (tr == NULL)
		return;
	if (tr->logged) {
		remove_truck(L, L->cur);
		t->msg[0] = '\0';
		return;
	}
	if (tr->res.verdict.level <= LEVEL_PASS && !tr->was_changed) {
		drop(t, L, L->cur);
		return;
	}
	L->busy = tr;
	snprintf(q, sizeof q, _("%s (%s) is not logged. Put it away without logging? (y/n)"), truck_name(tr, name),
		 level_word(t, tr->res.verdict.level));
	tui_confirm(t, q, drop_answer, L);
}

static void quit_answer(struct tui *t, void *arg, int yes)
{
	(void)arg;
	if (yes)
		t->quit = 1;
}

static void quit(struct tui *t, struct lane *L)
{
	enum level worst = LEVEL_GREEN;
	char q[320];
	int k = undecided(L);

	if (k == 0) {
		t->quit = 1;
		return;
	}
	for (int i = 0; i < L->n; i++)
		if (!L->trucks[i]->logged && L->trucks[i]->res.verdict.level > worst)
			worst = L->trucks[i]->res.verdict.level;
	snprintf(q, sizeof q, _("%d truck(s) not logged (the worst: %s). Quit anyway? (y/n)"), k, level_word(t, worst));
	tui_confirm(t, q, quit_answer, L);
}

static void switch_truck(struct tui *t, struct lane *L, int step)
{
	if (L->n < 2) {
		tui_say(t, 0, "%s", _("No other truck is waiting"));
		return;
	}
	L->cur = (L->cur + step + L->n) % L->n;
	t->msg[0] = '\0';
}

static void history(struct lane *L, int step)
{
	if (step < 0 && L->hpos > 0) {
		edit_set(&L->field, L->history[--L->hpos]);
	} else if (step > 0 && L->hpos < L->nhist - 1) {
		edit_set(&L->field, L->history[++L->hpos]);
	} else if (step > 0) {
		L->hpos = L->nhist;
		edit_clear(&L->field);
	}
	L->field_bad = 0;
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct lane *L = p;
	struct truck *tr = lane_shown(L);

	switch (a) {
	case ACT_SUBMIT:
		t->submit_ns = tui_mono_ns();
		submit(t, L);
		return;
	case ACT_HELP: tui_push(t, &help_screen, NULL); return;
	case ACT_PROVINCE: tui_push(t, &picker_screen, &L->field); return;
	case ACT_RELEASE: decide(t, L, DECIDE_RELEASE); return;
	case ACT_SAMPLE: decide(t, L, DECIDE_SAMPLE); return;
	case ACT_HOLD: decide(t, L, DECIDE_HOLD); return;
	case ACT_DIVERT: decide(t, L, DECIDE_DIVERT); return;
	case ACT_REVEAL: reveal(t, L); return;
	case ACT_JOURNAL: tui_push(t, &journal_screen, NULL); return;
	case ACT_ALERTS: tui_push(t, &alerts_screen, NULL); return;
	case ACT_REPORT: tui_push(t, &report_screen, NULL); return;
	case ACT_SYNC: tui_push(t, &sync_screen, NULL); return;
	case ACT_TRIP: tui_push(t, &trip_screen, tr != NULL ? tr->res.trip : NULL); return;
	case ACT_REGISTER: registration(t, L); return;
	case ACT_LANDING: landing_test(t, L); return;
	case ACT_NEXT_TRUCK: switch_truck(t, L, 1); return;
	case ACT_PREV_TRUCK: switch_truck(t, L, -1); return;
	case ACT_HISTORY_PREV: history(L, -1); return;
	case ACT_HISTORY_NEXT: history(L, 1); return;
	case ACT_QUIT: quit(t, L); return;
	case ACT_LOCK:
		if (t->officers > 0)
			tui_lock(t);
		else
			tui_say(t, 1, "%s", _("No officers registered: greenlane officer add ID registers one"));
		return;
	case ACT_CANCEL:
		if (L->field.len > 0) {
			edit_clear(&L->field);
			L->field_bad = 0;
		} else {
			put_away(t, L);
		}
		return;
	default:
		/* A refused scan stays for correcting; the next scan replaces it. */
		if (L->field_bad && a == ACT_NONE && !is_key)
			edit_clear(&L->field);
		if (edit_key(&L->field, is_key, ch, a))
			L->field_bad = 0;
	}
}

static int typing(struct tui *t, void *p)
{
	(void)t;
	return ((struct lane *)p)->field.len > 0;
}

static void event(struct tui *t, void *p, enum tui_event ev)
{
	struct lane *L = p;
	struct truck *tr = lane_shown(L);
	int k;

	switch (ev) {
	case TUI_EV_TICK:
	case TUI_EV_DATA:
		recheck_all(t, L);
		/* Personal data leaves the screen after clear_after: a decided
		 * truck's.  An undecided one stays until it is decided. */
		if (ev == TUI_EV_TICK && tr != NULL && tr->logged && tr != L->busy && t->cfg->clear_after_s > 0 &&
		    tui_now() - L->logged_at >= t->cfg->clear_after_s) {
			remove_truck(L, L->cur);
			if (L->n == 0)
				forget_typing(L);
			tui_say(t, 0, "%s", _("Personal data cleared from the screen"));
		}
		return;
	case TUI_EV_LOCK:
		/* The lock closed any question; the decision was not made. */
		L->busy = NULL;
		L->deciding = 0;
		forget_typing(L);
		return;
	case TUI_EV_UNLOCK:
		k = undecided(L);
		if (k > 0)
			tui_say(t, 1, _("%d undecided truck(s) kept from before the lock"), k);
		return;
	}
}

static void init(struct tui *t, void *p, void *arg)
{
	struct lane *L = p;

	(void)t;
	(void)arg;
	edit_init(&L->field, EDIT_MAX, 0);
	L->cur = -1;
}

static void done(struct tui *t, void *p)
{
	struct lane *L = p;
	char name[IDNO_MAX];

	for (int i = 0; i < L->n; i++) {
		if (!L->trucks[i]->logged)
			tui_log(t, "not logged at quit: %s (%s)", truck_name(L->trucks[i], name),
				level_name(L->trucks[i]->res.verdict.level));
		truck_free(L->trucks[i]);
	}
	for (int i = 0; i < L->nhist; i++)
		free(L->history[i]);
}

static void draw(struct tui *t, void *p)
{
	lane_draw(t, p);
}

static void cursor(struct tui *t, void *p)
{
	lane_draw_cursor(t, p);
}

const struct screen_ops lane_screen = {
	ON_LANE, 0, sizeof(struct lane), init, draw, key, typing, cursor, event, done,
};
