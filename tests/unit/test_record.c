/* The rules every record meets, at a lane's import and before the centre
 * publishes it (record_check): hostile values first. */
#include <string.h>
#include "testutil.h"
#include "record.h"

static int check(const char *kind, const char *key, const char *data, gl_msg *err)
{
	struct record_refs r;
	char canon[RECORD_KEY_MAX];

	if (record_key(record_kind(kind), key, canon, err) != 0)
		return -1;
	return record_check(record_kind(kind), canon, data, strlen(data), &r, err);
}

static void refused(const char *kind, const char *key, const char *data, const char *why)
{
	gl_msg err;

	glmsg_clear(&err);
	if (check(kind, key, data, &err) >= 0)
		fail_msg("took %s %s %s", kind, key, data);
	if (strstr(err.en, why) == NULL)
		fail_msg("%s %s: \"%s\" lacks \"%s\"", kind, data, err.en, why);
}

static void taken(const char *kind, const char *key, const char *data, int want)
{
	gl_msg err;
	int rc = check(kind, key, data, &err);

	if (rc != want)
		fail_msg("%s %s %s: %d (%s), want %d", kind, key, data, rc, rc < 0 ? err.en : "", want);
}

#define ID "410402196501010003"

static void hostile(void **state)
{
	(void)state;
	/* Values outside a field's list: a policy testing "red" would pass them. */
	refused("driver", ID, "{\"id_no\":\"" ID "\",\"health_code\":\"红\"}", "health_code");
	refused("driver", ID, "{\"health_code\":\"Red\"}", "green|yellow|red");
	refused("driver", ID, "{\"itinerary\":\"风险\"}", "itinerary");
	refused("driver", ID, "{\"status\":\"positive \"}", "status");
	refused("driver", ID, "{\"nat_result\":true}", "nat_result");
	refused("driver", ID, "{\"nat_at\":\"2022-05-10\"}", "nat_at");
	refused("driver", ID, "{\"transport_whitelist\":\"yes\"}", "transport_whitelist");
	refused("driver", ID, "{\"id_no\":\"410402196501010011\"}", "id_no");	/* another person */
	refused("enterprise", "E1", "{\"id\":\"E1\",\"status\":\"熔断\"}", "status");
	refused("enterprise", "E1", "{\"id\":\"E2\"}", "field id");
	refused("enterprise", "E1", "{\"region\":\"999999\"}", "region");
	refused("enterprise", "E1", "{\"sector\":\"mining\"}", "sector");
	refused("vehicle", "豫D10001", "{\"plate\":\"豫D10002\"}", "plate");
	refused("vehicle", "豫D10001", "{\"relation\":\"borrowed\"}", "relation");
	refused("vehicle", "豫D10001", "{\"trailer_plate\":\"x\"}", "trailer_plate");
	refused("pass", "410402000001", "{\"valid_to\":\"soon\",\"plate\":\"豫D10001\"}", "valid_to");
	refused("pass", "410402000001", "{\"revoked\":\"no\",\"plate\":\"豫D10001\"}", "revoked");
	refused("pass", "410402000001", "{\"pass_no\":\"410402000002\",\"plate\":\"豫D10001\"}", "pass_no");
	refused("pass", "410402000001", "{\"enterprise_id\":\"E1\"}", "plate");	/* no plate */
	refused("trip", "T1", "{\"plate\":\"豫D10001\",\"crew\":[\"\"]}", "crew");
	refused("trip", "T1", "{\"plate\":\"豫D10001\",\"status\":\"lost\"}", "status");
	refused("trip", "T1", "{\"plate\":\"豫D10001\",\"origin\":{\"region\":\"41\"}}", "origin");
	refused("trip", "T1", "{\"plate\":\"豫D10001\",\"via\":[\"410302\",7]}", "via");
	refused("risk_area", "410302", "{\"region\":\"410302\"}", "level");	/* no level: never a risk */
	refused("risk_area", "410302", "{\"region\":\"410302\",\"level\":\"低\"}", "level");
	refused("intercept", "I1", "{\"target\":\"plate\",\"value\":\"\"}", "value");
	refused("intercept", "I1", "{\"target\":\"car\",\"value\":\"豫D10001\"}", "target");
	refused("key", "k1", "{\"kid\":\"k1\",\"alg\":\"EdDSA\",\"use\":\"pass\",\"pub\":\"short\"}", "pub");
	refused("key", "k1", "{\"alg\":\"RS256\",\"use\":\"pass\",\"pub\":\"x\"}", "alg");
	refused("policy", "p", "{\"id\":\"p\"}", "jws");
	/* Keys and texts a lane cannot file. */
	refused("driver", "410402196501010004", "{}", "ID number");
	refused("vehicle", "", "{}", "plate");
	refused("enterprise", "E\n1", "{}", "control");
	refused("tractor", "x", "{}", "kind");
	/* I-JSON, and objects at all. */
	refused("driver", ID, "{\"health_code\":\"green\",\"health_code\":\"red\"}", "repeated");
	refused("driver", ID, "[]", "object");
	refused("driver", ID, "{\"name\":\"\xff\"}", "object");
}

static void forms(void **state)
{
	gl_msg err;
	struct record_refs r;
	char out[512];
	const char *d = "{\"plate\":\"豫d·10001\",\"trailer_plate\":\"豫D1234挂\",\"relation\":\"own\"}";

	(void)state;
	taken("driver", ID, "{\"id_no\":\"" ID "\",\"health_code\":\"red\",\"status\":\"close_contact\","
	      "\"nat_at\":\"2022-05-09T10:00:00+08:00\",\"transport_whitelist\":true}", 0);
	/* Fields the format does not name pass; a missing id_no is written in. */
	taken("driver", ID, "{\"extra\":[1,2,{\"x\":null}]}", 1);
	taken("enterprise", "E1", "{\"id\":\"E1\",\"sector\":\"transport\",\"status\":\"active\",\"whitelisted\":false}", 0);
	taken("risk_area", "410302", "{\"region\":\"410302\",\"level\":\"high\",\"since\":\"2022-05-01T00:00:00+08:00\"}", 0);
	taken("trip", "T1", "{\"id\":\"T1\",\"plate\":\"豫D10001\",\"crew\":[\"" ID "\"],\"via\":[\"410302\"],"
	      "\"origin\":{\"region\":\"410102\",\"place\":\"x\"},\"status\":\"en_route\"}", 0);
	/* A plate written another way is taken, once written canonically. */
	assert_int_equal(record_check(REC_VEHICLE, "豫D10001", d, strlen(d), &r, &err), 1);
	assert_int_equal(record_canonical(REC_VEHICLE, "豫D10001", d, strlen(d), &r, out, sizeof out, &err), 0);
	assert_non_null(strstr(out, "\"plate\":\"豫D10001\""));
	assert_int_equal(record_kind("risk_area"), REC_RISK_AREA);
	assert_string_equal(record_kind_name(REC_CHECKPOINT), "checkpoint");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(hostile), cmocka_unit_test(forms) };
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
