/* The default policy, scenario by scenario: facts in, verdict and reason
 * codes out.  Each scenario is a JSON merge patch (RFC 7386) on one base
 * world in which a registered, whitelisted truck with a healthy driver gets
 * the green channel at checkpoint PDS-01, inbound, at NOW. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "assets.h"
#include "decision.h"
#include "facts.h"
#include "policy.h"

#define NOW "2022-05-10T09:00:00+08:00"

static const char *base_world =
"{\"ctx\":{\"checkpoint\":\"PDS-01\",\"region\":\"410411\",\"outbound\":false,\"cache_age_s\":600,"
"  \"vehicle_named\":true,\"queried_plate\":\"豫D10001\"},"
" \"vehicle\":{\"plate\":\"豫D10001\",\"enterprise_id\":\"E1\",\"relation\":\"own\",\"type\":\"重型厢式货车\"},"
" \"enterprise\":{\"id\":\"E1\",\"name\":\"平顶山市鹰城物流有限公司\",\"sector\":\"transport\",\"region\":\"410411\","
"  \"whitelisted\":true,\"status\":\"active\"},"
" \"pass\":{\"pass_no\":\"410402000001\",\"plate\":\"豫D10001\",\"enterprise_id\":\"E1\",\"origin_region\":\"410102\","
"  \"dest_region\":\"410402\",\"valid_from\":\"2022-05-01T00:00:00+08:00\",\"valid_to\":\"2022-06-01T00:00:00+08:00\","
"  \"revoked\":false},"
" \"trip\":{\"id\":\"T1\",\"plate\":\"豫D10001\",\"crew\":[\"410402199001010011\"],"
"  \"origin\":{\"region\":\"410102\",\"place\":\"郑州市中原区\"},"
"  \"destination\":{\"region\":\"410402\",\"enterprise_id\":\"E1\",\"reception_point\":\"1号卸货区\"},"
"  \"via\":[],\"route\":[\"PDS-01\"],\"depart_at\":\"2022-05-10T05:00:00+08:00\","
"  \"eta\":\"2022-05-10T11:00:00+08:00\",\"status\":\"en_route\",\"registered\":true},"
" \"driver\":{\"id_no\":\"410402199001010011\",\"name\":\"张伟\",\"transport_whitelist\":true,"
"  \"health_code\":\"green\",\"itinerary\":\"normal\",\"nat_at\":\"2022-05-09T23:00:00+08:00\","
"  \"nat_result\":\"negative\",\"status\":\"none\",\"landing_test_at\":\"2022-05-10T06:00:00+08:00\"},"
" \"driver2\":{\"id_no\":\"410403199202020022\",\"name\":\"李强\",\"transport_whitelist\":true,"
"  \"health_code\":\"green\",\"itinerary\":\"normal\",\"nat_at\":\"2022-05-09T23:00:00+08:00\","
"  \"nat_result\":\"negative\",\"status\":\"none\",\"landing_test_at\":\"2022-05-10T06:00:00+08:00\"},"
" \"intercepts\":[],"
" \"risk_areas\":[{\"region\":\"420102\",\"level\":\"high\",\"since\":\"2022-05-01T00:00:00+08:00\"},"
"  {\"region\":\"410300\",\"level\":\"medium\",\"since\":\"2022-05-08T00:00:00+08:00\"},"
"  {\"region\":\"130102\",\"level\":\"medium\",\"since\":\"2022-04-01T00:00:00+08:00\","
"   \"until\":\"2022-05-01T00:00:00+08:00\"}]}";

struct scenario {
	const char *name;
	const char *patch;
	const char *verdict;
	const char *must;	/* space-separated codes that must be among the reasons */
	const char *never;	/* codes that must not be */
};

#define A "410402199001010011"
#define B "410403199202020022"

