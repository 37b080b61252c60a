/* sync.c — `greenlane sync [--once [--wait]]`: push the journal and pull the
 * centre's data, once or until interrupted.  Rounds follow one another at
 * once while the centre waits for changes (a round's change page is held
 * until something changes, up to [server] interval or SYNC_WAIT_MAX
 * seconds); with an older centre, every interval seconds.  SIGUSR1 ends a
 * wait at once (the lane has a record to push).  SIGTERM and SIGINT end a
 * round at once (what was committed stays); a failed round is tried again
 * sooner, after a random wait up to an exponential bound. */
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "sync.h"

static volatile sig_atomic_t stop, wake;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_wake(int sig)
{
	(void)sig;
	wake = 1;
}

/* The line the lane's screen reads to know the sync is waiting, not
 * working: "wait: " in every language, then what it waits for. */
static void waiting(void *arg, long long cursor, int s)
{
	struct cli_env *env = arg;

	printf("wait: ");
	printf(cli_tr(env, "等待游标 %lld 之后的变更，至多 %d 秒\n", "changes after cursor %lld, up to %d s\n"), cursor, s);
	fflush(stdout);
}

static int exit_code(enum sync_status s)
{
	switch (s) {
	case SYNC_OK: return 0;
	case SYNC_NETWORK: return EX_UNAVAILABLE;
	case SYNC_REFUSED: return EX_NOPERM;
	case SYNC_DATA: return EX_DATAERR;
	case SYNC_CONFIG: return EX_CONFIG;
	case SYNC_STOPPED: case SYNC_BUSY: return EX_TEMPFAIL;
	default: return EX_IOERR;
	}
}

/* One round; *waits: the centre waits for changes, so the next round may
 * follow at once. */
static int round_once(struct cli_env *env, struct journal *j, const struct sync_config *cfg, int *waits)
{
	struct sync_report r;
	gl_msg err;
	enum sync_status s;

	wake = 0;
	s = sync_once(cfg, j, &r, &err);
	/* After a snapshot the next round learns whether the centre waits. */
	*waits = s == SYNC_OK && (r.centre_waits || r.snapshot);

	if (r.push == SYNC_OK || r.held > 0 || r.refused > 0)
		printf(cli_tr(env, "上传：中心已收 %ld 条，拒收 %ld 条，未上传 %ld 条\n",
			      "pushed: %ld held by the centre, %ld refused, %ld unsent\n"), r.held, r.refused, r.left);
	if (r.unknown > 0)
		fprintf(stderr, "greenlane: %s %ld\n", cli_tr(env, "警告：中心回复中提到了未发送的记录，已忽略：",
							     "warning: the centre named records that were not sent (ignored):"), r.unknown);
	if (r.snapshot)
		printf(cli_tr(env, "拉取：快照 %ld 条，游标 %lld%s\n", "pulled: snapshot of %ld records, cursor %lld%s\n"),
		       r.records, (long long)r.cursor, r.resumed ? cli_tr(env, "（断点续传）", " (resumed)") : "");
	else if (r.pull == SYNC_OK || r.records > 0)
		printf(cli_tr(env, "拉取：变更 %ld 条，游标 %lld\n", "pulled: %ld changes, cursor %lld\n"), r.records,
		       (long long)r.cursor);
	if (r.skew_s > 60 || r.skew_s < -60)
		fprintf(stderr, "greenlane: %s %+lld s\n",
			cli_tr(env, "警告：本机时钟与中心相差", "warning: this clock differs from the centre's by"),
			(long long)r.skew_s);
	fflush(stdout);
	if (s != SYNC_OK) {
		cli_error(env, &err);
		if (s != SYNC_CONFIG && s != SYNC_BUSY)
			fprintf(stderr, "greenlane: %s\n", cli_tr(env, "本地记录均已保留，稍后重试", "nothing local was lost: try again later"));
	}
	return exit_code(s);
}

/* Waits s seconds, or less if a stop is asked for. */
static void wait_s(unsigned s)
{
	struct timespec ts = { 0, 100000000L };

	for (unsigned i = 0; i < s * 10 && !stop; i++)
		nanosleep(&ts, NULL);
}

int cmd_sync(struct cli_env *env, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "once", no_argument, NULL, 'o' }, { "wait", no_argument, NULL, 'w' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sync_config cfg;
	struct sigaction sa;
	struct journal *j;
	gl_msg err;
	int once = 0, wait = 0, waits = 0, ch, rc, failures = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "owh", longs, NULL)) != -1) {
		if (ch != 'o' && ch != 'w') {
			fprintf(stderr, "%s", cli_tr(env, "用法：greenlane sync [--once [--wait]]\n",
						     "usage: greenlane sync [--once [--wait]]\n"));
			return EX_USAGE;
		}
		once |= ch == 'o';
		wait |= ch == 'w';
	}
	j = cli_journal(env, &err);
	if (j == NULL) {
		cli_error(env, &err);
		return EX_CANTCREAT;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.url = env->server_url;
	cfg.token = env->server_token;
	cfg.ca = env->server_ca;
	cfg.cache_path = env->cache_path;
	cfg.work_dir = env->home;
	cfg.stop = &stop;
	/* A round waits for changes as long as a round would wait anyway. */
	cfg.wait_s = !once || wait ? env->sync_interval_s : 0;
	cfg.wake = &wake;
	cfg.take_turn = once && !wait;
	cfg.waiting = waiting;
	cfg.arg = env;
	/* No SA_RESTART: a wait in progress ends with the signal. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_wake;
	sigaction(SIGUSR1, &sa, NULL);
	for (;;) {
		time_t began = time(NULL);
		rc = round_once(env, j, &cfg, &waits);
		if (once || stop || rc == EX_CONFIG)
			break;
		/* A failed round comes again sooner, at a random time up to an
		 * exponential bound (full jitter), never later than the interval. */
		failures = rc == 0 ? 0 : failures + 1;
		if (failures == 0 && waits) {
			/* The centre held the round until there was news: the next
			 * follows at once, but not twice a second. */
			if (time(NULL) == began)
				wait_s(1);
		} else if (failures == 0) {
			wait_s((unsigned)env->sync_interval_s);
		} else {
			unsigned bound = 1u << (failures < 8 ? failures : 8);
			if (bound > (unsigned)env->sync_interval_s)
				bound = (unsigned)env->sync_interval_s;
			wait_s(randombytes_uniform(bound + 1));
		}
		if (stop)
			break;
	}
	journal_close(j);
	return rc;
}
