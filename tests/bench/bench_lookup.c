/* bench_lookup — verdict latency against a raw SQLite point look-up on the
 * same cache file and the same queries.
 *   bench_lookup sample CACHE N OUT      reservoir-sample N queries (plates and ID numbers)
 *   bench_lookup raw CACHE QUERIES [WARM]     one prepared point look-up per query
 *   bench_lookup verdict CACHE QUERIES [WARM] a full lane check per query (parse, gather, evaluate)
 *   bench_lookup side CACHE QUERIES [WARM]    both in one process, taking turns over blocks of
 *                                             queries (see main)
 * The first WARM queries (default 0) run untimed: a lane runs all shift long,
 * so what matters is the steady state, not a cold SQLite page cache; both
 * modes get the same warm-up.  Each timed mode prints: mode n p50_us p99_us
 * mean_us max_rss_mb (side: the process's, after both) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "cache.h"
#include "lane.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *mode, double *lat, size_t n)
{
	struct rusage ru;
	double sum = 0;

	qsort(lat, n, sizeof *lat, cmp);
	for (size_t i = 0; i < n; i++)
		sum += lat[i];
	getrusage(RUSAGE_SELF, &ru);
	printf("%s %zu %.1f %.1f %.1f %.1f\n", mode, n, lat[n / 2], lat[n * 99 / 100], sum / (double)n,
	       (double)ru.ru_maxrss / 1024.0);
}

static int sample(const char *db_path, long n, const char *out)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char **keep = calloc((size_t)n, sizeof *keep);
	unsigned long long seen = 0, x = 88172645463325252ULL;
	FILE *f;

	if (keep == NULL || sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 66;
	/* Vehicles (kind 1) and drivers (kind 5), in key order: a full scan. */
	if (sqlite3_prepare_v2(db, "SELECT home FROM rec WHERE kind IN (1, 5)", -1, &st, NULL) != SQLITE_OK)
		return 70;
	while (sqlite3_step(st) == SQLITE_ROW) {
		unsigned long long slot;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		slot = seen < (unsigned long long)n ? seen : x % (seen + 1);
		if (slot < (unsigned long long)n) {
			free(keep[slot]);
			keep[slot] = strdup((const char *)sqlite3_column_text(st, 0));
		}
		seen++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	f = fopen(out, "w");
	if (f == NULL)
		return 73;
	for (long i = 0; i < n && keep[i] != NULL; i++) {
		fprintf(f, "%s\n", keep[i]);
		free(keep[i]);
	}
	free(keep);
	return fclose(f) == 0 ? 0 : 74;
}

static char **load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[256], **q = NULL;
	size_t cap = 0;

	*n = 0;
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			q = realloc(q, cap * sizeof *q);
		}
		q[(*n)++] = strdup(line);
	}
	fclose(f);
	return q;
}

/* ---- the two ways of answering a query, each on its own connection ---- */

struct runner {
	const char *name;
	int (*one)(struct runner *, const char *q);	/* 0 or -1 */
	struct cache *c;
	sqlite3_stmt *st;	/* raw */
	struct policy *p;	/* verdict */
	double *lat;
};

static int raw_one(struct runner *m, const char *q)
{
	sqlite3_bind_text(m->st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(m->st, 2, q[0] >= '0' && q[0] <= '9' ? 5 : 1);
	if (sqlite3_step(m->st) != SQLITE_ROW || sqlite3_column_bytes(m->st, 0) == 0)
		return -1;
	sqlite3_reset(m->st);
	return 0;
}

static int verdict_one(struct runner *m, const char *q)
{
	static const struct lane_ctx ctx = { 1652144400, "PDS-01", NULL, 0, 0, NULL, NULL };
	struct lane_result r;
	gl_msg err;

	if (lane_check(m->c, m->p, &ctx, &q, 1, &r, &err) != LANE_OK)
		return -1;
	lane_result_free(&r);
	return 0;
}

/* Opens mode's connection (the lane's settings: cache_open) and what it
 * needs; 0 or -1. */
static int runner_open(struct runner *m, const char *mode, const char *cache, size_t n)
{
	gl_msg err;
	const char *src;

	memset(m, 0, sizeof *m);
	m->name = mode;
	m->lat = malloc(n * sizeof *m->lat);
	m->c = cache_open(cache, 0, &err);
	if (m->lat == NULL || m->c == NULL)
		return -1;
	if (strcmp(mode, "raw") == 0) {
		m->one = raw_one;
		return sqlite3_prepare_v2(cache_db(m->c), "SELECT data FROM rec WHERE home = ?1 AND kind = ?2 AND key = ''",
					  -1, &m->st, NULL) == SQLITE_OK ? 0 : -1;
	}
	if (strcmp(mode, "verdict") == 0) {
		m->one = verdict_one;
		m->p = lane_policy(m->c, &src, &err);
		if (m->p == NULL)
			return -1;
		return 0;
	}
	return -1;
}

static void runner_close(struct runner *m)
{
	sqlite3_finalize(m->st);
	policy_free(m->p);
	cache_close(m->c);
	free(m->lat);
}

/* Times one query into lat. */
static int timed(struct runner *m, const char *q, double *lat)
{
	double t0 = now_us();
	int rc = m->one(m, q);

	*lat = now_us() - t0;
	return rc;
}

#define BLOCK 500

int main(int argc, char **argv)
{
	static const char *const side[] = { "raw", "verdict" };
	struct runner m[2];
	size_t n, warm, nm;
	char **q;

	if (argc == 5 && strcmp(argv[1], "sample") == 0)
		return sample(argv[2], strtol(argv[3], NULL, 10), argv[4]);
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: bench_lookup sample|raw|verdict|side CACHE ...\n");
		return 64;
	}
	q = load(argv[3], &n);
	if (q == NULL || n == 0)
		return 66;
	warm = argc == 5 ? (size_t)strtol(argv[4], NULL, 10) : 0;
	if (warm >= n)
		return 64;
	nm = strcmp(argv[1], "side") == 0 ? 2 : 1;
	for (size_t k = 0; k < nm; k++)
		if (runner_open(&m[k], nm == 2 ? side[k] : argv[1], argv[2], n) != 0)
			return 70;
	for (size_t k = 0; k < nm; k++)
		for (size_t i = 0; i < warm; i++)
			if (m[k].one(&m[k], q[i]) != 0)
				return 70;
	if (nm == 1) {
		for (size_t i = warm; i < n; i++)
			if (timed(&m[0], q[i], &m[0].lat[i - warm]) != 0)
				return 70;
	} else {
		/* The modes take turns over blocks of queries, so that a noisy
		 * spell of a shared machine falls on both alike.  Each runs every
		 * query once, half the run away from the other's turn on it, so
		 * that neither finds the other's pages in the CPU's caches. */
		size_t nb = (n - warm + BLOCK - 1) / BLOCK;
		for (size_t b = 0; b < nb; b++) {
			for (size_t k = 0; k < 2; k++) {
				size_t blk = (b + k * nb / 2) % nb, lo = warm + blk * BLOCK;
				for (size_t i = lo; i < n && i < lo + BLOCK; i++)
					if (timed(&m[k], q[i], &m[k].lat[i - warm]) != 0)
						return 70;
			}
		}
	}
	for (size_t k = 0; k < nm; k++) {
		report(m[k].name, m[k].lat, n - warm);
		runner_close(&m[k]);
	}
	for (size_t i = 0; i < n; i++)
		free(q[i]);
	free(q);
	return 0;
}
