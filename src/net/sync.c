/* sync.c — pulling the centre's data and pushing the journal, over libcurl.
 *
 * Pull: with no cursor (or after 410 Gone) a snapshot is downloaded to a file
 * beside the cache, resumed after the last whole record if the connection
 * breaks, and imported into a fresh cache only once its trailer arrived;
 * otherwise change pages are applied, each in one transaction, until the
 * centre says there are no more.  Push: the outbox goes in batches; only what
 * the centre says it holds leaves the outbox, so a lost reply means a retry,
 * and a retry never duplicates (the centre keeps each UUID once). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cache.h"
#include "jscan.h"
#include "sync.h"

#define PAGE 1000
#define BATCH 100
#define MAX_PAGE_BYTES (64L * 1024 * 1024)
#define MAX_RESUMES 50

struct buf {
	char *p;
	size_t len, cap, max;
	FILE *sink;		/* write here instead of memory */
	int over;
};

struct http {
	long status;
	int64_t date;		/* the centre's Date header, or 0 */
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t len = size * n;

	if (b->sink != NULL)
		return fwrite(data, 1, len, b->sink);
	if (b->len + len + 1 > b->max) {
		b->over = 1;
		return 0;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		char *np;
		while (cap < b->len + len + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL)
			return 0;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct http *h = arg;
	size_t len = size * n;
	char line[128];

	if (len > 5 && len < sizeof line && strncasecmp(data, "Date:", 5) == 0) {
		memcpy(line, data + 5, len - 5);
		line[len - 5] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		h->date = (int64_t)curl_getdate(line, NULL);
	}
	return len;
}

/* The centre must be reached over HTTPS, except on this machine: judged on
 * the URL as libcurl parses it (the host of http://127.0.0.1@10.0.0.1/ is
 * 10.0.0.1), with no user name or password in it (the token goes in a
 * header).  0, or -1 with err. */
static int url_ok(const char *url, gl_msg *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok = 0;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, CURLU_DISALLOW_USER) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (strcmp(scheme, "https") == 0)
			ok = 1;
		else if (strcmp(scheme, "http") == 0)
			ok = strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
			     (strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") == strlen(host));
		if (!ok)
			glmsg_set(err, "中心地址 %s 须为 https://（http:// 仅限本机：localhost、127.0.0.0/8、[::1]）",
				  "the centre's URL %s must be https:// (http:// only to this machine: localhost, 127.0.0.0/8, [::1])",
				  url);
	} else {
		glmsg_set(err, "中心地址 %s 无效（或含用户名、密码）", "the centre's URL %s is not valid (or holds a user name or password)",
			  url);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok ? 0 : -1;
}

/* One request.  body NULL: GET.  Returns 0 once an HTTP status arrived,
 * -1 (err) if the centre could not be reached or the transfer broke. */
static int request(const struct sync_config *cfg, const char *path, const char *body, struct buf *out,
		   struct http *h, gl_msg *err)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char url[2048], auth[128];
	CURLcode rc;