static const struct scenario scenarios[] = {
	{ "baseline green", "{}", "green", "LANDING_TEST_DONE", "PASS_MISSING NAT_MISSING CACHE_AGING" },
	{ "no pass", "{\"pass\":null}", "pass", "PASS_MISSING", "PASS_EXPIRED" },
	{ "pass expired", "{\"pass\":{\"valid_to\":\"2022-05-09T00:00:00+08:00\"}}", "pass", "PASS_EXPIRED", NULL },
	{ "pass not yet valid", "{\"pass\":{\"valid_from\":\"2022-05-11T00:00:00+08:00\"}}", "pass", "PASS_EXPIRED", NULL },
	{ "pass revoked", "{\"pass\":{\"revoked\":true}}", "check", "PASS_REVOKED", NULL },
	{ "token verifies", "{\"token\":{\"status\":\"ok\"}}", "green", NULL, "PASS_FORGED" },
	{ "forged token holds", "{\"token\":{\"status\":\"bad\"}}", "hold", "PASS_FORGED", NULL },
	{ "token with unknown key holds", "{\"token\":{\"status\":\"unknown\"}}", "hold", "PASS_FORGED", NULL },
	{ "token for another plate holds", "{\"token\":{\"status\":\"ok\",\"plate\":\"豫D20002\"}}", "hold",
	  "PASS_PLATE_MISMATCH", NULL },
	{ "pass number of another truck holds", "{\"pass\":{\"plate\":\"豫D20002\"}}", "hold", "PASS_PLATE_MISMATCH", NULL },
	{ "scanned pass alone names the truck", "{\"token\":{\"status\":\"ok\"},\"ctx\":{\"queried_plate\":null}}",
	  "green", NULL, "PASS_PLATE_MISMATCH" },
	{ "enterprise not whitelisted", "{\"enterprise\":{\"whitelisted\":false}}", "pass", "ENTERPRISE_SUSPENDED", NULL },
	{ "an enterprise missing from the data is not whitelisted", "{\"enterprise\":null}", "pass",
	  "ENTERPRISE_SUSPENDED", NULL },
	{ "no vehicle: no enterprise to miss", "{\"vehicle\":null,\"enterprise\":null,\"pass\":null,\"trip\":null,"
	  "\"ctx\":{\"queried_plate\":\"豫D99999\"}}", "check", "UNKNOWN_VEHICLE", "ENTERPRISE_SUSPENDED" },
	{ "meltdown takes the green channel", "{\"enterprise\":{\"status\":\"suspended\"}}", "pass",
	  "ENTERPRISE_SUSPENDED", NULL },
	{ "expired test means sample, not hold", "{\"driver\":{\"nat_at\":\"2022-05-07T21:00:00+08:00\"}}", "sample",
	  "NAT_EXPIRED", "NAT_MISSING POSITIVE_OR_CONTACT" },
	{ "test exactly 48 h old still counts", "{\"driver\":{\"nat_at\":\"2022-05-08T09:00:00+08:00\"}}", "green",
	  NULL, "NAT_EXPIRED" },
	{ "test 48 h and a second old", "{\"driver\":{\"nat_at\":\"2022-05-08T08:59:59+08:00\"}}", "sample",
	  "NAT_EXPIRED", NULL },
	{ "pending test", "{\"driver\":{\"nat_result\":\"pending\"}}", "sample", "NAT_MISSING", "NAT_EXPIRED" },
	{ "no test at all", "{\"driver\":{\"nat_result\":null,\"nat_at\":null}}", "sample", "NAT_MISSING", NULL },
	{ "negative without a time", "{\"driver\":{\"nat_at\":null}}", "sample", "NAT_MISSING", NULL },
	{ "positive test holds", "{\"driver\":{\"nat_result\":\"positive\"}}", "hold",
	  "POSITIVE_OR_CONTACT NAT_MISSING", NULL },
	{ "close contact holds", "{\"driver\":{\"status\":\"close_contact\"}}", "hold", "POSITIVE_OR_CONTACT", NULL },
	{ "secondary contact holds", "{\"driver\":{\"status\":\"secondary_contact\"}}", "hold", "POSITIVE_OR_CONTACT", NULL },
	{ "positive status holds", "{\"driver\":{\"status\":\"positive\"}}", "hold", "POSITIVE_OR_CONTACT", NULL },
	{ "red code outside the whitelist holds", "{\"driver\":{\"health_code\":\"red\",\"transport_whitelist\":false}}",
	  "hold", "HEALTH_CODE_RED", "WHITELIST_PROTECTED" },
	{ "yellow code outside the whitelist samples", "{\"driver\":{\"health_code\":\"yellow\",\"transport_whitelist\":false}}",
	  "sample", "HEALTH_CODE_YELLOW", "WHITELIST_PROTECTED" },
	{ "whitelist protects from yellow", "{\"driver\":{\"health_code\":\"yellow\"}}", "green", "WHITELIST_PROTECTED",
	  "HEALTH_CODE_YELLOW" },
	{ "whitelist protects from red", "{\"driver\":{\"health_code\":\"red\"}}", "green", "WHITELIST_PROTECTED",
	  "HEALTH_CODE_RED" },
	{ "whitelist yields to close contact", "{\"driver\":{\"health_code\":\"yellow\",\"status\":\"close_contact\"}}",
	  "hold", "POSITIVE_OR_CONTACT", "HEALTH_CODE_YELLOW" },
	{ "whitelist yields to a positive test", "{\"driver\":{\"health_code\":\"red\",\"nat_result\":\"positive\"}}",
	  "hold", "POSITIVE_OR_CONTACT", "HEALTH_CODE_RED" },
	{ "no protection from a suspended enterprise",
	  "{\"driver\":{\"health_code\":\"yellow\"},\"enterprise\":{\"status\":\"suspended\"}}", "sample",
	  "HEALTH_CODE_YELLOW ENTERPRISE_SUSPENDED", "WHITELIST_PROTECTED" },
	{ "no protection without a registered trip",
	  "{\"driver\":{\"health_code\":\"yellow\"},\"trip\":{\"registered\":false}}", "check",
	  "HEALTH_CODE_YELLOW NOT_REGISTERED", "WHITELIST_PROTECTED" },
	{ "no protection for someone not on the trip",
	  "{\"driver\":{\"health_code\":\"yellow\"},\"trip\":{\"crew\":[\"" B "\"]},\"ctx\":{\"crew_ids\":[\"" A "\"]}}",
	  "check", "HEALTH_CODE_YELLOW CREW_NOT_ON_TRIP", "WHITELIST_PROTECTED" },
	{ "a driver swap: the queried driver is not the trip's",
	  "{\"trip\":{\"crew\":[\"" B "\"]},\"ctx\":{\"crew_ids\":[\"" A "\"]}}", "check", "CREW_NOT_ON_TRIP", NULL },
	{ "the queried driver is the trip's", "{\"ctx\":{\"crew_ids\":[\"" A "\"]}}", "green", NULL,
	  "CREW_NOT_ON_TRIP" },
	{ "one of two queried is not on the trip", "{\"ctx\":{\"crew_ids\":[\"" A "\",\"" B "\"]}}", "check",
	  "CREW_NOT_ON_TRIP", NULL },
	{ "no current trip: no trip crew to compare", "{\"trip\":null,\"ctx\":{\"outbound\":true,\"crew_ids\":[\"" A "\"]}}",
	  "green", NULL, "CREW_NOT_ON_TRIP" },
	{ "passing through a risk area never restricts", "{\"trip\":{\"via\":[\"410302\",\"411002\"]}}", "green",
	  "TRANSIT_THROUGH_RISK", "RISK_ORIGIN_CLOSED_LOOP RISK_ORIGIN_NO_TRIP" },
	{ "a lifted risk area is not a risk", "{\"trip\":{\"via\":[\"130102\"]}}", "green", NULL, "TRANSIT_THROUGH_RISK" },
	{ "risk area not yet in force", "{\"risk_areas\":[{\"region\":\"410302\",\"level\":\"high\","
	  "\"since\":\"2022-05-11T00:00:00+08:00\"}],\"trip\":{\"via\":[\"410302\"]}}", "green", NULL,
	  "TRANSIT_THROUGH_RISK" },
	{ "risk origin on a closed-loop trip", "{\"trip\":{\"origin\":{\"region\":\"420102\"}}}", "pass",
	  "RISK_ORIGIN_CLOSED_LOOP", "RISK_ORIGIN_NO_TRIP" },
	{ "a risk area lifted before now, or with no valid region, covers nothing",
	  "{\"risk_areas\":[{\"region\":\"420102\",\"since\":\"2022-05-01T00:00:00+08:00\",\"until\":\"2022-05-10T09:00:00+08:00\"},"
	  "{\"region\":\"42010\"},{\"region\":\"990000\"},{\"since\":\"2022-05-01T00:00:00+08:00\"}],"
	  "\"trip\":{\"origin\":{\"region\":\"420102\"}}}", "green", NULL, "RISK_ORIGIN_CLOSED_LOOP" },
	{ "a risk area until a later time covers the origin",
	  "{\"risk_areas\":[{\"region\":\"420100\",\"until\":\"2022-05-10T10:00:01+08:00\"}],"
	  "\"trip\":{\"origin\":{\"region\":\"420102\"}}}", "pass", "RISK_ORIGIN_CLOSED_LOOP", NULL },
	{ "province-wide risk area covers the origin",
	  "{\"risk_areas\":[{\"region\":\"420000\",\"level\":\"high\",\"since\":\"2022-05-01T00:00:00+08:00\"}],"
	  "\"trip\":{\"origin\":{\"region\":\"420102\"}}}", "pass", "RISK_ORIGIN_CLOSED_LOOP", NULL },
	{ "risk itinerary from transit", "{\"driver\":{\"itinerary\":\"risk\"}}", "green", "TRANSIT_THROUGH_RISK",
	  "RISK_ORIGIN_NO_TRIP" },
	{ "risk itinerary without a trip", "{\"driver\":{\"itinerary\":\"risk\"},\"trip\":null,"
	  "\"ctx\":{\"crew_ids\":[\"" A "\"]}}", "check", "RISK_ORIGIN_NO_TRIP NOT_REGISTERED", "TRANSIT_THROUGH_RISK" },
	{ "inbound without a trip", "{\"trip\":null,\"ctx\":{\"crew_ids\":[\"" A "\"]}}", "check", "NOT_REGISTERED",
	  "TRIP_CLOSED" },
	{ "outbound needs no registration", "{\"trip\":null,\"ctx\":{\"outbound\":true,\"crew_ids\":[\"" A "\"]}}",
	  "green", NULL, "NOT_REGISTERED LANDING_TEST_DONE LANDING_TEST_DUE" },
	{ "unregistered trip", "{\"trip\":{\"registered\":false}}", "check", "NOT_REGISTERED", NULL },
	{ "planned trip is current", "{\"trip\":{\"status\":\"planned\"}}", "green", NULL, "NOT_REGISTERED" },
	{ "latest trip arrived", "{\"trip\":{\"status\":\"arrived\"}}", "check", "TRIP_CLOSED NOT_REGISTERED", NULL },
	{ "latest trip closed, outbound", "{\"trip\":{\"status\":\"closed\"},\"ctx\":{\"outbound\":true,"
	  "\"crew_ids\":[\"" A "\"]}}", "green", NULL, "TRIP_CLOSED" },
	{ "route deviation", "{\"trip\":{\"route\":[\"PDS-03\",\"PDS-04\"]}}", "check", "ROUTE_DEVIATION", NULL },
	{ "route deviation outbound too", "{\"trip\":{\"route\":[\"PDS-03\"]},\"ctx\":{\"outbound\":true}}", "check",
	  "ROUTE_DEVIATION", NULL },
	{ "no route given is no deviation", "{\"trip\":{\"route\":[]}}", "green", NULL, "ROUTE_DEVIATION" },
	{ "unknown vehicle", "{\"vehicle\":null,\"enterprise\":null,\"pass\":null,\"trip\":null,"
	  "\"ctx\":{\"queried_plate\":\"豫D99999\"}}", "check", "UNKNOWN_VEHICLE CREW_UNKNOWN", NULL },
	{ "unknown driver", "{\"trip\":{\"crew\":[\"" A "\",\"110105194912310021\"]}}", "check", "UNKNOWN_DRIVER", NULL },
	{ "no crew", "{\"trip\":{\"crew\":[]}}", "check", "CREW_UNKNOWN", NULL },
	{ "vehicle intercepted", "{\"intercepts\":[{\"id\":\"I1\",\"target\":\"plate\",\"value\":\"豫D10001\","
	  "\"since\":\"2022-05-09T00:00:00+08:00\",\"cleared\":false}]}", "hold", "INTERCEPT", NULL },
	{ "trailer intercepted", "{\"vehicle\":{\"trailer_plate\":\"豫D2001挂\"},\"intercepts\":[{\"id\":\"I1\","
	  "\"target\":\"plate\",\"value\":\"豫D2001挂\",\"cleared\":false}]}", "hold", "INTERCEPT", NULL },
	{ "driver intercepted", "{\"intercepts\":[{\"id\":\"I2\",\"target\":\"id_no\",\"value\":\"" A "\","
	  "\"cleared\":false}]}", "hold", "INTERCEPT", NULL },
	{ "cleared intercept", "{\"intercepts\":[{\"id\":\"I1\",\"target\":\"plate\",\"value\":\"豫D10001\","
	  "\"cleared\":true}]}", "green", NULL, "INTERCEPT" },
	{ "ageing cache warns", "{\"ctx\":{\"cache_age_s\":10800}}", "green", "CACHE_AGING", "CACHE_STALE" },
	{ "cache exactly at the limit", "{\"ctx\":{\"cache_age_s\":86400}}", "green", "CACHE_AGING", "CACHE_STALE" },
	{ "a stale cache never gives green", "{\"ctx\":{\"cache_age_s\":86401}}", "check", "CACHE_STALE", "CACHE_AGING" },
	{ "stale cache, hold still holds", "{\"ctx\":{\"cache_age_s\":200000},\"driver\":{\"status\":\"close_contact\"}}",
	  "hold", "CACHE_STALE POSITIVE_OR_CONTACT", NULL },
	{ "landing test due", "{\"driver\":{\"landing_test_at\":null}}", "green", "LANDING_TEST_DUE", "LANDING_TEST_DONE" },
	{ "landing test too old", "{\"driver\":{\"landing_test_at\":\"2022-05-09T08:00:00+08:00\"}}", "green",
	  "LANDING_TEST_DUE", NULL },
	{ "two crew, the second red", "{\"trip\":{\"crew\":[\"" A "\",\"" B "\"]},\"driver2\":{\"health_code\":\"red\","
	  "\"transport_whitelist\":false}}", "hold", "HEALTH_CODE_RED", NULL },
	{ "worst level wins", "{\"pass\":null,\"driver\":{\"nat_result\":\"pending\"},\"trip\":{\"registered\":false}}",
	  "check", "PASS_MISSING NAT_MISSING NOT_REGISTERED", NULL },
};

