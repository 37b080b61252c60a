/* screen_report.c — the shift report: this lane's decisions of the last 24
 * hours by verdict, by hour (a chart as wide as the screen) and by officer;
 * 'e' writes them as the daily ledger (CSV) beside the data. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "facts.h"
#include "gltime.h"
#include "tui_screens.h"
#include "tui_term.h"

#define REPORT_OFFICERS 16

struct report {
	cJSON *rows;		/* the transits, oldest first */
	int by_level[5], by_hour[24], total, overrides;
	char officers[REPORT_OFFICERS][32];
	int per_officer[REPORT_OFFICERS], nofficers;
};

static int collect(const cJSON *body, void *arg)
{
	cJSON_AddItemToArray((cJSON *)arg, cJSON_Duplicate(body, 1));
	return cJSON_GetArraySize((cJSON *)arg) >= 20000;
}

static void tally(struct report *s)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, s->rows) {
		enum level l;
		const char *at = facts_str(r, "at"), *o = facts_str(r, "officer");
		int k;
		if (level_parse(facts_str(r, "verdict"), &l) == 0 && l >= LEVEL_GREEN)
			s->by_level[l]++;
		if (at != NULL && strlen(at) >= 13)
			s->by_hour[((at[11] - '0') * 10 + (at[12] - '0')) % 24]++;
		s->overrides += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "override"));
		s->total++;
		if (o == NULL)
			o = "";
		for (k = 0; k < s->nofficers && strcmp(s->officers[k], o) != 0; k++)
			;
		if (k == s->nofficers && k < REPORT_OFFICERS)
			snprintf(s->officers[s->nofficers++], sizeof s->officers[0], "%s", o);
		if (k < REPORT_OFFICERS)
			s->per_officer[k]++;
	}
}

static void init(struct tui *t, void *p, void *arg)
{
	struct report *s = p;
	gl_msg err;

	(void)arg;
	s->rows = cJSON_CreateArray();
	if (journal_each(t->journal, "transit", tui_now() - 86400, collect, s->rows, &err) != 0)
		tui_say(t, 1, "%s", glmsg_text(&err, t->cfg->zh));
	tally(s);
}

static void done(struct tui *t, void *p)
{
	(void)t;
	cJSON_Delete(((struct report *)p)->rows);
}

/* The hours as a bar chart in the columns between x0 and the edge. */
static int chart(const struct report *s, int y, int x0, int rows)
{
	int colw = (COLS - x0 - 2) / 24, max = 1, step;
	char buf[32];

	if (colw < 1)
		colw = 1;
	if (colw > 4)
		colw = 4;
	for (int h = 0; h < 24; h++)
		max = s->by_hour[h] > max ? s->by_hour[h] : max;
	for (int row = 0; row < rows; row++)
		for (int h = 0; h < 24; h++) {
			int filled = (s->by_hour[h] * rows + max - 1) / max;
			if (s->by_hour[h] > 0 && filled >= rows - row)
				for (int c = 0; c < colw - (colw > 1); c++)
					mvaddch(y + row, x0 + h * colw + c, '#' | (chtype)term_attr(TC_PASS));
		}
	/* Hour labels where they fit: every hour, or every second or third. */
	step = colw >= 3 ? 1 : colw == 2 ? 2 : 3;
	for (int h = 0; h < 24; h += step) {
		snprintf(buf, sizeof buf, "%02d", h);
		term_text(y + rows, x0 + h * colw, 2, buf, term_attr(TC_DIM));
	}
	return max;
}

static void draw(struct tui *t, void *p)
{
	struct report *s = p;
	char buf[200];
	int y = 2, bar_h = LINES >= 30 ? 8 : 4, max;

	snprintf(buf, sizeof buf, _("%d decisions in the last 24 h · overrides: %d"), s->total, s->overrides);
	tui_title(_("Shift report"), buf);
	term_text(y++, 1, COLS - 2, _("By verdict"), (int)A_BOLD);
	for (int l = LEVEL_GREEN; l <= LEVEL_HOLD; l++) {
		if (t->cfg->zh)
			snprintf(buf, sizeof buf, "[%c] %-12s %5d", level_letter((enum level)l), level_zh((enum level)l),
				 s->by_level[l]);
		else
			snprintf(buf, sizeof buf, "[%c] %-14s %5d", level_letter((enum level)l), level_en((enum level)l),
				 s->by_level[l]);
		term_text(y++, 3, COLS - 4, buf, A_NORMAL);
	}
	y++;
	max = chart(s, y + 1, 4, bar_h);
	snprintf(buf, sizeof buf, _("By hour (the tallest bar: %d)"), max);
	term_text(y, 1, COLS - 2, buf, (int)A_BOLD);
	y += bar_h + 3;
	if (y < LINES - 2)
		term_text(y++, 1, COLS - 2, _("By officer"), (int)A_BOLD);
	for (int k = 0; k < s->nofficers && y < LINES - 2; k++) {
		snprintf(buf, sizeof buf, "%-12s %5d", s->officers[k][0] ? s->officers[k] : "-", s->per_officer[k]);
		term_text(y++, 3, COLS - 4, buf, A_NORMAL);
	}
	tui_keybar(ON_REPORT);
}

/* The daily ledger: one CSV row per decision, written beside the data. */
static void ledger(struct tui *t, struct report *s)
{
	static const char *const fields[] = {
		"at", "first_scan_at", "checkpoint", "officer", "plate", "verdict", "decision", "override",
		"override_reason", "tube", "reasons", "uuid",
	};
	char path[4200], day[40], field[1024];
	const cJSON *r, *e;
	FILE *f;

	gltime_format(tui_now(), GLTIME_CST, day, sizeof day);
	snprintf(path, sizeof path, "%s/ledger-%.4s%.2s%.2s.csv", t->cfg->home, day, day + 5, day + 8);
	f = fopen(path, "w");
	if (f == NULL) {
		tui_say(t, 1, "%s %s: %s", _("cannot write"), path, strerror(errno));
		return;
	}
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		fprintf(f, "%s%c", fields[i], i + 1 < sizeof fields / sizeof fields[0] ? ',' : '\n');
	cJSON_ArrayForEach(r, s->rows) {
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
			char codes[512] = "";
			const char *v = facts_str(r, fields[i]);
			if (strcmp(fields[i], "override") == 0)
				v = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "override")) ? "yes" : "no";
			if (strcmp(fields[i], "reasons") == 0) {
				cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
					if (facts_str(e, "code") != NULL && strlen(codes) + strlen(facts_str(e, "code")) + 2 < sizeof codes)
						snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s",
							 codes[0] ? ";" : "", facts_str(e, "code"));
				v = codes;
			}
			csv_field(v, field, sizeof field);
			fprintf(f, "%s%c", field, i + 1 < sizeof fields / sizeof fields[0] ? ',' : '\n');
		}
	}
	if (fclose(f) != 0)
		tui_say(t, 1, "%s %s: %s", _("cannot write"), path, strerror(errno));
	else
		tui_say(t, 0, _("Ledger written: %s"), path);
}

static void key(struct tui *t, void *p, int is_key, wint_t ch, enum action a)
{
	(void)is_key;
	(void)ch;
	if (a == ACT_CANCEL)
		tui_pop(t);
	else if (a == ACT_EXPORT)
		ledger(t, p);
}

const struct screen_ops report_screen = {
	ON_REPORT, 0, sizeof(struct report), init, draw, key, NULL, NULL, NULL, done,
};
