/* RFC 3339 times. */
#include <string.h>
#include "testutil.h"

static void parse(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(gltime_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(gltime_parse("2022-05-10T08:00:00+08:00", &t), 0);
	assert_int_equal(t, 1652140800);
	assert_int_equal(gltime_parse("2022-05-10 00:00:00.123z", &t), 0);
	assert_int_equal(t, 1652140800);
	assert_int_equal(gltime_parse("2022-05-09t19:30:00-04:30", &t), 0);
	assert_int_equal(t, 1652140800);
	assert_int_equal(gltime_parse("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(gltime_parse("2024-02-29T00:00:00Z", &t), 0);
}

static void hostile(void **state)
{
	int64_t t;
	static const char *const bad[] = {
		"", "2022", "2022-05-10", "2022-05-10T08:00:00", "2022-05-10T08:00:00+0800",
		"2022-13-10T08:00:00Z", "2022-02-29T08:00:00Z", "2022-05-10T24:00:00Z",
		"2022-05-10T08:60:00Z", "2022-05-10T08:00:00+24:00", "2022-05-10T08:00:00Zjunk",
		"2022-05-10T08:00:00.Z", "２０２２-05-10T08:00:00Z", "-022-05-10T08:00:00Z",
	};

	(void)state;
	assert_int_equal(gltime_parse(NULL, &t), -1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (gltime_parse(bad[i], &t) == 0)
			fail_msg("accepted %s", bad[i]);
}

static void format(void **state)
{
	char b[40];
	int64_t t;

	(void)state;
	gltime_format(1652140800, GLTIME_CST, b, sizeof b);
	assert_string_equal(b, "2022-05-10T08:00:00+08:00");
	gltime_format(-1, 0, b, sizeof b);
	assert_string_equal(b, "1969-12-31T23:59:59Z");
	gltime_format(0, -270, b, sizeof b);
	assert_string_equal(b, "1969-12-31T19:30:00-04:30");
	assert_int_equal(gltime_format(0, 0, b, 5), 0);
	for (int64_t x = -86400 * 800; x < 86400 * 800; x += 86399 * 7) {
		gltime_format(x, GLTIME_CST, b, sizeof b);
		assert_int_equal(gltime_parse(b, &t), 0);
		assert_int_equal(t, x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(parse), cmocka_unit_test(format),
	};
	return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