static void merge(cJSON *target, const cJSON *patch)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, patch) {
		cJSON *t = cJSON_GetObjectItemCaseSensitive(target, p->string);
		if (cJSON_IsObject(p) && cJSON_IsObject(t)) {
			merge(t, p);
			continue;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
		if (!cJSON_IsNull(p))
			cJSON_AddItemToObject(target, p->string, cJSON_Duplicate(p, 1));
	}
}

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static struct policy *default_policy(void)
{
	const struct asset *a = assets_get("assets/policy/default.json");
	gl_msg err;
	struct policy *p;

	assert_non_null(a);
	p = policy_load(a->data, a->size, &err);
	if (p == NULL)
		fail_msg("default policy: %s", err.en);
	return p;
}

/* Builds facts from a world and evaluates. */
static void evaluate(const struct policy *pol, const cJSON *w, struct verdict *v)
{
	const cJSON *ctx = get(w, "ctx"), *trip = get(w, "trip"), *tok = get(w, "token"), *ids, *id;
	cJSON *trips = cJSON_CreateArray();
	struct facts_input in;
	struct facts_crew crew[8];
	struct pass_claims claims;
	struct arena *a = arena_new();
	struct facts_area *areas;
	long nareas;
	cJSON *facts;

	memset(&in, 0, sizeof in);
	in.now = T(NOW);
	in.checkpoint_id = facts_str(ctx, "checkpoint");
	in.checkpoint_region = facts_str(ctx, "region");
	in.outbound = cJSON_IsTrue(get(ctx, "outbound"));
	in.cache_age_s = (int64_t)cJSON_GetNumberValue(get(ctx, "cache_age_s"));
	in.vehicle_named = cJSON_IsTrue(get(ctx, "vehicle_named"));
	in.queried_plate = facts_str(ctx, "queried_plate");
	in.vehicle = get(w, "vehicle");
	in.enterprise = get(w, "enterprise");
	in.pass = get(w, "pass");
	if (trip != NULL)
		cJSON_AddItemReferenceToArray(trips, (cJSON *)trip);
	in.trips = trips;
	if (tok != NULL) {
		const char *st = facts_str(tok, "status");
		memset(&claims, 0, sizeof claims);
		snprintf(claims.pass_no, sizeof claims.pass_no, "%s", "410402000001");
		snprintf(claims.plate, sizeof claims.plate, "%s",
			 facts_str(tok, "plate") ? facts_str(tok, "plate") : "豫D10001");
		snprintf(claims.origin_region, sizeof claims.origin_region, "410102");
		snprintf(claims.dest_region, sizeof claims.dest_region, "410402");
		claims.valid_from = T("2022-05-01T00:00:00+08:00");
		claims.valid_to = T("2022-06-01T00:00:00+08:00");
		in.token = &claims;
		in.token_status = strcmp(st, "ok") == 0 ? JWS_OK : strcmp(st, "bad") == 0 ? JWS_BAD_SIGNATURE
											  : JWS_UNKNOWN_KID;
	}
	ids = get(ctx, "crew_ids");
	if (ids == NULL)
		ids = get(trip, "crew");
	cJSON_ArrayForEach(id, ids) {
		const cJSON *d1 = get(w, "driver"), *d2 = get(w, "driver2");
		assert_true(in.ncrew < 8);
		crew[in.ncrew].id_no = id->valuestring;
		crew[in.ncrew].driver = NULL;
		crew[in.ncrew].queried = get(ctx, "crew_ids") != NULL;
		if (d1 != NULL && strcmp(facts_str(d1, "id_no"), id->valuestring) == 0)
			crew[in.ncrew].driver = d1;
		if (d2 != NULL && strcmp(facts_str(d2, "id_no"), id->valuestring) == 0)
			crew[in.ncrew].driver = d2;
		in.ncrew++;
	}
	in.crew = crew;
	in.intercepts = get(w, "intercepts");
	nareas = facts_areas(get(w, "risk_areas"), &areas);
	assert_true(nareas >= 0);
	in.areas = areas;
	in.nareas = (size_t)nareas;
	facts = facts_build(&in, a);
	free(areas);
	assert_non_null(facts);
	assert_int_equal(policy_evaluate(pol, facts, v), 0);
	cJSON_Delete(trips);
	arena_free(a);
}

