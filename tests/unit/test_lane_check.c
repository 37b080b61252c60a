/* The lane check end to end on the demo data: every case's verdict, the
 * same bytes checked twice, queries that do not make one truck, alerts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "storeutil.h"
#include "testdemo.h"
#include "demo.h"
#include "facts.h"
#include "lane.h"

static struct cache *demo_cache(const char *name, int64_t at)
{
	char p[128];

	path(p, sizeof p, name);
	return test_demo_cache(p, at);
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
		int64_t now = T("2022-05-10T09:00:00+08:00");
		cJSON *alerts = cache_alerts(c, now, 1000), *a;
		int intercepts = 0, meltdowns = 0, after_meltdown = 0;
		int64_t last = INT64_MAX;
		cJSON_ArrayForEach(a, alerts) {
			if (strcmp(facts_str(a, "alert"), "intercept") == 0) {
				int64_t since = facts_time(a, "since");
				intercepts++;
				after_meltdown |= meltdowns > 0;
				assert_true(since <= last);	/* the newest first */
				assert_true(since <= now);	/* none from the future */
				last = since;
			} else if (strcmp(facts_str(a, "alert"), "meltdown") == 0) {
				meltdowns++;
			}
		}
		assert_true(intercepts >= 2);	/* 豫D10007's and 豫D10023's driver */
		assert_true(meltdowns >= 2);	/* E000006 off the whitelist, E000007 suspended */
		assert_false(after_meltdown);	/* meltdowns, which carry no time, after */
		assert_int_equal(cache_alerts_count(c, now), intercepts + meltdowns);
		assert_true(cache_alert_active(c, "E000007", now));
		assert_false(cache_alert_active(c, "E000001", now));
		cJSON_Delete(alerts);
		alerts = cache_alerts(c, now, 1);
		assert_int_equal(cJSON_GetArraySize(alerts), 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lane_on_demo),
	};
	return cmocka_run_group_tests_name("lane_check", tests, setup, teardown);
}
