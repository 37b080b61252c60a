/* admin_ops.c — looking after the store: its schema, a signed bundle for a
 * lane the network does not reach, compaction of deleted records, and the
 * report on terminals' journals. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "admin.h"
#include "cache.h"
#include "gltime.h"
#include "jws.h"

/* migrate: before the store is opened for use (a central refuses a schema
 * other than its own); db is NULL, the target is admin_target(). */
static int migrate(struct cdb *db, int argc, char **argv)
{
	gl_msg err;
	int v;

	(void)db, (void)argv;
	if (argc != 0)
		return ADMIN_USAGE;
	v = cdb_migrate(admin_target(), &err);
	if (v < 0) {
		admin_fail(&err);
		return 66;
	}
	admin_done("数据库结构为最新版本（%d）", "the schema is up to date (version %d)", v);
	return 0;
}

/* bundle FILE|-: a first line {"bundle_version":1}, every live record as a
 * snapshot (the lines /v1/snapshot sends, then its cursor and as_of), and a
 * last line {"bundle":JWS} signed with the snapshot key, whose payload holds
 * the BLAKE2b-256 of every line before it (each written, and hashed, as its
 * text and one newline).  For carrying the data to a lane the network does
 * not reach; `greenlane import` checks it against the snapshot keys it
 * already trusts. */
static int bundle(struct cdb *db, int argc, char **argv)
{
	const char *out = argc == 1 ? argv[0] : NULL;
	char kid[64], hash[64], when[40], trailer[128], payload[256], *tok = NULL;
	unsigned char sk[64], digest[32];
	crypto_generichash_state h;
	struct cdb_iter *it = NULL;
	const char *kind, *key, *data;
	int64_t seq, cursor, as_of;
	long records = 0;
	FILE *f;
	gl_msg err;
	int rc = 74, more;

	if (out == NULL)
		return ADMIN_USAGE;
	f = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
	if (f == NULL) {
		admin_say("无法写入 %s", "cannot write %s", out);
		return 73;
	}
	sodium_memzero(sk, sizeof sk);
	if (cdb_begin(db, &err) != 0) {
		admin_fail(&err);
		rc = 75;
		goto out;
	}
	rc = admin_ensure_key(db, "snapshot");
	if (rc == 0 && cdb_commit(db, &err) != 0) {
		admin_fail(&err);
		rc = 75;
	}
	if (rc != 0) {
		cdb_rollback(db);
		goto out;
	}
	rc = admin_signing_key(db, "snapshot", kid, sk);
	if (rc != 0)
		goto out;
	/* One read transaction: the records and the cursor agree.  The data is
	 * vouched for as of the moment it is read. */
	if (cdb_read_begin(db, &err) != 0) {
		admin_fail(&err);
		rc = 70;
		goto out;
	}
	cursor = cdb_cursor(db);
	as_of = admin_now();
	if (cursor < 0)
		glmsg_set(&err, "读取数据库失败", "the database cannot be read");
	it = cursor >= 0 ? cdb_snapshot(db, NULL, NULL, &err) : NULL;
	crypto_generichash_init(&h, NULL, 0, sizeof digest);
	if (fputs(CACHE_BUNDLE_HEADER "\n", f) == EOF)
		goto out;
	crypto_generichash_update(&h, (const unsigned char *)CACHE_BUNDLE_HEADER "\n", sizeof CACHE_BUNDLE_HEADER);
	while (it != NULL && (more = cdb_next(it, &kind, &key, &data, &seq)) == 1) {
		size_t n;
		char *line = cdb_record_line(kind, key, data, seq, &n);
		if (line == NULL || fwrite(line, 1, n, f) != n) {
			cJSON_free(line);
			goto out;
		}
		crypto_generichash_update(&h, (const unsigned char *)line, n);
		cJSON_free(line);
		records++;
	}
	if (it == NULL || more != 0) {
		admin_fail(&err);
		rc = 70;
		goto out;
	}
	gltime_format(as_of, GLTIME_CST, when, sizeof when);
	snprintf(trailer, sizeof trailer, "{\"cursor\":%lld,\"as_of\":\"%s\"}\n", (long long)cursor, when);
	crypto_generichash_update(&h, (const unsigned char *)trailer, strlen(trailer));
	crypto_generichash_final(&h, digest, sizeof digest);
	jws_b64url(digest, sizeof digest, hash, sizeof hash);
	snprintf(payload, sizeof payload, "{\"blake2b\":\"%s\",\"as_of\":\"%s\",\"records\":%ld}", hash, when, records);
	tok = jws_sign(payload, strlen(payload), kid, sk);
	if (tok == NULL || fputs(trailer, f) == EOF || fprintf(f, "{\"bundle\":\"%s\"}\n", tok) < 0 || fflush(f) != 0)
		goto out;
	admin_say("数据包：%ld 条记录，截至 %s，以 %s 签名", "bundle: %ld records, as of %s, signed with %s", records, when,
		  kid);
	rc = 0;
out:
	cdb_rollback(db);	/* the read transaction, if any */
	sodium_memzero(sk, sizeof sk);
	free(tok);
	cdb_iter_free(it);
	if (f != stdout && fclose(f) != 0 && rc == 0)
		rc = 74;
	if (rc == 74)
		admin_say("写入 %s 失败", "writing %s failed", out);
	if (rc != 0 && f != stdout)
		unlink(out);	/* half a bundle would import as an unsigned snapshot */
	return rc;
}

/* compact UPTO: forgets deleted records' tombstones up to a cursor (a lane
 * behind it must take a snapshot: 410 on /v1/changes). */
static int compact(struct cdb *db, int argc, char **argv)
{
	long long upto;
	gl_msg err;

	if (argc != 1 || central_whole(argv[0], 0, INT64_MAX, &upto) != 0)
		return ADMIN_USAGE;
	if (cdb_compact(db, upto, &err) != 0) {
		admin_fail(&err);
		return 65;
	}
	return 0;
}

static int report(struct cdb *db, int argc, char **argv)
{
	(void)argv;
	return argc == 0 ? admin_print_json(cdb_report(db)) : ADMIN_USAGE;
}

const struct admin_verb admin_ops[] = {
	{ "migrate", "", "把数据库结构升级到本程序的版本", "bring the database's schema up to this program's", migrate,
	  ADMIN_SCHEMA },
	{ "bundle", "FILE|-", "为离线车道生成签名数据包", "a signed snapshot for a lane off the network", bundle,
	  ADMIN_READ },
	{ "compact", "UPTO", "清除某游标之前已删除记录的墓碑", "forget deleted records' tombstones up to a cursor",
	  compact, ADMIN_WRITE },
	{ "report", "", "终端、事件、日志链缺口与分叉", "terminals, events, journal chain gaps and forks", report,
	  ADMIN_READ },
	{ NULL },
};