static void check_codes(const struct scenario *s, const struct verdict *v, const char *list, int want)
{
	char buf[256], *save = NULL;

	if (list == NULL)
		return;
	snprintf(buf, sizeof buf, "%s", list);
	for (char *c = strtok_r(buf, " ", &save); c != NULL; c = strtok_r(NULL, " ", &save))
		if (verdict_has(v, c) != want)
			fail_msg("%s: %s %s", s->name, c, want ? "missing" : "present but must not be");
}

static void scenario_table(void **state)
{
	struct policy *pol = default_policy();
	int n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
		const struct scenario *s = &scenarios[i];
		cJSON *w = cJSON_Parse(base_world), *patch = cJSON_Parse(s->patch);
		struct verdict v;
		if (w == NULL || patch == NULL)
			fail_msg("%s: bad JSON in the scenario", s->name);
		merge(w, patch);
		evaluate(pol, w, &v);
		if (strcmp(level_name(v.level), s->verdict) != 0) {
			char codes[512] = "";
			for (size_t k = 0; k < v.n; k++)
				snprintf(codes + strlen(codes), sizeof codes - strlen(codes), " %s", v.reasons[k].code);
			fail_msg("%s: verdict %s, want %s (reasons:%s)", s->name, level_name(v.level), s->verdict, codes);
		}
		check_codes(s, &v, s->must, 1);
		check_codes(s, &v, s->never, 0);
		verdict_free(&v);
		cJSON_Delete(w);
		cJSON_Delete(patch);
		n++;
	}
	assert_true(n >= 40);
	policy_free(pol);
}

