/* What a centre's reply to POST /v1/events acknowledges of a batch: only
 * records sent, each once; a reply that cannot be read acknowledges nothing. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "sync.h"

#define A "0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e01"
#define B "0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e02"
#define C "0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e03"

static cJSON *batch(void)
{
	static const char *const ids[] = { A, B, C };
	cJSON *b = cJSON_CreateArray();

	for (int i = 0; i < 3; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "seq", i + 1);
		cJSON_AddStringToObject(e, "uuid", ids[i]);
		cJSON_AddItemToArray(b, e);
	}
	return b;
}

/* Reads reply for the batch A, B, C; states as a string like "HR-". */
static int read_ack(const char *reply, char states[4], char why[3][256], long *unknown)
{
	cJSON *b = batch();
	struct sync_ack ack[3];
	int rc = sync_read_ack(reply, strlen(reply), b, ack, unknown);

	cJSON_Delete(b);
	for (int i = 0; i < 3 && rc == 0; i++) {
		states[i] = "-HR"[ack[i].state];
		snprintf(why[i], 256, "%s", ack[i].why);
	}
	states[3] = '\0';
	return rc;
}

static void unreadable(const char *reply)
{
	char st[4], why[3][256];
	long unknown;

	if (read_ack(reply, st, why, &unknown) != -1)
		fail_msg("read as an acknowledgement: %s", reply);
}

static void hostile(void **state)
{
	(void)state;
	unreadable("");
	unreadable("<html><body>Portal</body></html>");
	unreadable("[\"" A "\"]");
	unreadable("{\"held\":\"" A "\"}");
	unreadable("{\"refused\":[]}");
	unreadable("{\"held\":[\"" A "\"]");	/* cut */
	/* I-JSON: a name twice is read by no one (RFC 7493). */
	unreadable("{\"held\":[],\"held\":[\"" A "\"]}");
	unreadable("{\"held\":[\"" A "\"]}\n{\"held\":[]}");
}

static void acks(void **state)
{
	char st[4], why[3][256];
	long unknown;

	(void)state;
	assert_int_equal(read_ack("{\"held\":[]}", st, why, &unknown), 0);
	assert_string_equal(st, "---");
	assert_int_equal(unknown, 0);

	/* Named twice, named by another UUID, not a string: each sent record
	 * once, the rest counted as unknown and moving nothing. */
	assert_int_equal(read_ack("{\"held\":[\"" C "\",\"" C "\",\"0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e04\",7,null],"
				  "\"refused\":[{\"uuid\":\"" A "\",\"error\":\"HASH_MISMATCH\"},{\"uuid\":\"" C
				  "\",\"error\":\"X\"},{\"error\":\"Y\"},\"" B "\"]}", st, why, &unknown), 0);
	assert_string_equal(st, "R-H");
	assert_string_equal(why[0], "HASH_MISMATCH");
	assert_int_equal(unknown, 5);

	/* A refusal without a reason still says it was refused. */
	assert_int_equal(read_ack("{\"held\":[\"" A "\"],\"refused\":[{\"uuid\":\"" B "\"},{\"uuid\":\"" C
				  "\",\"error\":\"\"}]}", st, why, &unknown), 0);
	assert_string_equal(st, "HRR");
	assert_string_equal(why[1], "refused");
	assert_string_equal(why[2], "refused");

	/* A reason longer than the field is cut, never overflowed. */
	{
		char reply[640];
		snprintf(reply, sizeof reply, "{\"held\":[],\"refused\":[{\"uuid\":\"" B "\",\"error\":\"%0300d\"}]}", 0);
		assert_int_equal(read_ack(reply, st, why, &unknown), 0);
		assert_string_equal(st, "-R-");
		assert_int_equal(strlen(why[1]), 255);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(hostile), cmocka_unit_test(acks) };
	return cmocka_run_group_tests_name("sync_ack", tests, NULL, NULL);
}
