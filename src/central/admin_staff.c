/* admin_staff.c — the command centre's staff: who may sign in to the
 * centre's page.  Their own accounts, never a lane's token; a password is
 * kept only as its Argon2id hash (libsodium's crypto_pwhash_str). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "admin.h"

#define PW_MIN 10	/* characters (bytes) of a password, at least */
#define PW_MAX 256

/* One line from stdin into pw, without its newline: read with the echo off
 * when stdin is a terminal.  0, or -1. */
static int read_line(const char *prompt, char pw[PW_MAX])
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), ok;

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(pw, PW_MAX, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	return ok ? 0 : -1;
}

/* The new password's hash into hash: asked twice on a terminal, once from
 * a pipe.  0, or an exit code with its message said. */
static int new_password(char hash[crypto_pwhash_STRBYTES])
{
	char pw[PW_MAX], again[PW_MAX];
	int rc = 0;

	if (read_line(glmsg_env_zh() ? "新密码：" : "New password: ", pw) != 0) {
		admin_say("没有读到密码（从标准输入读取一行）", "no password read (one line on standard input)");
		return 65;
	}
	if (strlen(pw) < PW_MIN) {
		admin_say("密码至少 %d 个字符", "a password has at least %d characters", PW_MIN);
		rc = 65;
	} else if (isatty(STDIN_FILENO) &&
		   (read_line(glmsg_env_zh() ? "再输入一次：" : "Again: ", again) != 0 || strcmp(pw, again) != 0)) {
		admin_say("两次输入的密码不同", "the two passwords differ");
		rc = 65;
	} else if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		admin_say("内存不足，无法计算密码散列", "out of memory hashing the password");
		rc = 70;
	}
	sodium_memzero(pw, sizeof pw);
	sodium_memzero(again, sizeof again);
	return rc;
}

static int staff_add(struct cdb *db, int argc, char **argv)
{
	char hash[crypto_pwhash_STRBYTES];
	gl_msg err;
	int rc;

	if (argc != 1)
		return ADMIN_USAGE;
	if (!cdb_staff_valid(argv[0])) {
		admin_say("用户名为 1 到 63 个字母、数字、'.'、'_' 或 '-'",
			  "a name is 1 to 63 letters, digits, '.', '_' or '-'");
		return 65;
	}
	rc = new_password(hash);
	if (rc != 0)
		return rc;
	switch (cdb_staff_add(db, argv[0], hash, admin_now(), &err)) {
	case 0:
		admin_done("已添加工作人员 %s", "staff %s added", argv[0]);
		return 0;
	case 1:
		admin_say("工作人员 %s 已存在（改密码用 staff password）", "staff %s exists already (staff password changes it)",
			  argv[0]);
		return 65;
	default:
		admin_fail(&err);
		return 75;
	}
}

/* A change to a member (0, 1 no such member, -1 failed) as an exit code,
 * a failure said. */
static int member_outcome(int rc, const gl_msg *err, const char *name)
{
	if (rc == 1)
		admin_say("没有工作人员 %s", "no staff %s", name);
	else if (rc != 0)
		admin_fail(err);
	return rc == 0 ? 0 : rc == 1 ? 66 : 75;
}

static int staff_password(struct cdb *db, int argc, char **argv)
{
	char hash[crypto_pwhash_STRBYTES];
	gl_msg err;
	int rc;

	if (argc != 1)
		return ADMIN_USAGE;
	rc = new_password(hash);
	if (rc != 0)
		return rc;
	rc = cdb_staff_password(db, argv[0], hash, &err);
	if (rc == 0)
		admin_done("已更改 %s 的密码，其会话均已结束", "the password of %s changed; their sessions ended", argv[0]);
	return member_outcome(rc, &err, argv[0]);
}

static int staff_remove(struct cdb *db, int argc, char **argv)
{
	gl_msg err;
	int rc;

	if (argc != 1)
		return ADMIN_USAGE;
	rc = cdb_staff_remove(db, argv[0], &err);
	if (rc == 0)
		admin_done("已删除工作人员 %s，其会话均已结束", "staff %s removed; their sessions ended", argv[0]);
	return member_outcome(rc, &err, argv[0]);
}

static int staff_list(struct cdb *db, int argc, char **argv)
{
	(void)argv;
	return argc == 0 ? admin_print_json(cdb_staff_list(db)) : ADMIN_USAGE;
}

const struct admin_verb admin_staff[] = {
	{ "staff add", "NAME", "添加中心工作人员（密码从标准输入读取）", "a member of the centre's staff (password on stdin)",
	  staff_add, ADMIN_WRITE },
	{ "staff password", "NAME", "更改密码并结束其会话", "a new password; their sessions end", staff_password,
	  ADMIN_WRITE },
	{ "staff remove", "NAME", "删除工作人员并结束其会话", "the member and their sessions removed", staff_remove,
	  ADMIN_WRITE },
	{ "staff list", "", "列出工作人员", "the staff, their locks and sessions", staff_list, ADMIN_READ },
	{ NULL },
};