/* Every reason code of DESIGN.md §1 is in the default policy, at its level. */
static void every_code(void **state)
{
	static const struct { const char *code, *level; } table[] = {
		{ "POSITIVE_OR_CONTACT", "hold" }, { "HEALTH_CODE_RED", "hold" }, { "INTERCEPT", "hold" },
		{ "PASS_FORGED", "hold" }, { "PASS_PLATE_MISMATCH", "hold" }, { "HEALTH_CODE_YELLOW", "sample" },
		{ "NAT_MISSING", "sample" }, { "NAT_EXPIRED", "sample" }, { "PASS_MISSING", "pass" },
		{ "PASS_EXPIRED", "pass" }, { "ENTERPRISE_SUSPENDED", "pass" }, { "NOT_REGISTERED", "check" },
		{ "ROUTE_DEVIATION", "check" }, { "TRIP_CLOSED", "check" }, { "UNKNOWN_VEHICLE", "check" },
		{ "UNKNOWN_DRIVER", "check" }, { "CACHE_STALE", "check" }, { "PASS_REVOKED", "check" },
		{ "RISK_ORIGIN_NO_TRIP", "check" }, { "TRANSIT_THROUGH_RISK", "info" },
		{ "WHITELIST_PROTECTED", "info" }, { "LANDING_TEST_DUE", "info" }, { "LANDING_TEST_DONE", "info" },
		{ "CACHE_AGING", "info" }, { "RISK_ORIGIN_CLOSED_LOOP", "pass" }, { "CREW_UNKNOWN", "check" },
		{ "CREW_NOT_ON_TRIP", "check" },
	};
	const struct asset *a = assets_get("assets/policy/default.json");
	cJSON *doc = cJSON_Parse(a->data);
	const cJSON *r;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		int found = 0;
		cJSON_ArrayForEach(r, get(doc, "rules")) {
			const cJSON *reason = get(r, "reason");
			if (strcmp(facts_str(reason, "code"), table[i].code) != 0)
				continue;
			found = 1;
			assert_string_equal(facts_str(r, "level"), table[i].level);
			assert_non_null(facts_str(reason, "zh"));
			assert_non_null(facts_str(reason, "en"));
		}
		if (!found)
			fail_msg("no rule gives %s", table[i].code);
	}
	cJSON_Delete(doc);
}

