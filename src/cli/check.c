/* check.c — `greenlane check`: is the lane's data whole?  cache.db's
 * structure (a damaged one is marked, for the next sync to rebuild) and
 * journal.db's hash chain.  The lane screen runs it now and then in the
 * background. */
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"
#include "cache.h"
#include "journal.h"

int cmd_check(struct cli_env *env, int argc, char **argv)
{
	gl_msg err;
	int rc = 0, c;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "%s", cli_tr(env, "用法：greenlane check\n", "usage: greenlane check\n"));
		return EX_USAGE;
	}
	if (access(env->cache_path, F_OK) == 0) {
		c = cache_check(env->cache_path, &err);
		if (c == 0) {
			printf("cache.db: %s\n", cli_tr(env, "完好", "whole"));
		} else {
			cli_error(env, &err);
			rc = c > 0 ? EX_DATAERR : EX_IOERR;
		}
	}
	if (access(env->journal_path, F_OK) == 0) {
		struct journal *j = journal_open(env->journal_path, NULL, &err);
		if (j == NULL || journal_verify(j, &err) != 0) {
			cli_error(env, &err);
			rc = EX_DATAERR;
		} else {
			printf("journal.db: %s\n", cli_tr(env, "记录链完好", "the chain is whole"));
		}
		journal_close(j);
	}
	if (fflush(stdout) != 0)
		rc = EX_IOERR;
	return rc;
}
