/* figures.c — the day's figures for the command centre's page
 * (central_db.h's cdb_day_figures), from the columns every event is
 * counted by (cdb_event_summarise), in the SQL both backends speak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "central_db.h"
#include "gltime.h"

/* The upper bounds (seconds) of the buckets time at the lane (first scan
 * to decision) is counted in; the last bucket is "longer". */
static const int bounds[] = { 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800 };
#define BUCKETS ((int)(sizeof bounds / sizeof bounds[0]) + 1)
#define BUCKET_SQL \
	"CASE WHEN scan_s < 10 THEN 0 WHEN scan_s < 20 THEN 1 WHEN scan_s < 30 THEN 2 WHEN scan_s < 45 THEN 3" \
	" WHEN scan_s < 60 THEN 4 WHEN scan_s < 90 THEN 5 WHEN scan_s < 120 THEN 6 WHEN scan_s < 180 THEN 7" \
	" WHEN scan_s < 300 THEN 8 WHEN scan_s < 600 THEN 9 WHEN scan_s < 1800 THEN 10 ELSE 11 END"
#define TRANSITS "kind = 'transit' AND at_s >= CAST($1 AS bigint) AND at_s < CAST($2 AS bigint)"
#define LOOP_MARGIN_S (2 * 3600)	/* a trip this long past its eta with no arrival breaks the loop */

static long num(const cJSON *row, int i)
{
	const char *s = cJSON_GetStringValue(cJSON_GetArrayItem(row, i));

	return s != NULL ? strtol(s, NULL, 10) : 0;
}

static const char *text(const cJSON *row, int i)
{
	const char *s = cJSON_GetStringValue(cJSON_GetArrayItem(row, i));

	return s != NULL ? s : "";
}

/* The bound the counts reach share of their total at: an upper bound of
 * that quantile; -1 past the last bound, 0 with nothing counted. */
static int quantile(const long b[BUCKETS], double share)
{
	long n = 0, sum = 0;

	for (int i = 0; i < BUCKETS; i++)
		n += b[i];
	for (int i = 0; i < BUCKETS && n > 0; i++) {
		sum += b[i];
		if ((double)sum >= share * (double)n)
			return i < BUCKETS - 1 ? bounds[i] : -1;
	}
	return 0;
}

/* The checkpoint's entry in hours, made with two days of 24 zeros if new. */
static cJSON *hours_of(cJSON *hours, const char *checkpoint)
{
	static const int zero[24];
	cJSON *o;

	cJSON_ArrayForEach(o, hours)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "checkpoint")), checkpoint) == 0)
			return o;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "checkpoint", checkpoint);
	cJSON_AddItemToObject(o, "yesterday", cJSON_CreateIntArray(zero, 24));
	cJSON_AddItemToObject(o, "today", cJSON_CreateIntArray(zero, 24));
	cJSON_AddItemToArray(hours, o);
	return o;
}

/* Transits by checkpoint and hour: yesterday's and today's. */
static int add_hours(struct cdb *c, const char *const both[2], cJSON *out, gl_msg *err)
{
	cJSON *r = c->be->query(c, "SELECT checkpoint, (at_s - CAST($1 AS bigint)) / 3600 AS h, count(*) FROM event"
				   " WHERE " TRANSITS " GROUP BY checkpoint, h", 2, both, err);
	cJSON *hours = cJSON_AddArrayToObject(out, "hours");

	if (r == NULL)
		return -1;
	for (const cJSON *row = r->child; row != NULL; row = row->next) {
		long h = num(row, 1);
		cJSON *o = hours_of(hours, text(row, 0));
		if (h >= 0 && h < 48)
			cJSON_SetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, h < 24 ? "yesterday"
													   : "today"),
								(int)(h % 24)), (double)num(row, 2));
	}
	cJSON_Delete(r);
	return 0;
}

/* Verdicts and what the officers decided, today. */
static int add_mix(struct cdb *c, const char *const today[2], cJSON *out, gl_msg *err)
{
	cJSON *r = c->be->query(c, "SELECT verdict, decision, count(*) FROM event WHERE " TRANSITS
				   " GROUP BY verdict, decision", 2, today, err);
	cJSON *mix = cJSON_AddArrayToObject(out, "mix");

	if (r == NULL)
		return -1;
	for (const cJSON *row = r->child; row != NULL; row = row->next) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "verdict", text(row, 0));
		cJSON_AddStringToObject(o, "decision", text(row, 1));
		cJSON_AddNumberToObject(o, "n", (double)num(row, 2));
		cJSON_AddItemToArray(mix, o);
	}
	cJSON_Delete(r);
	return 0;
}