/* Parameters are data: a longer test window changes the verdict. */
static void params_are_data(void **state)
{
	const struct asset *a = assets_get("assets/policy/default.json");
	cJSON *doc = cJSON_Parse(a->data), *w = cJSON_Parse(base_world), *patch;
	struct policy *p;
	struct verdict v;
	char *text;

	(void)state;
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "params"), "nat_valid_hours", cJSON_CreateNumber(72));
	text = cJSON_PrintUnformatted(doc);
	p = policy_load(text, strlen(text), NULL);
	assert_non_null(p);
	assert_true(policy_param(p, "nat_valid_hours", 0) == 72);
	patch = cJSON_Parse("{\"driver\":{\"nat_at\":\"2022-05-07T21:00:00+08:00\"}}");
	merge(w, patch);
	evaluate(p, w, &v);
	assert_string_equal(level_name(v.level), "green");
	/* A held policy outlives its loader's reference: a verdict still on
	 * screen keeps its reasons' texts (ASan checks the last free). */
	assert_ptr_equal(policy_hold(p), p);
	policy_free(p);
	assert_string_equal(policy_id(p), "pds-default");
	assert_true(policy_param(p, "nat_valid_hours", 0) == 72);
	verdict_free(&v);
	policy_free(p);
	cJSON_free(text);
	cJSON_Delete(doc);
	cJSON_Delete(w);
	cJSON_Delete(patch);
}

