/* UTF-8 decoding and excerpts of untrusted text: hostile input first. */
#include <string.h>
#include "testutil.h"
#include "utf8.h"

static void excerpt(const char *in, size_t max_cp, size_t cap, const char *want)
{
	char out[256];

	assert_true(cap <= sizeof out);
	memset(out, 'x', sizeof out);
	assert_int_equal(utf8_excerpt(in, max_cp, out, cap), strlen(want));
	assert_string_equal(out, want);
}

static void hostile(void **state)
{
	uint32_t cp;
	char out[4] = "abc";

	(void)state;
	/* Decoding: overlongs, surrogates, beyond U+10FFFF, truncated, stray continuation. */
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xE0\x80\xAF", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\xE8\xB1", 2, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(cp, 0xFFFD);
	assert_false(utf8_valid("\xff", 1));
	/* Excerpts: invalid bytes and control characters (a terminal escape)
	 * become U+FFFD, one each; nothing escapes into the message. */
	excerpt("\xff\xfe" "A", 10, 64, "\xEF\xBF\xBD\xEF\xBF\xBD" "A");
	excerpt("\x1b[2J", 10, 64, "\xEF\xBF\xBD[2J");
	excerpt("a\nb", 10, 64, "a\xEF\xBF\xBD" "b");
	excerpt("\xC2\x9B", 10, 64, "\xEF\xBF\xBD");	/* C1 CSI */
	/* A tiny buffer: whole code points only, always terminated. */
	assert_int_equal(utf8_excerpt("豫D", 5, out, 0), 0);
	assert_string_equal(out, "abc");
	excerpt("豫D", 5, 1, "");
	excerpt("豫D", 5, 3, "");
	excerpt("豫D", 5, 4, "豫");
	excerpt("豫D10001", 5, 7, "豫D10");	/* no room for the ellipsis */
}

static void excerpts(void **state)
{
	char big[3001];

	(void)state;
	excerpt("", 24, 64, "");
	excerpt("豫D10001", 24, 64, "豫D10001");
	excerpt("豫D10001", 7, 64, "豫D10001");
	excerpt("豫D10001", 3, 64, "豫D1…");
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	excerpt(big, 4, 64, "AAAA…");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile),
		cmocka_unit_test(excerpts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
