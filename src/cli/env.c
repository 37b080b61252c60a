/* env.c — where greenlane keeps its data and how this lane is configured.
 * The config file is a small INI file; the keys are in the options table
 * below and in README.md.  Unknown keys and bad values are refused with their
 * line number, so a typo never silently changes how a lane decides. */
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
#include "utf8.h"
#include "gltime.h"
#include "tube.h"
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

/* KID:PUBLIC-KEY (base64url Ed25519), a key trusted to sign bundles. */
static int snapshot_key(const char *v, struct jws_key *out)
{
	const char *colon = strchr(v, ':');

	if (colon == NULL || colon == v || colon - v >= JWS_KID_MAX || jws_key_from_b64(colon + 1, out->pub) != 0)
		return -1;
	snprintf(out->kid, sizeof out->kid, "%.*s", (int)(colon - v), v);
	snprintf(out->use, sizeof out->use, "snapshot");
	return 0;
}

/* A tube pattern (tube.h) that compiles. */
static int tube_pattern(const char *v, char *out, size_t cap)
{
	if (tube_pattern_check(v, NULL) != 0)
		return -1;
	return set(out, cap, v);
}

enum opt_type { OPT_TEXT, OPT_SECONDS, OPT_CHOICE, OPT_KEY, OPT_TUBE };

/* Every configuration key: where it goes and how its value is read.  For
 * OPT_CHOICE the int field becomes 0 for no, 1 for yes; nothing else is
 * accepted. */
static const struct option {
	const char *section, *key;
	enum opt_type type;
	size_t off, cap;		/* the field in struct cli_env; cap for text */
	const char *no, *yes;
} options[] = {
#define TEXT(sec, key, field) { sec, key, OPT_TEXT, offsetof(struct cli_env, field), \
				sizeof ((struct cli_env *)0)->field, NULL, NULL }
#define SECS(sec, key, field) { sec, key, OPT_SECONDS, offsetof(struct cli_env, field), 0, NULL, NULL }
#define CHOICE(sec, key, field, no, yes) { sec, key, OPT_CHOICE, offsetof(struct cli_env, field), 0, no, yes }
	TEXT("lane", "checkpoint", checkpoint),
	TEXT("lane", "region", region),
	CHOICE("lane", "direction", outbound, "in", "out"),
	TEXT("lane", "officer", officer),
	TEXT("lane", "terminal", terminal),
	TEXT("lane", "province", province),
	{ "lane", "tube_pattern", OPT_TUBE, offsetof(struct cli_env, tube_pattern), sizeof ((struct cli_env *)0)->tube_pattern,
	  NULL, NULL },
	CHOICE("ui", "lang", zh, "en", "zh"),
	CHOICE("ui", "bell", bell, "off", "on"),
	SECS("ui", "clear_after", clear_after_s),
	SECS("ui", "lock_after", lock_after_s),
	TEXT("server", "url", server_url),
	TEXT("server", "token", server_token),
	TEXT("server", "ca", server_ca),
	SECS("server", "interval", sync_interval_s),
	{ "server", "bundle_key", OPT_KEY, offsetof(struct cli_env, bundle_key), 0, NULL, NULL },
#undef TEXT
#undef SECS
#undef CHOICE
};

/* Sets one key of one section: 0, -1 for a bad value, -2 for a key that
 * does not exist. */
static int set_option(struct cli_env *env, const char *section, const char *k, const char *v)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		const struct option *o = &options[i];
		char *field = (char *)env + o->off;
		if (strcmp(o->section, section) != 0 || strcmp(o->key, k) != 0)
			continue;
		switch (o->type) {
		case OPT_TEXT: return set(field, o->cap, v);
		case OPT_SECONDS: return seconds(v, (int *)(void *)field);
		case OPT_CHOICE: return choose(v, o->no, o->yes, (int *)(void *)field);
		case OPT_KEY: return snapshot_key(v, (struct jws_key *)(void *)field);
		case OPT_TUBE: return tube_pattern(v, field, o->cap);
		}
	}
	return -2;
}

static int read_config(struct cli_env *env, const char *path, gl_msg *err)
{
	FILE *f = fopen(path, "r");
	char line[512], section[32] = "", shown[64];
	struct stat sb;
	int n = 0;

	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	snprintf(env->config_path, sizeof env->config_path, "%s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		char *s, *eq, *k, *v;
		int rc;
		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			glmsg_set(err, "%s 第 %d 行过长", "%s line %d is too long", path, n);
			goto bad;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (close == NULL || close - s - 1 >= (long)sizeof section) {
				glmsg_set(err, "%s 第 %d 行：节名应为 [名称]", "%s line %d: a section is [name]", path, n);
				goto bad;
			}
			*close = '\0';
			snprintf(section, sizeof section, "%s", s + 1);
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			glmsg_set(err, "%s 第 %d 行：应为 键 = 值", "%s line %d: expected key = value", path, n);
			goto bad;
		}
		*eq = '\0';
		k = trim(s);
		v = trim(eq + 1);
		rc = set_option(env, section, k, v);
		utf8_excerpt(rc == -2 ? k : v, 24, shown, sizeof shown);
		if (rc == -2) {
			glmsg_set(err, "%s 第 %d 行：[%s] 中没有“%s”这个键", "%s line %d: [%s] has no key \"%s\"", path, n,
				  section, shown);
			goto bad;
		}
		if (rc != 0) {
			glmsg_set(err, "%s 第 %d 行：“%s”不是 %s 的有效值", "%s line %d: \"%s\" is not a valid value for %s",
				  path, n, shown, k);
			goto bad;
		}
	}
	/* The token lets whoever holds it post records as this lane. */
	if (env->server_token[0] != '\0' && fstat(fileno(f), &sb) == 0 && (sb.st_mode & 044) != 0)
		glmsg_set(&env->warning, "警告：%s 含中心令牌，其他用户可读：请执行 chmod 600 %s",
			  "warning: %s holds the centre's token and others can read it: chmod 600 %s", path, path);
	fclose(f);
	return 0;
bad:
	fclose(f);
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
