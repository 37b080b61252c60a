/* sync.c — pulling the centre's data and pushing the journal, over libcurl.
 *
 * A round pushes the outbox, then pulls; each goes on when the other fails,
 * so a feed the lane cannot read never keeps its records from the centre.
 * Every step must make progress — the outbox shrinks, the cursor advances,
 * the download grows — or the round stops with a clear error; retries back
 * off with full jitter; a stop request (SIGTERM, SIGINT) ends it at once.
 *
 * Pull: with no cursor (or after 410 Gone, or a cache that must be
 * rebuilt) a snapshot is downloaded to a file beside the cache, resumed
 * after the last whole record if the connection breaks, imported into a
 * fresh file and installed only once whole.  A resumed snapshot is two
 * states of the centre: before it is installed, the changes since the first
 * part's cursor are applied to it, so that no change is lost.  Otherwise
 * change pages are applied, each in one transaction.  A download keeps a
 * reserve of free disk for the journal.
 *
 * Waiting: a centre that says so (X-Wait-Max on its change pages) is asked
 * to hold the first change page of a round until something changes after
 * the cursor (wait=S), so that a revocation reaches the lane in seconds.
 * The wait ends early when the caller sets cfg->wake (a record to push);
 * a wait so ended is no failure.
 *
 * Push: the outbox goes in batches, checked against the journal's hash
 * chain first; only what the centre says it holds, of what was sent, leaves
 * the outbox, so a lost reply means a retry, and a retry never duplicates
 * (the centre keeps each UUID once). */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cache.h"
#include "dynbuf.h"
#include "jscan.h"
#include "sync.h"
#include "utf8.h"

#define PAGE 1000
#define MAX_PAGE_BYTES (64L * 1024 * 1024)
#define MAX_TRIES 12		/* a download that breaks this often, with no progress twice running, stops */
#define MAX_STALLS 3		/* tries in a row that brought nothing */
#define BACKOFF_BASE_MS 500
#define BACKOFF_CAP_MS 30000

struct buf {
	struct dynbuf d;	/* the reply, in memory (its maximum set at init) */
	FILE *sink;		/* write here instead of memory */
	const char *disk;	/* with a sink: the directory whose free space is watched */
	int over;		/* the reply is larger than max */
	int low_disk;		/* the disk came within SYNC_DISK_RESERVE */
	int not_json;		/* the reply is not JSON or NDJSON (a captive portal?) */
	int started;		/* the first byte that is not white space was seen */
	char head[96];		/* its first bytes, for the message */
	size_t nhead;
	uint64_t since_df;	/* bytes written since free space was last looked at */
};

struct http {
	long status;
	int64_t date;		/* the centre's Date header, or 0 */
	long long snapshot_cursor;	/* X-Snapshot-Cursor, or -1 */
	int wait_max;		/* X-Wait-Max: the centre can wait for a change, this long; 0 */
	char type[80];		/* Content-Type */
};

/* ---- the disk ---- */

int64_t sync_free_bytes(const char *dir)
{
	struct statvfs vs;

	if (statvfs(dir, &vs) != 0)
		return -1;
	return (int64_t)vs.f_bavail * (int64_t)vs.f_frsize;
}

static void low_disk_msg(const char *dir, gl_msg *err)
{
	glmsg_set(err, "%s 所在磁盘剩余空间不足 %d MB：为保证通行记录可写入，已停止下载（请清理磁盘）",
		  "the disk of %s has less than %d MB free: the download stopped to keep room for the journal (free some space)",
		  dir, (int)(SYNC_DISK_RESERVE / (1024 * 1024)));
}

/* ---- one request ---- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t len = size * n;

	/* Everything the centre sends is JSON or NDJSON: an object first. */
	if (!b->started) {
		for (size_t i = 0; i < len && b->nhead < sizeof b->head - 1; i++)
			b->head[b->nhead++] = data[i];
		b->head[b->nhead] = '\0';
		for (size_t i = 0; i < len && !b->started; i++) {
			if (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')
				continue;
			b->started = 1;
			if (data[i] != '{') {
				b->not_json = 1;
				return 0;
			}
		}
	}
	if (b->sink != NULL) {
		b->since_df += len;
		if (b->since_df >= 1024 * 1024) {
			int64_t free_b = sync_free_bytes(b->disk);
			b->since_df = 0;
			if (free_b >= 0 && free_b < SYNC_DISK_RESERVE) {
				b->low_disk = 1;
				return 0;
			}
		}
		return fwrite(data, 1, len, b->sink);
	}
	switch (dynbuf_add(&b->d, data, len)) {
	case DYNBUF_OK:
		return len;
	case DYNBUF_TOO_BIG:
		b->over = 1;
		return 0;
	default:
		return 0;
	}
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct http *h = arg;
	size_t len = size * n;
	char line[128];

	if (len >= sizeof line)
		return len;
	memcpy(line, data, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "Date:", 5) == 0)
		h->date = (int64_t)curl_getdate(line + 5, NULL);
	else if (strncasecmp(line, "X-Snapshot-Cursor:", 18) == 0)
		h->snapshot_cursor = strtoll(line + 18, NULL, 10);
	else if (strncasecmp(line, "X-Wait-Max:", 11) == 0)
		h->wait_max = (int)strtol(line + 11, NULL, 10);
	else if (strncasecmp(line, "Content-Type:", 13) == 0)
		snprintf(h->type, sizeof h->type, "%s", line + 13 + strspn(line + 13, " "));
	return len;
}

