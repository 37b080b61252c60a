/* centre_report.c — the day's figures for the command centre's page
 * (cdb_day_figures, made at most every few seconds per central) and the
 * daily report as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynbuf.h"
#include "gltime.h"
#include "http.h"

/* The start of a day (00:00 China Standard Time), from "YYYY-MM-DD" or, if
 * NULL, today's: 0, or -1. */
static int day_start(const char *day, int64_t *day0)
{
	char today[40], text[40];

	if (day == NULL) {
		gltime_format(centre_now(), GLTIME_CST, today, sizeof today);
		today[10] = '\0';
		day = today;
	}
	if (strlen(day) != 10)
		return -1;
	snprintf(text, sizeof text, "%.10sT00:00:00+08:00", day);
	return gltime_parse(text, day0);
}

#define FIGURES_FRESH_S 2	/* the figures are made again after this long (the page asks every 3 s) */

/* GET /v1/centre/figures[?day=YYYY-MM-DD]: the day's figures
 * (cdb_day_figures), with the day they are of and when they were made. */
enum MHD_Result centre_figures(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *rest)
{
	char csrf[65], *text = NULL;
	enum MHD_Result sent;
	int64_t day0, t = centre_now();
	gl_msg err;
	cJSON *f;

	(void)rest;
	if (!centre_signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	if (day_start(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "day"), &day0) != 0)
		return http_error(c, r, 400, "bad_request", "day is YYYY-MM-DD");
	pthread_mutex_lock(&sv->figures_mu);
	if (sv->figures != NULL && sv->figures_day0 == day0 && t - sv->figures_at < FIGURES_FRESH_S)
		text = strdup(sv->figures);
	pthread_mutex_unlock(&sv->figures_mu);
	if (text == NULL) {
		f = cdb_day_figures(r->db, day0, t, &err);
		if (f == NULL)
			return http_unavailable(c, r);
		cJSON_AddNumberToObject(f, "made_at", (double)t);
		text = cJSON_PrintUnformatted(f);
		cJSON_Delete(f);
		if (text == NULL)
			return MHD_NO;
		pthread_mutex_lock(&sv->figures_mu);
		free(sv->figures);
		sv->figures = strdup(text);
		sv->figures_day0 = day0;
		sv->figures_at = t;
		pthread_mutex_unlock(&sv->figures_mu);
	}
	sent = http_send(c, r, 200, "application/json", text, strlen(text));
	free(text);
	return sent;
}

/* ---- the daily report as CSV ---- */

/* One CSV cell: quoted, quotes doubled, and a cell a spreadsheet would take
 * for a formula (=, +, -, @, a tab or a return first) made text with a
 * leading apostrophe: names and reasons come from imports and lanes. */
static int csv_cell(struct dynbuf *b, const char *s, int last)
{
	int rc = dynbuf_add(b, "\"", 1);

	if (rc == DYNBUF_OK && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		rc = dynbuf_add(b, "'", 1);
	for (; rc == DYNBUF_OK && *s != '\0'; s++)
		rc = *s == '"' ? dynbuf_add(b, "\"\"", 2) : dynbuf_add(b, s, 1);
	if (rc == DYNBUF_OK)
		rc = dynbuf_add(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
	return rc;
}

/* A row of n cells. */
static int csv_row(struct dynbuf *b, int n, const char *const *cells)
{
	int rc = DYNBUF_OK;

	for (int i = 0; i < n && rc == DYNBUF_OK; i++)
		rc = csv_cell(b, cells[i], i == n - 1);
	return rc;
}

static const char *num_text(const cJSON *o, const char *name, char out[32])
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	snprintf(out, 32, "%.0f", cJSON_IsNumber(v) ? v->valuedouble : 0);
	return out;
}

static const char *str_of(const cJSON *o, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));

	return s != NULL ? s : "";
}

