/* testutil.h — shared helpers for the cmocka unit tests. */
#ifndef GL_TESTUTIL_H
#define GL_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "gltime.h"

/* An RFC 3339 time as seconds; fails the test if malformed. */
static inline int64_t T(const char *s)
{
	int64_t t = 0;
	assert_int_equal(gltime_parse(s, &t), 0);
	return t;
}

#endif
