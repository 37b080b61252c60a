/* config.c — the lane's configuration file: a small INI file whose keys
 * are in the options table below (and in README.md).  Unknown keys and bad
 * values are refused, named, with their line number, so a typo never
 * silently changes how a lane decides.  No I/O: env.c reads the file. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "jws.h"
#include "tube.h"
#include "utf8.h"

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

int cli_config_parse(struct cli_env *env, char *text, const char *path, gl_msg *err)
{
	char section[32] = "", shown[64];
	int n = 0;

	for (char *line = text, *next; line != NULL; line = next) {
		char *s, *eq, *k, *v;
		int rc;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else if (*line == '\0')
			break;
		n++;
		if (strlen(line) > CLI_CONFIG_LINE_MAX) {
			glmsg_set(err, "%s 第 %d 行过长", "%s line %d is too long", path, n);
			return -1;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (close == NULL || close - s - 1 >= (long)sizeof section) {
				glmsg_set(err, "%s 第 %d 行：节名应为 [名称]", "%s line %d: a section is [name]", path, n);
				return -1;
			}
			*close = '\0';
			snprintf(section, sizeof section, "%s", s + 1);
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			glmsg_set(err, "%s 第 %d 行：应为 键 = 值", "%s line %d: expected key = value", path, n);
			return -1;
		}
		*eq = '\0';
		k = trim(s);
		v = trim(eq + 1);
		rc = set_option(env, section, k, v);
		utf8_excerpt(rc == -2 ? k : v, 24, shown, sizeof shown);
		if (rc == -2) {
			glmsg_set(err, "%s 第 %d 行：[%s] 中没有“%s”这个键", "%s line %d: [%s] has no key \"%s\"", path, n,
				  section, shown);
			return -1;
		}
		if (rc != 0) {
			glmsg_set(err, "%s 第 %d 行：“%s”不是 %s 的有效值", "%s line %d: \"%s\" is not a valid value for %s",
				  path, n, shown, k);
			return -1;
		}
	}
	return 0;
}
