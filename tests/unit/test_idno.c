/* ID numbers (GB 11643) and region codes: hostile input first. */
#include <string.h>
#include "testutil.h"
#include "idno.h"

#define TODAY T("2022-05-10T09:00:00+08:00")

static void bad(const char *in, const char *frag)
{
	char out[IDNO_MAX];
	gl_msg err;

	glmsg_clear(&err);
	if (idno_parse(in, TODAY, out, &err) == 0)
		fail_msg("accepted %s", in ? in : "(null)");
	if (frag != NULL && strstr(err.en, frag) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", in, err.en, frag);
}

static void good(const char *in, const char *canon)
{
	char out[IDNO_MAX];
	gl_msg err;

	if (idno_parse(in, TODAY, out, &err) != 0)
		fail_msg("rejected %s: %s", in, err.en);
	assert_string_equal(out, canon);
}

static void hostile(void **state)
{
	(void)state;
	bad(NULL, "18 characters");
	bad("", "18 characters");
	bad("\xff", "UTF-8");
	bad("4104021990010100", "got 16");
	bad("4104021990010100111", "18 characters");
	bad("41040219900101001X1", "18 characters");
	bad("4104021990010X0011", "last character");
	bad("41040219900101001A", "digits");
	bad("410402199001010010", "check character");	/* one digit off */
	bad("990402199001010012", "province");
	bad("000402199001010012", "province");
	bad("410402199002300010", "real date");		/* 30 Feb */
	bad("410402190002290010", "real date");		/* 1900 not leap */
	bad("410402189912310010", "real date");		/* before 1900 */
	bad("410402203001010010", "future");
	bad("41040290010100X", "digits only");
}

static void forms(void **state)
{
	char first17[18] = "41040219900101001";
	char id[IDNO_MAX];

	(void)state;
	memcpy(id, first17, 17);
	id[17] = idno_check_char(first17);
	id[18] = '\0';
	good(id, id);
	good("11010519491231002X", "11010519491231002X");	/* GB 11643's own example */
	good("11010519491231002x", "11010519491231002X");
	good("110105 1949 1231 002X", "11010519491231002X");
	good("110105-19491231-002x", "11010519491231002X");
	good("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X");
	good("410402200002290011", "410402200002290011");	/* 2000 leap */
	/* 15 digits: 19 inserted, check computed. */
	good("110105491231002", "11010519491231002X");
	good("810000200001010014", "810000200001010014");	/* Hong Kong permit */
	good("820000199001010010", "820000199001010010");	/* Macao permit */
	good("830000198802110027", "830000198802110027");	/* Taiwan permit */
	bad("830000198802110028", "check character");
	bad("830100198802110022", "province");		/* only 830000 */
}

static void mask(void **state)
{
	char m[IDNO_MAX];

	(void)state;
	idno_mask("11010519491231002X", m);
	assert_string_equal(m, "110105********002X");
	idno_mask("123", m);
	assert_string_equal(m, "***");
}

static void regions(void **state)
{
	(void)state;
	assert_true(region_covers("410000", "410402"));
	assert_true(region_covers("410400", "410402"));
	assert_true(region_covers("410402", "410402"));
	assert_false(region_covers("410400", "410502"));
	assert_false(region_covers("410402", "410403"));
	assert_false(region_covers("410000", "420102"));
	assert_false(region_covers("41040", "410402"));
	assert_false(region_covers("410400", "4104021"));
	assert_false(region_covers("990000", "990101"));
	assert_false(region_covers(NULL, "410402"));
	assert_int_equal(region_prefix("410000"), 2);
	assert_int_equal(region_prefix("410400"), 4);
	assert_int_equal(region_prefix("410402"), 6);
	assert_int_equal(region_prefix("410002"), 6);	/* a county of a province-level city */
	assert_int_equal(region_prefix("990000"), 0);
	assert_int_equal(region_prefix("41040"), 0);
	assert_int_equal(region_prefix(NULL), 0);
	assert_true(region_code_valid("410402"));
	assert_false(region_code_valid("41040a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(forms), cmocka_unit_test(mask),
		cmocka_unit_test(regions),
	};
	return cmocka_run_group_tests_name("idno", tests, NULL, NULL);
}
