/* officer.c — `greenlane officer add|remove|list`: who may sign in at this
 * lane.  The PIN is read from the terminal without echo (twice), or as one
 * line from a pipe. */
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>
#include "cli.h"
#include "facts.h"
#include "journal.h"

/* The rule, where the PIN is asked for (journal.h has the numbers). */
#define STR_(x) #x
#define STR(x) STR_(x)
#define PIN_RULE_ZH STR(JOURNAL_PIN_MIN) " 至 " STR(JOURNAL_PIN_MAX) " 个字符"
#define PIN_RULE_EN STR(JOURNAL_PIN_MIN) " to " STR(JOURNAL_PIN_MAX) " characters"

static int read_pin(const struct cli_env *env, const char *prompt, char *out, size_t cap)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), rc = -1;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)cap, stdin) != NULL) {
		out[strcspn(out, "\r\n")] = '\0';
		rc = 0;
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	(void)env;
	return rc;
}

int cmd_officer(struct cli_env *env, int argc, char **argv)
{
	struct journal *j;
	char pin[80], again[80];
	gl_msg err;
	int rc = 0;

	if (argc < 2 || (strcmp(argv[1], "add") == 0 && (argc < 3 || argc > 4)) ||
	    (strcmp(argv[1], "remove") == 0 && argc != 3) || (strcmp(argv[1], "list") == 0 && argc != 2) ||
	    (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "remove") != 0 && strcmp(argv[1], "list") != 0)) {
		fprintf(stderr, "%s", cli_tr(env,
			"用法：greenlane officer add 工号 [姓名] | remove 工号 | list\n（PIN 为 " PIN_RULE_ZH "，从终端读取，不回显；或从管道读一行）\n",
			"usage: greenlane officer add ID [NAME] | remove ID | list\n(the PIN, " PIN_RULE_EN ", is read from the terminal without echo, or one line from a pipe)\n"));
		return EX_USAGE;
	}
	j = cli_journal(env, &err);
	if (j == NULL) {
		cli_error(env, &err);
		return EX_CANTCREAT;
	}
	if (strcmp(argv[1], "list") == 0) {
		cJSON *all = journal_officers(j), *o;
		cJSON_ArrayForEach(o, all)
			printf("%s\t%s\n", facts_str(o, "id"), facts_str(o, "name"));
		cJSON_Delete(all);
	} else if (strcmp(argv[1], "remove") == 0) {
		rc = journal_officer_remove(j, argv[2], &err);
		if (rc < 0)
			cli_error(env, &err);
		else if (rc > 0)
			fprintf(stderr, "greenlane: %s: %s\n", cli_tr(env, "没有该警员", "no such officer"), argv[2]);
		rc = rc == 0 ? 0 : rc > 0 ? EX_DATAERR : EX_IOERR;
	} else if (read_pin(env, cli_tr(env, "PIN（" PIN_RULE_ZH "）：", "PIN (" PIN_RULE_EN "): "), pin, sizeof pin) != 0 ||
		   (isatty(STDIN_FILENO) &&
		    (read_pin(env, cli_tr(env, "再次输入 PIN：", "PIN again: "), again, sizeof again) != 0 ||
		     strcmp(pin, again) != 0))) {
		fprintf(stderr, "greenlane: %s\n", cli_tr(env, "两次 PIN 不一致或未输入", "the PINs differ or none was given"));
		rc = EX_DATAERR;
	} else if (journal_officer_set(j, argv[2], argc == 4 ? argv[3] : "", pin, &err) != 0) {
		cli_error(env, &err);
		rc = EX_DATAERR;
	} else {
		printf("OK %s\n", argv[2]);
	}
	memset(pin, 0, sizeof pin);
	memset(again, 0, sizeof again);
	journal_close(j);
	return rc;
}