/* Time at the lane by checkpoint and hour of today: counted in buckets by
 * the database, p50 and p90 read off them here.  An hour has grown when
 * its p90 is at least a minute and at least twice the checkpoint's over
 * yesterday (or past the last bound). */
static int add_lane_time(struct cdb *c, const char *const both[2], const char *const today[2], cJSON *out,
			 gl_msg *err)
{
	const char *yesterday[2] = { both[0], today[0] };
	cJSON *ref = c->be->query(c, "SELECT checkpoint, " BUCKET_SQL " AS b, count(*) FROM event WHERE " TRANSITS
				     " AND scan_s IS NOT NULL GROUP BY checkpoint, b", 2, yesterday, err);
	cJSON *r = ref != NULL ? c->be->query(c, "SELECT checkpoint, (at_s - CAST($1 AS bigint)) / 3600 AS h, "
					      BUCKET_SQL " AS b, count(*) FROM event WHERE " TRANSITS
					      " AND scan_s IS NOT NULL GROUP BY checkpoint, h, b ORDER BY checkpoint, h",
					      2, today, err) : NULL;
	cJSON *lane = cJSON_AddArrayToObject(out, "lane_time");
	const cJSON *row = r != NULL ? r->child : NULL;

	while (row != NULL) {
		const char *cp = text(row, 0);
		long h = num(row, 1), b[BUCKETS] = { 0 }, day[BUCKETS] = { 0 };
		int p90, was;
		cJSON *o;
		for (; row != NULL && strcmp(text(row, 0), cp) == 0 && num(row, 1) == h; row = row->next)
			b[num(row, 2) >= 0 && num(row, 2) < BUCKETS ? num(row, 2) : BUCKETS - 1] += num(row, 3);
		for (const cJSON *x = ref->child; x != NULL; x = x->next)
			if (strcmp(text(x, 0), cp) == 0)
				day[num(x, 1) >= 0 && num(x, 1) < BUCKETS ? num(x, 1) : BUCKETS - 1] += num(x, 2);
		p90 = quantile(b, 0.9);
		was = quantile(day, 0.9);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "checkpoint", cp);
		cJSON_AddNumberToObject(o, "hour", (double)h);
		cJSON_AddNumberToObject(o, "p50", quantile(b, 0.5));
		cJSON_AddNumberToObject(o, "p90", p90);
		cJSON_AddNumberToObject(o, "p90_yesterday", was);
		cJSON_AddBoolToObject(o, "grown", (p90 < 0 && was >= 0) || (p90 >= 60 && (was == 0 || p90 >= 2 * was)));
		cJSON_AddItemToArray(lane, o);
	}
	cJSON_Delete(ref);
	cJSON_Delete(r);
	return ref != NULL && r != NULL ? 0 : -1;
}

/* Transits a list shows (overrides, trucks held): the day's newest 100,
 * with what was decided and why. */
static int add_transits(struct cdb *c, const char *name, const char *where, const char *const today[2],
			cJSON *out, gl_msg *err)
{
	char sql[512];
	cJSON *r, *list;

	snprintf(sql, sizeof sql, "SELECT at_s, terminal, checkpoint, plate, verdict, decision, body FROM event"
		 " WHERE " TRANSITS " AND %s ORDER BY at_s DESC LIMIT 100", where);
	r = c->be->query(c, sql, 2, today, err);
	if (r == NULL)
		return -1;
	list = cJSON_AddArrayToObject(out, name);
	for (const cJSON *row = r->child; row != NULL; row = row->next) {
		cJSON *o = cJSON_CreateObject(), *b = cJSON_Parse(text(row, 6)), *why = cJSON_CreateArray();
		const cJSON *x;
		cJSON_AddNumberToObject(o, "at", (double)num(row, 0));
		cJSON_AddStringToObject(o, "terminal", text(row, 1));
		cJSON_AddStringToObject(o, "checkpoint", text(row, 2));
		cJSON_AddStringToObject(o, "plate", text(row, 3));
		cJSON_AddStringToObject(o, "verdict", text(row, 4));
		cJSON_AddStringToObject(o, "decision", text(row, 5));
		x = cJSON_GetObjectItemCaseSensitive(b, "override_reason");
		cJSON_AddStringToObject(o, "reason", cJSON_IsString(x) ? x->valuestring : "");
		/* The verdict's reasons, but the merely informative. */
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(b, "reasons")) {
			const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "code"));
			const char *level = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "level"));
			if (code != NULL && level != NULL && strcmp(level, "info") != 0)
				cJSON_AddItemToArray(why, cJSON_CreateString(code));
		}
		cJSON_AddItemToObject(o, "why", why);
		cJSON_Delete(b);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_Delete(r);
	return 0;
}

