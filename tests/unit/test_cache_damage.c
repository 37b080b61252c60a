/* A byte changed on the disk never yields a verdict: every row's data is
 * checked against the hash it was imported with, on every read; a cache
 * known damaged gives no check better than check. */
#define _GNU_SOURCE 1	/* memmem */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "testdemo.h"
#include "lane.h"

static char dir[64], db[128];

#define DATA_AT "2022-05-10T08:00:00+08:00"
#define NOW T("2022-05-10T09:00:00+08:00")

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gl-damage-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(db, sizeof db, "%s/cache.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The whole file in memory (caller frees). */
static char *slurp(size_t *n)
{
	FILE *f = fopen(db, "rb");
	struct stat sb;
	char *s;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &sb), 0);
	s = malloc((size_t)sb.st_size);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)sb.st_size, f), (size_t)sb.st_size);
	fclose(f);
	*n = (size_t)sb.st_size;
	return s;
}

static void flip(long off, unsigned char mask)
{
	int fd = open(db, O_RDWR);
	unsigned char b;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, off), 1);
	b ^= mask;
	assert_int_equal(pwrite(fd, &b, 1, off), 1);
	close(fd);
}

/* The check of q on the cache as it is on the disk now. */
static enum level check(const char *q, int *damaged)
{
	struct cache *c = cache_open(db, 0, NULL);
	const char *src;
	struct policy *p;
	struct lane_ctx ctx = { NOW, "PDS-01", NULL, 0, 0, "豫", NULL };
	struct lane_result r;
	enum level l = LEVEL_HOLD;
	gl_msg err;

	assert_non_null(c);
	p = lane_policy(c, &src, NULL);
	assert_non_null(p);
	if (lane_check(c, p, &ctx, &q, 1, &r, &err) == LANE_OK) {
		l = r.verdict.level;
		*damaged = verdict_has(&r.verdict, "DATA_DAMAGED");
	} else {
		*damaged = 1;	/* refused outright: no verdict at all */
	}
	lane_result_free(&r);
	policy_free(p);
	cache_close(c);
	return l;
}

/* Every byte of a record's stored text, changed in the file, is caught:
 * the check says DATA_DAMAGED and is never better than check. */
static void flipped_bytes_caught(void **state)
{
	static const struct { const char *plate, *text; } cases[] = {
		{ "豫D10007", "\"target\":\"plate\"" },		/* the intercept that holds it */
		{ "豫D10008", "\"status\":\"close_contact\"" },	/* the driver's status */
		{ "豫D10015", "\"revoked\":true" },		/* the revoked pass */
	};
	int damaged;

	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		size_t n, tn = strlen(cases[k].text);
		char *file;
		const char *at;
		enum level want;
		unlink(db);
		cache_close(test_demo_cache(db, T(DATA_AT)));
		want = check(cases[k].plate, &damaged);
		assert_false(damaged);
		file = slurp(&n);
		at = memmem(file, n, cases[k].text, tn);
		if (at == NULL)
			fail_msg("%s: %s is not in the file", cases[k].plate, cases[k].text);
		for (size_t i = 0; i < tn; i++) {
			char mark[160];
			enum level got;
			/* Every copy of the text (an intercept is also kept for the
			 * alerts screen), the same byte of each. */
			for (const char *p = at; p != NULL; p = memmem(p + 1, n - (size_t)(p + 1 - file), cases[k].text, tn))
				flip((long)(p - file) + (long)i, 0x20);
			got = check(cases[k].plate, &damaged);
			if (!damaged || got < LEVEL_CHECK)
				fail_msg("%s: byte %zu of %s flipped: %s%s", cases[k].plate, i, cases[k].text,
					 level_name(got), damaged ? "" : " with no DATA_DAMAGED");
			for (const char *p = at; p != NULL; p = memmem(p + 1, n - (size_t)(p + 1 - file), cases[k].text, tn))
				flip((long)(p - file) + (long)i, 0x20);
			snprintf(mark, sizeof mark, "%s.damaged", db);
			assert_int_equal(unlink(mark), 0);	/* marked, for the next sync */
			got = check(cases[k].plate, &damaged);
			assert_false(damaged);
			assert_int_equal(got, want);
		}
		free(file);
	}
}

/* The data's age is vouched for too: a changed as_of is no as_of. */
static void flipped_as_of_caught(void **state)
{
	char num[32], row[48], *file;
	size_t n;
	const char *at;
	int damaged;
	struct cache *c;

	(void)state;
	unlink(db);
	c = test_demo_cache(db, T(DATA_AT));
	assert_int_equal(cache_meta(c, "as_of", num, sizeof num), 1);
	cache_close(c);
	/* The meta row as SQLite stores it: the key's text, then the value's. */
	snprintf(row, sizeof row, "as_of%s", num);
	file = slurp(&n);
	at = memmem(file, n, row, strlen(row));
	assert_non_null(at);
	flip((long)(at - file) + (long)strlen(row) - 1, 0x01);	/* the last digit: a second later or earlier */
	free(file);
	c = cache_open(db, 0, NULL);
	assert_true(cache_as_of(c) == INT64_MIN);
	cache_close(c);
	assert_true(check("豫D10001", &damaged) >= LEVEL_CHECK);
	assert_true(damaged);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flipped_bytes_caught), cmocka_unit_test(flipped_as_of_caught),
	};
	return cmocka_run_group_tests_name("cache_damage", tests, setup, teardown);
}
