/* export.c — `greenlane export`: the journal as CSV for the daily ledger or
 * as JSON lines (each record's exact hashed body). */
#include <getopt.h>
#include <string.h>
#include <sysexits.h>
#include "cli.h"
#include "facts.h"
#include "journal.h"

/* Writes s as one CSV field (RFC 4180 quoting). */
static void csv_field(const char *s, int last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static int row_csv(const cJSON *b, void *arg)
{
	char seq[24], codes[512] = "";
	const cJSON *r;

	(void)arg;
	snprintf(seq, sizeof seq, "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "seq")));
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(b, "reasons")) {
		const char *c = facts_str(r, "code");
		if (c != NULL && strlen(codes) + strlen(c) + 2 < sizeof codes) {
			if (codes[0] != '\0')
				strncat(codes, ";", sizeof codes - strlen(codes) - 1);
			strncat(codes, c, sizeof codes - strlen(codes) - 1);
		}
	}
	csv_field(seq, 0);
	csv_field(facts_str(b, "uuid"), 0);
	csv_field(facts_str(b, "at"), 0);
	csv_field(facts_str(b, "kind"), 0);
	csv_field(facts_str(b, "checkpoint"), 0);
	csv_field(facts_str(b, "officer"), 0);
	csv_field(facts_str(b, "plate"), 0);
	csv_field(facts_str(b, "verdict"), 0);
	csv_field(facts_str(b, "decision"), 0);
	csv_field(codes, 0);
	csv_field(facts_str(b, "prev_hash"), 1);
	return ferror(stdout);
}

static int row_jsonl(const cJSON *b, void *arg)
{
	char *s = cJSON_PrintUnformatted(b);

	(void)arg;
	if (s != NULL)
		puts(s);
	cJSON_free(s);
	return s == NULL || ferror(stdout);
}

int cmd_export(struct cli_env *env, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "csv", no_argument, NULL, 'c' }, { "jsonl", no_argument, NULL, 'j' },
		{ "since", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct journal *j;
	int64_t since = INT64_MIN;
	int csv = 1, ch, rc;
	gl_msg err;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "cjs:h", longs, NULL)) != -1) {
		if (ch == 'c')
			csv = 1;
		else if (ch == 'j')
			csv = 0;
		else if (ch == 's' && cli_time(optarg, &since) == 0)
			continue;
		else
			goto usage;
	}
	if (optind != argc)
		goto usage;
	/* Whatever terminal it belongs to: export reads. */
	j = cli_make_home(env, &err) == 0 ? journal_open(env->journal_path, NULL, &err) : NULL;
	if (j == NULL) {
		cli_error(env, &err);
		return EX_NOINPUT;
	}
	if (csv)
		puts("seq,uuid,at,kind,checkpoint,officer,plate,verdict,decision,reasons,prev_hash");
	rc = journal_each(j, NULL, since, csv ? row_csv : row_jsonl, NULL, &err);
	journal_close(j);
	if (rc != 0) {
		cli_error(env, &err);
		return EX_IOERR;
	}
	return fflush(stdout) != 0 ? EX_IOERR : 0;
usage:
	fprintf(stderr, "%s", cli_tr(env, "用法：greenlane export [--csv|--jsonl] [--since 时间]\n",
				      "usage: greenlane export [--csv|--jsonl] [--since TIME]\n"));
	return EX_USAGE;
}
