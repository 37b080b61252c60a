/* import.c — `greenlane import` and `greenlane demo`: NDJSON into cache.db
 * through the one import path, streaming (one line in memory at a time),
 * with a progress bar when stderr is a terminal. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include "cache.h"
#include "cli.h"
#include "demo.h"
#include "gltime.h"

struct progress {
	int tty;
	off_t total;		/* bytes expected, 0 if unknown */
	off_t done;
	long lines;
	struct timespec start, last;
	const struct cli_env *env;
};

static double since(const struct timespec *a)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->tv_sec) + (double)(now.tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_show(struct progress *p, int final)
{
	char bar[41];
	double el = since(&p->start);

	if (!p->tty || (!final && since(&p->last) < 0.1))
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	if (p->total > 0) {
		int fill = (int)(40.0 * (double)p->done / (double)p->total);
		if (fill > 40)
			fill = 40;
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(40 - fill));
		bar[40] = '\0';
		fprintf(stderr, "\r[%s] %3d%% %ld %s %.0f/s ", bar, (int)(100.0 * (double)p->done / (double)p->total),
			p->lines, cli_tr(p->env, "行", "lines"), el > 0 ? (double)p->lines / el : 0.0);
	} else {
		fprintf(stderr, "\r%ld %s %.0f/s ", p->lines, cli_tr(p->env, "行", "lines"),
			el > 0 ? (double)p->lines / el : 0.0);
	}
	if (final)
		fputc('\n', stderr);
}

static void summary(const struct cli_env *env, const struct cache_stats *st, double secs)
{
	char asof[40] = "-";

	if (st->as_of != INT64_MIN)
		gltime_format(st->as_of, GLTIME_CST, asof, sizeof asof);
	fprintf(stderr, cli_tr(env, "已导入 %ld 条（写入 %ld，删除 %ld，拒收 %ld），用时 %.1f 秒；数据时间 %s\n",
				  "imported %ld lines (%ld put, %ld deleted, %ld refused) in %.1f s; data as of %s\n"),
		st->lines, st->puts, st->dels, st->refused, secs, asof);
}

struct feed {
	struct cache_import *im;
	struct progress *pg;
	gl_msg err;
};

static int feed_line(char *line, size_t len, void *arg)
{
	struct feed *f = arg;

	f->pg->lines++;
	progress_show(f->pg, 0);
	return cache_import_line(f->im, line, len, &f->err) != 0;
}

/* Opens the cache to write: a fresh file when asked or when there is none. */
static struct cache *open_target(const struct cli_env *env, int fresh, gl_msg *err)
{
	if (cli_make_home(env, err) != 0)
		return NULL;
	if (fresh || access(env->cache_path, F_OK) != 0)
		return cache_create_fresh(env->cache_path, err);
	return cache_open(env->cache_path, 1, err);
}

static int finish(const struct cli_env *env, struct cache *c, struct cache_import *im,
		  struct progress *pg, int ok, gl_msg *err)
{
	struct cache_stats st;
	gl_msg warn;

	progress_show(pg, 1);
	if (!ok) {
		cache_import_abort(im);
		cache_discard(c);
		cli_error(env, err);
		fprintf(stderr, "greenlane: %s\n", cli_tr(env, "导入已取消，本地数据未改变",
							     "import cancelled: the local data is unchanged"));
		return EX_DATAERR;
	}
	if (cache_import_finish(im, &st, &warn, err) != 0) {
		cache_discard(c);
		cli_error(env, err);
		return EX_IOERR;
	}
	if (cache_install(c, err) != 0) {
		cli_error(env, err);
		return EX_IOERR;
	}
	if (warn.en[0] != '\0')
		cli_error(env, &warn);
	summary(env, &st, since(&pg->start));
	return 0;
}

static void import_progress(void *arg, long lines, int64_t done, int64_t total)
{
	struct progress *pg = arg;

	pg->lines = lines;
	pg->done = (off_t)done;
	pg->total = (off_t)total;
	progress_show(pg, 0);
}

