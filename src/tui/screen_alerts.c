/* screen_alerts.c — intercepts and meltdowns an officer must know of, the
 * newest first, those not yet acknowledged here marked new; acknowledging
 * one is journaled.  A person's ID number is masked here as on the lane. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "facts.h"
#include "tui_screens.h"
#include "tui_term.h"

struct alerts {
	cJSON *rows;		/* cache_alerts, each with "acked", sorted */
	int n, open;
	struct tui_list list;
};

static int ack_seen(const cJSON *body, void *arg)
{
	const char *id = facts_str(body, "alert_id");

	if (id != NULL)
		cJSON_AddItemToArray((cJSON *)arg, cJSON_CreateString(id));
	return 0;
}

static const char *alert_id(const cJSON *a)
{
	return facts_str(a, "id") != NULL ? facts_str(a, "id") : "";
}

static int by_time(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
	int64_t ta = facts_time(a, "since"), tb = facts_time(b, "since");

	/* Newest first; meltdowns carry no time and come after. */
	if (ta != tb)
		return ta < tb ? 1 : -1;
	return strcmp(alert_id(a), alert_id(b));
}

/* The alerts, each marked acknowledged or not, the newest first; *open gets
 * how many are not.  Caller frees. */
static cJSON *load(struct tui *t, int *open)
{
	cJSON *all = cache_alerts(t->cache, tui_now()), *acks = cJSON_CreateArray(), *out = cJSON_CreateArray(), *a, *k;
	int n = cJSON_GetArraySize(all), i = 0;
	cJSON **v = calloc((size_t)n + 1, sizeof *v);
	gl_msg err;

	*open = 0;
	journal_each(t->journal, "ack", INT64_MIN, ack_seen, acks, &err);
	while (v != NULL && cJSON_GetArraySize(all) > 0)
		v[i++] = cJSON_DetachItemFromArray(all, 0);
	if (v != NULL)
		qsort(v, (size_t)i, sizeof *v, by_time);
	for (int j = 0; v != NULL && j < i; j++) {
		int acked = 0;
		a = v[j];
		cJSON_ArrayForEach(k, acks)
			acked |= strcmp(k->valuestring, alert_id(a)) == 0;
		cJSON_AddBoolToObject(a, "acked", acked);
		*open += !acked;
		cJSON_AddItemToArray(out, a);
	}
	free(v);
	cJSON_Delete(all);
	cJSON_Delete(acks);
	return out;
}

int alerts_count(struct tui *t)
{
	int open;

	cJSON_Delete(load(t, &open));
	return open;
}

static void init(struct tui *t, void *p, void *arg)
{
	struct alerts *al = p;

	(void)arg;
	al->rows = load(t, &al->open);
	al->n = cJSON_GetArraySize(al->rows);
}

static void done(struct tui *t, void *p)
{
	(void)t;
	cJSON_Delete(((struct alerts *)p)->rows);
}

static int page(void)
{
	return LINES - 4;
}

static void draw(struct tui *t, void *p)
{
	struct alerts *al = p;
	const cJSON *a;
	char buf[400], right[64], masked[IDNO_MAX], when[24];
	int y = 2, i = 0;

	(void)t;
	snprintf(right, sizeof right, _("%d new, %d in all"), al->open, al->n);
	tui_title(_("Alerts — intercepts and meltdowns"), right);
	tui_list_fit(&al->list, al->n, page());
	cJSON_ArrayForEach(a, al->rows) {
		int acked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "acked"));
		int attr = i == al->list.sel ? (int)A_REVERSE : acked ? term_attr(TC_DIM) : (int)A_BOLD;
		const char *value = facts_str(a, "value") ? facts_str(a, "value") : "?";
		if (i++ < al->list.top || y >= LINES - 2)
			continue;
		tui_short_time(facts_str(a, "since"), 1, when, sizeof when);
		if (strcmp(facts_str(a, "alert"), "intercept") == 0) {
			int person = facts_str(a, "target") == NULL || strcmp(facts_str(a, "target"), "plate") != 0;
			if (person) {
				idno_mask(value, masked);
				value = masked;
			}
			snprintf(buf, sizeof buf, "%s  %s  %s %s  %s", when, _("INTERCEPT"), person ? _("person") : _("plate"),
				 value, facts_str(a, "reason") ? facts_str(a, "reason") : "");
		} else {
			snprintf(buf, sizeof buf, "%-11s  %s  %s %s  %s", "", _("MELTDOWN"), alert_id(a),
				 facts_str(a, "name") ? facts_str(a, "name") : "",
				 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "whitelisted")) ? _("suspended") : _("off the whitelist"));
		}
		term_fill(y, 0, COLS, attr);
		term_text(y, 1, 6, acked ? "" : _("● new"), acked ? attr : (i - 1 == al->list.sel ? attr : term_attr(TC_ALERT) | (int)A_BOLD));
		term_text(y++, 8, COLS - 9, buf, attr);
	}
	if (al->n == 0)
		term_text(3, 2, COLS - 4, _("No alerts."), term_attr(TC_DIM));
	tui_keybar(ON_ALERTS);
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	struct alerts *al = p;
	cJSON *row = cJSON_GetArrayItem(al->rows, al->list.sel), *f;
	gl_msg err;

	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL) {
		tui_pop(t);
		return;
	}
	if (a == ACT_ACK && row != NULL && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "acked"))) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "alert", facts_str(row, "alert"));
		cJSON_AddStringToObject(f, "alert_id", alert_id(row));
		if (tui_journal(t, "ack", f, NULL, &err) == 0) {
			cJSON_ReplaceItemInObjectCaseSensitive(row, "acked", cJSON_CreateTrue());
			al->open--;
			t->alerts_new = al->open;
		} else {
			tui_say(t, 1, "%s: %s", _("NOT acknowledged"), glmsg_text(&err, t->cfg->zh));
		}
		cJSON_Delete(f);
		return;
	}
	tui_list_key(&al->list, a, al->n, page());
}

const struct screen_ops alerts_screen = {
	ON_ALERTS, 0, sizeof(struct alerts), init, draw, key, NULL, NULL, NULL, done,
};
