/* The arena and its JSON trees: the parser must accept exactly what cJSON
 * accepts of well-formed JSON and build the same tree; trees copied out with
 * cJSON_Duplicate must not point into the arena (ASan sees it if they do). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "arena.h"
#include "jscan.h"

static cJSON *parse(struct arena *a, const char *s)
{
	return arena_json_parse(a, s, strlen(s));
}

static void hostile(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[", "]", "{]", "[}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,]", "{,}",
		"{\"a\":1 \"b\":2}", "[1 2]", "{a:1}", "{'a':1}", "01", "1.", ".5", "-", "1e", "1e+", "+1", "--1",
		"tru", "nul", "fals", "truex", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\ud800\"", "\"\\udc00\"",
		"\"\\ud800\\u0041\"", "\"\\u0000\"", "\"\t\"", "\"\x01\"", "\"abc", "\"\\", "\"\\\"", "{\"a\":1}x",
		"{}{}", "[1]]", "nan", "Infinity", "{\"a\"::1}", "{1:2}", "[\"a\"\"b\"]",
		/* I-JSON: one name, once (as jscan_object) */
		"{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "[{\"d\":{\"id\":1,\"id\":1}}]",
	};
	struct arena *a = arena_new();
	char deep[200];

	(void)state;
	assert_non_null(a);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse(a, bad[i]) != NULL)
			fail_msg("accepted: %s", bad[i]);
	assert_null(arena_json_parse(a, NULL, 0));
	/* Every prefix of a good document is refused. */
	{
		static const char doc[] = "{\"a\":[1,-2.5e3,\"x\\u00e9\"],\"b\":{\"c\":null,\"d\":true}}";
		for (size_t n = 0; n < sizeof doc - 1; n++)
			if (arena_json_parse(a, doc, n) != NULL)
				fail_msg("accepted a prefix of %zu bytes", n);
		assert_non_null(arena_json_parse(a, doc, sizeof doc - 1));
	}
	/* A NUL inside the text is not JSON. */
	assert_null(arena_json_parse(a, "[\"x\0y\"]", 7));
	assert_null(arena_json_parse(a, "[1]\0", 4));
	/* Nesting: 64 levels parse, 65 do not — the same limit as the import's
	 * scanner, so a record the import took is never unreadable here. */
	for (int d = 63; d <= 64; d++) {
		char obj[160];
		size_t k = 0;
		obj[k++] = '{';
		memcpy(obj + k, "\"a\":", 4);
		k += 4;
		memset(obj + k, '[', (size_t)d);
		k += (size_t)d;
		memset(obj + k, ']', (size_t)d);
		k += (size_t)d;
		obj[k++] = '}';
		assert_int_equal(jscan_object(obj, k, NULL, 0) >= 0, arena_json_parse(a, obj, k) != NULL);
	}
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	assert_non_null(arena_json_parse(a, deep, 128));
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	assert_null(arena_json_parse(a, deep, 130));
	arena_free(a);
	arena_free(NULL);
}

/* Parses with both and compares the trees, and the copy printed. */
static void same_as_cjson(struct arena *a, const char *s)
{
	cJSON *mine = parse(a, s), *theirs = cJSON_Parse(s), *copy;
	char *p1, *p2;

	if (mine == NULL || theirs == NULL)
		fail_msg("%s: arena %p, cJSON %p", s, (void *)mine, (void *)theirs);
	if (!cJSON_Compare(mine, theirs, 1))
		fail_msg("different trees for %s", s);
	copy = cJSON_Duplicate(mine, 1);
	p1 = cJSON_PrintUnformatted(copy);
	p2 = cJSON_PrintUnformatted(theirs);
	assert_string_equal(p1, p2);
	free(p1);
	free(p2);
	cJSON_Delete(copy);
	cJSON_Delete(theirs);
}

/* Whatever the position of a quote, backslash or control character in a
 * long string, the result is cJSON's (or a refusal, for a raw control
 * character), and the caller's text is untouched. */