/* What may end a request early: a stop; for a request that waits for a
 * change, a wake. */
struct progress {
	const struct sync_config *cfg;
	int waiting;
};

static int woken(const struct sync_config *cfg)
{
	return cfg->wake != NULL && *cfg->wake;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	const struct progress *p = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return (p->cfg->stop != NULL && *p->cfg->stop) || (p->waiting && woken(p->cfg));
}

static int stopped(const struct sync_config *cfg, gl_msg *err)
{
	if (cfg->stop == NULL || !*cfg->stop)
		return 0;
	glmsg_set(err, "同步被中止（已完成的部分均已保存）", "the sync was stopped (what was done is kept)");
	return 1;
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

/* Inside a round: a wait for a change ended by cfg->wake. */
#define SYNC_WOKEN (-9)

/* One request.  body NULL: GET.  wait_s: the centre may hold it that long
 * before it answers.  SYNC_OK once an HTTP status arrived with a body that
 * can be read; else the status and err. */
static enum sync_status request(const struct sync_config *cfg, const char *path, const char *body, int wait_s,
				struct buf *out, struct http *h, gl_msg *err)
{
	struct progress pr = { cfg, wait_s > 0 };
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char url[2048], auth[128], head[96], status[192];
	CURLcode rc;

	memset(h, 0, sizeof *h);
	h->snapshot_cursor = -1;
	if (c == NULL) {
		glmsg_set(err, "libcurl 初始化失败", "libcurl failed to initialise");
		return SYNC_LOCAL;
	}
	snprintf(url, sizeof url, "%s%s", cfg->url, path);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->token);
	hdr = curl_slist_append(hdr, auth);
	if (cfg->status != NULL) {
		snprintf(status, sizeof status, "X-Greenlane-Status: %s", cfg->status);
		hdr = curl_slist_append(hdr, status);
	}
	if (body != NULL)
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");	/* gzip, decoded as it arrives */
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &pr);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L + wait_s);
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
	if (out->not_json) {
		utf8_excerpt(out->head, 40, head, sizeof head);
		glmsg_set(err, "收到的不是中心的数据（%s：“%s”）：中间可能有网关或认证页面",
			  "what came is not the centre's data (%s: \"%s\"): a captive portal or a proxy in between?",
			  h->type[0] ? h->type : "no type", head);
		return SYNC_NETWORK;
	}
	if (out->low_disk) {
		low_disk_msg(out->disk, err);
		return SYNC_LOCAL;
	}
	if (rc == CURLE_ABORTED_BY_CALLBACK && stopped(cfg, err))
		return SYNC_STOPPED;
	if (rc == CURLE_ABORTED_BY_CALLBACK && pr.waiting && woken(cfg))
		return SYNC_WOKEN;
	if (rc != CURLE_OK) {
		glmsg_set(err, "无法与中心通信：%s", "cannot talk to the centre: %s",
			  out->over ? "reply too large" : curl_easy_strerror(rc));
		return rc == CURLE_SSL_CACERT_BADFILE ? SYNC_CONFIG : SYNC_NETWORK;
	}
	return SYNC_OK;
}

/* A JSON error from the centre, for the message. */
static void centre_error(const char *p, size_t n, long status, gl_msg *err)
{
	struct jscan_member m[4];
	char code[64] = "?", msg[160] = "";
	int k = p != NULL ? jscan_object(p, n, m, 4) : -1;

	if (k > 0) {
		jscan_string(jscan_get(m, k, "error"), code, sizeof code);
		jscan_string(jscan_get(m, k, "message"), msg, sizeof msg);
	}
	glmsg_set(err, "中心拒绝请求（HTTP %ld %s）：%s", "the centre refused (HTTP %ld %s): %s", status, code, msg);
}

static enum sync_status refusal(long status)
{
	/* The token (this lane) refused, or the centre failing. */
	return status == 401 || status == 403 ? SYNC_REFUSED : status >= 500 ? SYNC_NETWORK : SYNC_DATA;
}

