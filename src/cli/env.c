/* env.c — where greenlane keeps its data and how this lane is configured:
 * the data directory, the configuration files (read here, parsed by
 * config.c), the lane interface's settings. */
#include <errno.h>
#include <locale.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "journal.h"
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

static int read_config(struct cli_env *env, const char *path, gl_msg *err)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;
	struct stat sb;
	int rc;

	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	snprintf(env->config_path, sizeof env->config_path, "%s", path);
	text = malloc(CLI_CONFIG_MAX + 1);
	n = text != NULL ? fread(text, 1, CLI_CONFIG_MAX + 1, f) : 0;
	if (text == NULL || ferror(f) || n > CLI_CONFIG_MAX) {
		glmsg_set(err, "配置文件 %s 无法读取或过大", "%s cannot be read or is too large", path);
		free(text);
		fclose(f);
		return -1;
	}
	text[n] = '\0';
	rc = cli_config_parse(env, text, path, err);
	free(text);
	/* The token lets whoever holds it post records as this lane. */
	if (rc == 0 && env->server_token[0] != '\0' && fstat(fileno(f), &sb) == 0 && (sb.st_mode & 044) != 0)
		glmsg_set(&env->warning, "警告：%s 含中心令牌，其他用户可读：请执行 chmod 600 %s",
			  "warning: %s holds the centre's token and others can read it: chmod 600 %s", path, path);
	fclose(f);
	return rc;
}

int cli_env_load(struct cli_env *env, gl_msg *err)
{
	const char *home = getenv("GREENLANE_HOME"), *xdg = getenv("XDG_DATA_HOME");
	const char *cfg = getenv("XDG_CONFIG_HOME"), *user = getenv("HOME");
	char path[PATH_MAX];

	memset(env, 0, sizeof *env);
	env->clear_after_s = 120;
	env->lock_after_s = 600;
	env->sync_interval_s = 60;
	env->bell = 1;
	env->zh = glmsg_env_zh();
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
	struct stat sb;

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
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	/* The data directory is its user's alone, also one made before. */
	if (stat(path, &sb) == 0 && (sb.st_mode & 077) != 0 && sb.st_uid == geteuid())
		chmod(path, 0700);
	return 0;
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
	cfg.tube_pattern = env->tube_pattern;
	cfg.zh = env->zh;
	cfg.clear_after_s = env->clear_after_s;
	cfg.bell = env->bell;
	cfg.lock_after_s = env->lock_after_s;
	/* With a centre configured, the lane syncs in the background. */
	cfg.sync_interval_s = env->server_url[0] != '\0' ? env->sync_interval_s : 0;
	cfg.warning = glmsg_text(&env->warning, env->zh);
	return tui_run(&cfg);
}

struct journal *cli_journal(const struct cli_env *env, gl_msg *err)
{
	if (cli_make_home(env, err) != 0)
		return NULL;
	return journal_open(env->journal_path, env->terminal[0] ? env->terminal : NULL, err);
}
