/* admin_access.c — who may sign and who may call: the centre's signing
 * keys (for passes, policies and bundles; published as key records) and the
 * terminals' bearer tokens (printed once; only their SHA-256 is kept). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "admin.h"

/* A cdb_key_get failure as an exit code, its message printed. */
static int key_failed(int rc, const gl_msg *err)
{
	admin_fail(err);
	return rc == CDB_UNAVAILABLE ? 75 : 77;
}

int admin_ensure_key(struct cdb *db, const char *use)
{
	char kid[64];
	unsigned char pk[32], sk[64], rnd[4];
	gl_msg err;
	int rc = cdb_key_get(db, use, kid, sk, &err);

	sodium_memzero(sk, sizeof sk);
	if (rc == 1)
		return 0;
	if (rc < 0)
		return key_failed(rc, &err);
	crypto_sign_keypair(pk, sk);
	randombytes_buf(rnd, sizeof rnd);
	snprintf(kid, sizeof kid, "central-%s-%02x%02x%02x%02x", use, rnd[0], rnd[1], rnd[2], rnd[3]);
	rc = cdb_key_add(db, kid, use, sk, &err);
	sodium_memzero(sk, sizeof sk);
	if (rc != 0) {
		admin_fail(&err);
		return 70;
	}
	admin_say("新密钥 %s（%s）", "new key %s (%s)", kid, use);
	return 0;
}

int admin_signing_key(struct cdb *db, const char *use, char kid[64], unsigned char sk[64])
{
	gl_msg err;
	int rc = cdb_key_get(db, use, kid, sk, &err);

	if (rc == 1)
		return 0;
	if (rc < 0)
		return key_failed(rc, &err);
	admin_say("没有 %s 签名密钥：请先运行 admin init", "no %s signing key: run admin init first", use);
	return 66;
}

int admin_init_keys(struct cdb *db)
{
	int rc = admin_ensure_key(db, "pass");

	if (rc == 0)
		rc = admin_ensure_key(db, "policy");
	if (rc == 0)
		rc = admin_ensure_key(db, "snapshot");
	return rc;
}

/* keys move-out: with --keys DIR, every secret the database still holds
 * goes to DIR and leaves the database; lanes see no change (the key ids and
 * public halves stay as they were). */
static int keys_move_out(struct cdb *db, int argc, char **argv)
{
	gl_msg err;
	int n;

	(void)argv;
	if (argc != 0 || admin_keydir() == NULL)
		return ADMIN_USAGE;
	n = cdb_keys_move_out(db, &err);
	if (n < 0)
		return key_failed(n, &err);
	admin_done("已将 %d 个密钥移出数据库", "moved %d key(s) out of the database", n);
	return 0;
}

static int init(struct cdb *db, int argc, char **argv)
{
	(void)argv;
	return argc == 0 ? admin_init_keys(db) : ADMIN_USAGE;
}

/* token add|rotate|revoke TERMINAL: a new token is printed once. */
static int token(struct cdb *db, int argc, char **argv, const char *how)
{
	char tok[65];
	gl_msg err;
	int rc;

	if (argc != 1)
		return ADMIN_USAGE;
	if (strcmp(how, "revoke") == 0)
		rc = cdb_terminal_revoke(db, argv[0], &err) == 0 ? 0 : 66;
	else if (strcmp(how, "add") == 0)
		rc = cdb_terminal_add(db, argv[0], tok, &err) == 0 ? 0 : 65;
	else
		rc = cdb_terminal_rotate(db, argv[0], tok, &err) == 0 ? 0 : 66;
	if (rc != 0)
		admin_fail(&err);
	else if (strcmp(how, "revoke") != 0)
		printf("%s\n", tok);
	sodium_memzero(tok, sizeof tok);
	return rc;
}

static int token_add(struct cdb *db, int argc, char **argv) { return token(db, argc, argv, "add"); }
static int token_rotate(struct cdb *db, int argc, char **argv) { return token(db, argc, argv, "rotate"); }
static int token_revoke(struct cdb *db, int argc, char **argv) { return token(db, argc, argv, "revoke"); }

const struct admin_verb admin_access[] = {
	{ "init", "", "生成通行证、策略和数据包的签名密钥", "signing keys for passes, policies and bundles", init,
	  ADMIN_WRITE },
	{ "keys move-out", "", "（需 --keys 目录）将数据库中的签名私钥移入密钥目录",
	  "(with --keys DIR) the signing keys' secrets moved from the database to DIR", keys_move_out, ADMIN_WRITE },
	{ "token add", "TERMINAL", "为新终端生成令牌（只显示这一次）", "a new terminal's token (printed once)", token_add,
	  ADMIN_WRITE },
	{ "token rotate", "TERMINAL", "换发令牌：旧令牌立即失效", "a new token; the old one stops working at once",
	  token_rotate, ADMIN_WRITE },
	{ "token revoke", "TERMINAL", "吊销终端的令牌", "the terminal's token stops working", token_revoke,
	  ADMIN_WRITE },
	{ NULL },
};
