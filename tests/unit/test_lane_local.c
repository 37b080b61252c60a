/* What this lane recorded itself counts at this lane (DESIGN.md §1): an
 * on-the-spot registration and a landing test logged here change the next
 * check here; and a tube labels one sample. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "testdemo.h"
#include "facts.h"
#include "journal.h"
#include "lane.h"

static char dir[64];
static struct cache *cache;
static struct policy *pol;
static struct journal *jr;

#define DATA_AT "2022-05-10T08:00:00+08:00"
#define NOW T("2022-05-10T09:00:00+08:00")

static int setup(void **state)
{
	char p[128];
	const char *src;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gl-local-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p, sizeof p, "%s/cache.db", dir);
	cache = test_demo_cache(p, T(DATA_AT));
	pol = lane_policy(cache, &src, NULL);
	return pol == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	policy_free(pol);
	cache_close(cache);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh journal for each test. */
static int fresh_journal(void **state)
{
	char p[128];
	static int n;

	(void)state;
	snprintf(p, sizeof p, "%s/journal-%d.db", dir, n++);
	jr = journal_open(p, "T-TEST", NULL);
	return jr == NULL ? -1 : 0;
}

static int close_journal(void **state)
{
	(void)state;
	journal_close(jr);
	jr = NULL;
	return 0;
}

/* Checks the queries at NOW, with the journal or without. */
static void check(struct lane_result *r, int with_journal, const char *q1, const char *q2)
{
	struct lane_ctx ctx = { NOW, "PDS-01", NULL, 0, 0, "豫", with_journal ? jr : NULL };
	const char *q[] = { q1, q2 };
	gl_msg err;

	if (lane_check(cache, pol, &ctx, q, q2 != NULL ? 2 : 1, r, &err) != LANE_OK)
		fail_msg("%s: %s", q1, err.en);
}

/* Journals a record of kind about plate with crew id (either may be NULL). */
static void record(const char *kind, int64_t at, const char *plate, const char *id, const char *tube)
{
	cJSON *f = cJSON_CreateObject(), *crew = cJSON_AddArrayToObject(f, "crew");
	struct journal_entry e;
	gl_msg err;

	if (plate != NULL)
		cJSON_AddStringToObject(f, "plate", plate);
	if (id != NULL)
		cJSON_AddItemToArray(crew, cJSON_CreateString(id));
	if (strcmp(kind, "registration") == 0) {
		cJSON_AddStringToObject(f, "origin_region", "410102");
		cJSON_AddStringToObject(f, "dest_region", "410402");
		cJSON_AddStringToObject(f, "reception_point", "1号卸货区");
	}
	if (tube != NULL)
		cJSON_AddStringToObject(f, "tube", tube);
	if (journal_append(jr, kind, at, f, &e, &err) != 0)
		fail_msg("append %s: %s", kind, err.en);
	cJSON_Delete(f);
}

/* The first crew member's ID number of a check (a copy). */
static void first_crew(const struct lane_result *r, char out[IDNO_MAX])
{
	const char *id = facts_str(cJSON_GetArrayItem(r->crew, 0), "id_no");

	assert_non_null(id);
	snprintf(out, IDNO_MAX, "%s", id);
}

static void registration_registers_the_trip(void **state)
{
	struct lane_result r;

	(void)state;
	check(&r, 1, "豫D10005", NULL);
	assert_true(verdict_has(&r.verdict, "NOT_REGISTERED"));
	lane_result_free(&r);
	/* A day and a second ago: this arrival's registration it is not. */
	record("registration", NOW - 86401, "豫D10005", NULL, NULL);
	record("registration", NOW - 60, "豫D10006", NULL, NULL);	/* another truck's */
	check(&r, 1, "豫D10005", NULL);
	assert_true(verdict_has(&r.verdict, "NOT_REGISTERED"));
	lane_result_free(&r);

	record("registration", NOW - 60, "豫D10005", NULL, NULL);
	check(&r, 1, "豫D10005", NULL);
	assert_false(verdict_has(&r.verdict, "NOT_REGISTERED"));
	assert_string_equal(level_name(r.verdict.level), "green");
	/* The centre's trip, registered here: shown as such. */
	assert_string_equal(facts_str(r.trip, "id"), "T000000005");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.trip, "registered")));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(r.trip, "registered_here"));
	lane_result_free(&r);
	/* verify without this lane's journal (another lane) still says so. */
	check(&r, 0, "豫D10005", NULL);
	assert_true(verdict_has(&r.verdict, "NOT_REGISTERED"));
	lane_result_free(&r);
}

