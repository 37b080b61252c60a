/* storeutil.h — what the store tests share: a scratch directory, an import
 * of lines into a cache, and a few records in the wire format. */
#ifndef GL_STOREUTIL_H
#define GL_STOREUTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "testutil.h"
#include "cache.h"

static char dir[64];

static inline int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gl-test-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static inline int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static inline void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* Imports lines (separated by \n) into the cache; -1 at the first that
 * fails, else what cache_import_finish returns. */
static inline int import(struct cache *c, const char *text, struct cache_stats *st, gl_msg *err)
{
	char *copy = strdup(text), *save = NULL;
	struct cache_import *im = cache_import_begin(c, err);
	gl_msg warn;

	assert_non_null(im);
	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		if (cache_import_line(im, l, strlen(l), err) != 0) {
			cache_import_abort(im);
			free(copy);
			return -1;
		}
	}
	free(copy);
	return cache_import_finish(im, st, &warn, err);
}

/* Runs sql on the database at pth; returns the first column of its first row
 * (caller frees), or NULL. */
static inline char *sql_text(const char *pth, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *out = NULL;

	assert_int_equal(sqlite3_open(pth, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

#define V1 "{\"seq\":1,\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D·12345\",\"data\":{\"plate\":\"豫d12345\",\"enterprise_id\":\"E1\",\"relation\":\"own\",\"type\":\"牵引车\",\"trailer_plate\":\"豫D1234挂\"}}\n"
#define P1 "{\"seq\":2,\"kind\":\"pass\",\"op\":\"put\",\"key\":\"410402000001\",\"data\":{\"pass_no\":\"410402000001\",\"plate\":\"豫D12345\",\"valid_to\":\"2022-06-01T00:00:00+08:00\"}}\n"
#define T1 "{\"seq\":3,\"kind\":\"trip\",\"op\":\"put\",\"key\":\"T1\",\"data\":{\"id\":\"T1\",\"plate\":\"豫D12345\",\"crew\":[\"11010519491231002x\"],\"status\":\"en_route\",\"depart_at\":\"2022-05-10T05:00:00+08:00\"}}\n"
#define D1 "{\"seq\":4,\"kind\":\"driver\",\"op\":\"put\",\"key\":\"11010519491231002x\",\"data\":{\"name\":\"张伟\",\"health_code\":\"green\"}}\n"
#define I1 "{\"seq\":5,\"kind\":\"intercept\",\"op\":\"put\",\"key\":\"I1\",\"data\":{\"id\":\"I1\",\"target\":\"id_no\",\"value\":\"11010519491231002X\",\"cleared\":false}}\n"
#define E1 "{\"seq\":6,\"kind\":\"enterprise\",\"op\":\"put\",\"key\":\"E1\",\"data\":{\"id\":\"E1\",\"name\":\"鹰城物流\"}}\n"
#define TR "{\"cursor\":\"c6\",\"as_of\":\"2022-05-10T08:00:00+08:00\"}\n"

#endif
