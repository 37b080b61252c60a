/* What a journal record must be to be written at a lane and held at the
 * centre (event_check): one set of rules on both sides. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "event.h"

#define UUID "0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e01"
#define GEN "0000000000000000000000000000000000000000000000000000000000000000"

/* A sample at the lane, with one member replaced (NAME:VALUE, raw JSON) or
 * added; "" keeps it whole. */
static void body(char *out, size_t cap, const char *name, const char *value)
{
	static const char *const members[][2] = {
		{ "uuid", "\"" UUID "\"" }, { "terminal", "\"PDS-01-A\"" }, { "seq", "1" }, { "kind", "\"transit\"" },
		{ "at", "\"2022-05-10T08:00:00+08:00\"" }, { "plate", "\"豫D10001\"" },
		{ "crew", "[\"410402196501010003\"]" }, { "decision", "\"sample\"" }, { "tube", "\"PDS-T1\"" },
		{ "prev_hash", "\"" GEN "\"" },
	};
	size_t n = 0;
	int replaced = 0;

	n += (size_t)snprintf(out + n, cap - n, "{");
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
		int mine = strcmp(members[i][0], name) == 0;
		if (mine && value == NULL)
			continue;	/* removed */
		n += (size_t)snprintf(out + n, cap - n, "%s\"%s\":%s", n > 1 ? "," : "", members[i][0],
				      mine ? value : members[i][1]);
		replaced |= mine;
	}
	if (!replaced && name[0] != '\0' && value != NULL)
		n += (size_t)snprintf(out + n, cap - n, ",\"%s\":%s", name, value);
	snprintf(out + n, cap - n, "}");
}

static void refused(const char *name, const char *value, const char *why)
{
	char b[2048];
	struct event_head h;
	gl_msg err;

	body(b, sizeof b, name, value);
	glmsg_clear(&err);
	if (event_check(b, strlen(b), &h, &err) == 0)
		fail_msg("held %s = %s", name, value ? value : "(removed)");
	if (strstr(err.en, why) == NULL)
		fail_msg("%s = %s: \"%s\" lacks \"%s\"", name, value ? value : "(removed)", err.en, why);
}

static void hostile(void **state)
{
	char long_tube[100];

	(void)state;
	/* What stopped every lane's feed: a sample with an empty plate and crew. */
	refused("plate", "\"\"", "plate");
	refused("plate", "\"豫D·10001\"", "plate");	/* not canonical */
	refused("plate", "7", "plate");
	refused("crew", "[\"\"]", "crew");
	refused("crew", "[\"410402196501010004\"]", "crew");	/* bad check character */
	refused("crew", "\"410402196501010003\"", "crew");
	refused("plate", "\"\xff\xfe\"", "well-formed");	/* not UTF-8 */
	/* Sequence numbers a JSON reader would round or wrap. */
	refused("seq", "1e300", "seq");
	refused("seq", "2.5", "seq");
	refused("seq", "0", "seq");
	refused("seq", "-1", "seq");
	refused("seq", "\"1\"", "seq");
	refused("seq", "9007199254740992", "seq");
	refused("seq", NULL, "seq");
	/* Tubes. */
	memset(long_tube, 'A', 80);
	long_tube[0] = '"';
	long_tube[79] = '"';
	long_tube[80] = '\0';
	refused("tube", long_tube, "tube");
	refused("tube", "\"pds-t1\"", "tube");	/* a lane writes it upper case */
	refused("tube", "\"PDS T1\"", "tube");
	refused("tube", "\"豫D10001\"", "tube");	/* a plate in the tube prompt */
	refused("tube", "\"410402196501010003\"", "tube");
	refused("tube", NULL, "tube");	/* a sample needs its tube */
	refused("tube", "null", "tube");
	/* Identity. */
	refused("uuid", "\"0F6A3C1E-1B2D-4C3E-8F40-5A6B7C8D9E01\"", "uuid");
	refused("uuid", "\"x\"", "uuid");
	refused("terminal", "\"PDS 01\"", "terminal");
	refused("terminal", "\"PDS-01\\nGET /\"", "terminal");
	refused("terminal", "\"\"", "terminal");
	refused("kind", "\"Transit\"", "kind");
	refused("at", "\"yesterday\"", "at");
	refused("prev_hash", "\"00\"", "prev_hash");
	/* I-JSON: a second plate a reader keeping the last would see. */
	refused("x", "1,\"plate\":\"豫D10002\"", "repeated");
}

static void held(void **state)
{
	char b[2048];
	struct event_head h;
	gl_msg err;

	(void)state;
	body(b, sizeof b, "", NULL);
	if (event_check(b, strlen(b), &h, &err) != 0)
		fail_msg("%s", err.en);
	assert_string_equal(h.uuid, UUID);
	assert_string_equal(h.terminal, "PDS-01-A");
	assert_int_equal(h.seq, 1);
	assert_string_equal(h.tube, "PDS-T1");
	/* A release needs no tube; a landing test does. */
	body(b, sizeof b, "decision", "\"release\"");
	if (event_check(b, strlen(b), &h, &err) != 0)
		fail_msg("%s", err.en);
	body(b, sizeof b, "kind", "\"landing_test\"");
	assert_int_equal(event_check(b, strlen(b), &h, &err), 0);
	{
		const char *ack = "{\"uuid\":\"" UUID "\",\"terminal\":\"T-0a1b2c3d4e5f\",\"seq\":9007199254740991,"
				  "\"kind\":\"ack\",\"at\":\"2022-05-10T08:00:00+08:00\",\"alert\":\"x\",\"prev_hash\":\"" GEN "\"}";
		if (event_check(ack, strlen(ack), &h, &err) != 0)
			fail_msg("%s", err.en);
		assert_int_equal(h.seq, 9007199254740991LL);
	}
	assert_true(event_terminal_valid("PDS-01-A"));
	assert_true(event_terminal_valid("lane_7.b"));
	assert_false(event_terminal_valid(""));
	assert_false(event_terminal_valid("0123456789012345678901234567890123456789012345678901234567890123"));
	assert_false(event_terminal_valid("车道1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(hostile), cmocka_unit_test(held) };
	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