static void note_date(struct sync_report *rep, const struct http *h)
{
	if (h->date > 0)
		rep->skew_s = h->date - (int64_t)time(NULL);
}

/* Waits before try number n (1, 2, …): a random time up to an exponential
 * bound (full jitter), so that lanes cut off together do not return
 * together.  0, or -1 if a stop was asked for meanwhile. */
static int backoff(const struct sync_config *cfg, int n)
{
	uint32_t bound = BACKOFF_BASE_MS << (n < 6 ? n : 6), ms;

	if (bound > BACKOFF_CAP_MS)
		bound = BACKOFF_CAP_MS;
	ms = randombytes_uniform(bound + 1);
	while (ms > 0) {
		struct timespec ts = { 0, (long)(ms > 100 ? 100 : ms) * 1000000L };
		if (cfg->stop != NULL && *cfg->stop)
			return -1;
		nanosleep(&ts, NULL);
		ms -= ms > 100 ? 100 : ms;
	}
	return cfg->stop != NULL && *cfg->stop ? -1 : 0;
}

/* ---- pull ---- */

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
 * resume; 1 if the snapshot's trailer is already there.  *size gets the
 * file's size. */
static int whole_lines(const char *path, char *after, size_t cap, long *size)
{
	FILE *f = fopen(path, "r+");
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	long good = 0;
	int trailer = 0;

	after[0] = '\0';
	*size = 0;
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
	*size = good;
	return trailer;
}

/* Applies one change page from memory in one transaction: the page's cursor
 * into *cursor, and whether there are more. */
static enum sync_status apply_page(struct cache *c, char *page, size_t len, struct sync_report *rep, long long *cursor,
				   int *more, gl_msg *err)
{
	struct cache_import *im;
	struct cache_stats st;
	gl_msg warn;
	char *p = page, *end = page + len;
	int trailer = 0;

	*more = 0;
	im = cache_import_begin(c, err);
	if (im == NULL)
		return SYNC_LOCAL;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		int rc;
		if (n > 0 && strncmp(p, "{\"cursor\"", 9) == 0) {
			struct jscan_member m[4];
			int k = jscan_object(p, n, m, 4);
			const struct jscan_span *v = k > 0 ? jscan_get(m, k, "more") : NULL;
			*more = v != NULL && v->type == JS_TRUE;
			trailer = 1;
		}
		rc = n > 0 ? cache_import_line(im, p, n, err) : 0;
		if (rc != 0) {
			cache_import_abort(im);
			return rc == CACHE_IMPORT_IO ? SYNC_LOCAL : SYNC_DATA;
		}
		p += n + 1;
	}
	if (!trailer) {
		cache_import_abort(im);
		glmsg_set(err, "中心的变更页没有结尾行", "the centre's change page has no closing line");
		return SYNC_NETWORK;
	}
	if (cache_import_finish(im, &st, &warn, err) != 0)
		return SYNC_LOCAL;
	rep->records += st.puts + st.dels;
	*cursor = strtoll(st.cursor, NULL, 10);
	return SYNC_OK;
}

/* Change pages after *cursor, applied to c until the centre has no more;
 * the first may wait for a change (may_wait, and the centre can).  Each
 * page must move the cursor on.  SYNC_GONE: the centre no longer has
 * the changes after *cursor (a snapshot is needed). */
static enum sync_status changes(const struct sync_config *cfg, struct cache *c, long long *cursor, int may_wait,
				struct sync_report *rep, gl_msg *err)
{
	char said[8] = "";
	int more = 1, first = 1;

