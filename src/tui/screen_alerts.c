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

/* A province has tens of thousands: the newest are shown. */
#define ALERTS_SHOWN 1000

struct alerts {
	cJSON *rows;		/* the newest ALERTS_SHOWN, each with "acked" */
	int n, open;
	long all;		/* how many there are in all */
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

/* The alert ids acknowledged at this lane (caller frees). */
static cJSON *acks_here(struct tui *t)
{
	cJSON *acks = cJSON_CreateArray();
	gl_msg err;

	journal_each(t->journal, "ack", INT64_MIN, ack_seen, acks, &err);
	return acks;
}

static int in(const cJSON *ids, const char *id)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, ids)
		if (strcmp(k->valuestring, id) == 0)
			return 1;
	return 0;
}

int alerts_count(struct tui *t)
{
	cJSON *acks = acks_here(t), *seen = cJSON_CreateArray();
	const cJSON *k;
	long n = cache_alerts_count(t->cache, tui_now());

	/* Each acknowledged one that is still an alert, once. */
	cJSON_ArrayForEach(k, acks) {
		if (!in(seen, k->valuestring) && cache_alert_active(t->cache, k->valuestring, tui_now())) {
			cJSON_AddItemToArray(seen, cJSON_CreateString(k->valuestring));
			n--;
		}
	}
	cJSON_Delete(acks);
	cJSON_Delete(seen);
	return n > 0 ? (int)n : 0;
}

static void init(struct tui *t, void *p, void *arg)
{
	struct alerts *al = p;
	cJSON *acks = acks_here(t), *a;

	(void)arg;
	al->rows = cache_alerts(t->cache, tui_now(), ALERTS_SHOWN);
	cJSON_ArrayForEach(a, al->rows)
		cJSON_AddBoolToObject(a, "acked", in(acks, alert_id(a)));
	cJSON_Delete(acks);
	al->n = cJSON_GetArraySize(al->rows);
	al->all = cache_alerts_count(t->cache, tui_now());
	al->open = alerts_count(t);
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
	if (al->all > al->n)
		snprintf(right, sizeof right, _("%d new, %ld in all, the newest %d shown"), al->open, al->all, al->n);
	else
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
