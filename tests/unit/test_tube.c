/* Sample tube numbers: what is refused, and why.  Hostile input first. */
#include <string.h>
#include "testutil.h"
#include "tube.h"

#define NOW T("2022-05-10T09:00:00+08:00")

static void refused(const char *in, const char *pattern, const char *why)
{
	char out[TUBE_MAX];
	gl_msg err;

	glmsg_clear(&err);
	if (tube_parse(in, pattern, NOW, out, &err) == 0)
		fail_msg("accepted \"%s\" as %s", in ? in : "(null)", out);
	if (strstr(err.en, why) == NULL)
		fail_msg("\"%s\": \"%s\" lacks \"%s\"", in ? in : "(null)", err.en, why);
	assert_non_null(strstr(err.zh, "管"));
}

static void accepted(const char *in, const char *pattern, const char *canon)
{
	char out[TUBE_MAX];
	gl_msg err;

	if (tube_parse(in, pattern, NOW, out, &err) != 0)
		fail_msg("refused \"%s\": %s", in, err.en);
	assert_string_equal(out, canon);
}

static void hostile(void **state)
{
	char token[400];

	(void)state;
	refused(NULL, NULL, "empty");
	refused("", NULL, "empty");
	refused("   ", NULL, "empty");
	refused("x", NULL, "4 to 24");
	refused("abc", NULL, "4 to 24");
	refused("-ABC", NULL, "4 to 24");
	refused("PDS 0001", NULL, "4 to 24");
	refused("管号0001", NULL, "4 to 24");
	refused("ABCDEFGHIJKLMNOPQRSTUVWXY", NULL, "4 to 24");	/* 25 */
	refused("\xff\xfe" "0001", NULL, "4 to 24");
	/* What else an officer scans at the lane, in the tube prompt by mistake. */
	refused("豫D10001", NULL, "a plate");
	refused("410402196501010003", NULL, "an ID number");
	refused("410402196501010003", NULL, "410402********0003");	/* masked */
	refused("410402000001", NULL, "a pass number");
	memset(token, 'A', sizeof token - 1);
	token[sizeof token - 1] = '\0';
	refused(token, NULL, "too long");
	/* A pattern of the lane's own does not let those through either. */
	refused("410402196501010003", "^[0-9X]+$", "an ID number");
	refused("PDS0001", "^NAT[0-9]{6}$", "tube pattern");
	refused("PDS0001", "([", "not a valid regular expression");
}

static void forms(void **state)
{
	(void)state;
	accepted("PDS0001", NULL, "PDS0001");
	accepted("  pds-0001 ", NULL, "PDS-0001");
	accepted("0001", NULL, "0001");
	accepted("ABCDEFGHIJKLMNOPQRSTUVWX", NULL, "ABCDEFGHIJKLMNOPQRSTUVWX");
	accepted("nat123456", "^NAT[0-9]{6}$", "NAT123456");
	accepted("x", "^X$", "X");
	assert_int_equal(tube_pattern_check(NULL, NULL), 0);
	assert_int_equal(tube_pattern_check("^[A-Z]{2}[0-9]+$", NULL), 0);
	assert_int_equal(tube_pattern_check("([", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(hostile), cmocka_unit_test(forms) };
	return cmocka_run_group_tests_name("tube", tests, NULL, NULL);
}
