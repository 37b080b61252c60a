/* journal.db: append and hash chain, and its durability settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "storeutil.h"
#include "journal.h"

static void journal_chain(void **state)
{
	char p[128];
	struct journal *j;
	struct journal_entry e1, e2;
	cJSON *f = cJSON_Parse("{\"plate\":\"豫D10001\",\"decision\":\"release\"}");
	sqlite3 *db;
	sqlite3_stmt *st;
	gl_msg err;

	(void)state;
	path(p, sizeof p, "journal.db");
	j = journal_open(p, "T-test", &err);
	assert_non_null(j);
	assert_string_equal(journal_terminal(j), "T-test");
	assert_int_equal(journal_append(j, "transit", T("2022-05-10T09:00:00+08:00"), f, &e1, &err), 0);
	assert_int_equal(journal_append(j, "transit", T("2022-05-10T09:01:00+08:00"), f, &e2, &err), 0);
	assert_int_equal(e1.seq, 1);
	assert_int_equal(e2.seq, 2);
	assert_string_equal(e2.prev_hash, e1.hash);
	assert_string_not_equal(e1.uuid, e2.uuid);
	assert_int_equal(e1.uuid[14], '7');	/* UUID version 7 */
	assert_int_equal(journal_pending(j), 2);
	assert_int_equal(journal_verify(j, &err), 0);
	journal_close(j);

	/* Durability settings as DESIGN.md §2 demands. */
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	/* Tampering with a stored body breaks the chain. */
	assert_int_equal(sqlite3_exec(db, "UPDATE record SET body = replace(body, 'release', 'hold') WHERE seq = 1",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(journal_open(p, "T-other", &err));
	assert_non_null(strstr(err.en, "T-test"));
	j = journal_open(p, NULL, &err);
	assert_non_null(j);
	assert_string_equal(journal_terminal(j), "T-test");
	assert_int_equal(journal_verify(j, &err), -1);
	assert_non_null(strstr(err.en, "record 1"));
	journal_close(j);
	cJSON_Delete(f);
}

static void journal_synchronous_full(void **state)
{
	char p[128];
	struct journal *j;
	gl_msg err;

	(void)state;
	path(p, sizeof p, "j2.db");
	j = journal_open(p, NULL, &err);
	assert_non_null(j);
	assert_true(strncmp(journal_terminal(j), "T-", 2) == 0);
	assert_int_equal(journal_synchronous(j), 2);	/* FULL */
	journal_close(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(journal_chain),
		cmocka_unit_test(journal_synchronous_full),
	};
	return cmocka_run_group_tests_name("journal", tests, setup, teardown);
}
