/* cache.db import and look-ups, journal.db append and chain, and the lane
 * check end to end on demo data. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "testdemo.h"
#include "cache.h"
#include "demo.h"
#include "facts.h"
#include "journal.h"
#include "lane.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gl-test-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* Imports lines (separated by \n) into the cache at p; returns the result of
 * the first failing step, 0 if all went in. */
static int import(struct cache *c, const char *text, struct cache_stats *st, gl_msg *err)
{
	char *copy = strdup(text), *save = NULL;
	struct cache_import *im = cache_import_begin(c, err);
	gl_msg warn;

	assert_non_null(im);
	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		if (cache_import_line(im, l, strlen(l), err) != 0) {
			cache_import_abort(im);
			free(copy);
			return -1;
		}
	}
	free(copy);
	return cache_import_finish(im, st, &warn, err);
}

#define V1 "{\"seq\":1,\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D·12345\",\"data\":{\"plate\":\"豫d12345\",\"enterprise_id\":\"E1\",\"relation\":\"own\",\"type\":\"牵引车\",\"trailer_plate\":\"豫D1234挂\"}}\n"
#define P1 "{\"seq\":2,\"kind\":\"pass\",\"op\":\"put\",\"key\":\"410402000001\",\"data\":{\"pass_no\":\"410402000001\",\"plate\":\"豫D12345\",\"valid_to\":\"2022-06-01T00:00:00+08:00\"}}\n"
#define T1 "{\"seq\":3,\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T1\",\"data\":{\"id\":\"T1\",\"plate\":\"豫D12345\",\"crew\":[\"11010519491231002x\"],\"status\":\"en_route\",\"depart_at\":\"2022-05-10T05:00:00+08:00\"}}\n"
#define D1 "{\"seq\":4,\"kind\":\"driver\",\"op\":\"put\",\"key\":\"11010519491231002x\",\"data\":{\"name\":\"张伟\",\"health_code\":\"green\"}}\n"
#define I1 "{\"seq\":5,\"kind\":\"intercept\",\"op\":\"put\",\"key\":\"I1\",\"data\":{\"id\":\"I1\",\"target\":\"id_no\",\"value\":\"11010519491231002X\",\"cleared\":false}}\n"
#define E1 "{\"seq\":6,\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E1\",\"data\":{\"id\":\"E1\",\"name\":\"鹰城物流\"}}\n"
#define TR "{\"cursor\":\"c6\",\"as_of\":\"2022-05-10T08:00:00+08:00\"}\n"

