/* cache.db: importing NDJSON (records filed under their home, bad lines
 * changing nothing, a policy taken only when signed, a fresh import the same
 * as one step at a time) and reading it back. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "storeutil.h"
#include "testdemo.h"
#include "arena.h"
#include "demo.h"
#include "facts.h"
#include "lane.h"

#define ALL_ROWS "SELECT group_concat(r, char(10)) FROM (SELECT home || '|' || kind || '|' || key || '|' || data AS r" \
	" FROM rec UNION ALL SELECT 'small|' || kind || '|' || key || '|' || data FROM small ORDER BY 1)"

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
/* The alerts list follows every change, whoever makes it: an enterprise
 * suspended and restored, an intercept cleared and deleted, a row changed by
 * hand. */
static void alerts_follow_changes(void **state)
{
	char pth[128];
	struct cache *c;
	struct cache_stats st;
	gl_msg err;
	const int64_t now = 1652144400;	/* 2022-05-10T09:00:00+08:00 */

	(void)state;
	path(pth, sizeof pth, "alerts.db");
	c = cache_open(pth, 1, &err);
	assert_non_null(c);
	assert_int_equal(import(c, E1 I1 TR, &st, &err), 0);
	assert_int_equal(cache_alerts_count(c, now), 1);	/* the intercept */
	assert_int_equal(import(c, "{\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E1\",\"data\":{\"id\":\"E1\","
			      "\"status\":\"suspended\"}}\n", &st, &err), 0);
	assert_int_equal(cache_alerts_count(c, now), 2);
	assert_true(cache_alert_active(c, "E1", now));
	assert_int_equal(import(c, "{\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E1\",\"data\":{\"id\":\"E1\","
			      "\"status\":\"active\",\"whitelisted\":true}}\n", &st, &err), 0);
	assert_false(cache_alert_active(c, "E1", now));
	assert_int_equal(import(c, "{\"kind\":\"intercept\",\"op\":\"put\",\"key\":\"I1\",\"data\":{\"id\":\"I1\","
			      "\"target\":\"id_no\",\"value\":\"11010519491231002X\",\"cleared\":true}}\n", &st, &err), 0);
	assert_int_equal(cache_alerts_count(c, now), 0);	/* cleared */
	assert_int_equal(import(c, "{\"kind\":\"intercept\",\"op\":\"put\",\"key\":\"I2\",\"data\":{\"id\":\"I2\","
			      "\"target\":\"plate\",\"value\":\"豫D12345\",\"since\":\"2022-05-11T00:00:00+08:00\"}}\n",
			      &st, &err), 0);
	assert_int_equal(cache_alerts_count(c, now), 0);	/* not yet */
	assert_int_equal(cache_alerts_count(c, now + 86400), 1);
	assert_int_equal(import(c, "{\"kind\":\"intercept\",\"op\":\"del\",\"key\":\"I2\"}\n", &st, &err), 0);
	assert_int_equal(cache_alerts_count(c, now + 86400), 0);
	cache_close(c);
	/* By hand: the list is kept by the file itself. */
	free(sql_text(pth, "UPDATE small SET data = '{\"id\":\"E1\",\"whitelisted\":false}' WHERE kind = 0 AND key = 'E1'"));
	c = cache_open(pth, 0, &err);
	assert_non_null(c);
	assert_true(cache_alert_active(c, "E1", now));
	cache_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(import_and_lookup),
		cmocka_unit_test(bad_lines_change_nothing),
		cmocka_unit_test(signed_policy),
		cmocka_unit_test(wide_records),
		cmocka_unit_test(enterprises_seen),
		cmocka_unit_test(fresh_import_same_as_incremental),
		cmocka_unit_test(alerts_follow_changes),
	};
	return cmocka_run_group_tests_name("cache_import", tests, setup, teardown);
}