	/* The first page may wait, if the centre said it can. */
	rep->centre_waits = cache_meta(c, "centre_waits", said, sizeof said) == 1 && strcmp(said, "1") == 0;
	while (more) {
		struct buf b = { .d = { .max = MAX_PAGE_BYTES } };
		struct http h;
		char path[160];
		long long before = *cursor;
		int wait = first && may_wait && rep->centre_waits && !woken(cfg) ? cfg->wait_s : 0;
		enum sync_status s;
		if (stopped(cfg, err))
			return SYNC_STOPPED;
		if (wait > SYNC_WAIT_MAX)
			wait = SYNC_WAIT_MAX;
		snprintf(path, sizeof path, "/v1/changes?since=%lld&limit=%d", *cursor, PAGE);
		if (wait > 0) {
			snprintf(path + strlen(path), sizeof path - strlen(path), "&wait=%d", wait);
			rep->waited = 1;
			if (cfg->waiting != NULL)
				cfg->waiting(cfg->arg, *cursor, wait);
		}
		first = 0;
		s = request(cfg, path, NULL, wait, &b, &h, err);
		if (s == SYNC_WOKEN) {
			/* Nothing came, nothing is lost: the caller has work. */
			dynbuf_free(&b.d);
			rep->woken = 1;
			glmsg_clear(err);
			return SYNC_OK;
		}
		if (s == SYNC_OK && h.status == 200 && rep->centre_waits != (h.wait_max > 0)) {
			rep->centre_waits = h.wait_max > 0;
			cache_set_meta(c, "centre_waits", rep->centre_waits ? "1" : "0", NULL);
		}
		if (s == SYNC_OK) {
			note_date(rep, &h);
			if (h.status == 410) {
				s = SYNC_GONE;
			} else if (h.status != 200) {
				centre_error(b.d.p, b.d.len, h.status, err);
				s = refusal(h.status);
			} else if (b.d.len == 0 || b.d.p[b.d.len - 1] != '\n') {
				glmsg_set(err, "中心的变更页不完整", "the centre's change page is incomplete");
				s = SYNC_NETWORK;
			} else {
				s = apply_page(c, b.d.p, b.d.len, rep, cursor, &more, err);
			}
		}
		dynbuf_free(&b.d);
		if (s != SYNC_OK)
			return s;
		rep->cursor = *cursor;
		if (more && *cursor <= before) {
			glmsg_set(err, "中心的变更页未推进游标（仍为 %lld）：停止本轮同步", "the centre's change feed does not move on "
				  "(its cursor stays %lld): this round stops", *cursor);
			return SYNC_DATA;
		}
	}
	return SYNC_OK;
}

/* Downloads a whole snapshot to path, resuming after the last whole record
 * when the connection breaks.  *first gets the cursor the first part was
 * served at (X-Snapshot-Cursor; -1 if the centre did not say). */
static enum sync_status download(const struct sync_config *cfg, const char *path, struct sync_report *rep,
				 long long *first, gl_msg *err)
{
	char after[200], query[600];
	long size = 0, before = -1;
	int tries = 0, stalls = 0;

	*first = -1;
	for (;;) {
		struct buf b = { .disk = cfg->work_dir };
		struct http h;
		enum sync_status s;
		char *esc;
		CURL *e;
		if (whole_lines(path, after, sizeof after, &size))
			return SYNC_OK;
		if (tries > 0) {
			/* Progress, or a stop: a download that brings nothing stops. */
			stalls = size > before ? 0 : stalls + 1;
			if (stalls >= MAX_STALLS || tries >= MAX_TRIES) {
				gl_msg last = *err;
				glmsg_prefix(err, &last, "快照下载 %d 次中断", "the snapshot download broke %d times", tries);
				return SYNC_NETWORK;
			}
			if (backoff(cfg, tries) != 0) {
				stopped(cfg, err);
				return SYNC_STOPPED;
			}
			rep->resumed += after[0] != '\0';
		}
		before = size;
		tries++;
		e = curl_easy_init();
		if (e == NULL)
			return SYNC_LOCAL;
		esc = after[0] != '\0' ? curl_easy_escape(e, after, 0) : NULL;
		snprintf(query, sizeof query, "/v1/snapshot%s%s", esc != NULL ? "?after=" : "", esc != NULL ? esc : "");
		curl_free(esc);
		curl_easy_cleanup(e);
		if (sync_free_bytes(cfg->work_dir) >= 0 && sync_free_bytes(cfg->work_dir) < SYNC_DISK_RESERVE) {
			low_disk_msg(cfg->work_dir, err);
			return SYNC_LOCAL;
		}
		b.sink = fopen(path, "a");
		if (b.sink == NULL) {
			glmsg_set(err, "无法写入 %s：%s", "cannot write %s: %s", path, strerror(errno));
			return SYNC_LOCAL;
		}
		s = request(cfg, query, NULL, 0, &b, &h, err);
		if (fclose(b.sink) != 0 && s == SYNC_OK) {
			glmsg_set(err, "无法写入 %s：%s", "cannot write %s: %s", path, strerror(errno));
			return SYNC_LOCAL;
		}
		/* A request from the start: its cursor is the first part's, even
		 * if the transfer broke after the headers. */
		if (after[0] == '\0')
			*first = h.snapshot_cursor;
		if (s == SYNC_NETWORK && !b.not_json)
			continue;	/* a broken transfer: resume after the last whole line */
		if (s != SYNC_OK)
			return s;
		note_date(rep, &h);
		if (h.status == 200)
			rep->centre_waits = h.wait_max > 0;
		if (h.status != 200) {
			/* An error is one JSON object, in the file. */
			char tmp[512];
			FILE *f = fopen(path, "r");
			size_t n = f != NULL ? fread(tmp, 1, sizeof tmp - 1, f) : 0;
			if (f != NULL)
				fclose(f);
			tmp[n] = '\0';
			centre_error(tmp, n, h.status, err);
			return refusal(h.status);
		}
	}
}