int cmd_import(struct cli_env *env, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "replace", no_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct progress pg;
	struct cache_stats st;
	gl_msg err, warn;
	int replace = 0, ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "rh", longs, NULL)) != -1) {
		if (ch != 'r')
			goto usage;
		replace = 1;
	}
	if (optind != argc - 1)
		goto usage;
	if (cli_make_home(env, &err) != 0) {
		cli_error(env, &err);
		return EX_CANTCREAT;
	}
	memset(&pg, 0, sizeof pg);
	pg.env = env;
	pg.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	rc = cache_import_file(env->cache_path, argv[optind], replace, &env->bundle_key,
			       env->bundle_key.kid[0] != '\0', import_progress, &pg, &st, &warn, &err);
	progress_show(&pg, 1);
	if (rc != 0) {
		cli_error(env, &err);
		if (rc == CACHE_IMPORT_NOINPUT)
			return EX_NOINPUT;
		fprintf(stderr, "greenlane: %s\n", cli_tr(env, "导入已取消，本地数据未改变",
							     "import cancelled: the local data is unchanged"));
		return rc == CACHE_IMPORT_DATA ? EX_DATAERR : EX_IOERR;
	}
	if (warn.en[0] != '\0')
		cli_error(env, &warn);
	if (st.signed_by[0] != '\0')
		fprintf(stderr, cli_tr(env, "数据包签名已验证（密钥 %s）\n", "bundle signature verified (key %s)\n"),
			st.signed_by);
	else
		fprintf(stderr, "%s", cli_tr(env, "文件未签名：内容未经验证\n", "unsigned file: its content was not verified\n"));
	summary(env, &st, since(&pg.start));
	return 0;
usage:
	fprintf(stderr, "%s", cli_tr(env, "用法：greenlane import [--replace] 文件|-\n",
				      "usage: greenlane import [--replace] FILE|-\n"));
	return EX_USAGE;
}

int cmd_demo(struct cli_env *env, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "size", required_argument, NULL, 's' }, { "no-tui", no_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 'a' }, { "forged-token", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct progress pg;
	struct feed fd;
	struct cache *c;
	long size = DEMO_DEFAULT_SIZE;
	int64_t at = cli_now();
	int ch, no_tui = 0, forged = 0, rc;
	char *end;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:na:fh", longs, NULL)) != -1) {
		switch (ch) {
		case 's':
			size = strtol(optarg, &end, 10);
			if (*end != '\0' || size < 40 || size > 50000000)
				goto usage;
			break;
		case 'n': no_tui = 1; break;
		case 'f': forged = 1; break;
		case 'a':
			if (cli_time(optarg, &at) != 0)
				goto usage;
			break;
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (forged) {
		char *t = demo_forged_token(at);
		if (t == NULL)
			return EX_SOFTWARE;
		puts(t);
		free(t);
		return 0;
	}
	memset(&pg, 0, sizeof pg);
	memset(&fd, 0, sizeof fd);
	pg.env = env;
	pg.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	c = open_target(env, 1, &fd.err);
	fd.im = c != NULL ? cache_import_begin(c, &fd.err) : NULL;
	if (fd.im == NULL) {
		cli_error(env, &fd.err);
		cache_discard(c);
		return EX_CANTCREAT;
	}
	fd.pg = &pg;
	rc = demo_generate(size, at, feed_line, &fd);
	if (rc < 0)
		glmsg_set(&fd.err, "演示数据生成失败", "demo generation failed");
	rc = finish(env, c, fd.im, &pg, rc == 0, &fd.err);
	if (rc != 0)
		return rc;
	fprintf(stderr, "%s %s\n", cli_tr(env, "演示数据已写入", "demo data written to"), env->cache_path);
	if (!no_tui)
		return cli_tui(env);
	return 0;
usage:
	fprintf(stderr, "%s", cli_tr(env,
		"用法：greenlane demo [--size 车辆数] [--no-tui] [--at 时间] [--forged-token]\n",
		"usage: greenlane demo [--size VEHICLES] [--no-tui] [--at TIME] [--forged-token]\n"));
	return EX_USAGE;
}