/* A broken policy is refused whole, with a reason. */
static void broken_policies(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{\"id\":\"x\"}",
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{},\"green_requires\":true,\"rules\":[]}",
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{},\"green_requires\":true,\"rules\":[{\"id\":\"a\","
		"\"level\":\"severe\",\"when\":true,\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}}]}",
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{},\"green_requires\":true,\"rules\":[{\"id\":\"a\","
		"\"level\":\"hold\",\"when\":{\"bogus\":1},\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}}]}",
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{},\"green_requires\":true,\"rules\":[{\"id\":\"a\","
		"\"level\":\"hold\",\"when\":true,\"reason\":{\"code\":\"X\"}}]}",
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{},\"green_requires\":true,\"rules\":[{\"id\":\"a\","
		"\"level\":\"hold\",\"when\":true,\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}},{\"id\":\"a\","
		"\"level\":\"hold\",\"when\":true,\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}}]}",
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{},\"green_requires\":{\"def\":\"nope\"},\"rules\":[{\"id\":\"a\","
		"\"level\":\"hold\",\"when\":true,\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}}]}",
		/* a parameter named twice (I-JSON) */
		"{\"id\":\"x\",\"version\":\"1\",\"params\":{\"nat_valid_hours\":48,\"nat_valid_hours\":480},"
		"\"green_requires\":true,\"rules\":[{\"id\":\"a\",\"level\":\"hold\",\"when\":true,"
		"\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}}]}",
	};
	gl_msg err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		glmsg_clear(&err);
		if (policy_load(bad[i], strlen(bad[i]), &err) != NULL)
			fail_msg("accepted policy %zu", i);
		assert_true(err.en[0] != '\0');
	}
}