/* Imports the downloaded snapshot into a fresh cache and installs it.  If
 * it came in several parts (resumed), the changes since the first part's
 * cursor are applied before the data is installed. */
static enum sync_status install(const struct sync_config *cfg, const char *path, long long first,
				struct sync_report *rep, gl_msg *err)
{
	struct cache *c;
	struct cache_import *im = NULL;
	struct cache_stats st;
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lines = 0;
	long long cursor;
	enum sync_status s = SYNC_DATA;
	gl_msg warn;

	if (f == NULL) {
		glmsg_set(err, "无法读取 %s", "cannot read %s", path);
		return SYNC_LOCAL;
	}
	c = cache_create_fresh(cfg->cache_path, err);
	im = c != NULL ? cache_import_begin(c, err) : NULL;
	if (im == NULL) {
		fclose(f);
		cache_discard(c);
		return SYNC_LOCAL;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		int rc = cache_import_line(im, line, (size_t)n - (line[n - 1] == '\n'), err);
		if (rc != 0) {
			s = rc == CACHE_IMPORT_IO ? SYNC_LOCAL : SYNC_DATA;
			goto fail;
		}
		if (++lines % 4096 == 0) {
			int64_t free_b = sync_free_bytes(cfg->work_dir);
			if (stopped(cfg, err)) {
				s = SYNC_STOPPED;
				goto fail;
			}
			if (free_b >= 0 && free_b < SYNC_DISK_RESERVE) {
				low_disk_msg(cfg->work_dir, err);
				s = SYNC_LOCAL;
				goto fail;
			}
		}
	}
	free(line);
	line = NULL;
	fclose(f);
	f = NULL;
	if (cache_import_finish(im, &st, &warn, err) != 0) {
		im = NULL;
		s = SYNC_LOCAL;
		goto fail;
	}
	im = NULL;
	/* Whether the centre waits for changes, as the snapshot said: the
	 * lane's next round may wait at once. */
	cache_set_meta(c, "centre_waits", rep->centre_waits ? "1" : "0", NULL);
	if (st.cursor[0] == '\0' || st.as_of == INT64_MIN) {
		glmsg_set(err, "中心的快照不完整（缺少结尾行）", "the centre's snapshot is not whole (no closing line)");
		s = SYNC_NETWORK;
		goto fail;
	}
	cursor = strtoll(st.cursor, NULL, 10);
	if (rep->resumed > 0) {
		/* Two parts are two states: what changed between them comes now. */
		if (first < 0) {
			glmsg_set(err, "快照续传后无法确认其一致性（中心未提供起始游标）：下一轮重新下载",
				  "a resumed snapshot cannot be made consistent (the centre did not say where it began): the "
				  "next round starts again");
			s = SYNC_NETWORK;
			goto fail;
		}
		cursor = first;
		s = changes(cfg, c, &cursor, 0, rep, err);	/* not installed yet: no waiting */
		if (s != SYNC_OK)
			goto fail;
	}
	if (cache_install(c, err) != 0)
		return SYNC_LOCAL;
	rep->records += st.puts + st.dels;
	rep->snapshot = 1;
	rep->cursor = cursor;
	return SYNC_OK;
fail:
	free(line);
	if (f != NULL)
		fclose(f);
	if (im != NULL)
		cache_import_abort(im);
	cache_discard(c);
	return s == SYNC_GONE ? SYNC_NETWORK : s;
}

static enum sync_status snapshot(const struct sync_config *cfg, struct sync_report *rep, gl_msg *err)
{
	char path[4200];
	long long first;
	enum sync_status s;

	snprintf(path, sizeof path, "%s/" SYNC_PART_FILE, cfg->work_dir);
	unlink(path);
	s = download(cfg, path, rep, &first, err);
	if (s == SYNC_OK)
		s = install(cfg, path, first, rep, err);
	unlink(path);	/* whole or not, it goes: a partial file only fills the disk */
	return s;
}

static enum sync_status pull(const struct sync_config *cfg, struct sync_report *rep, gl_msg *err)
{
	char cursor_s[128] = "", why[64];
	long long cursor;
	/* One connection for every page of the round.  No cache, one that
	 * cannot be opened, that reads found damaged or that must be rebuilt
	 * (rows from before hashes), or no cursor: start again from a
	 * snapshot. */
	struct cache *c = access(cfg->cache_path, F_OK) == 0 && !cache_damaged(cfg->cache_path)
				  ? cache_open(cfg->cache_path, 1, err) : NULL;
	enum sync_status s;

