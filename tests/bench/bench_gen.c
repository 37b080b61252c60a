/* bench_gen — writes the demo data set for a number of vehicles as an NDJSON
 * snapshot and the same records as CSV (kind,key,data) for sqlite3 .import.
 *   bench_gen VEHICLES OUT.ndjson OUT.csv */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"
#include "facts.h"

struct outs {
	FILE *nd, *csv;
	long records;
};

static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int emit(char *line, size_t len, void *arg)
{
	struct outs *o = arg;
	cJSON *j;
	char *data;

	fwrite(line, 1, len, o->nd);
	fputc('\n', o->nd);
	j = cJSON_ParseWithLength(line, len);
	if (facts_str(j, "kind") != NULL) {
		data = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(j, "data"));
		csv_field(o->csv, facts_str(j, "kind"));
		fputc(',', o->csv);
		csv_field(o->csv, facts_str(j, "key"));
		fputc(',', o->csv);
		csv_field(o->csv, data);
		fputc('\n', o->csv);
		cJSON_free(data);
		o->records++;
	}
	cJSON_Delete(j);
	return ferror(o->nd) || ferror(o->csv);
}

int main(int argc, char **argv)
{
	struct outs o = { NULL, NULL, 0 };
	long n;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_gen VEHICLES OUT.ndjson OUT.csv\n");
		return 64;
	}
	n = strtol(argv[1], NULL, 10);
	o.nd = fopen(argv[2], "w");
	o.csv = fopen(argv[3], "w");
	if (o.nd == NULL || o.csv == NULL)
		return 73;
	rc = demo_generate(n, 1652140800, emit, &o);
	if (fclose(o.nd) != 0 || fclose(o.csv) != 0 || rc != 0)
		return 74;
	printf("%ld\n", o.records);
	return 0;
}