	memset(h, 0, sizeof *h);
	if (c == NULL)
		return -1;
	snprintf(url, sizeof url, "%s%s", cfg->url, path);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->token);
	hdr = curl_slist_append(hdr, auth);
	if (body != NULL)
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");	/* gzip, decoded as it arrives */
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (cfg->ca != NULL && cfg->ca[0] != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		glmsg_set(err, "无法与中心通信：%s", "cannot talk to the centre: %s",
			  out->over ? "reply too large" : curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

/* A JSON error from the centre, for the message. */
static void centre_error(const struct buf *b, long status, gl_msg *err)
{
	struct jscan_member m[4];
	char code[64] = "?", msg[160] = "";
	int n = b->p != NULL ? jscan_object(b->p, b->len, m, 4) : -1;

	if (n > 0) {
		jscan_string(jscan_get(m, n, "error"), code, sizeof code);
		jscan_string(jscan_get(m, n, "message"), msg, sizeof msg);
	}
	glmsg_set(err, "中心拒绝请求（HTTP %ld %s）：%s", "the centre refused (HTTP %ld %s): %s", status, code, msg);
}

static void note_date(struct sync_report *rep, const struct http *h)
{
	if (h->date > 0)
		rep->skew_s = h->date - (int64_t)time(NULL);
}

/* The kind and key of a complete NDJSON line, for resuming after it. */
static int last_record(const char *line, size_t len, char *after, size_t cap)
{
	struct jscan_member m[8];
	char kind[32], key[160];
	int n = jscan_object(line, len, m, 8);

	if (n < 0 || jscan_string(jscan_get(m, n, "kind"), kind, sizeof kind) < 0 ||
	    jscan_string(jscan_get(m, n, "key"), key, sizeof key) < 0)
		return -1;
	snprintf(after, cap, "%s/%s", kind, key);
	return 0;
}

/* Cuts a partial file back to its last whole line and finds where to
 * resume; 1 if the snapshot's trailer is already there. */
static int whole_lines(const char *path, char *after, size_t cap)
{
	FILE *f = fopen(path, "r+");
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	long good = 0;
	int trailer = 0;

	after[0] = '\0';
	if (f == NULL)
		return 0;
	while ((n = getline(&line, &lcap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;	/* cut mid-line */
		good = ftell(f);
		if (strncmp(line, "{\"cursor\"", 9) == 0)
			trailer = 1;
		else
			last_record(line, (size_t)n - 1, after, cap);
	}
	free(line);
	if (ftruncate(fileno(f), good) != 0)
		trailer = 0;
	fclose(f);
	return trailer;
}

static enum sync_status take_snapshot(const struct sync_config *cfg, struct sync_report *rep, gl_msg *err)
{
	char path[4200], after[200], query[600];
	struct http h;
	struct cache_stats st;
	gl_msg warn;
	int done = 0, tries = 0;

	snprintf(path, sizeof path, "%s/snapshot.ndjson.part", cfg->work_dir);
	unlink(path);
	while (!done) {
		struct buf b = { NULL, 0, 0, 0, NULL, 0 };
		char *esc;
		CURL *e;
		done = whole_lines(path, after, sizeof after);
		if (done)
			break;
		if (tries++ > MAX_RESUMES) {
			glmsg_set(err, "快照下载多次中断", "the snapshot download kept breaking");
			return SYNC_NETWORK;
		}
		e = curl_easy_init();
		if (e == NULL)
			return SYNC_LOCAL;
		esc = after[0] != '\0' ? curl_easy_escape(e, after, 0) : NULL;
		snprintf(query, sizeof query, "/v1/snapshot%s%s", esc != NULL ? "?after=" : "", esc != NULL ? esc : "");
		curl_free(esc);
		curl_easy_cleanup(e);
		if (after[0] != '\0')
			rep->resumed++;
		b.sink = fopen(path, "a");
		if (b.sink == NULL) {
			glmsg_set(err, "无法写入 %s", "cannot write %s", path);
			return SYNC_LOCAL;
		}
		if (request(cfg, query, NULL, &b, &h, err) != 0) {
			fclose(b.sink);
			/* A broken transfer: resume after the last whole line. */
			if (access(path, F_OK) == 0 && tries <= MAX_RESUMES)
				continue;
			return SYNC_NETWORK;
		}
		fclose(b.sink);
		note_date(rep, &h);
		if (h.status != 200) {
			struct buf eb = { NULL, 0, 0, 0, NULL, 0 };
			FILE *f = fopen(path, "r");
			char tmp[512];
			size_t n = f != NULL ? fread(tmp, 1, sizeof tmp - 1, f) : 0;
			if (f != NULL)
				fclose(f);
			tmp[n] = '\0';
			eb.p = tmp;
			eb.len = n;
			centre_error(&eb, h.status, err);
			unlink(path);
			return SYNC_REFUSED;
		}
	}
	switch (cache_import_file(cfg->cache_path, path, 1, NULL, 0, NULL, NULL, &st, &warn, err)) {
	case 0: break;
	case CACHE_IMPORT_DATA: unlink(path); return SYNC_DATA;
	default: return SYNC_LOCAL;
	}
	unlink(path);
	rep->snapshot = 1;
	rep->records += st.puts + st.dels;
	rep->cursor = strtoll(st.cursor, NULL, 10);
	return SYNC_OK;
}

/* Applies one change page from memory in one transaction. */
static enum sync_status apply_page(struct cache *c, char *page, size_t len, struct sync_report *rep, int *more,
				   gl_msg *err)
{
	struct cache_import *im;
	struct cache_stats st;
	gl_msg warn;
	char *p = page, *end = page + len;

	*more = 0;
	if ((im = cache_import_begin(c, err)) == NULL)
		return SYNC_LOCAL;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && strncmp(p, "{\"cursor\"", 9) == 0) {
			struct jscan_member m[4];
			int k = jscan_object(p, n, m, 4);
			const struct jscan_span *v = k > 0 ? jscan_get(m, k, "more") : NULL;
			*more = v != NULL && v->type == JS_TRUE;
		}
		int rc = n > 0 ? cache_import_line(im, p, n, err) : 0;
		if (rc != 0) {
			cache_import_abort(im);
			return rc == CACHE_IMPORT_IO ? SYNC_LOCAL : SYNC_DATA;
		}
		p += n + 1;
	}
	if (cache_import_finish(im, &st, &warn, err) != 0)
		return SYNC_LOCAL;
	rep->records += st.puts + st.dels;
	rep->cursor = strtoll(st.cursor, NULL, 10);
	return SYNC_OK;
}

static enum sync_status pull(const struct sync_config *cfg, struct sync_report *rep, gl_msg *err)
{
	char cursor[128] = "", path[256];
	/* One connection for every page of the round.  No cache, one that
	 * cannot be opened or that reads found damaged, or no cursor: start
	 * again from a snapshot. */
	struct cache *c = access(cfg->cache_path, F_OK) == 0 && !cache_damaged(cfg->cache_path)
				  ? cache_open(cfg->cache_path, 1, err) : NULL;
	enum sync_status s = SYNC_OK;
	int more = 1;

	char why[64];

	/* A file made before rows had hashes is rebuilt, to be checked whole. */
	if (c == NULL || cache_meta(c, "cursor", cursor, sizeof cursor) != 1 || cursor[0] == '\0' ||
	    cache_meta(c, "rebuild", why, sizeof why) == 1) {
		cache_close(c);
		return take_snapshot(cfg, rep, err);
	}
	rep->cursor = strtoll(cursor, NULL, 10);
	while (more && s == SYNC_OK) {
		struct buf b = { NULL, 0, 0, MAX_PAGE_BYTES, NULL, 0 };
		struct http h;
		snprintf(path, sizeof path, "/v1/changes?since=%lld&limit=%d", (long long)rep->cursor, PAGE);
		if (request(cfg, path, NULL, &b, &h, err) != 0) {
			free(b.p);
			s = SYNC_NETWORK;
			break;
		}
		note_date(rep, &h);
		if (h.status == 410) {
			/* Our cursor is older than the centre keeps tombstones. */
			free(b.p);
			cache_close(c);
			return take_snapshot(cfg, rep, err);
		}
		if (h.status != 200) {
			centre_error(&b, h.status, err);
			s = SYNC_REFUSED;
		} else if (b.len == 0 || b.p[b.len - 1] != '\n' || strstr(b.p, "{\"cursor\"") == NULL) {
			glmsg_set(err, "中心的变更页不完整", "the centre's change page is incomplete");
			s = SYNC_NETWORK;
		} else {
			s = apply_page(c, b.p, b.len, rep, &more, err);
		}
		free(b.p);
	}
	cache_close(c);
	return s;
}

static enum sync_status push(const struct sync_config *cfg, struct journal *j, struct sync_report *rep, gl_msg *err)
{
	for (;;) {
		cJSON *batch = journal_outbox(j, BATCH), *e, *req, *arr, *reply, *u;
		struct buf b = { NULL, 0, 0, 1 << 20, NULL, 0 };
		struct http h;
		char *body;
		long held = 0;

		if (cJSON_GetArraySize(batch) == 0) {
			cJSON_Delete(batch);
			break;
		}
		req = cJSON_CreateObject();
		arr = cJSON_AddArrayToObject(req, "events");
		cJSON_ArrayForEach(e, batch) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "body", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "body")));
			cJSON_AddStringToObject(x, "hash", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "hash")));
			cJSON_AddItemToArray(arr, x);
		}
		body = cJSON_PrintUnformatted(req);
		cJSON_Delete(req);
		if (body == NULL || request(cfg, "/v1/events", body, &b, &h, err) != 0) {
			cJSON_free(body);
			cJSON_Delete(batch);
			free(b.p);
			return SYNC_NETWORK;
		}
		cJSON_free(body);
		note_date(rep, &h);
		if (h.status != 200) {
			centre_error(&b, h.status, err);
			cJSON_Delete(batch);
			free(b.p);
			return SYNC_REFUSED;
		}
		reply = cJSON_ParseWithLength(b.p != NULL ? b.p : "", b.len);
		cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(reply, "held")) {
			if (cJSON_IsString(u) && journal_acked(j, u->valuestring, err) == 0)
				held++;
		}
		cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(reply, "refused")) {
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(u, "uuid"));
			const char *why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(u, "error"));
			if (id != NULL)
				journal_send_failed(j, id, why != NULL ? why : "refused");
			rep->refused++;
		}
		cJSON_Delete(reply);
		cJSON_Delete(batch);
		free(b.p);
		rep->held += held;
		if (held == 0)
			break;	/* nothing moved: the rest waits for a person (refused) */
	}
	rep->left = journal_pending(j);
	return SYNC_OK;
}

