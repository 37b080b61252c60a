/* sync.c — `greenlane sync [--once]`: pull the centre's data and push the
 * journal, once or every [server] interval seconds until interrupted. */
#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"
#include "sync.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int round_once(struct cli_env *env, struct journal *j, const struct sync_config *cfg)
{
	struct sync_report r;
	gl_msg err;
	enum sync_status s = sync_once(cfg, j, &r, &err);

	if (r.snapshot)
		printf(cli_tr(env, "拉取：快照 %ld 条，游标 %lld%s\n", "pulled: snapshot of %ld records, cursor %lld%s\n"),
		       r.records, (long long)r.cursor, r.resumed ? cli_tr(env, "（断点续传）", " (resumed)") : "");
	else if (s == SYNC_OK || r.records > 0)
		printf(cli_tr(env, "拉取：变更 %ld 条，游标 %lld\n", "pulled: %ld changes, cursor %lld\n"), r.records,
		       (long long)r.cursor);
	if (s == SYNC_OK)
		printf(cli_tr(env, "上传：中心已收 %ld 条，拒收 %ld 条，未上传 %ld 条\n",
			      "pushed: %ld held by the centre, %ld refused, %ld unsent\n"), r.held, r.refused, r.left);
	if (r.skew_s > 60 || r.skew_s < -60)
		fprintf(stderr, "greenlane: %s %+lld s\n",
			cli_tr(env, "警告：本机时钟与中心相差", "warning: this clock differs from the centre's by"),
			(long long)r.skew_s);
	fflush(stdout);
	if (s != SYNC_OK) {
		cli_error(env, &err);
		fprintf(stderr, "greenlane: %s\n", cli_tr(env, "本地记录均已保留，稍后重试", "nothing local was lost: try again later"));
	}
	switch (s) {
	case SYNC_OK: return 0;
	case SYNC_NETWORK: return EX_UNAVAILABLE;
	case SYNC_REFUSED: return EX_NOPERM;
	case SYNC_DATA: return EX_DATAERR;
	case SYNC_CONFIG: return EX_CONFIG;
	default: return EX_IOERR;
	}
}

int cmd_sync(struct cli_env *env, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "once", no_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct sync_config cfg;
	struct journal *j;
	gl_msg err;
	int once = 0, ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "oh", longs, NULL)) != -1) {
		if (ch != 'o') {
			fprintf(stderr, "%s", cli_tr(env, "用法：greenlane sync [--once]\n", "usage: greenlane sync [--once]\n"));
			return EX_USAGE;
		}
		once = 1;
	}
	if (cli_make_home(env, &err) != 0 ||
	    (j = journal_open(env->journal_path, env->terminal[0] ? env->terminal : NULL, &err)) == NULL) {
		cli_error(env, &err);
		return EX_CANTCREAT;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.url = env->server_url;
	cfg.token = env->server_token;
	cfg.ca = env->server_ca;
	cfg.cache_path = env->cache_path;
	cfg.work_dir = env->home;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	for (;;) {
		rc = round_once(env, j, &cfg);
		if (once || stop)
			break;
		for (int s = 0; s < env->sync_interval_s && !stop; s++)
			sleep(1);
		if (stop)
			break;
	}
	journal_close(j);
	return rc;
}
