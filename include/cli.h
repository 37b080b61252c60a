/* cli.h — the command line's shared pieces: where data lives, the lane's
 * configuration, the user's language, and the subcommands.  Only cli and tui
 * decide what the user sees. */
#ifndef GL_CLI_H
#define GL_CLI_H
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include "glmsg.h"
#include "jws.h"

struct cli_env {
	char home[PATH_MAX];		/* data directory */
	char cache_path[PATH_MAX];
	char journal_path[PATH_MAX];
	char config_path[PATH_MAX];	/* the config file read, or "" */
	char checkpoint[64];		/* [lane] checkpoint */
	char region[16];		/* [lane] region (of the checkpoint) */
	int outbound;			/* [lane] direction = out */
	char officer[64];		/* [lane] officer */
	char terminal[64];		/* [lane] terminal */
	char province[8];		/* [lane] province, e.g. 豫 */
	char tube_pattern[128];		/* [lane] tube_pattern: POSIX ERE of a tube label, "" default */
	int zh;				/* [ui] lang, else the locale */
	int clear_after_s;		/* [ui] clear_after: seconds personal data stays on screen */
	int bell;			/* [ui] bell = on|off */
	int lock_after_s;		/* [ui] lock_after: idle seconds before the screen locks */
	char server_url[512];		/* [server] url */
	char server_token[80];		/* [server] token */
	char server_ca[512];		/* [server] ca: a CA file for the centre's certificate */
	int sync_interval_s;		/* [server] interval: seconds between sync rounds */
	struct jws_key bundle_key;	/* [server] bundle_key = KID:PUBLIC-KEY, trusted for
					 * signed bundles (kid "" if not set) */
	gl_msg warning;			/* something to say before anything else (a token others can read) */
};

/* Opens the lane interface on env's data. */
int cli_tui(struct cli_env *env);

/* Fills env from $GREENLANE_HOME / $XDG_DATA_HOME, the config file
 * ($XDG_CONFIG_HOME/greenlane/config.ini, then $GREENLANE_HOME/config.ini)
 * and the locale.  -1 with err on a malformed config file. */
int cli_env_load(struct cli_env *env, gl_msg *err);

/* Creates the data directory (mode 0700).  -1 with err. */
int cli_make_home(const struct cli_env *env, gl_msg *err);

/* The configuration file's text (NUL-terminated, changed in place) into
 * env, whose defaults the caller set; path names it in messages.  0, or -1
 * with err naming the line, and the key or value refused. */
#define CLI_CONFIG_MAX (64 * 1024)	/* bytes of a configuration file */
#define CLI_CONFIG_LINE_MAX 511
int cli_config_parse(struct cli_env *env, char *text, const char *path, gl_msg *err);

/* This lane's journal, its data directory made if need be, for the
 * configured terminal: NULL with err. */
struct journal *cli_journal(const struct cli_env *env, gl_msg *err);

/* "greenlane: message" on stderr in the user's language. */
void cli_error(const struct cli_env *env, const gl_msg *m);

/* Prints zh or en. */
const char *cli_tr(const struct cli_env *env, const char *zh, const char *en);

/* Parses --at: RFC 3339 or "now".  -1 if malformed. */
int cli_time(const char *s, int64_t *out);

/* The current time in seconds. */
int64_t cli_now(void);

int cmd_verify(struct cli_env *env, int argc, char **argv);
int cmd_log(struct cli_env *env, int argc, char **argv);
int cmd_import(struct cli_env *env, int argc, char **argv);
int cmd_demo(struct cli_env *env, int argc, char **argv);
int cmd_export(struct cli_env *env, int argc, char **argv);
int cmd_officer(struct cli_env *env, int argc, char **argv);
int cmd_sync(struct cli_env *env, int argc, char **argv);
int cmd_check(struct cli_env *env, int argc, char **argv);

#endif