static void import_and_lookup(void **state)
{
	char p[128];
	struct cache *c;
	struct cache_plate pb;
	struct arena *a = arena_new();
	struct cache_person pp;
	struct cache_stats st;
	char plate[PLATE_MAX];
	cJSON *e;
	gl_msg err;

	(void)state;
	path(p, sizeof p, "a.db");
	c = cache_open(p, 1, &err);
	assert_non_null(c);
	assert_int_equal(import(c, V1 P1 T1 D1 I1 E1 TR, &st, &err), 0);
	assert_int_equal(st.puts, 6);
	assert_int_equal(cache_as_of(c), T("2022-05-10T08:00:00+08:00"));

	assert_int_equal(cache_get_plate(c, "豫D12345", a, &pb, &err), 0);
	assert_non_null(pb.vehicle);
	assert_string_equal(facts_str(pb.vehicle, "plate"), "豫D12345");	/* folded */
	assert_int_equal(cJSON_GetArraySize(pb.passes), 1);
	assert_int_equal(cJSON_GetArraySize(pb.trips), 1);
	/* The crew was folded to canonical ID numbers in the stored data. */
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(pb.trips, 0), "crew"), 0)->valuestring,
			    "11010519491231002X");

	/* The trailer's plate leads to the tractor. */
	assert_int_equal(cache_get_plate(c, "豫D1234挂", a, &pb, &err), 0);
	assert_null(pb.vehicle);
	assert_string_equal(pb.tractor, "豫D12345");

	assert_int_equal(cache_get_person(c, "11010519491231002X", a, &pp, &err), 0);
	assert_non_null(pp.driver);
	assert_string_equal(facts_str(pp.driver, "id_no"), "11010519491231002X");
	assert_int_equal(cJSON_GetArraySize(pp.trip_plates), 1);
	assert_int_equal(cJSON_GetArraySize(pp.intercepts), 1);

	assert_int_equal(cache_pass_plate(c, "410402000001", plate, &err), 1);
	assert_string_equal(plate, "豫D12345");
	assert_int_equal(cache_pass_plate(c, "410402000002", plate, &err), 0);
	e = cache_get_small(c, NULL, CACHE_ENTERPRISE, "E1");
	assert_non_null(e);
	cJSON_Delete(e);
	/* In an arena, the same record. */
	assert_string_equal(facts_str(cache_get_small(c, a, CACHE_ENTERPRISE, "E1"), "id"), "E1");

	/* The trailer is coupled to another tractor, then the first tractor goes:
	 * the trailer still leads to the second one. */
	assert_int_equal(import(c,
		"{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D22222\",\"data\":{\"trailer_plate\":\"豫D1234挂\"}}\n"
		"{\"kind\":\"vehicle\",\"op\":\"del\",\"key\":\"豫D12345\"}\n", &st, &err), 0);
	assert_int_equal(cache_get_plate(c, "豫D1234挂", a, &pb, &err), 0);
	assert_string_equal(pb.tractor, "豫D22222");
	assert_int_equal(import(c, V1, &st, &err), 0);	/* and back, for what follows */

	/* A trip moves to another truck and loses its crew; a pass is deleted. */
	assert_int_equal(import(c,
		"{\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T1\",\"data\":{\"id\":\"T1\",\"plate\":\"豫D54321\",\"crew\":[]}}\n"
		"{\"kind\":\"pass\",\"op\":\"del\",\"key\":\"410402000001\"}\n"
		"{\"kind\":\"pass\",\"op\":\"del\",\"key\":\"410402000009\"}\n", &st, &err), 0);
	assert_int_equal(st.dels, 2);
	assert_int_equal(cache_get_plate(c, "豫D12345", a, &pb, &err), 0);
	assert_int_equal(cJSON_GetArraySize(pb.passes), 0);
	assert_int_equal(cJSON_GetArraySize(pb.trips), 0);
	assert_int_equal(cache_get_plate(c, "豫D54321", a, &pb, &err), 0);
	assert_int_equal(cJSON_GetArraySize(pb.trips), 1);
	assert_int_equal(cache_get_person(c, "11010519491231002X", a, &pp, &err), 0);
	assert_int_equal(cJSON_GetArraySize(pp.trip_plates), 0);
	arena_free(a);
	cache_close(c);
}

static void bad_lines_change_nothing(void **state)
{
	static const char *const bad[] = {
		"not json", "[1,2]", "{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D1234I\",\"data\":{}}",
		"{\"kind\":\"spaceship\",\"op\":\"put\",\"key\":\"x\",\"data\":{}}",
		"{\"kind\":\"vehicle\",\"op\":\"upsert\",\"key\":\"豫D12345\",\"data\":{}}",
		"{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D12345\"}",
		"{\"kind\":\"driver\",\"op\":\"put\",\"key\":\"110105194912310021\",\"data\":{}}",
		"{\"kind\":\"pass\",\"op\":\"put\",\"key\":\"410402000001\",\"data\":{\"plate\":\"nope\"}}",
		"{\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T9\",\"data\":{\"plate\":\"豫D12345\",\"crew\":[\"x\"]}}",
		"{\"kind\":\"intercept\",\"op\":\"put\",\"key\":\"I9\",\"data\":{\"target\":\"moon\",\"value\":\"x\"}}",
		"{\"kind\":\"key\",\"op\":\"put\",\"key\":\"k\",\"data\":{\"alg\":\"RS256\",\"pub\":\"AAAA\",\"use\":\"pass\"}}",
		"{\"cursor\":\"x\",\"as_of\":\"yesterday\"}",
		"{\"seq\":1}",
	};
	char p[128], text[2048];
	struct cache *c;
	struct cache_plate pb;
	struct arena *a = arena_new();
	struct cache_stats st;
	gl_msg err;

	(void)state;
	path(p, sizeof p, "b.db");
	c = cache_open(p, 1, &err);
	assert_non_null(c);
	assert_int_equal(import(c, V1 TR, &st, &err), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* A good line first: it must be rolled back with the bad one. */
		snprintf(text, sizeof text, "%s%s\n", P1, bad[i]);
		glmsg_clear(&err);
		if (import(c, text, &st, &err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err.en, "line 2"));
	}
	assert_int_equal(cache_get_plate(c, "豫D12345", a, &pb, &err), 0);
	assert_int_equal(cJSON_GetArraySize(pb.passes), 0);
	assert_int_equal(cache_as_of(c), T("2022-05-10T08:00:00+08:00"));
	arena_free(a);
	cache_close(c);
}

