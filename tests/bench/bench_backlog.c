/* bench_backlog — a lane's offline backlog: appends N transit records to a
 * journal, each committed as `greenlane log` commits one, and prints how
 * long that took.
 *   bench_backlog JOURNAL TERMINAL N      (prints "backlog N records S s") */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "journal.h"

int main(int argc, char **argv)
{
	struct journal *j;
	struct timespec a, b;
	gl_msg err;
	long n = argc == 4 ? strtol(argv[3], NULL, 10) : 0;

	if (n <= 0) {
		fprintf(stderr, "usage: bench_backlog JOURNAL TERMINAL N\n");
		return 64;
	}
	j = journal_open(argv[1], argv[2], &err);
	if (j == NULL) {
		fprintf(stderr, "bench_backlog: %s\n", err.en);
		return 66;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		cJSON *f = cJSON_CreateObject();
		struct journal_entry e;
		char plate[32];
		snprintf(plate, sizeof plate, "豫D%05ld", 10001 + i % 80000);
		cJSON_AddStringToObject(f, "checkpoint", "PDS-01");
		cJSON_AddStringToObject(f, "direction", "in");
		cJSON_AddStringToObject(f, "officer", "0417");
		cJSON_AddStringToObject(f, "plate", plate);
		cJSON_AddArrayToObject(f, "crew");
		cJSON_AddStringToObject(f, "verdict", "pass");
		cJSON_AddStringToObject(f, "decision", "release");
		cJSON_AddBoolToObject(f, "override", 0);
		if (journal_append(j, "transit", (int64_t)time(NULL), f, &e, &err) != 0) {
			fprintf(stderr, "bench_backlog: record %ld: %s\n", i + 1, err.en);
			cJSON_Delete(f);
			journal_close(j);
			return 74;
		}
		cJSON_Delete(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("backlog %ld records %.3f s\n", n, (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	journal_close(j);
	return 0;
}