	if (c == NULL || cache_meta(c, "cursor", cursor_s, sizeof cursor_s) != 1 || cursor_s[0] == '\0' ||
	    cache_meta(c, "rebuild", why, sizeof why) == 1) {
		cache_close(c);
		return snapshot(cfg, rep, err);
	}
	cursor = strtoll(cursor_s, NULL, 10);
	rep->cursor = cursor;
	s = changes(cfg, c, &cursor, 1, rep, err);
	cache_close(c);
	/* The centre no longer keeps the changes after our cursor. */
	return s == SYNC_GONE ? snapshot(cfg, rep, err) : s;
}

/* ---- push ---- */

/* The index in batch of the record with this UUID, or -1. */
static int in_batch(const cJSON *batch, const char *uuid)
{
	const cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, batch) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "uuid")), uuid) == 0)
			return i;
		i++;
	}
	return -1;
}

int sync_read_ack(const char *p, size_t n, const cJSON *batch, struct sync_ack *ack, long *unknown)
{
	cJSON *reply, *u;
	int k = cJSON_GetArraySize(batch);

	*unknown = 0;
	if (k > SYNC_BATCH)
		return -1;
	memset(ack, 0, (size_t)k * sizeof *ack);
	/* I-JSON: a reply with a name twice is not read either way. */
	reply = p != NULL && jscan_object(p, n, NULL, 0) >= 0 ? cJSON_ParseWithLength(p, n) : NULL;
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(reply, "held"))) {
		cJSON_Delete(reply);
		return -1;
	}
	/* Only what was sent leaves the outbox, each once: a centre that
	 * names another record (or one twice) moves nothing more. */
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(reply, "held")) {
		int i = cJSON_IsString(u) ? in_batch(batch, u->valuestring) : -1;
		if (i < 0)
			(*unknown)++;
		else if (ack[i].state == SYNC_ACK_NONE)
			ack[i].state = SYNC_ACK_HELD;
	}
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(reply, "refused")) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(u, "uuid"));
		const char *why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(u, "error"));
		int i = id != NULL ? in_batch(batch, id) : -1;
		if (i < 0) {
			(*unknown)++;
			continue;
		}
		if (ack[i].state != SYNC_ACK_NONE)
			continue;
		ack[i].state = SYNC_ACK_REFUSED;
		snprintf(ack[i].why, sizeof ack[i].why, "%s", why != NULL && why[0] != '\0' ? why : "refused");
	}
	cJSON_Delete(reply);
	return 0;
}

/* One batch: sent, and what the centre holds of it leaves the outbox.
 * *moved gets how many left; counts go to rep. */
static enum sync_status push_batch(const struct sync_config *cfg, struct journal *j, cJSON *batch,
				   struct sync_report *rep, long *moved, gl_msg *err)
{
	cJSON *req = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(req, "events"), *e;
	struct buf b = { .d = { .max = 1 << 20 } };
	struct http h;
	struct sync_ack ack[SYNC_BATCH];
	char *body;
	long unknown;
	int i = 0, refused = 0;
	enum sync_status s;

	*moved = 0;
	cJSON_ArrayForEach(e, batch) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "body", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "body")));
		cJSON_AddStringToObject(x, "hash", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "hash")));
		cJSON_AddItemToArray(arr, x);
	}
	body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	if (body == NULL) {
		glmsg_set(err, "内存不足", "out of memory");
		return SYNC_LOCAL;
	}
	s = request(cfg, "/v1/events", body, 0, &b, &h, err);
	cJSON_free(body);
	if (s != SYNC_OK) {
		dynbuf_free(&b.d);
		return s;
	}
	note_date(rep, &h);
	if (h.status != 200) {
		centre_error(b.d.p, b.d.len, h.status, err);
		dynbuf_free(&b.d);
		return refusal(h.status);
	}
	if (sync_read_ack(b.d.p, b.d.len, batch, ack, &unknown) != 0) {
		dynbuf_free(&b.d);
		glmsg_set(err, "中心的回复无法读取", "the centre's reply cannot be read");
		return SYNC_NETWORK;
	}
	dynbuf_free(&b.d);
	rep->unknown += unknown;
	cJSON_ArrayForEach(e, batch) {
		const char *uuid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "uuid"));
		int rc;
		switch (ack[i++].state) {
		case SYNC_ACK_HELD:
			rc = journal_acked(j, uuid, err);
			if (rc < 0)
				return SYNC_LOCAL;
			*moved += rc;
			rep->held += rc;
			break;
		case SYNC_ACK_REFUSED:
			journal_send_failed(j, uuid, ack[i - 1].why);
			rep->refused++;
			refused++;
			break;
		default:
			break;
		}
	}
	if (*moved == 0 && refused == 0) {
		/* Neither held nor refused: a centre that does not answer for
		 * what it was sent.  The round stops; the records wait. */
		glmsg_set(err, "中心对发送的 %d 条记录既未确认收到也未拒收", "the centre neither holds nor refuses any of the "
			  "%d records sent", cJSON_GetArraySize(batch));
		return SYNC_DATA;
	}
	return SYNC_OK;
}

