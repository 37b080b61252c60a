/* Plates (GA 36-2018): hostile input first, then every form and folding. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "plate.h"

static void bad(const char *in, const char *why_fragment)
{
	struct plate p;
	gl_msg err;

	glmsg_clear(&err);
	if (plate_parse(in, NULL, &p, &err) == 0)
		fail_msg("accepted %s as %s", in ? in : "(null)", p.canon);
	assert_true(err.en[0] != '\0' && err.zh[0] != '\0');
	if (why_fragment != NULL && strstr(err.en, why_fragment) == NULL)
		fail_msg("%s: reason \"%s\" lacks \"%s\"", in, err.en, why_fragment);
}

static void good(const char *in, const char *canon, enum plate_kind kind)
{
	struct plate p;
	gl_msg err;

	if (plate_parse(in, NULL, &p, &err) != 0)
		fail_msg("rejected %s: %s", in, err.en);
	assert_string_equal(p.canon, canon);
	assert_int_equal(p.kind, kind);
}

static void hostile(void **state)
{
	(void)state;
	bad(NULL, "empty");
	bad("", "empty");
	bad("   ", "empty");
	bad("·-. \u3000", "empty");
	bad("\xff\xfe", "UTF-8");
	bad("\xe8\xb1", "UTF-8");			/* truncated 豫 */
	bad("\xc0\xae", "UTF-8");			/* overlong '.' */
	bad("\xed\xa0\x80", "UTF-8");			/* surrogate */
	bad("豫D1234567890123456789", "too long");
	bad("AB12345", "province");
	bad("X豫D12345", "province");
	bad("豫", "authority");
	bad("豫112345", "authority");
	bad("豫I12345", "I or O");
	bad("豫O12345", "I or O");
	bad("豫D1234", "length");
	bad("豫D123456", "new-energy");
	bad("豫D12I45", "I or O");
	bad("豫DO2345", "I or O");
	bad("豫DABC45", "at most 2");
	bad("豫D12#45", "letters and digits");
	bad("豫D12345\n", "");
	bad("豫D1234车", "last character");
	bad("豫D12豫45", "Chinese");
	bad("豫DD1A345", "4 digits");		/* small NEV: digits at the end */
	bad("豫D1234AD", "5 digits");		/* large NEV: 5 digits before D */
	bad("使12345", "embassy");
	bad("使12345A", "embassy");
	bad("豫D12345应", "");
	bad("豫DABC应急", "");
}

static void suffixes(void **state)
{
	(void)state;
	good("豫D12345", "豫D12345", PLATE_ORDINARY);
	good("京A8B9C3", "京A8B9C3", PLATE_ORDINARY);	/* two letters */
	good("新A12345", "新A12345", PLATE_ORDINARY);
	good("豫D1234挂", "豫D1234挂", PLATE_TRAILER);
	bad("豫D123学", "length");
	good("豫D1234学", "豫D1234学", PLATE_COACH);
	good("豫D1234警", "豫D1234警", PLATE_POLICE);
	good("粤Z1234港", "粤Z1234港", PLATE_HONGKONG);
	good("粤Z1234澳", "粤Z1234澳", PLATE_MACAU);
	good("沪A1234领", "沪A1234领", PLATE_CONSULATE);
	good("豫D1234应急", "豫D1234应急", PLATE_EMERGENCY);
	good("使014578", "使014578", PLATE_EMBASSY);
	good("豫DD12345", "豫DD12345", PLATE_NEV_SMALL);
	good("豫DFA1234", "豫DFA1234", PLATE_NEV_SMALL);
	good("豫D12345D", "豫D12345D", PLATE_NEV_LARGE);
	good("豫D12345F", "豫D12345F", PLATE_NEV_LARGE);
}

static void folding(void **state)
{
	(void)state;
	good("豫D·12345", "豫D12345", PLATE_ORDINARY);
	good("豫D•12345", "豫D12345", PLATE_ORDINARY);
	good("豫D・12345", "豫D12345", PLATE_ORDINARY);
	good(" 豫 D 12345 ", "豫D12345", PLATE_ORDINARY);
	good("豫D\u300012345", "豫D12345", PLATE_ORDINARY);
	good("豫D-123.45", "豫D12345", PLATE_ORDINARY);
	good("豫ｄ１２３４５", "豫D12345", PLATE_ORDINARY);	/* full width */
	good("豫Ｄ·ａｂ３４５", "豫DAB345", PLATE_ORDINARY);
	good("豫d12345", "豫D12345", PLATE_ORDINARY);
	good("豫dd12345", "豫DD12345", PLATE_NEV_SMALL);
}

static void local_province(void **state)
{
	struct plate p;
	gl_msg err;

	(void)state;
	assert_int_equal(plate_parse("D12345", "豫", &p, &err), 0);
	assert_string_equal(p.canon, "豫D12345");
	assert_int_equal(plate_parse("d·12345", "豫", &p, &err), 0);
	assert_string_equal(p.canon, "豫D12345");
	assert_int_equal(plate_parse("京A12345", "豫", &p, &err), 0);
	assert_string_equal(p.canon, "京A12345");
	assert_int_not_equal(plate_parse("D12345", NULL, &p, &err), 0);
	assert_int_not_equal(plate_parse("D12345", "X", &p, &err), 0);
}

static void provinces(void **state)
{
	char buf[32];
	struct plate p;

	(void)state;
	for (int i = 0; i < PLATE_PROVINCES; i++) {
		snprintf(buf, sizeof buf, "%sA12345", plate_province(i));
		assert_int_equal(plate_parse(buf, NULL, &p, NULL), 0);
		assert_true(plate_looks_like(buf));
	}
	assert_null(plate_province(31));
	assert_null(plate_province(-1));
	assert_false(plate_looks_like("A12345"));
	assert_true(plate_looks_like("使014578"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(suffixes), cmocka_unit_test(folding),
		cmocka_unit_test(local_province), cmocka_unit_test(provinces),
	};
	return cmocka_run_group_tests_name("plate", tests, NULL, NULL);
}
