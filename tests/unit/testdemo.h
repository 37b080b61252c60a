/* testdemo.h — a demo cache for the unit tests that need real data. */
#ifndef GL_TESTDEMO_H
#define GL_TESTDEMO_H
#include "cache.h"
#include "demo.h"
#include "testutil.h"

struct test_sink {
	struct cache_import *im;
	gl_msg err;
};

static inline int test_sink_line(char *line, size_t len, void *arg)
{
	struct test_sink *s = arg;
	return cache_import_line(s->im, line, len, &s->err);
}

/* The deterministic demo (200 vehicles) as of at, installed at path and
 * opened read-only.  Fails the test on any error. */
static inline struct cache *test_demo_cache(const char *path, int64_t at)
{
	struct cache *c;
	struct test_sink s;
	struct cache_stats st;
	gl_msg warn, err;

	c = cache_create_fresh(path, &err);
	assert_non_null(c);
	s.im = cache_import_begin(c, &s.err);
	assert_non_null(s.im);
	if (demo_generate(200, at, test_sink_line, &s) != 0)
		fail_msg("demo: %s", s.err.en);
	assert_int_equal(cache_import_finish(s.im, &st, &warn, &err), 0);
	assert_int_equal(st.refused, 0);
	assert_int_equal(cache_install(c, &err), 0);
	c = cache_open(path, 0, &err);
	assert_non_null(c);
	return c;
}

#endif
