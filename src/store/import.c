/* import.c — a whole NDJSON file (plain or gzip) into cache.db: the one
 * import path `greenlane import` and `greenlane sync` share.  Streaming with
 * a bounded line buffer; one transaction; a fresh file when asked or when
 * there is no cache yet.  A signed bundle's signature is checked before the
 * transaction commits. */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "cache.h"
#include "jscan.h"

#define BUNDLE_MAX 4096		/* the JWS of a bundle line */
#define BUNDLE_HASH_BYTES 32	/* BLAKE2b-256 */

/* The keys a bundle may be signed with: the caller's, then the snapshot keys
 * the cache at path holds now (before this import).  Caller frees. */
static struct jws_key *trusted_keys(const char *path, const struct jws_key *trust, size_t ntrust, size_t *n)
{
	struct cache *c = access(path, F_OK) == 0 ? cache_open(path, 0, NULL) : NULL;
	size_t nc = 0;
	const struct jws_key *ck = NULL;
	struct jws_key *all;

	if (c != NULL && cache_read_begin(c) == 0) {
		ck = cache_keys(c, &nc);
		cache_read_end(c);
	}
	all = calloc(ntrust + nc + 1, sizeof *all);
	if (all != NULL) {
		if (ntrust > 0)
			memcpy(all, trust, ntrust * sizeof *all);
		if (nc > 0)
			memcpy(all + ntrust, ck, nc * sizeof *all);
		*n = ntrust + nc;
	}
	cache_close(c);
	return all;
}

/* 1 if line is {"bundle":JWS} (the JWS copied to tok), else 0. */
static int bundle_line(const char *line, size_t n, char tok[BUNDLE_MAX])
{
	struct jscan_member m[2];
	const char *p = line + strspn(line, " \t");

	if (strncmp(p, "{\"bundle\"", 9) != 0)
		return 0;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (jscan_object(line, n, m, 2) != 1 || jscan_get(m, 1, "bundle") == NULL ||
	    jscan_string(&m[0].value, tok, BUNDLE_MAX) < 0)
		tok[0] = '?';	/* a bundle line, but not one that can verify */
	return 1;
}

/* Checks a bundle's JWS against the keys and the digest of what came before
 * it.  0 with the key's id in kid, or -1 with err. */
static int bundle_verify(const char *tok, const unsigned char digest[BUNDLE_HASH_BYTES],
			 const struct jws_key *keys, size_t n, char kid[JWS_KID_MAX], gl_msg *err)
{
	char *payload = NULL, want[64];
	cJSON *p;
	const cJSON *h;
	int ok;

	kid[0] = '\0';
	switch (jws_verify(tok, keys, n, "snapshot", &payload, kid, NULL)) {
	case JWS_OK:
		break;
	case JWS_UNKNOWN_KID:
		free(payload);
		glmsg_set(err, "数据包由密钥 %s 签名，本机不信任该密钥（先同步一次，或在配置 [server] bundle_key 中登记）",
			  "the bundle is signed with key %s, which this lane does not trust (sync once, or set [server] bundle_key)",
			  kid[0] != '\0' ? kid : "?");
		return -1;
	default:
		free(payload);
		glmsg_set(err, "数据包签名无效", "the bundle's signature is invalid");
		return -1;
	}
	jws_b64url(digest, BUNDLE_HASH_BYTES, want, sizeof want);
	p = cJSON_Parse(payload);
	h = cJSON_GetObjectItemCaseSensitive(p, "blake2b");
	ok = cJSON_IsString(h) && strcmp(h->valuestring, want) == 0;
	cJSON_Delete(p);
	free(payload);
	if (!ok) {
		glmsg_set(err, "数据包内容在签名后被改动或不完整", "the bundle was changed or cut short after it was signed");
		return -1;
	}
	return 0;
}

