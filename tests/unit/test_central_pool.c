/* The centre's connection pool (src/central/store/pool.c) on an SQLite
 * store: the bound holds, a reserve is kept for others, a connection given
 * back serves again with no transaction left open, and a look-up tells
 * "none" from "failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "central_db.h"
#include "testutil.h"

#define ENTERPRISE "{\"id\":\"E000001\",\"name\":\"甲\",\"sector\":\"transport\",\"region\":\"410411\"," \
		   "\"whitelisted\":true,\"status\":\"active\"}"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/greenlane-pool-unit.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/central.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static void bounded(void **state)
{
	struct cdb_pool *pool;
	struct cdb *a, *b, *c;
	gl_msg err;

	(void)state;
	pool = cdb_pool_new(path, 3, &err);
	assert_non_null(pool);
	a = cdb_pool_take(pool, 0, &err);
	b = cdb_pool_take(pool, 0, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	/* Two in use: one more only if none need stay free. */
	assert_null(cdb_pool_take(pool, 1, &err));
	assert_non_null(strstr(err.en, "all 3 database connections are in use"));
	c = cdb_pool_take(pool, 0, &err);
	assert_non_null(c);
	assert_null(cdb_pool_take(pool, 0, &err));
	/* Given back, it serves again: the same connection, not a new one. */
	cdb_pool_give(pool, b);
	assert_ptr_equal(cdb_pool_take(pool, 0, &err), b);
	cdb_pool_give(pool, a);
	cdb_pool_give(pool, b);
	cdb_pool_give(pool, c);
	cdb_pool_give(pool, NULL);
	cdb_pool_free(pool);
}

static void given_back_clean(void **state)
{
	struct cdb_pool *pool;
	struct cdb *a, *b;
	char *data;
	gl_msg err;

	(void)state;
	pool = cdb_pool_new(path, 3, &err);
	assert_non_null(pool);
	a = cdb_pool_take(pool, 0, &err);
	/* A write left open is rolled back when given back, and the write lock
	 * goes with it: another connection can write at once. */
	assert_int_equal(cdb_begin(a, &err), 0);
	assert_int_equal(cdb_put(a, "enterprise", "E000001", ENTERPRISE, &err), 0);
	cdb_pool_give(pool, a);
	b = cdb_pool_take(pool, 0, &err);
	assert_non_null(b);
	assert_int_equal(cdb_get(b, "enterprise", "E000001", &data), 0);
	assert_null(data);
	assert_int_equal(cdb_begin(b, &err), 0);
	assert_int_equal(cdb_put(b, "enterprise", "E000001", ENTERPRISE, &err), 0);
	assert_int_equal(cdb_commit(b, &err), 0);
	assert_int_equal(cdb_get(b, "enterprise", "E000001", &data), 1);
	assert_non_null(strstr(data, "\"E000001\""));
	free(data);
	cdb_pool_give(pool, b);
	cdb_pool_free(pool);
}

static void unreachable(void **state)
{
	gl_msg err;

	(void)state;
	/* A store that cannot be opened is said at once, not at the first
	 * request. */
	assert_null(cdb_pool_new("/nonexistent/dir/central.db", 3, &err));
	assert_true(err.en[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(given_back_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(unreachable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
