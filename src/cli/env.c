/* env.c — where greenlane keeps its data and how this lane is configured.
 * The config file is a small INI file:
 *   [lane]  checkpoint, region, direction (in|out), officer, terminal,
 *           province (the local province character, e.g. 豫)
 *   [ui]    lang (zh|en)
 * Unknown keys are refused with their line number, so a typo never silently
 * changes how a lane decides. */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cli.h"
#include "gltime.h"
#include "tui.h"

const char *cli_tr(const struct cli_env *env, const char *zh, const char *en)
{
	return env->zh ? zh : en;
}

void cli_error(const struct cli_env *env, const gl_msg *m)
{
	fprintf(stderr, "greenlane: %s\n", glmsg_text(m, env->zh));
}

int64_t cli_now(void)
{
	return (int64_t)time(NULL);
}

int cli_time(const char *s, int64_t *out)
{
	if (strcmp(s, "now") == 0) {
		*out = cli_now();
		return 0;
	}
	return gltime_parse(s, out);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int set(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* Sets *out to 0 for v == no, 1 for v == yes; -1 for anything else. */
static int choose(const char *v, const char *no, const char *yes, int *out)
{
	if (strcmp(v, no) != 0 && strcmp(v, yes) != 0)
		return -1;
	*out = strcmp(v, yes) == 0;
	return 0;
}

/* A whole number of seconds, 0 … one day. */
static int seconds(const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < 0 || n > 86400)
		return -1;
	*out = (int)n;
	return 0;
}

static int read_config(struct cli_env *env, const char *path, gl_msg *err)
{
	FILE *f = fopen(path, "r");
	char line[512], section[32] = "";
	int n = 0;

	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	snprintf(env->config_path, sizeof env->config_path, "%s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		char *s = trim(line), *eq, *k, *v;
		int bad = 0;
		n++;
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (close == NULL || close - s - 1 >= (long)sizeof section)
				goto bad;
			*close = '\0';
			snprintf(section, sizeof section, "%s", s + 1);
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL)
			goto bad;
		*eq = '\0';
		k = trim(s);
		v = trim(eq + 1);
		if (strcmp(section, "lane") == 0 && strcmp(k, "checkpoint") == 0)
			bad = set(env->checkpoint, sizeof env->checkpoint, v);
		else if (strcmp(section, "lane") == 0 && strcmp(k, "region") == 0)
			bad = set(env->region, sizeof env->region, v);
		else if (strcmp(section, "lane") == 0 && strcmp(k, "direction") == 0)
			bad = choose(v, "in", "out", &env->outbound);
		else if (strcmp(section, "lane") == 0 && strcmp(k, "officer") == 0)
			bad = set(env->officer, sizeof env->officer, v);
		else if (strcmp(section, "lane") == 0 && strcmp(k, "terminal") == 0)
			bad = set(env->terminal, sizeof env->terminal, v);
		else if (strcmp(section, "lane") == 0 && strcmp(k, "province") == 0)
			bad = set(env->province, sizeof env->province, v);
		else if (strcmp(section, "ui") == 0 && strcmp(k, "lang") == 0)
			bad = choose(v, "en", "zh", &env->zh);
		else if (strcmp(section, "ui") == 0 && strcmp(k, "bell") == 0)
			bad = choose(v, "off", "on", &env->bell);
		else if (strcmp(section, "ui") == 0 && strcmp(k, "clear_after") == 0)
			bad = seconds(v, &env->clear_after_s);
		else if (strcmp(section, "ui") == 0 && strcmp(k, "lock_after") == 0)
			bad = seconds(v, &env->lock_after_s);
		else if (strcmp(section, "server") == 0 && strcmp(k, "url") == 0)
			bad = set(env->server_url, sizeof env->server_url, v);
		else if (strcmp(section, "server") == 0 && strcmp(k, "token") == 0)
			bad = set(env->server_token, sizeof env->server_token, v);
		else if (strcmp(section, "server") == 0 && strcmp(k, "ca") == 0)
			bad = set(env->server_ca, sizeof env->server_ca, v);
		else if (strcmp(section, "server") == 0 && strcmp(k, "interval") == 0)
			bad = seconds(v, &env->sync_interval_s);
		else
			bad = -1;
		if (bad)
			goto bad;
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	glmsg_set(err, "配置文件 %s 第 %d 行无效", "%s line %d is not valid configuration", path, n);
	return -1;
}

int cli_env_load(struct cli_env *env, gl_msg *err)
{
	const char *home = getenv("GREENLANE_HOME"), *xdg = getenv("XDG_DATA_HOME");
	const char *cfg = getenv("XDG_CONFIG_HOME"), *user = getenv("HOME");
	const char *lang = getenv("LC_ALL");
	char path[PATH_MAX];

	memset(env, 0, sizeof *env);
	env->clear_after_s = 120;
	env->lock_after_s = 600;
	env->sync_interval_s = 60;
	env->bell = 1;
	if (lang == NULL || *lang == '\0')
		lang = getenv("LC_MESSAGES");
	if (lang == NULL || *lang == '\0')
		lang = getenv("LANG");
	env->zh = lang != NULL && strncmp(lang, "zh", 2) == 0;
	if (home != NULL && *home != '\0')
		snprintf(env->home, sizeof env->home, "%s", home);
	else if (xdg != NULL && *xdg != '\0')
		snprintf(env->home, sizeof env->home, "%s/greenlane", xdg);
	else
		snprintf(env->home, sizeof env->home, "%s/.local/share/greenlane", user ? user : ".");
	snprintf(env->cache_path, sizeof env->cache_path, "%s/cache.db", env->home);
	snprintf(env->journal_path, sizeof env->journal_path, "%s/journal.db", env->home);

	if (cfg != NULL && *cfg != '\0')
		snprintf(path, sizeof path, "%s/greenlane/config.ini", cfg);
	else
		snprintf(path, sizeof path, "%s/.config/greenlane/config.ini", user ? user : ".");
	if (read_config(env, path, err) != 0)
		return -1;
	if (home != NULL && *home != '\0') {
		snprintf(path, sizeof path, "%s/config.ini", home);
		if (read_config(env, path, err) != 0)
			return -1;
	}
	return 0;
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int cli_make_home(const struct cli_env *env, gl_msg *err)
{
	char p[PATH_MAX];

	snprintf(p, sizeof p, "%s", env->home);
	if (mkdirs(p) != 0) {
		glmsg_set(err, "无法创建数据目录 %s：%s", "cannot create the data directory %s: %s",
			  env->home, strerror(errno));
		return -1;
	}
	return 0;
}

int cli_tui(struct cli_env *env)
{
	struct tui_config cfg;
	gl_msg err;

	if (cli_make_home(env, &err) != 0) {
		cli_error(env, &err);
		return 73;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.home = env->home;
	cfg.cache_path = env->cache_path;
	cfg.journal_path = env->journal_path;
	cfg.checkpoint_id = env->checkpoint;
	cfg.region = env->region;
	cfg.outbound = env->outbound;
	cfg.officer = env->officer;
	cfg.terminal = env->terminal;
	cfg.province = env->province;
	cfg.zh = env->zh;
	cfg.clear_after_s = env->clear_after_s;
	cfg.bell = env->bell;
	cfg.lock_after_s = env->lock_after_s;
	/* With a centre configured, the lane syncs in the background. */
	cfg.sync_interval_s = env->server_url[0] != '\0' ? env->sync_interval_s : 0;
	return tui_run(&cfg);
}