enum sync_status sync_once(const struct sync_config *cfg, struct journal *j, struct sync_report *rep, gl_msg *err)
{
	enum sync_status s;

	memset(rep, 0, sizeof *rep);
	if (cfg->url == NULL || cfg->url[0] == '\0' || cfg->token == NULL || cfg->token[0] == '\0') {
		glmsg_set(err, "未配置中心地址或令牌（[server] url、token）", "no centre configured ([server] url and token)");
		return SYNC_CONFIG;
	}
	if (url_ok(cfg->url, err) != 0)
		return SYNC_CONFIG;
	if (cfg->ca != NULL && cfg->ca[0] != '\0' && access(cfg->ca, R_OK) != 0) {
		glmsg_set(err, "无法读取 CA 文件 %s（[server] ca）", "the CA file %s cannot be read ([server] ca)", cfg->ca);
		return SYNC_CONFIG;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		glmsg_set(err, "libcurl 初始化失败", "libcurl failed to initialise");
		return SYNC_LOCAL;
	}
	s = pull(cfg, rep, err);
	if (s == SYNC_OK || s == SYNC_DATA) {
		/* Push even if the pull failed on data: the journal must leave. */
		gl_msg e2;
		enum sync_status p = push(cfg, j, rep, s == SYNC_OK ? err : &e2);
		if (s == SYNC_OK)
			s = p;
	}
	curl_global_cleanup();
	if (s == SYNC_OK) {
		/* When the centre was last reached, for the lane's online state. */
		struct cache *c = cache_open(cfg->cache_path, 1, NULL);
		char now[32];
		snprintf(now, sizeof now, "%lld", (long long)time(NULL));
		if (c != NULL)
			cache_set_meta(c, "synced_at", now, NULL);
		cache_close(c);
	}
	return s;
}