/* Reasons come most severe first and carry the crew member they concern. */
static void reason_order_and_subject(void **state)
{
	struct policy *pol = default_policy();
	cJSON *w = cJSON_Parse(base_world);
	cJSON *patch = cJSON_Parse("{\"pass\":null,\"driver\":{\"status\":\"close_contact\"}}");
	struct verdict v;

	(void)state;
	merge(w, patch);
	evaluate(pol, w, &v);
	assert_true(v.n >= 2);
	assert_string_equal(v.reasons[0].code, "POSITIVE_OR_CONTACT");
	assert_string_equal(v.reasons[0].subject, A);
	for (size_t i = 1; i < v.n; i++)
		assert_true(v.reasons[i - 1].level >= v.reasons[i].level);
	verdict_free(&v);
	cJSON_Delete(w);
	cJSON_Delete(patch);
	policy_free(pol);
}

/* A reason added outside the policy worsens the verdict and keeps the
 * order; it never improves one. */
static void added_reason(void **state)
{
	struct policy *pol = default_policy();
	cJSON *w = cJSON_Parse(base_world);
	cJSON *patch = cJSON_Parse("{\"driver\":{\"status\":\"close_contact\"}}");
	struct verdict v;

	(void)state;
	evaluate(pol, w, &v);
	assert_int_equal(v.level, LEVEL_GREEN);
	assert_int_equal(verdict_add(&v, "DATA_DAMAGED", LEVEL_CHECK, "zh", "en", "lane"), 0);
	assert_int_equal(v.level, LEVEL_CHECK);
	assert_string_equal(v.reasons[0].code, "DATA_DAMAGED");
	for (size_t i = 1; i < v.n; i++)
		assert_true(v.reasons[i - 1].level >= v.reasons[i].level);
	verdict_free(&v);
	merge(w, patch);
	evaluate(pol, w, &v);
	assert_int_equal(verdict_add(&v, "DATA_DAMAGED", LEVEL_CHECK, "zh", "en", "lane"), 0);
	assert_int_equal(v.level, LEVEL_HOLD);
	assert_string_equal(v.reasons[0].code, "POSITIVE_OR_CONTACT");
	assert_true(verdict_has(&v, "DATA_DAMAGED"));
	verdict_free(&v);
	cJSON_Delete(w);
	cJSON_Delete(patch);
	policy_free(pol);
}

/* Which decisions override which verdicts. */
static void decisions(void **state)
{
	enum decision d;

	(void)state;
	assert_int_equal(decision_default(LEVEL_GREEN, &d), 0);
	assert_int_equal(d, DECIDE_RELEASE);
	assert_int_equal(decision_default(LEVEL_SAMPLE, &d), 0);
	assert_int_equal(d, DECIDE_SAMPLE);
	assert_int_equal(decision_default(LEVEL_HOLD, &d), 0);
	assert_int_equal(d, DECIDE_HOLD);
	assert_int_equal(decision_default(LEVEL_CHECK, &d), -1);
	assert_false(decision_overrides(LEVEL_GREEN, DECIDE_RELEASE));
	assert_false(decision_overrides(LEVEL_PASS, DECIDE_RELEASE));
	assert_true(decision_overrides(LEVEL_SAMPLE, DECIDE_RELEASE));
	assert_true(decision_overrides(LEVEL_HOLD, DECIDE_SAMPLE));
	assert_false(decision_overrides(LEVEL_HOLD, DECIDE_DIVERT));
	assert_true(decision_overrides(LEVEL_GREEN, DECIDE_HOLD));
	for (int i = DECIDE_RELEASE; i <= DECIDE_DIVERT; i++)
		assert_false(decision_overrides(LEVEL_CHECK, (enum decision)i));
	assert_int_equal(decision_parse("divert", &d), 0);
	assert_int_equal(d, DECIDE_DIVERT);
	assert_int_equal(decision_parse("let go", &d), -1);
	assert_int_equal(decision_parse(NULL, &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenario_table), cmocka_unit_test(every_code),
		cmocka_unit_test(params_are_data), cmocka_unit_test(broken_policies),
		cmocka_unit_test(reason_order_and_subject), cmocka_unit_test(added_reason),
		cmocka_unit_test(decisions),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