static enum sync_status push(const struct sync_config *cfg, struct journal *j, struct sync_report *rep, gl_msg *err)
{
	enum sync_status s = SYNC_OK;
	int64_t after = 0;

	for (;;) {
		cJSON *batch;
		long moved;
		if (stopped(cfg, err)) {
			s = SYNC_STOPPED;
			break;
		}
		/* Each record once a round: what the centre refused stays in the
		 * outbox, for a person, and is not sent again until the next. */
		batch = journal_outbox(j, after, SYNC_BATCH);
		if (cJSON_GetArraySize(batch) == 0) {
			cJSON_Delete(batch);
			break;
		}
		/* What is sent is what was logged: the chain is checked first. */
		if (journal_check_outbox(j, batch, err) != 0) {
			cJSON_Delete(batch);
			s = SYNC_LOCAL;
			break;
		}
		after = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(batch,
				cJSON_GetArraySize(batch) - 1), "seq"));
		s = push_batch(cfg, j, batch, rep, &moved, err);
		cJSON_Delete(batch);
		if (s != SYNC_OK)
			break;
	}
	rep->left = journal_pending(j);
	return s;
}

/* ---- a round ---- */

/* Only one sync at a time per data directory (the lane's background one,
 * one typed by hand).  The holder writes its process id in the lock file
 * if it can be woken (cfg->wake: its SIGUSR1 handler is in place), so a
 * sync that would take its turn (cfg->take_turn) can end the holder's wait
 * for changes and wait for the lock itself, up to SYNC_TURN_S.  The fd of
 * the lock held, or -1 (this machine) or -2 (busy) with err. */
#define SYNC_TURN_S 30

static void no_op(int sig)
{
	(void)sig;
}

/* SIGUSR1 to the holder named in the lock file, if it is a greenlane. */
/* The greenlane process whose id fd holds (read from its start), or 0: a
 * process id outlives its process, so it must still be a greenlane. */
static pid_t greenlane_in(int fd)
{
	char buf[32], comm[64], path[64];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	long pid;
	FILE *f;
	int ours = 0;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 1)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	f = fopen(path, "r");
	if (f != NULL) {
		ours = fgets(comm, sizeof comm, f) != NULL && strncmp(comm, "greenlane\n", 10) == 0;
		fclose(f);
	}
	return ours ? (pid_t)pid : 0;
}

static int wake_holder(int fd)
{
	pid_t pid = greenlane_in(fd);

	return pid > 0 && kill(pid, SIGUSR1) == 0;
}

/* A sync typed by hand that has woken the holder claims the next turn in
 * SYNC_TURN_FILE, so that the background sync, starting its next round an
 * instant after the last, leaves it the lock instead of taking it back
 * before the waiting one is scheduled.  1 if another process claims it. */
#define SYNC_TURN_FILE "sync.turn"
static int turn_claimed(const struct sync_config *cfg)
{
	char path[4200];
	int fd, other;

	snprintf(path, sizeof path, "%s/" SYNC_TURN_FILE, cfg->work_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	other = greenlane_in(fd);
	close(fd);
	return other > 0 && other != getpid();
}

/* Claims the next turn, wakes the holder and waits for the lock, up to
 * SYNC_TURN_S or a stop: 1 once held. */
static int take_turn(const struct sync_config *cfg, int fd)
{
	struct sigaction sa, old;
	time_t until = time(NULL) + SYNC_TURN_S;
	char turn[4200];
	int got, tf;

	snprintf(turn, sizeof turn, "%s/" SYNC_TURN_FILE, cfg->work_dir);
	tf = open(turn, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (tf >= 0) {
		dprintf(tf, "%ld\n", (long)getpid());
		close(tf);
	}
	if (!wake_holder(fd)) {
		unlink(turn);
		return 0;
	}

	/* A blocking flock, so the turn is ours as soon as the holder lets go
	 * (a poll could lose it to the sync the lane screen starts next);
	 * SIGALRM, without SA_RESTART, bounds it.  Another signal goes on
	 * waiting, unless it asked for a stop. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = no_op;
	sigaction(SIGALRM, &sa, &old);
	alarm(SYNC_TURN_S);
	while (!(got = flock(fd, LOCK_EX) == 0) && errno == EINTR && time(NULL) < until &&
	       !(cfg->stop != NULL && *cfg->stop))
		;
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	unlink(turn);
	return got;
}

int sync_wake(const char *work_dir)
{
	char path[4200];
	int fd, woken = 0;

	snprintf(path, sizeof path, "%s/sync.lock", work_dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* Held: a sync is running (and names itself if it can be woken). */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		woken = wake_holder(fd);
	close(fd);
	return woken;
}

static int lock(const struct sync_config *cfg, gl_msg *err)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof path, "%s/sync.lock", cfg->work_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		glmsg_set(err, "无法创建 %s：%s", "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	/* A turn claimed by a sync typed by hand is left to it (2 s at most). */
	for (int i = 0; i < 20 && !cfg->take_turn && turn_claimed(cfg); i++)
		usleep(100000);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 && !(cfg->take_turn && take_turn(cfg, fd))) {
		close(fd);
		glmsg_set(err, "另一个 greenlane sync 正在运行", "another greenlane sync is running");
		return -2;
	}
	if (ftruncate(fd, 0) == 0 && cfg->wake != NULL)
		dprintf(fd, "%ld\n", (long)getpid());
	return fd;
}

/* What a sync killed mid-way left: a partial download, a half-built cache.
 * Only under the lock, so never another sync's. */
static void leftovers(const struct sync_config *cfg)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char path[4200];

	snprintf(path, sizeof path, "%s/" SYNC_PART_FILE, cfg->work_dir);
	unlink(path);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(path, sizeof path, "%s.new%s", cfg->cache_path, ext[i]);
		unlink(path);
	}
}