/* The figures as CSV: one section after another, each with its header. */
static int report_csv(struct dynbuf *b, const char *day, const cJSON *f)
{
	char a[32], bb[32], c2[32], d[32], when[40];
	const cJSON *x;
	int rc = DYNBUF_OK;

	{
		const char *h[] = { "greenlane 日报告 / daily report", day };
		rc = csv_row(b, 2, h);
	}
	{
		const char *h[] = { "section", "checkpoint", "hour", "today", "yesterday" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 5, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "hours")) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(x, "today"), *y = cJSON_GetObjectItemCaseSensitive(x, "yesterday");
		for (int h = 0; h < 24 && rc == DYNBUF_OK; h++) {
			const char *row[5] = { "transits", str_of(x, "checkpoint"), a, bb, c2 };
			snprintf(a, sizeof a, "%d", h);
			snprintf(bb, sizeof bb, "%.0f", cJSON_GetNumberValue(cJSON_GetArrayItem(t, h)));
			snprintf(c2, sizeof c2, "%.0f", cJSON_GetNumberValue(cJSON_GetArrayItem(y, h)));
			rc = csv_row(b, 5, row);
		}
	}
	{
		const char *h[] = { "section", "verdict", "decision", "count" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 4, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "mix")) {
		const char *row[4] = { "mix", str_of(x, "verdict"), str_of(x, "decision"), num_text(x, "n", a) };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 4, row);
	}
	{
		const char *h[] = { "section", "checkpoint", "hour", "p50_s", "p90_s", "p90_yesterday_s", "grown" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 7, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "lane_time")) {
		const char *row[7] = { "lane_time", str_of(x, "checkpoint"), num_text(x, "hour", a), num_text(x, "p50", bb),
				       num_text(x, "p90", c2), num_text(x, "p90_yesterday", d),
				       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "grown")) ? "yes" : "no" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 7, row);
	}
	{
		const char *h[] = { "section", "time", "terminal", "checkpoint", "plate", "verdict", "decision", "reason" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 8, h);
	}
	for (int k = 0; k < 2; k++)
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, k == 0 ? "overrides" : "held")) {
			char why[256] = "";
			const cJSON *w;
			const char *row[8] = { k == 0 ? "override" : "held", when, str_of(x, "terminal"),
					       str_of(x, "checkpoint"), str_of(x, "plate"), str_of(x, "verdict"),
					       str_of(x, "decision"), why };
			gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "at")), GLTIME_CST,
				      when, sizeof when);
			if (k == 0)
				snprintf(why, sizeof why, "%s", str_of(x, "reason"));
			else
				cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(x, "why"))
					snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s", why[0] ? " " : "",
						 cJSON_GetStringValue(w));
			if (rc == DYNBUF_OK)
				rc = csv_row(b, 8, row);
		}
	{
		const char *h[] = { "section", "trip", "plate", "status", "eta", "destination", "last_seen", "last_checkpoint" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 8, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "overdue")) {
		const cJSON *dest = cJSON_GetObjectItemCaseSensitive(x, "destination");
		char eta[40], seen[40] = "", where[96];
		const char *row[8] = { "overdue", str_of(x, "trip"), str_of(x, "plate"), str_of(x, "status"), eta, where,
				       seen, str_of(x, "seen_checkpoint") };
		gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "eta")), GLTIME_CST, eta,
			      sizeof eta);
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "seen_at")))
			gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "seen_at")),
				      GLTIME_CST, seen, sizeof seen);
		snprintf(where, sizeof where, "%s %s", str_of(dest, "region"), str_of(dest, "reception_point"));
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 8, row);
	}
	{
		const char *h[] = { "section", "time", "terminal", "checkpoint", "plate" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 5, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "off_route")) {
		const char *row[5] = { "off_route", when, str_of(x, "terminal"), str_of(x, "checkpoint"), str_of(x, "plate") };
		gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "at")), GLTIME_CST, when,
			      sizeof when);
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 5, row);
	}
	return rc;
}

/* GET /v1/centre/report.csv[?day=YYYY-MM-DD]: the daily report's figures,
 * for a spreadsheet. */
enum MHD_Result centre_report_csv(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				  const char *rest)
{
	const char *day = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "day");
	char csrf[65], today[40];
	enum MHD_Result sent;
	struct dynbuf b;
	int64_t day0;
	gl_msg err;
	cJSON *f;
	int rc;

	(void)rest;
	if (!centre_signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	if (day_start(day, &day0) != 0)
		return http_error(c, r, 400, "bad_request", "day is YYYY-MM-DD");
	gltime_format(day0, GLTIME_CST, today, sizeof today);
	today[10] = '\0';
	f = cdb_day_figures(r->db, day0, centre_now(), &err);
	if (f == NULL)
		return http_unavailable(c, r);
	dynbuf_init(&b, 16 * 1024 * 1024);
	rc = dynbuf_add(&b, "\xEF\xBB\xBF", 3);	/* a BOM: spreadsheets then read UTF-8 as such */
	if (rc == DYNBUF_OK)
		rc = report_csv(&b, today, f);
	cJSON_Delete(f);
	if (rc != DYNBUF_OK) {
		dynbuf_free(&b);
		return http_error(c, r, 500, "internal", "the report could not be made");
	}
	snprintf(r->header_value, sizeof r->header_value, "attachment; filename=\"greenlane-%s.csv\"", today);
	r->header[0] = "Content-Disposition";
	r->header[1] = r->header_value;
	sent = http_send(c, r, 200, "text/csv; charset=utf-8", b.p, b.len);
	dynbuf_free(&b);
	return sent;
}
