/* cache.db read when damaged: a record whose hash or text is wrong, and a
 * damaged page, never give green, and mark the file for rebuilding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "storeutil.h"
#include "testdemo.h"
#include "demo.h"
#include "lane.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(damaged_record_never_green),
		cmocka_unit_test(damaged_page_marks_cache),
	};
	return cmocka_run_group_tests_name("cache_damaged_reads", tests, setup, teardown);
}