/* No current trip: the registration is the trip, and names the crew. */
static void registration_without_a_trip(void **state)
{
	struct lane_result r;
	char id[IDNO_MAX];

	(void)state;
	/* 豫D10017: no trip, its driver's itinerary shows risk. */
	check(&r, 1, "豫D10017", "410421196501020008");
	assert_true(verdict_has(&r.verdict, "NOT_REGISTERED"));
	assert_true(verdict_has(&r.verdict, "RISK_ORIGIN_NO_TRIP"));
	first_crew(&r, id);
	lane_result_free(&r);
	record("registration", NOW - 600, "豫D10017", id, NULL);
	check(&r, 1, "豫D10017", NULL);
	assert_false(verdict_has(&r.verdict, "NOT_REGISTERED"));
	assert_false(verdict_has(&r.verdict, "RISK_ORIGIN_NO_TRIP"));
	assert_false(verdict_has(&r.verdict, "CREW_UNKNOWN"));
	assert_true(verdict_has(&r.verdict, "TRANSIT_THROUGH_RISK"));
	assert_non_null(r.trip);
	assert_string_equal(facts_str(cJSON_GetObjectItemCaseSensitive(r.trip, "origin"), "region"), "410102");
	assert_non_null(strstr(facts_str(r.trip, "id"), "registration:"));
	lane_result_free(&r);
}

/* A trip the vehicle made after the registration ends what it registered. */
static void later_trip_supersedes(void **state)
{
	struct lane_result r;
	int64_t depart;

	(void)state;
	check(&r, 1, "豫D10016", NULL);		/* its latest trip has arrived */
	assert_true(verdict_has(&r.verdict, "TRIP_CLOSED"));
	depart = facts_time(cJSON_GetObjectItemCaseSensitive(r.facts, "trip"), "depart_at");
	assert_true(depart == FACTS_NO_TIME);	/* no current trip */
	lane_result_free(&r);
	record("registration", T(DATA_AT) - 86400 + 60, "豫D10016", NULL, NULL);
	check(&r, 1, "豫D10016", NULL);
	assert_true(verdict_has(&r.verdict, "TRIP_CLOSED"));
	assert_true(verdict_has(&r.verdict, "NOT_REGISTERED"));
	lane_result_free(&r);
	record("registration", NOW - 60, "豫D10016", NULL, NULL);
	check(&r, 1, "豫D10016", NULL);
	assert_false(verdict_has(&r.verdict, "TRIP_CLOSED"));
	assert_false(verdict_has(&r.verdict, "NOT_REGISTERED"));
	lane_result_free(&r);
}

static void landing_test_done_here(void **state)
{
	struct lane_result r;
	char id[IDNO_MAX];

	(void)state;
	check(&r, 1, "豫D10024", NULL);
	assert_true(verdict_has(&r.verdict, "LANDING_TEST_DUE"));
	first_crew(&r, id);
	lane_result_free(&r);
	record("landing_test", NOW - 8 * 86400, "豫D10024", id, "LT-OLD1");	/* beyond the look-back */
	record("landing_test", NOW - 60, "豫D10099", "410402196501010003", "LT-0002");	/* someone else */
	check(&r, 1, "豫D10024", NULL);
	assert_true(verdict_has(&r.verdict, "LANDING_TEST_DUE"));
	lane_result_free(&r);
	record("landing_test", NOW - 60, "豫D10024", id, "LT-0003");
	check(&r, 1, "豫D10024", NULL);
	assert_false(verdict_has(&r.verdict, "LANDING_TEST_DUE"));
	assert_true(verdict_has(&r.verdict, "LANDING_TEST_DONE"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(r.crew, 0), "landing_test_here"));
	lane_result_free(&r);
	/* The same driver scanned at another truck: still done. */
	check(&r, 1, id, NULL);
	assert_true(verdict_has(&r.verdict, "LANDING_TEST_DONE"));
	lane_result_free(&r);
}