/* What the lane says of itself (sync_config's status): its records still
 * to send, the time its data is as of, its policy's version. */
static void lane_status(const struct sync_config *cfg, struct journal *j, char out[160])
{
	struct cache *c = access(cfg->cache_path, F_OK) == 0 ? cache_open(cfg->cache_path, 1, NULL) : NULL;
	int64_t as_of = c != NULL ? cache_as_of(c) : INT64_MIN;
	char *doc = c != NULL ? cache_policy(c) : NULL;
	cJSON *p = doc != NULL ? cJSON_Parse(doc) : NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "version");
	int n = snprintf(out, 160, "backlog=%lld", (long long)journal_pending(j));

	if (as_of != INT64_MIN)
		n += snprintf(out + n, 160 - (size_t)n, "; as_of=%lld", (long long)as_of);
	/* A version as a policy writes it: nothing a header could not carry. */
	if (cJSON_IsString(v) && strlen(v->valuestring) < 40 &&
	    strspn(v->valuestring, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
		    strlen(v->valuestring))
		snprintf(out + n, 160 - (size_t)n, "; policy=%s", v->valuestring);
	cJSON_Delete(p);
	free(doc);
	cache_close(c);
}

enum sync_status sync_once(const struct sync_config *cfg, struct journal *j, struct sync_report *rep, gl_msg *err)
{
	enum sync_status ps, ls;
	gl_msg perr, lerr;
	int fd;

	memset(rep, 0, sizeof *rep);
	glmsg_clear(err);
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
	fd = lock(cfg, err);
	if (fd < 0)
		return fd == -2 ? SYNC_BUSY : SYNC_LOCAL;
	leftovers(cfg);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		close(fd);
		glmsg_set(err, "libcurl 初始化失败", "libcurl failed to initialise");
		return SYNC_LOCAL;
	}
	glmsg_clear(&perr);
	glmsg_clear(&lerr);
	/* The journal first: it is what cannot be had again.  Then the data,
	 * whatever became of the push. */
	ps = push(cfg, j, rep, &perr);
	if (ps != SYNC_STOPPED) {
		/* The pull says what is left to send, and of what data. */
		struct sync_config round = *cfg;
		char status[160];
		lane_status(cfg, j, status);
		round.status = status;
		ls = pull(&round, rep, &lerr);
	} else {
		ls = SYNC_STOPPED;
	}
	curl_global_cleanup();
	rep->push = ps;
	rep->pull = ls;
	*err = ps != SYNC_OK ? perr : lerr;
	if (ps != SYNC_OK && ls != SYNC_OK && ps != SYNC_STOPPED) {
		/* Both languages, each whole. */
		snprintf(err->zh, sizeof err->zh, "上传：%s；拉取：%s", perr.zh, lerr.zh);
		snprintf(err->en, sizeof err->en, "push: %s; pull: %s", perr.en, lerr.en);
	}
	if (ps == SYNC_OK || ls == SYNC_OK) {
		/* When the centre was last reached, for the lane's online state. */
		struct cache *c = access(cfg->cache_path, F_OK) == 0 ? cache_open(cfg->cache_path, 1, NULL) : NULL;
		char now[32];
		snprintf(now, sizeof now, "%lld", (long long)time(NULL));
		if (c != NULL)
			cache_set_meta(c, "synced_at", now, NULL);
		cache_close(c);
	}
	close(fd);
	return ps != SYNC_OK ? ps : ls;
}