static struct cache *demo_cache(const char *name, int64_t at)
{
	char p[128];

	path(p, sizeof p, name);
	return test_demo_cache(p, at);
}

static void signed_policy(void **state)
{
	struct cache *c = demo_cache("p.db", T("2022-05-10T08:00:00+08:00"));
	const char *src = NULL;
	struct policy *p = lane_policy(c, &src, NULL);
	char *text;
	struct cache_stats st;
	gl_msg err;

	(void)state;
	assert_non_null(p);
	assert_string_equal(src, "cache");
	policy_free(p);
	cache_close(c);

	/* A policy whose signature does not verify is refused; the good one stays. */
	{
		char pth[128];
		path(pth, sizeof pth, "p.db");
		c = cache_open(pth, 1, &err);
	}
	assert_non_null(c);
	assert_int_equal(import(c, "{\"kind\":\"policy\",\"op\":\"put\",\"key\":\"evil\",\"data\":{\"id\":\"evil\","
			      "\"valid_from\":\"2030-01-01T00:00:00+08:00\",\"jws\":\"eyJhbGciOiJFZERTQSIsImtpZCI6InBkcy1kZW1vLXBvbGljeS0yMDIyIn0."
			      "eyJpZCI6ImV2aWwifQ.AAAA\"}}\n", &st, &err), 0);
	assert_int_equal(st.refused, 1);
	text = cache_policy(c);
	assert_non_null(text);
	assert_non_null(strstr(text, "pds-default"));
	free(text);
	cache_close(c);
}