/* The closed loop (闭环) broken: trips planned or under way whose eta is
 * over margin_s past at now, each with where its truck was last seen at a
 * checkpoint since it departed (none: it never entered); and the day's
 * transits a lane found off their trip's route (ROUTE_DEVIATION). */
static int add_loop(struct cdb *c, const char *const today[2], int64_t now, int margin_s, cJSON *out, gl_msg *err)
{
	cJSON *trips = c->be->query(c, "SELECT data FROM record WHERE kind = 'trip' AND data IS NOT NULL"
				       " AND data ->> 'status' IN ('planned', 'en_route') ORDER BY key", 0, NULL, err);
	cJSON *overdue = cJSON_AddArrayToObject(out, "overdue"), *r;
	int listed = 0;

	cJSON_AddNumberToObject(out, "overdue_margin_s", margin_s);
	if (trips == NULL)
		return -1;
	for (const cJSON *row = trips->child; row != NULL && listed < 200; row = row->next) {
		cJSON *d = cJSON_Parse(text(row, 0)), *o;
		const char *eta = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "eta"));
		const char *dep = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "depart_at"));
		const char *plate = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "plate"));
		int64_t e, since = 0;
		char t[24];
		const char *p[2] = { plate, t };
		if (eta == NULL || plate == NULL || gltime_parse(eta, &e) != 0 || e + margin_s >= now ||
		    (dep != NULL && gltime_parse(dep, &since) != 0)) {
			cJSON_Delete(d);
			continue;
		}
		snprintf(t, sizeof t, "%lld", (long long)since);
		r = c->be->query(c, "SELECT at_s, checkpoint FROM event WHERE plate = $1 AND at_s >= CAST($2 AS bigint)"
				    " AND kind = 'transit' ORDER BY at_s DESC LIMIT 1", 2, p, err);
		if (r == NULL) {
			cJSON_Delete(d);
			cJSON_Delete(trips);
			return -1;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "trip", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "id")));
		cJSON_AddStringToObject(o, "plate", plate);
		cJSON_AddStringToObject(o, "status", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "status")));
		cJSON_AddNumberToObject(o, "eta", (double)e);
		cJSON_AddItemToObject(o, "destination", cJSON_DetachItemFromObjectCaseSensitive(d, "destination"));
		if (r->child != NULL) {
			cJSON_AddNumberToObject(o, "seen_at", (double)num(r->child, 0));
			cJSON_AddStringToObject(o, "seen_checkpoint", text(r->child, 1));
		} else {
			cJSON_AddNullToObject(o, "seen_at");
			cJSON_AddNullToObject(o, "seen_checkpoint");
		}
		cJSON_AddItemToArray(overdue, o);
		listed++;
		cJSON_Delete(r);
		cJSON_Delete(d);
	}
	cJSON_Delete(trips);
	r = c->be->query(c, "SELECT at_s, terminal, checkpoint, plate FROM event WHERE " TRANSITS
			    " AND body LIKE '%\"ROUTE_DEVIATION\"%' ORDER BY at_s DESC LIMIT 100", 2, today, err);
	if (r == NULL)
		return -1;
	{
		cJSON *off = cJSON_AddArrayToObject(out, "off_route");
		for (const cJSON *row = r->child; row != NULL; row = row->next) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "at", (double)num(row, 0));
			cJSON_AddStringToObject(o, "terminal", text(row, 1));
			cJSON_AddStringToObject(o, "checkpoint", text(row, 2));
			cJSON_AddStringToObject(o, "plate", text(row, 3));
			cJSON_AddItemToArray(off, o);
		}
	}
	cJSON_Delete(r);
	return 0;
}

cJSON *cdb_day_figures(struct cdb *c, int64_t day0, int64_t now, gl_msg *err)
{
	char from[24], mid[24], to[24];
	const char *both[2] = { from, to }, *today[2] = { mid, to };
	cJSON *out = cJSON_CreateObject();

	snprintf(from, sizeof from, "%lld", (long long)(day0 - 86400));
	snprintf(mid, sizeof mid, "%lld", (long long)day0);
	snprintf(to, sizeof to, "%lld", (long long)(day0 + 86400));
	cJSON_AddNumberToObject(out, "day0", (double)day0);
	if (add_hours(c, both, out, err) != 0 || add_mix(c, today, out, err) != 0 ||
	    add_lane_time(c, both, today, out, err) != 0 ||
	    add_transits(c, "overrides", "override = 1", today, out, err) != 0 ||
	    add_transits(c, "held", "decision IN ('hold', 'divert')", today, out, err) != 0 ||
	    add_loop(c, today, now, LOOP_MARGIN_S, out, err) != 0) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