/* A tube labels one sample: the second use is refused with the first. */
static void tube_used_once(void **state)
{
	struct lane_result r;
	struct lane_decision d;
	struct journal_entry e;
	struct journal_hit hit;
	gl_msg err;
	cJSON *f = cJSON_CreateObject();

	(void)state;
	check(&r, 1, "豫D10003", NULL);
	memset(&d, 0, sizeof d);
	d.decision = DECIDE_SAMPLE;
	d.at = NOW;
	d.tube = " pds-0001 ";
	d.checkpoint_id = "PDS-01";
	d.first_scan_at = NOW - 95;
	assert_int_equal(lane_log(jr, &r, &d, &e, &err), 0);
	assert_int_equal(journal_find_tube(jr, "PDS-0001", &hit, &err), 1);
	assert_int_equal(hit.seq, e.seq);
	assert_string_equal(hit.plate, "豫D10003");
	assert_int_equal(journal_find_tube(jr, "PDS-0002", &hit, &err), 0);
	d.tube = "PDS-0001";
	glmsg_clear(&err);
	assert_int_equal(lane_log(jr, &r, &d, &e, &err), -3);
	assert_non_null(strstr(err.en, "#1"));
	assert_non_null(strstr(err.en, "豫D10003"));
	/* A landing test with that tube too; and a tube that is an ID number. */
	cJSON_AddStringToObject(f, "tube", "Pds-0001");
	assert_int_equal(journal_append(jr, "landing_test", NOW, f, &e, &err), JOURNAL_TUBE_USED);
	d.tube = "410402196501010003";
	assert_int_equal(lane_log(jr, &r, &d, &e, &err), -3);
	assert_non_null(strstr(err.en, "ID number"));
	assert_int_equal(journal_pending(jr), 1);
	cJSON_Delete(f);
	lane_result_free(&r);
}

/* The journal records when the truck's first scan came, and its plate. */
static void first_scan_recorded(void **state)
{
	struct lane_result r;
	struct lane_decision d;
	struct journal_entry e;
	gl_msg err;
	cJSON *body;

	(void)state;
	check(&r, 1, "藏Z99999", NULL);	/* not in the data */
	memset(&d, 0, sizeof d);
	d.decision = DECIDE_HOLD;
	d.at = NOW;
	d.checkpoint_id = "PDS-01";
	d.first_scan_at = NOW - 95;
	assert_int_equal(lane_log(jr, &r, &d, &e, &err), 0);
	body = journal_find(jr, "transit", 0, "plate", "藏Z99999", &err);
	assert_non_null(body);
	assert_int_equal(facts_time(body, "first_scan_at"), NOW - 95);
	assert_string_equal(facts_str(body, "verdict"), "check");
	cJSON_Delete(body);
	lane_result_free(&r);
}

/* The look-ups a check and a tube make are answered by an index, not by
 * reading every record the lane ever made. */
static void indexed(void **state)
{
	static const char *const q[] = {
		"SELECT body FROM record WHERE kind = 'registration' AND at >= 0 AND EXISTS"
		" (SELECT 1 FROM json_each(body, '$.' || 'plate') WHERE value = 'x') ORDER BY at DESC, seq DESC LIMIT 1",
		"SELECT seq FROM record WHERE upper(json_extract(body, '$.tube')) = upper('x') ORDER BY seq LIMIT 1",
	};
	char p[128];
	sqlite3 *db;

	(void)state;
	snprintf(p, sizeof p, "%s/journal-0.db", dir);
	assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		char sql[512];
		sqlite3_stmt *st;
		int indexed = 0;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", q[i]);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(st, 3);
			if (strstr(detail, "USING INDEX record_kind_at") || strstr(detail, "USING INDEX record_tube"))
				indexed = 1;
			if (strncmp(detail, "SCAN record", 11) == 0)
				fail_msg("%s: %s", q[i], detail);
		}
		sqlite3_finalize(st);
		assert_true(indexed);
	}
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(registration_registers_the_trip, fresh_journal, close_journal),
		cmocka_unit_test_setup_teardown(registration_without_a_trip, fresh_journal, close_journal),
		cmocka_unit_test_setup_teardown(later_trip_supersedes, fresh_journal, close_journal),
		cmocka_unit_test_setup_teardown(landing_test_done_here, fresh_journal, close_journal),
		cmocka_unit_test_setup_teardown(tube_used_once, fresh_journal, close_journal),
		cmocka_unit_test_setup_teardown(first_scan_recorded, fresh_journal, close_journal),
		cmocka_unit_test(indexed),
	};
	return cmocka_run_group_tests_name("lane_local", tests, setup, teardown);
}
