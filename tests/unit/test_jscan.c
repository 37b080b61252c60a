/* The allocation-free JSON scanner: it must accept exactly well-formed JSON
 * and report spans correctly. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "jscan.h"

static int obj(const char *s)
{
	return jscan_object(s, strlen(s), NULL, 0);
}

static void hostile(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "{]", "[}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
		"{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}",
		"{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
		"{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\t\"}",
		"{\"a\":\"\xff\"}", "{\"a\":\"\xe8\xb1\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xe0\x80\x80\"}", "{\"a\":\"\xe4\xb8\"}", "{\"a\":\"\xe4\x28\xad\"}", "{\"a\":1}x", "{\"a\":1}{}", "[1]", "\"s\"",
		"{\"a\":[1,2}", "{\"a\":\"unterminated}",
		/* I-JSON: one name, once — also spelt another way, and deep down */
		"{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "{\"plate\":\"x\",\"pl\\u0061te\":\"y\"}",
		"{\"d\":{\"id\":1,\"n\":2,\"id\":3}}", "{\"d\":[{\"x\":1},{\"y\":1,\"y\":1}]}",
		"{\"\\u00e9\":1,\"\xc3\xa9\":2}",
	};
	char deep[300];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (obj(bad[i]) >= 0)
			fail_msg("accepted: %s", bad[i]);
	assert_int_equal(jscan_object(NULL, 0, NULL, 0), -1);
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	snprintf(deep + 200, sizeof deep - 200, "}");
	memmove(deep + 5, deep, 201);
	memcpy(deep, "{\"a\":", 5);
	assert_int_equal(obj(deep), -1);		/* deeper than 64 */
	/* Names that only look alike are two names. */
	assert_int_equal(obj("{\"a\":1,\"A\":2,\"a \":3,\"\\u00e9\":4,\"e\":5}"), 5);
	/* At most JSCAN_MAX_MEMBERS members. */
	{
		char many[8 * (JSCAN_MAX_MEMBERS + 2)], *p = many;
		for (int i = 0; i <= JSCAN_MAX_MEMBERS; i++)
			p += snprintf(p, sizeof many - (size_t)(p - many), "%s\"%d\":0", i ? "," : "{", i);
		snprintf(p, sizeof many - (size_t)(p - many), "}");
		assert_int_equal(obj(many), -1);
		p = strrchr(many, ',');
		snprintf(p, sizeof many - (size_t)(p - many), "}");
		assert_int_equal(obj(many), JSCAN_MAX_MEMBERS);
	}
	/* A NUL inside the span is not JSON. */
	assert_int_equal(jscan_object("{\"a\":\"x\0y\"}", 11, NULL, 0), -1);
}

static void spans(void **state)
{
	const char *s = " { \"kind\" : \"vehicle\", \"n\":-1.5e+3, \"o\":{\"x\":[1,{\"y\":null}]},"
			"\"t\":true, \"f\":false, \"z\":null, \"u\":\"\\u8c6bD\\ud83d\\ude00\\n\\\"\" } ";
	struct jscan_member m[8];
	struct jscan_span e[4];
	const struct jscan_span *v;
	char buf[64];

	(void)state;
	assert_int_equal(jscan_object(s, strlen(s), m, 8), 7);
	v = jscan_get(m, 7, "kind");
	assert_non_null(v);
	assert_int_equal(v->type, JS_STRING);
	assert_int_equal(jscan_string(v, buf, sizeof buf), 7);
	assert_string_equal(buf, "vehicle");
	v = jscan_get(m, 7, "n");
	assert_int_equal(v->type, JS_NUMBER);
	assert_int_equal(v->n, 7);
	v = jscan_get(m, 7, "o");
	assert_int_equal(v->type, JS_OBJECT);
	assert_int_equal(jscan_object(v->p, v->n, m + 7, 1), 1);
	assert_int_equal(jscan_get(m, 7, "t")->type, JS_TRUE);
	assert_int_equal(jscan_get(m, 7, "f")->type, JS_FALSE);
	assert_int_equal(jscan_get(m, 7, "z")->type, JS_NULL);
	assert_null(jscan_get(m, 7, "missing"));
	assert_null(jscan_get(m, 7, "kin"));
	v = jscan_get(m, 7, "u");
	assert_true(jscan_string(v, buf, sizeof buf) > 0);
	assert_string_equal(buf, "豫D😀\n\"");
	assert_int_equal(jscan_string(v, buf, 4), -1);	/* does not fit */
	assert_int_equal(jscan_string(jscan_get(m, 7, "n"), buf, sizeof buf), -1);
	/* More members than room: counted, first ones filled. */
	assert_int_equal(jscan_object(s, strlen(s), m, 2), 7);
	assert_int_equal(jscan_array("[\"a\", 2, [3], {}]", 17, e, 4), 4);
	assert_int_equal(e[2].type, JS_ARRAY);
	assert_int_equal(jscan_array("[]", 2, e, 4), 0);
	assert_int_equal(obj("{}"), 0);
	assert_int_equal(obj("{\"中\":\"\xe4\xb8\xad\xee\x80\x80\xf0\x9f\x98\x80\"}"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(spans),
	};
	return cmocka_run_group_tests_name("jscan", tests, NULL, NULL);
}
