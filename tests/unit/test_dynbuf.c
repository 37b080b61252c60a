/* The capped growable buffer: never past its maximum, unchanged by what it
 * refuses, always NUL-terminated. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "dynbuf.h"

static void capped(void **state)
{
	struct dynbuf b;
	char big[1000];

	(void)state;
	memset(big, 'x', sizeof big);
	dynbuf_init(&b, 10);
	assert_null(b.p);
	assert_int_equal(dynbuf_add(&b, "hello", 5), DYNBUF_OK);
	assert_string_equal(b.p, "hello");
	assert_int_equal(dynbuf_add(&b, "world!", 6), DYNBUF_TOO_BIG);	/* 11 > 10 */
	assert_string_equal(b.p, "hello");	/* unchanged */
	assert_int_equal(b.len, 5);
	assert_int_equal(dynbuf_add(&b, "world", 5), DYNBUF_OK);	/* exactly 10 */
	assert_string_equal(b.p, "helloworld");
	assert_int_equal(dynbuf_add(&b, "", 0), DYNBUF_OK);
	assert_int_equal(dynbuf_add(&b, "!", 1), DYNBUF_TOO_BIG);
	assert_null(dynbuf_grow(&b, 1));
	assert_true(b.cap <= 11);	/* never more memory than the maximum needs */
	assert_int_equal(dynbuf_add(&b, big, (size_t)-1), DYNBUF_TOO_BIG);	/* no overflow */
	dynbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	dynbuf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.max, 10);
}

static void grows(void **state)
{
	struct dynbuf b;
	int *v;
	char *taken;

	(void)state;
	dynbuf_init(&b, 100000 * sizeof(int));
	for (int i = 0; i < 100000; i++) {
		v = dynbuf_grow(&b, sizeof *v);
		assert_non_null(v);
		assert_int_equal(*v, 0);	/* zeroed */
		*v = i;
	}
	assert_null(dynbuf_grow(&b, sizeof *v));
	v = (int *)(void *)b.p;
	for (int i = 0; i < 100000; i++)
		assert_int_equal(v[i], i);
	taken = dynbuf_take(&b);
	assert_non_null(taken);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(taken);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(capped), cmocka_unit_test(grows) };
	return cmocka_run_group_tests_name("dynbuf", tests, NULL, NULL);
}