static void lane_on_demo(void **state)
{
	static const struct { const char *q, *verdict; } cases[] = {
		{ "豫D10001", "green" }, { "豫D10002", "pass" }, { "豫D10003", "sample" },
		{ "豫D10005", "check" }, { "豫D10008", "hold" }, { "豫D2001挂", "green" },
		{ "d10001", "green" }, { "410402000000", "green" }, { "410402196501010003", "green" },
		{ "藏Z99999", "check" },
	};
	struct cache *c = demo_cache("d.db", T("2022-05-10T08:00:00+08:00"));
	const char *src;
	struct policy *p = lane_policy(c, &src, NULL);
	struct lane_ctx ctx = { T("2022-05-10T09:00:00+08:00"), "PDS-01", NULL, 0, 0, "豫", NULL };
	struct lane_result r;
	gl_msg err;

	char *shown[sizeof cases / sizeof cases[0]];

	(void)state;
	/* Each check twice: the same result, to the byte (what a check read
	 * and kept in memory, risk areas and keys, changes nothing). */
	for (int again = 0; again < 2; again++) {
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			const char *q = cases[i].q;
			cJSON *j;
			char *text;
			if (lane_check(c, p, &ctx, &q, 1, &r, &err) != LANE_OK)
				fail_msg("%s: %s", q, err.en);
			if (strcmp(level_name(r.verdict.level), cases[i].verdict) != 0)
				fail_msg("%s: %s, want %s", q, level_name(r.verdict.level), cases[i].verdict);
			j = lane_result_json(&r);
			text = cJSON_PrintUnformatted(j);
			cJSON_Delete(j);
			if (!again) {
				shown[i] = text;
			} else {
				assert_string_equal(text, shown[i]);
				free(text);
				free(shown[i]);
			}
			lane_result_free(&r);
		}
	}
	{
		const char *q[] = { "豫D10001", "豫D10002" };
		assert_int_equal(lane_check(c, p, &ctx, q, 2, &r, &err), LANE_BAD_QUERY);
		lane_result_free(&r);
		q[1] = "豫D1000O";
		assert_int_equal(lane_check(c, p, &ctx, q, 2, &r, &err), LANE_BAD_QUERY);
		assert_non_null(strstr(err.en, "豫D1000O"));
		lane_result_free(&r);
	}
	/* Alerts: the demo's intercepts and its two meltdown enterprises. */
	{
		cJSON *alerts = cache_alerts(c, T("2022-05-10T09:00:00+08:00")), *a;
		int intercepts = 0, meltdowns = 0;
		cJSON_ArrayForEach(a, alerts) {
			if (strcmp(facts_str(a, "alert"), "intercept") == 0)
				intercepts++;
			else if (strcmp(facts_str(a, "alert"), "meltdown") == 0)
				meltdowns++;
		}
		assert_true(intercepts >= 2);	/* 豫D10007's and 豫D10023's driver */
		assert_true(meltdowns >= 2);	/* E000006 off the whitelist, E000007 suspended */
		cJSON_Delete(alerts);
	}
	/* A day later the cache is stale: nothing better than check. */
	ctx.now = T("2022-05-11T08:00:01+08:00");
	{
		const char *q = "豫D10001";
		assert_int_equal(lane_check(c, p, &ctx, &q, 1, &r, &err), LANE_OK);
		assert_int_equal(r.verdict.level, LEVEL_CHECK);
		assert_true(verdict_has(&r.verdict, "CACHE_STALE"));
		lane_result_free(&r);
	}
	policy_free(p);
	cache_close(c);
}

/* Records with more members than the import scans on its stack: the fields
 * that place them are still found (such a vehicle once landed under plate ""). */
static void wide_records(void **state)
{
	char pth[128], line[4096], *x;
	struct cache *c;
	struct cache_plate pb;
	struct arena *a = arena_new();
	struct cache_stats st;
	size_t n = 0;
	gl_msg err;

	(void)state;
	path(pth, sizeof pth, "wide.db");
	c = cache_open(pth, 1, &err);
	assert_non_null(c);
	n += (size_t)snprintf(line + n, sizeof line - n, "{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D54321\",\"data\":{");
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "\"x%d\":%d,", i, i);
	snprintf(line + n, sizeof line - n, "\"plate\":\"豫D54321\",\"enterprise_id\":\"E1\"}}\n%s%s", E1, TR);
	assert_int_equal(import(c, line, &st, &err), 0);
	assert_int_equal(cache_get_plate(c, "豫D54321", a, &pb, &err), 0);
	assert_non_null(pb.vehicle);
	assert_string_equal(facts_str(pb.vehicle, "enterprise_id"), "E1");
	x = cJSON_PrintUnformatted(pb.vehicle);
	assert_non_null(strstr(x, "\"x59\":59"));
	free(x);
	arena_free(a);
	cache_close(c);
}

/* Runs sql on the database at pth; returns the first column of its first row
 * (caller frees), or NULL. */
