/* admin_access.c — who may sign and who may call: the centre's signing
 * keys (for passes, policies and bundles; published as key records) and the
 * terminals' bearer tokens (printed once; only their SHA-256 is kept). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "admin.h"

int admin_ensure_key(struct cdb *db, const char *use, gl_msg *err)
{
	char kid[64];
	unsigned char pk[32], sk[64], rnd[4];

	if (cdb_key_get(db, use, kid, sk))
		return 0;
	crypto_sign_keypair(pk, sk);
	randombytes_buf(rnd, sizeof rnd);
	snprintf(kid, sizeof kid, "central-%s-%02x%02x%02x%02x", use, rnd[0], rnd[1], rnd[2], rnd[3]);
	if (cdb_key_add(db, kid, use, sk, err) != 0)
		return -1;
	fprintf(stderr, "key %s (%s)\n", kid, use);
	sodium_memzero(sk, sizeof sk);
	return 0;
}

int admin_init_keys(struct cdb *db)
{
	gl_msg err;

	if (admin_ensure_key(db, "pass", &err) != 0 || admin_ensure_key(db, "policy", &err) != 0 ||
	    admin_ensure_key(db, "snapshot", &err) != 0) {
		admin_fail(&err);
		return 70;
	}
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
	{ "token add", "TERMINAL", "为新终端生成令牌（只显示这一次）", "a new terminal's token (printed once)", token_add,
	  ADMIN_WRITE },
	{ "token rotate", "TERMINAL", "换发令牌：旧令牌立即失效", "a new token; the old one stops working at once",
	  token_rotate, ADMIN_WRITE },
	{ "token revoke", "TERMINAL", "吊销终端的令牌", "the terminal's token stops working", token_revoke,
	  ADMIN_WRITE },
	{ NULL },
};