static void long_strings(void **state)
{
	static const char *const put[] = { "\\\"", "\\\\", "\\u00e9", "\\n", "é", "\x01", "\x1f", "\"" };
	struct arena *a = arena_new();

	(void)state;
	for (size_t w = 0; w < sizeof put / sizeof put[0]; w++) {
		for (int k = 0; k < 24; k++) {
			char doc[96], before[96];
			int n = snprintf(doc, sizeof doc, "{\"k%.*s\":\"%.*s%s%.*s\",\"z\":\"abcdefghi\"}",
					 k % 9, "abcdefghi", k, "0123456789abcdefghijklmnopq", put[w], 24 - k,
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
			int control = put[w][0] > 0 && put[w][0] < 0x20;
			assert_true(n > 0 && (size_t)n < sizeof doc);
			memcpy(before, doc, (size_t)n + 1);
			if (control || put[w][0] == '"')
				assert_null(parse(a, doc));	/* a raw control; a quote ends it early */
			else
				same_as_cjson(a, doc);
			assert_memory_equal(doc, before, (size_t)n + 1);
		}
	}
	arena_free(a);
}

static void like_cjson(void **state)
{
	static const char *const good[] = {
		"{}", "[]", "[0]", "[-0]", "[1]", "[-17]", "[123456789012345]", "[1234567890123456789]", "[3.25]",
		"[-0.5e-3]", "[1E+2]", "[6.02e23]", "[true]", "[false]", "[null]", "[\"\"]", "[\"豫D12345\"]",
		"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[\"\\u4e2d\\u6587 \\ud83d\\ude00 \\u00e9\"]",
		" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n",
		"{\"plate\":\"豫D12345\",\"crew\":[\"410402199001011234\"],\"n\":2,\"ok\":true,\"x\":null,"
		"\"o\":{\"region\":\"410402\",\"deep\":[[[{\"k\":[]}]]]}}",
		"[1,\"two\",[3],{\"four\":4},true,false,null]",
	};
	struct arena *a = arena_new();
	cJSON *o;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		same_as_cjson(a, good[i]);
	/* Out of a double's range: infinity, as strtod (and cJSON) make it. */
	o = cJSON_GetArrayItem(parse(a, "[-1e400]"), 0);
	assert_true(cJSON_IsNumber(o) && isinf(o->valuedouble) && o->valuedouble < 0);
	/* One grammar, jscan's: a record is an object or an array, never a
	 * bare value, and its text is UTF-8. */
	assert_null(parse(a, "17"));
	assert_null(parse(a, "\"x\""));
	assert_null(parse(a, "[\"\xff\"]"));
	/* Duplicate names are refused (I-JSON), where cJSON keeps both: a
	 * reader that keeps the last would see another record. */
	assert_null(parse(a, "{\"a\":1,\"a\":2}"));
	arena_free(a);
}

static void big(void **state)
{
	struct arena *a = arena_new();
	size_t n = 5000 * 8 + 16;
	char *s = malloc(n), *p = s;
	cJSON *arr;
	char *str;

	(void)state;
	/* Many nodes (several blocks) and one string bigger than a block. */
	*p++ = '[';
	for (int i = 0; i < 5000; i++)
		p += snprintf(p, n - (size_t)(p - s), "%s%d", i ? "," : "", i);
	*p++ = ']';
	arr = arena_json_parse(a, s, (size_t)(p - s));
	assert_non_null(arr);
	assert_int_equal(cJSON_GetArraySize(arr), 5000);
	assert_int_equal(cJSON_GetArrayItem(arr, 4999)->valueint, 4999);
	memset(s, 'x', n - 1);
	s[0] = '[';
	s[1] = '"';
	s[n - 3] = '"';
	s[n - 2] = ']';
	str = NULL;
	{
		cJSON *j = arena_json_parse(a, s, n - 1);
		assert_non_null(j);
		str = cJSON_GetArrayItem(j, 0)->valuestring;
	}
	assert_int_equal(strlen(str), n - 5);
	free(s);
	arena_free(a);
}

static void build(void **state)
{
	struct arena *a = arena_new();
	cJSON *rec, *o, *arr, *copy;
	char name[8] = "temp";
	char *txt;

	(void)state;
	rec = parse(a, "{\"plate\":\"豫D1\",\"route\":[\"A\",\"B\"],\"n\":3}");
	o = arena_json_object(a);
	assert_int_equal(arena_json_add(o, "vehicle", arena_json_ref(a, rec)), 0);
	assert_int_equal(arena_json_add(o, "route", arena_json_ref(a, cJSON_GetObjectItemCaseSensitive(rec, "route"))), 0);
	assert_int_equal(arena_json_add(o, "copy", arena_json_string(a, name)), 0);
	assert_int_equal(arena_json_add(o, "num", arena_json_number(a, 2.5)), 0);
	assert_int_equal(arena_json_add(o, "yes", arena_json_bool(a, 1)), 0);
	assert_int_equal(arena_json_add(o, "none", arena_json_string(a, NULL)), 0);
	arr = arena_json_array(a);
	assert_int_equal(arena_json_add(o, "list", arr), 0);
	assert_int_equal(arena_json_add(arr, NULL, arena_json_string_ref(a, "x")), 0);
	assert_int_equal(arena_json_add(arr, NULL, arena_json_null(a)), 0);
	assert_int_equal(arena_json_add(arr, NULL, NULL), -1);	/* a failed constructor */
	memcpy(name, "gone", 5);				/* the copy is the arena's own */
	/* The reference and its record are one object; the record is unchanged. */
	assert_ptr_equal(cJSON_GetObjectItemCaseSensitive(o, "vehicle")->child, rec->child);
	assert_null(rec->string);
	copy = cJSON_Duplicate(o, 1);
	/* Detaching from an arena tree relinks without allocating. */
	assert_non_null(cJSON_DetachItemViaPointer(o, cJSON_GetObjectItemCaseSensitive(o, "num")));
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "num"));
	arena_free(a);
	/* The copy owns everything: read after the arena is gone. */
	txt = cJSON_PrintUnformatted(copy);
	assert_string_equal(txt, "{\"vehicle\":{\"plate\":\"豫D1\",\"route\":[\"A\",\"B\"],\"n\":3},\"route\":[\"A\",\"B\"],"
			    "\"copy\":\"temp\",\"num\":2.5,\"yes\":true,\"none\":null,\"list\":[\"x\",null]}");
	free(txt);
	cJSON_Delete(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(long_strings), cmocka_unit_test(like_cjson), cmocka_unit_test(big),
		cmocka_unit_test(build),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