static char *sql_text(const char *pth, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *out = NULL;

	assert_int_equal(sqlite3_open(pth, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static const char *enterprise_name(struct cache *c, struct arena *a, const char *id)
{
	const char *name;

	assert_int_equal(cache_read_begin(c), 0);
	name = facts_str(cache_get_small(c, a, CACHE_ENTERPRISE, id), "name");
	cache_read_end(c);
	return name != NULL ? name : "(none)";
}

/* A reader sees every change to an enterprise at its next read, whoever
 * made it: an import, a deletion, sqlite3 by hand. */
static void enterprises_seen(void **state)
{
	char pth[128];
	struct cache *w, *r;
	struct cache_stats st;
	struct arena *a = arena_new();
	gl_msg err;

	(void)state;
	path(pth, sizeof pth, "ents.db");
	w = cache_open(pth, 1, &err);
	assert_non_null(w);
	assert_int_equal(import(w, V1 E1 TR "{\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E2\",\"data\":{\"id\":\"E2\",\"name\":\"二号\"}}\n",
			      &st, &err), 0);
	r = cache_open(pth, 0, &err);
	assert_non_null(r);
	assert_string_equal(enterprise_name(r, a, "E1"), "鹰城物流");
	assert_string_equal(enterprise_name(r, a, "E3"), "(none)");
	assert_int_equal(import(w, "{\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E1\",\"data\":{\"id\":\"E1\",\"name\":\"新名\"}}\n",
			      &st, &err), 0);
	assert_string_equal(enterprise_name(r, a, "E1"), "新名");
	assert_int_equal(import(w, "{\"kind\":\"enterprise\",\"op\":\"del\",\"key\":\"E2\"}\n", &st, &err), 0);
	assert_string_equal(enterprise_name(r, a, "E2"), "(none)");
	arena_free(a);
	cache_close(r);
	cache_close(w);
}

/* A record whose stored text no longer parses (a damaged file: the import
 * validated it) is left out of what the look-ups return; a check that needed
 * it is never better than check, with DATA_DAMAGED (the missing record could
 * be the intercept that decides), a check that did not is decided as usual,
 * and the cache is marked damaged until a snapshot replaces it. */
static void damaged_record_never_green(void **state)
{
	char pth[128];
	struct cache *c;
	struct cache_plate pb;
	struct cache_person pp;
	struct cache_stats st;
	struct arena *a = arena_new();
	const char *src, *q = "豫D12345", *q2 = "豫D54321";
	struct policy *p;
	struct lane_ctx ctx = { T("2022-05-10T09:00:00+08:00"), "PDS-01", NULL, 0, 0, "豫", NULL };
	struct lane_result r;
	gl_msg err;

	(void)state;
	path(pth, sizeof pth, "damaged.db");
	c = cache_open(pth, 1, &err);
	assert_non_null(c);
	assert_int_equal(import(c, V1 P1 T1 D1 E1 TR
		"{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D54321\",\"data\":{\"plate\":\"豫D54321\"}}\n",
		&st, &err), 0);
	assert_false(cache_damaged(pth));
	free(sql_text(pth, "UPDATE rec SET data = '{\"pass_no\":\"4104' WHERE kind = 2"));
	free(sql_text(pth, "UPDATE rec SET data = '{\"name\":\"\\u00\"}' WHERE kind = 5"));
	assert_int_equal(cache_get_plate(c, "豫D12345", a, &pb, &err), 0);
	assert_non_null(pb.vehicle);
	assert_int_equal(cJSON_GetArraySize(pb.passes), 0);
	assert_int_equal(cJSON_GetArraySize(pb.trips), 1);
	assert_true(cache_damaged(pth));
	assert_int_equal(cache_get_person(c, "11010519491231002X", a, &pp, &err), 0);
	assert_null(pp.driver);
	assert_int_equal(cJSON_GetArraySize(pp.trip_plates), 1);
	p = lane_policy(c, &src, NULL);
	assert_non_null(p);
	if (lane_check(c, p, &ctx, &q, 1, &r, &err) != LANE_OK)
		fail_msg("%s", err.en);
	assert_true(verdict_has(&r.verdict, "DATA_DAMAGED"));
	assert_true(r.verdict.level >= LEVEL_CHECK);
	assert_true(verdict_has(&r.verdict, "PASS_MISSING"));	/* what the policy said is kept */
	assert_non_null(r.vehicle);
	lane_result_free(&r);
	/* The cache is now known damaged: no check on it is better than check,
	 * not even one whose own records read whole (another it needs, an
	 * intercept, may be the damaged one). */
	if (lane_check(c, p, &ctx, &q2, 1, &r, &err) != LANE_OK)
		fail_msg("a truck whose records are whole: %s", err.en);
	assert_true(verdict_has(&r.verdict, "DATA_DAMAGED"));
	assert_true(r.verdict.level >= LEVEL_CHECK);
	lane_result_free(&r);
	policy_free(p);
	arena_free(a);
	cache_close(c);
	/* A snapshot installed over it clears the mark. */
	{
		char snap[160];
		FILE *f;
		snprintf(snap, sizeof snap, "%s.snap", pth);
		f = fopen(snap, "w");
		assert_non_null(f);
		fputs(V1 TR, f);
		fclose(f);
		assert_int_equal(cache_import_file(pth, snap, 1, NULL, 0, NULL, NULL, &st, &err, &err), 0);
		assert_false(cache_damaged(pth));
	}
}

/* A page SQLite finds corrupt: the look-up fails saying the local data is
 * damaged and what happens next, and the cache is marked for rebuilding. */
static void damaged_page_marks_cache(void **state)
{
	char pth[128], big[4096];
	struct cache *c;
	struct cache_plate pb;
	struct cache_stats st;
	struct arena *a = arena_new();
	gl_msg err;
	FILE *f;
	long size;
	int failed = 0;

	(void)state;
	path(pth, sizeof pth, "badpage.db");
	c = cache_open(pth, 1, &err);
	assert_non_null(c);
	/* Enough rows for several pages; then every page after the first few is overwritten. */
	for (int i = 0; i < 40; i++) {
		snprintf(big, sizeof big, "{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D%05d\",\"data\":{\"pad\":\"%0900d\"}}\n", i, i);
		assert_int_equal(import(c, big, &st, &err), 0);
	}
	cache_close(c);
	f = fopen(pth, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	memset(big, 0x5a, sizeof big);
	for (long off = 4 * 4096; off + 4096 <= size; off += 4096) {
		fseek(f, off, SEEK_SET);
		fwrite(big, 1, sizeof big, f);
	}
	fclose(f);
	char plate[32] = "";
	c = cache_open(pth, 0, &err);
	for (int i = 0; c != NULL && i < 40 && !failed; i++) {
		snprintf(plate, sizeof plate, "豫D%05d", i);
		failed = cache_get_plate(c, plate, a, &pb, &err) != 0;
	}
	if (c == NULL || failed)
		assert_non_null(strstr(err.en, "damaged"));
	else
		fail_msg("no look-up noticed the damage");
	assert_non_null(strstr(err.en, "next sync"));
	assert_true(cache_damaged(pth));
	/* A check whose read fails on the damage: check, DATA_DAMAGED alone, nothing shown. */
	if (c != NULL) {
		const char *src, *q = plate;
		struct policy *p = lane_policy(c, &src, NULL);
		struct lane_ctx ctx = { T("2022-05-10T09:00:00+08:00"), NULL, "410402", 0, 0, "豫", NULL };
		struct lane_result r;
		assert_non_null(p);
		assert_int_equal(lane_check(c, p, &ctx, &q, 1, &r, &err), LANE_OK);
		assert_int_equal(r.verdict.level, LEVEL_CHECK);
		assert_int_equal(r.verdict.n, 1);
		assert_string_equal(r.verdict.reasons[0].code, "DATA_DAMAGED");
		assert_null(r.vehicle);
		assert_non_null(r.policy);
		lane_result_free(&r);
		policy_free(p);
	}
	cache_close(c);
	arena_free(a);

	/* The same from a reader with no message to give: an enterprise. */
	path(pth, sizeof pth, "badsmall.db");
	c = cache_open(pth, 1, &err);
	assert_non_null(c);
	assert_int_equal(import(c, E1 TR, &st, &err), 0);
	cache_close(c);
	{
		char *root = sql_text(pth, "SELECT rootpage FROM sqlite_master WHERE name = 'small'");
		assert_non_null(root);
		f = fopen(pth, "r+b");
		assert_non_null(f);
		memset(big, 0xff, 16);
		fseek(f, (strtol(root, NULL, 10) - 1) * 4096, SEEK_SET);
		fwrite(big, 1, 16, f);
		fclose(f);
		free(root);
	}
	c = cache_open(pth, 0, &err);
	assert_non_null(c);
	assert_false(cache_damaged(pth));
	assert_null(cache_get_small(c, NULL, CACHE_ENTERPRISE, "E1"));
	assert_true(cache_damaged(pth));
	/* What is kept in memory (risk areas, keys) came from that table: no
	 * check is decided on it until the data changes. */
	{
		const char *src, *q = "豫D12345";
		struct policy *p = lane_policy(c, &src, NULL);
		/* No checkpoint record to look up: only the kept lists are involved. */
		struct lane_ctx ctx = { T("2022-05-10T09:00:00+08:00"), NULL, "410402", 0, 0, "豫", NULL };
		struct lane_result r;
		assert_non_null(p);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(lane_check(c, p, &ctx, &q, 1, &r, &err), LANE_OK);
			assert_true(verdict_has(&r.verdict, "DATA_DAMAGED"));
			lane_result_free(&r);
		}
		policy_free(p);
	}
	cache_close(c);
}

#define ALL_ROWS "SELECT group_concat(r, char(10)) FROM (SELECT home || '|' || kind || '|' || key || '|' || data AS r" \
	" FROM rec UNION ALL SELECT 'small|' || kind || '|' || key || '|' || data FROM small ORDER BY 1)"

/* Imports lines into a fresh cache in one go and into one that already
 * holds something (so nothing is staged), then compares every row. */
static void fresh_same_as_steps(const char *name, const char *lines, const char *must, const char *must_not)
{
	static const char e0[] = "{\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E0\",\"data\":{\"id\":\"E0\"}}\n";
	size_t n = sizeof e0 + strlen(lines);
	char pa[128], pb[128], *all = malloc(n), *ra, *rb;
	struct cache *c;
	struct cache_stats st;
	gl_msg err;

	snprintf(all, n, "%s%s", e0, lines);
	snprintf(pa, sizeof pa, "%s/%s-fresh.db", dir, name);
	snprintf(pb, sizeof pb, "%s/%s-steps.db", dir, name);
	c = cache_open(pa, 1, &err);
	if (import(c, all, &st, &err) != 0)
		fail_msg("%s: %s", name, err.en);
	cache_close(c);
	c = cache_open(pb, 1, &err);
	assert_int_equal(import(c, e0, &st, &err), 0);
	assert_int_equal(import(c, lines, &st, &err), 0);
	cache_close(c);
	ra = sql_text(pa, ALL_ROWS);
	rb = sql_text(pb, ALL_ROWS);
	assert_non_null(ra);
	assert_non_null(strstr(ra, must));
	if (must_not != NULL && strstr(ra, must_not) != NULL)
		fail_msg("%s: %s is still there", name, must_not);
	assert_string_equal(ra, rb);
	free(ra);
	free(rb);
	free(all);
}

/* A fresh import stages its rows and sorts them in at the end; records put
 * twice, deleted, or sharing a trailer must come out exactly as line-by-line
 * application gives. */
static void fresh_import_same_as_incremental(void **state)
{
	(void)state;
	/* Put twice, no deletions: the pass moves to another plate. */
	fresh_same_as_steps("twice", V1 P1 T1 D1 I1 E1
		"{\"kind\":\"pass\",\"op\":\"put\",\"key\":\"410402000001\",\"data\":{\"pass_no\":\"410402000001\",\"plate\":\"豫D54321\"}}\n"
		"{\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T1\",\"data\":{\"id\":\"T1\",\"plate\":\"豫D12345\",\"crew\":[\"410402196501010003\"]}}\n"
		TR, "豫D54321|2|410402000001", "豫D12345|2|410402000001");
	/* Deletions, a trailer named by two tractors, a trip put, deleted, put again. */
	fresh_same_as_steps("dels", V1 P1 T1 D1 I1 E1
		"{\"kind\":\"intercept\",\"op\":\"del\",\"key\":\"I1\"}\n"
		"{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D22222\",\"data\":{\"trailer_plate\":\"豫D1234挂\",\"enterprise_id\":\"E1\"}}\n"
		"{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D33333\",\"data\":{\"enterprise_id\":\"E0\"}}\n"
		"{\"kind\":\"vehicle\",\"op\":\"del\",\"key\":\"豫D33333\"}\n"
		"{\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T2\",\"data\":{\"id\":\"T2\",\"plate\":\"豫D33333\",\"crew\":[\"11010519491231002X\"]}}\n"
		"{\"kind\":\"trip\",\"op\":\"del\",\"key\":\"T2\"}\n"
		"{\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T2\",\"data\":{\"id\":\"T2\",\"plate\":\"豫D22222\",\"crew\":[\"11010519491231002X\"]}}\n"
		TR, "豫D22222|3|T2", "豫D33333");
}

static void journal_chain(void **state)
{
	char p[128];
	struct journal *j;
	struct journal_entry e1, e2;
	cJSON *f = cJSON_Parse("{\"plate\":\"豫D10001\",\"decision\":\"release\"}");
	sqlite3 *db;
	sqlite3_stmt *st;
	gl_msg err;

	(void)state;
	path(p, sizeof p, "journal.db");
	j = journal_open(p, "T-test", &err);
	assert_non_null(j);
	assert_string_equal(journal_terminal(j), "T-test");
	assert_int_equal(journal_append(j, "transit", T("2022-05-10T09:00:00+08:00"), f, &e1, &err), 0);
	assert_int_equal(journal_append(j, "transit", T("2022-05-10T09:01:00+08:00"), f, &e2, &err), 0);
	assert_int_equal(e1.seq, 1);
	assert_int_equal(e2.seq, 2);
	assert_string_equal(e2.prev_hash, e1.hash);
	assert_string_not_equal(e1.uuid, e2.uuid);
	assert_int_equal(e1.uuid[14], '7');	/* UUID version 7 */
	assert_int_equal(journal_pending(j), 2);
	assert_int_equal(journal_verify(j, &err), 0);
	journal_close(j);

	/* Durability settings as DESIGN.md §2 demands. */
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	/* Tampering with a stored body breaks the chain. */
	assert_int_equal(sqlite3_exec(db, "UPDATE record SET body = replace(body, 'release', 'hold') WHERE seq = 1",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(journal_open(p, "T-other", &err));
	assert_non_null(strstr(err.en, "T-test"));
	j = journal_open(p, NULL, &err);
	assert_non_null(j);
	assert_string_equal(journal_terminal(j), "T-test");
	assert_int_equal(journal_verify(j, &err), -1);
	assert_non_null(strstr(err.en, "record 1"));
	journal_close(j);
	cJSON_Delete(f);
}

static void journal_synchronous_full(void **state)
{
	char p[128];
	struct journal *j;
	gl_msg err;

	(void)state;
	path(p, sizeof p, "j2.db");
	j = journal_open(p, NULL, &err);
	assert_non_null(j);
	assert_true(strncmp(journal_terminal(j), "T-", 2) == 0);
	assert_int_equal(journal_synchronous(j), 2);	/* FULL */
	journal_close(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(import_and_lookup), cmocka_unit_test(bad_lines_change_nothing),
		cmocka_unit_test(signed_policy), cmocka_unit_test(lane_on_demo), cmocka_unit_test(enterprises_seen),
		cmocka_unit_test(wide_records), cmocka_unit_test(damaged_record_never_green),
		cmocka_unit_test(damaged_page_marks_cache),
		cmocka_unit_test(fresh_import_same_as_incremental),
		cmocka_unit_test(journal_chain), cmocka_unit_test(journal_synchronous_full),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