int cache_import_file(const char *cache_path, const char *file, int replace, const struct jws_key *trust,
		      size_t ntrust, cache_progress_fn progress, void *arg, struct cache_stats *st, gl_msg *warn,
		      gl_msg *err)
{
	struct stat sb;
	struct cache_stats done;
	struct cache *c = NULL;
	struct cache_import *im = NULL;
	struct jws_key *keys = NULL;
	size_t nkeys = 0;
	gzFile in = NULL;
	char *line = malloc(CACHE_LINE_MAX + 2), tok[BUNDLE_MAX] = "", kid[JWS_KID_MAX] = "";
	unsigned char digest[BUNDLE_HASH_BYTES];
	crypto_generichash_state h;
	long lines = 0;
	int64_t total = 0;
	int fd, zerr, rc = CACHE_IMPORT_IO, bundle = 0, fresh;

	glmsg_clear(warn);
	fd = strcmp(file, "-") == 0 ? dup(STDIN_FILENO) : open(file, O_RDONLY);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		total = (int64_t)sb.st_size;
	in = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	if (in == NULL || line == NULL) {
		glmsg_set(err, "无法读取 %s", "cannot read %s", file);
		if (in == NULL && fd >= 0)
			close(fd);
		free(line);
		return CACHE_IMPORT_NOINPUT;
	}
	gzbuffer(in, 256 * 1024);
	crypto_generichash_init(&h, NULL, 0, sizeof digest);
	fresh = replace || access(cache_path, F_OK) != 0;
	c = fresh ? cache_create_fresh(cache_path, err) : cache_open(cache_path, 1, err);
	im = c != NULL ? cache_import_begin(c, err) : NULL;
	if (im == NULL)
		goto out;
	rc = CACHE_IMPORT_DATA;
	while (gzgets(in, line, CACHE_LINE_MAX + 2) != NULL) {
		size_t n = strlen(line);
		lines++;
		if (n == CACHE_LINE_MAX + 1 && line[n - 1] != '\n') {
			glmsg_set(err, "第 %ld 行过长（上限 1 MiB）", "line %ld is too long (1 MiB at most)", lines);
			goto out;
		}
		if (tok[0] != '\0') {
			if (strspn(line, " \t\r\n") == n)
				continue;
			glmsg_set(err, "第 %ld 行：数据包签名之后还有数据", "line %ld: data after the bundle's signature", lines);
			goto out;
		}
		if (bundle_line(line, n, tok)) {
			if (!bundle) {
				glmsg_set(err, "第 %ld 行：数据包签名，但文件不以数据包标记开头",
					  "line %ld: a bundle signature in a file that does not start as a bundle", lines);
				goto out;
			}
			crypto_generichash_final(&h, digest, sizeof digest);
			continue;
		}
		if (lines == 1 && strncmp(line, "{\"bundle_version\"", 17) == 0) {
			size_t hn = sizeof CACHE_BUNDLE_HEADER - 1;
			if (strncmp(line, CACHE_BUNDLE_HEADER, hn) != 0 || strspn(line + hn, "\r\n") != n - hn) {
				glmsg_set(err, "不认识的数据包格式（请升级 greenlane）",
					  "a bundle of a format this greenlane does not know (upgrade it)");
				goto out;
			}
			/* Read now, before this import has changed anything. */
			keys = trusted_keys(cache_path, trust, ntrust, &nkeys);
			if (keys == NULL) {
				glmsg_set(err, "内存不足", "out of memory");
				goto out;
			}
			bundle = 1;
		}
		/* A bundle's lines are hashed (a plain file's are not: that costs a
		 * twentieth of an import), each as its text and one \n, as the
		 * centre wrote it: a copy whose \n became \r\n still verifies. */
		if (bundle) {
			size_t k = n;
			while (k > 0 && (line[k - 1] == '\n' || line[k - 1] == '\r'))
				k--;
			crypto_generichash_update(&h, (const unsigned char *)line, k);
			crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
		}
		int lrc = cache_import_line(im, line, n, err);
		if (lrc != 0) {
			rc = lrc;
			goto out;
		}
		/* gzoffset asks the kernel: not for every line. */
		if (progress != NULL && lines % 1024 == 0)
			progress(arg, lines, (int64_t)gzoffset(in), total);
	}
	gzerror(in, &zerr);
	if (zerr != Z_OK && zerr != Z_STREAM_END) {
		glmsg_set(err, "输入文件损坏或不完整（%s）", "the input is damaged or cut short (%s)", gzerror(in, &zerr));
		goto out;
	}
	if (bundle && tok[0] == '\0') {
		glmsg_set(err, "数据包没有签名行：文件不完整", "the bundle has no signature line: the file is cut short");
		goto out;
	}
	if (bundle && bundle_verify(tok, digest, keys, nkeys, kid, err) != 0)
		goto out;
	rc = CACHE_IMPORT_IO;
	if (cache_import_finish(im, &done, warn, err) != 0) {
		im = NULL;
		goto out;
	}
	im = NULL;
	/* What replaces all the data must be all of it. */
	if (fresh && (done.cursor[0] == '\0' || done.as_of == INT64_MIN)) {
		glmsg_set(err, "不是完整的快照（缺少结尾行 {\"cursor\":…,\"as_of\":…}，文件为空或不完整）：原数据未动",
			  "not a whole snapshot (no closing line {\"cursor\":…,\"as_of\":…}: the file is empty or cut short); "
			  "the data was left as it was");
		rc = CACHE_IMPORT_DATA;
		goto out;
	}
	snprintf(done.signed_by, sizeof done.signed_by, "%s", kid);
	if (st != NULL)
		*st = done;
	rc = cache_install(c, err) == 0 ? 0 : CACHE_IMPORT_IO;
	c = NULL;	/* closed by cache_install */
out:
	if (im != NULL)
		cache_import_abort(im);
	if (c != NULL)
		cache_discard(c);
	gzclose(in);
	free(line);
	free(keys);
	return rc;
}
