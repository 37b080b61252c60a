/* server.c — the central API over HTTP(S) with libmicrohttpd: snapshot
 * (streamed, gzip when accepted, resumable after a given record), change
 * feed with tombstones and 410 below the horizon, live look-ups, event
 * batches (each UUID held once), policy and keys.  Bearer token per
 * terminal, JSON errors, size limits, one log line per request, and fault
 * knobs for tests only when asked for. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "central.h"
#include "central_db.h"
#include "dynbuf.h"
#include "event.h"
#include "gltime.h"
#include "idno.h"
#include "plate.h"

struct server {
	const struct central_opts *o;
	struct cdb_pool *pool;		/* the database connections, bounded */
	pthread_mutex_t log_mu;
	atomic_long inflight;		/* body bytes reserved by requests being received */
};

struct request {
	char *body;
	size_t len;
	long reserved;		/* of the server's inflight budget */
	long truncate;		/* fault: cut the reply after this many bytes */
	int status;		/* the status answered (0: not yet) */
	size_t bytes;
	char terminal[EVENT_TERMINAL_MAX];
	char method[16], url[256];
	struct timespec start;
	struct cdb *db;			/* taken from the pool while the request is handled */
};

/* The request's database connection, taken from the pool on first use and
 * given back as soon as its answer is queued (handler); NULL when the
 * database cannot be reached or every connection is in use: the caller
 * answers unavailable(). */
static struct cdb *db(struct server *sv, struct request *r)
{
	gl_msg err;

	if (r->db == NULL)
		r->db = cdb_pool_take(sv->pool, 0, &err);
	return r->db;
}

static void db_give(struct server *sv, struct request *r)
{
	cdb_pool_give(sv->pool, r->db);
	r->db = NULL;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* A reply cut short by the truncate fault: its length is announced whole. */
struct cut {
	char *p;
	size_t len, limit;
};

static ssize_t cut_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct cut *k = cls;
	size_t n;

	if (pos >= k->limit || pos >= k->len)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = k->len - (size_t)pos;
	if (n > k->limit - (size_t)pos)
		n = k->limit - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, k->p + pos, n);
	return (ssize_t)n;
}

static void cut_free(void *cls)
{
	struct cut *k = cls;

	free(k->p);
	free(k);
}

static struct MHD_Response *cut_response(const char *body, size_t len, long limit)
{
	struct cut *k = calloc(1, sizeof *k);
	struct MHD_Response *resp;

	if (k == NULL)
		return NULL;
	k->p = malloc(len + 1);
	if (k->p == NULL) {
		free(k);
		return NULL;
	}
	memcpy(k->p, body, len);
	k->len = len;
	k->limit = (size_t)limit;
	resp = MHD_create_response_from_callback(len, 4096, cut_read, k, cut_free);
	if (resp == NULL)
		cut_free(k);
	return resp;
}

/* Seconds a client is asked to wait after a 503: the database is down or
 * failing over, or the centre is full. */
#define RETRY_AFTER "5"

static enum MHD_Result send_body(struct MHD_Connection *c, struct request *r, int status, const char *type,
				 const char *body, size_t len)
{
	struct MHD_Response *resp = r->truncate > 0 ? cut_response(body, len, r->truncate) :
				    MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;

	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (status == 503)
		MHD_add_response_header(resp, "Retry-After", RETRY_AFTER);
	ok = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	r->bytes = len;
	return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, struct request *r, int status, cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	enum MHD_Result ok = s != NULL ? send_body(c, r, status, "application/json", s, strlen(s)) : MHD_NO;

	cJSON_free(s);
	cJSON_Delete(j);
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, struct request *r, int status, const char *code,
				  const char *message)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "error", code);
	cJSON_AddStringToObject(j, "message", message);
	return send_json(c, r, status, j);
}

/* The database is down, failing over, or every connection is in use: never
 * a made-up answer; the client comes back (Retry-After). */
static enum MHD_Result unavailable(struct MHD_Connection *c, struct request *r)
{
	return send_error(c, r, 503, "unavailable", "the database cannot be reached or is busy: try again");
}

/* ---- streamed snapshot ---- */

struct stream {
	struct cdb_pool *pool;
	struct cdb *reader;		/* its own connection, in one read transaction */
	struct cdb_iter *it;
	int gzip, done, trailer_sent;
	int64_t cursor, as_of;
	char *line;			/* the line being sent */
	size_t line_len, line_off;
	z_stream z;
	long truncate;			/* fault: stop after this many bytes */
	uint64_t sent;
};

static void stream_free(void *cls)
{
	struct stream *s = cls;

	cdb_iter_free(s->it);
	cdb_pool_give(s->pool, s->reader);
	if (s->gzip)
		deflateEnd(&s->z);
	free(s->line);
	free(s);
}

/* Fills s->line with the next NDJSON line; 0 at the very end. */
static int next_line(struct stream *s)
{
	const char *kind, *key, *data;
	int64_t seq;
	char when[40];

	free(s->line);
	s->line = NULL;
	s->line_off = s->line_len = 0;
	if (!s->done) {
		int rc = cdb_next(s->it, &kind, &key, &data, &seq);
		if (rc == 1) {
			s->line = cdb_record_line(kind, key, data, seq, &s->line_len);
			return s->line != NULL ? 1 : -1;
		}
		if (rc < 0)
			return -1;
		s->done = 1;
	}
	if (s->trailer_sent)
		return 0;
	s->trailer_sent = 1;
	gltime_format(s->as_of, GLTIME_CST, when, sizeof when);
	s->line = malloc(128);
	if (s->line == NULL)
		return -1;
	s->line_len = (size_t)snprintf(s->line, 128, "{\"cursor\":%lld,\"as_of\":\"%s\"}\n", (long long)s->cursor, when);
	return 1;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	size_t out = 0;

	(void)pos;
	if (s->truncate > 0 && s->sent >= (uint64_t)s->truncate)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (s->gzip) {
		s->z.next_out = (Bytef *)buf;
		s->z.avail_out = (uInt)max;
	}
	while (out < max) {
		if (s->line_off == s->line_len) {
			int rc = next_line(s);
			if (rc < 0)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			if (rc == 0) {
				if (!s->gzip)
					break;
				/* Flush the compressor. */
				s->z.next_in = NULL;
				s->z.avail_in = 0;
				if (deflate(&s->z, Z_FINISH) == Z_STREAM_ERROR)
					return MHD_CONTENT_READER_END_WITH_ERROR;
				out = max - s->z.avail_out;
				break;
			}
		}
		if (s->gzip) {
			s->z.next_in = (Bytef *)s->line + s->line_off;
			s->z.avail_in = (uInt)(s->line_len - s->line_off);
			if (deflate(&s->z, Z_NO_FLUSH) == Z_STREAM_ERROR)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			s->line_off = s->line_len - s->z.avail_in;
			out = max - s->z.avail_out;
			if (s->z.avail_out == 0)
				break;
		} else {
			size_t n = s->line_len - s->line_off;
			if (n > max - out)
				n = max - out;
			memcpy(buf + out, s->line + s->line_off, n);
			s->line_off += n;
			out += n;
		}
	}
	if (out == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	s->sent += out;
	return (ssize_t)out;
}

static enum MHD_Result snapshot(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	const char *from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
	char kind[32] = "", key[RECORD_KEY_MAX] = "";
	struct stream *s;
	struct MHD_Response *resp;
	enum MHD_Result ok;
	gl_msg err;

	/* ?after=KIND/KEY resumes after the last whole record received. */
	if (from != NULL && central_after_arg(from, kind, key, &err) != 0)
		return send_error(c, r, 400, "bad_request", err.en);
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return MHD_NO;
	/* A connection of its own for as long as the stream lasts, taken only
	 * if one per worker thread stays free: snapshots never starve the
	 * short requests (events, pages). */
	s->pool = sv->pool;
	s->reader = cdb_pool_take(sv->pool, CENTRAL_THREADS, &err);
	if (s->reader == NULL || cdb_read_begin(s->reader, &err) != 0) {
		stream_free(s);
		return unavailable(c, r);
	}
	/* The reader holds one state: the records sent and this cursor agree,
	 * and the data is vouched for as of now, when it is read. */
	s->cursor = cdb_cursor(s->reader);
	s->as_of = (int64_t)time(NULL);
	if (s->cursor < 0) {
		stream_free(s);
		return unavailable(c, r);
	}
	s->it = cdb_snapshot(s->reader, kind, key, &err);
	s->gzip = ae != NULL && strstr(ae, "gzip") != NULL;
	if (s->it == NULL || (s->gzip && deflateInit2(&s->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)) {
		s->gzip = 0;
		stream_free(s);
		return send_error(c, r, 500, "internal", "cannot start the snapshot");
	}
	s->truncate = r->truncate;
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s, stream_free);
	if (resp == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/x-ndjson");
	if (s->gzip)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	/* The cursor this part is consistent with, before its first byte: a
	 * lane that resumes fetches the changes since the first part's. */
	{
		char cur[32];
		snprintf(cur, sizeof cur, "%lld", (long long)s->cursor);
		MHD_add_response_header(resp, "X-Snapshot-Cursor", cur);
	}
	ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	r->status = 200;
	return ok;
}

/* ---- change feed ---- */

static enum MHD_Result changes(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	const char *since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *limit_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	char tail[160], when[40];
	struct dynbuf page;
	int64_t since, seq, last, n = 0, horizon, cursor;
	int limit, rc = 0, more = 0;
	struct cdb *reader;
	struct cdb_iter *it;
	const char *kind, *key, *data;
	gl_msg err;
	enum MHD_Result ok;

	if (central_changes_args(since_s, limit_s, &since, &limit, &err) != 0)
		return send_error(c, r, 400, "bad_request", err.en);
	/* One read transaction: the horizon, the cursor and the page agree. */
	reader = db(sv, r);
	if (reader == NULL || cdb_read_begin(reader, &err) != 0)
		return unavailable(c, r);
	horizon = cdb_horizon(reader);
	cursor = cdb_cursor(reader);
	/* A failed read is no reason to send a lane back to a snapshot. */
	if (horizon < 0 || cursor < 0)
		return unavailable(c, r);
	if (since < horizon)
		return send_error(c, r, 410, "gone", "the cursor is older than the tombstone horizon: take a snapshot");
	/* A cursor this centre never handed out (it was restored from a
	 * backup): what changed since the backup would never reach the lane. */
	if (since > cursor)
		return send_error(c, r, 410, "gone", "the cursor is ahead of this centre's data: take a snapshot");
	/* A page ends at limit records or CENTRAL_PAGE_BYTES, whichever comes
	 * first (a lane takes pages up to twice that); the rest is "more". */
	dynbuf_init(&page, CENTRAL_PAGE_BYTES + sizeof tail);
	last = since;
	it = cdb_changes(reader, since, limit + 1, &err);
	while (it != NULL && (rc = cdb_next(it, &kind, &key, &data, &seq)) == 1) {
		size_t n_line;
		char *line;
		if (n == limit) {
			more = 1;
			break;
		}
		line = cdb_record_line(kind, key, data, seq, &n_line);
		if (line != NULL && n > 0 && page.len + n_line > CENTRAL_PAGE_BYTES) {
			cJSON_free(line);
			more = 1;
			break;
		}
		rc = line != NULL ? dynbuf_add(&page, line, n_line) : DYNBUF_NOMEM;
		cJSON_free(line);
		if (rc != DYNBUF_OK)
			break;
		last = seq;
		n++;
	}
	cdb_iter_free(it);
	cdb_rollback(reader);
	/* A page cut by a failure would hide nothing (the cursor is the last
	 * record sent), but say so rather than look complete. */
	if (it == NULL || rc < 0) {
		dynbuf_free(&page);
		return send_error(c, r, 503, "unavailable", "the change feed could not be read: try again");
	}
	gltime_format((int64_t)time(NULL), GLTIME_CST, when, sizeof when);
	snprintf(tail, sizeof tail, "{\"cursor\":%lld,\"more\":%s,\"as_of\":\"%s\"}\n", (long long)last,
		 more ? "true" : "false", when);
	dynbuf_add(&page, tail, strlen(tail));	/* room was kept for it */
	ok = send_body(c, r, 200, "application/x-ndjson", page.p, page.len);
	dynbuf_free(&page);
	return ok;
}

/* ---- look-ups ---- */

static void add_raw(cJSON *o, const char *name, char *data)
{
	cJSON *v = data != NULL ? cJSON_Parse(data) : NULL;

	cJSON_AddItemToObject(o, name, v != NULL ? v : cJSON_CreateNull());
	free(data);
}

/* Adds what cdb_find found; 0 if it failed (a list cut short by a failure
 * would look complete). */
static int add_found(cJSON *o, const char *name, cJSON *found)
{
	if (found == NULL)
		return 0;
	cJSON_AddItemToObject(o, name, found);
	return 1;
}

static enum MHD_Result vehicle(struct server *sv, struct MHD_Connection *c, struct request *r, const char *raw)
{
	struct plate p;
	cJSON *o;
	char *v;

	if (plate_parse(raw, NULL, &p, NULL) != 0)
		return send_error(c, r, 400, "bad_plate", "not a plate");
	if (db(sv, r) == NULL)
		return unavailable(c, r);
	switch (cdb_get(r->db, "vehicle", p.canon, &v)) {
	case 0:
		return send_error(c, r, 404, "not_found", "no such vehicle");
	case 1:
		break;
	default:
		return unavailable(c, r);
	}
	o = cJSON_CreateObject();
	add_raw(o, "vehicle", v);
	if (!add_found(o, "passes", cdb_find(r->db, "pass", "plate", p.canon)) ||
	    !add_found(o, "trips", cdb_find(r->db, "trip", "plate", p.canon)) ||
	    !add_found(o, "intercepts", cdb_find(r->db, "intercept", "value", p.canon))) {
		cJSON_Delete(o);
		return unavailable(c, r);
	}
	return send_json(c, r, 200, o);
}

static enum MHD_Result driver(struct server *sv, struct MHD_Connection *c, struct request *r, const char *raw)
{
	char id[IDNO_MAX], *d;
	cJSON *o;

	if (idno_parse(raw, (int64_t)time(NULL), id, NULL) != 0)
		return send_error(c, r, 400, "bad_id_no", "not an ID number");
	if (db(sv, r) == NULL)
		return unavailable(c, r);
	switch (cdb_get(r->db, "driver", id, &d)) {
	case 0:
		return send_error(c, r, 404, "not_found", "no such driver");
	case 1:
		break;
	default:
		return unavailable(c, r);
	}
	o = cJSON_CreateObject();
	add_raw(o, "driver", d);
	if (!add_found(o, "intercepts", cdb_find(r->db, "intercept", "value", id))) {
		cJSON_Delete(o);
		return unavailable(c, r);
	}
	return send_json(c, r, 200, o);
}

/* ---- events ---- */

static enum MHD_Result events(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	cJSON *arr, *e, *out, *held, *refused;
	gl_msg err;

	arr = central_read_batch(r->body, r->len, &err);
	if (arr == NULL)
		return send_error(c, r, 400, "bad_json", err.en);
	if (db(sv, r) == NULL) {
		cJSON_Delete(arr);
		return unavailable(c, r);
	}
	out = cJSON_CreateObject();
	held = cJSON_AddArrayToObject(out, "held");
	refused = cJSON_AddArrayToObject(out, "refused");
	cJSON_ArrayForEach(e, arr) {
		const char *body = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "body"));
		const char *hash = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "hash"));
		char uuid[37];
		int fresh;
		int rc;
		central_event_uuid(body, uuid);
		rc = cdb_event_put(r->db, r->terminal, body, hash, &fresh, &err);
		if (rc == CDB_UNAVAILABLE) {
			/* Not the record's fault: the whole batch is to be sent
			 * again (what was held of it is held once, by UUID). */
			cJSON_Delete(arr);
			cJSON_Delete(out);
			return send_error(c, r, 503, "unavailable", err.en);
		}
		if (rc == 0) {
			cJSON_AddItemToArray(held, cJSON_CreateString(uuid));
		} else {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "uuid", uuid);
			cJSON_AddStringToObject(x, "error", err.en);
			cJSON_AddItemToArray(refused, x);
		}
	}
	cJSON_Delete(arr);
	return send_json(c, r, 200, out);
}

/* ---- policy and keys ---- */

static enum MHD_Result policy(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	char *p;
	enum MHD_Result ok;

	if (db(sv, r) == NULL)
		return unavailable(c, r);
	switch (cdb_get(r->db, "policy", "current", &p)) {
	case 0:
		return send_error(c, r, 404, "not_found", "no policy published");
	case 1:
		break;
	default:
		return unavailable(c, r);
	}
	ok = send_body(c, r, 200, "application/json", p, strlen(p));
	free(p);
	return ok;
}

static enum MHD_Result keys(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	struct cdb_iter *it;
	const char *kind, *key, *data;
	int64_t seq;
	int rc = -1;
	cJSON *o, *arr;
	gl_msg err;

	if (db(sv, r) == NULL || cdb_read_begin(r->db, &err) != 0)
		return unavailable(c, r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "keys");
	it = cdb_snapshot(r->db, "key", "", &err);
	while (it != NULL && (rc = cdb_next(it, &kind, &key, &data, &seq)) == 1 && strcmp(kind, "key") == 0)
		cJSON_AddItemToArray(arr, cJSON_Parse(data));
	cdb_iter_free(it);
	cdb_rollback(r->db);
	/* A list of keys cut short by a failure would make good passes look
	 * forged. */
	if (rc < 0) {
		cJSON_Delete(o);
		return unavailable(c, r);
	}
	return send_json(c, r, 200, o);
}

/* ---- dispatch ---- */

static void log_request(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "-", when[40], method[64], url[1024];

	if (sv->o->log == NULL)
		return;
	if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, ip, sizeof ip);
	gltime_format((int64_t)time(NULL), GLTIME_CST, when, sizeof when);
	/* What a client sent is escaped, and ID numbers masked. */
	central_log_text(r->method, method, sizeof method);
	central_log_text(r->url, url, sizeof url);
	pthread_mutex_lock(&sv->log_mu);
	fprintf(sv->o->log, "%s %s %s %s %d %zu %s %.1fms\n", when, ip, method, url, r->status, r->bytes,
		r->terminal[0] ? r->terminal : "-", ms_since(&r->start));
	fflush(sv->o->log);
	pthread_mutex_unlock(&sv->log_mu);
}

/* libmicrohttpd's own messages (a connection closed on purpose by a fault
 * knob, a TLS handshake that failed) go to the same log, marked as such. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct server *sv = cls;
	char when[40], msg[512];
	size_t n;

	if (sv->o->log == NULL)
		return;
	char text[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	central_log_text(msg, text, sizeof text);	/* it may quote a client's bytes */
	gltime_format((int64_t)time(NULL), GLTIME_CST, when, sizeof when);
	pthread_mutex_lock(&sv->log_mu);
	fprintf(sv->o->log, "%s microhttpd: %s\n", when, text);
	fflush(sv->o->log);
	pthread_mutex_unlock(&sv->log_mu);
}

static enum MHD_Result route(struct server *sv, struct MHD_Connection *c, const char *url, const char *method,
			     struct request *r)
{
	const struct central_faults *f = &sv->o->faults;
	int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;

	if (f->path[0] != '\0' && strncmp(url, f->path, strlen(f->path)) == 0) {
		if (f->delay_ms > 0)
			usleep((useconds_t)f->delay_ms * 1000);
		if (f->drop)
			return MHD_NO;	/* closes the connection without an answer */
		if (f->status > 0)
			return send_error(c, r, f->status, "fault", "injected fault");
		r->truncate = f->truncate;
	}
	if (strcmp(url, "/v1/snapshot") == 0)
		return get ? snapshot(sv, c, r) : send_error(c, r, 405, "method", "GET only");
	if (strcmp(url, "/v1/changes") == 0)
		return get ? changes(sv, c, r) : send_error(c, r, 405, "method", "GET only");
	if (strncmp(url, "/v1/vehicles/", 13) == 0)
		return get ? vehicle(sv, c, r, url + 13) : send_error(c, r, 405, "method", "GET only");
	if (strncmp(url, "/v1/drivers/", 12) == 0)
		return get ? driver(sv, c, r, url + 12) : send_error(c, r, 405, "method", "GET only");
	if (strcmp(url, "/v1/events") == 0)
		return post ? events(sv, c, r) : send_error(c, r, 405, "method", "POST only");
	if (strcmp(url, "/v1/policy") == 0)
		return get ? policy(sv, c, r) : send_error(c, r, 405, "method", "GET only");
	if (strcmp(url, "/v1/keys") == 0)
		return get ? keys(sv, c, r) : send_error(c, r, 405, "method", "GET only");
	return send_error(c, r, 404, "not_found", "no such endpoint");
}

/* On the headers, before any body is read: who asks, and whether the body
 * it announces may be taken.  A refusal is queued at once, and the body
 * that follows is never kept. */
static enum MHD_Result admit(struct server *sv, struct MHD_Connection *c, struct request *r)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	long want = 0;

	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0)
		return send_error(c, r, 401, "unauthorized", "a bearer token is required");
	if (db(sv, r) == NULL)
		return unavailable(c, r);
	switch (cdb_terminal_auth(r->db, auth + 7, r->terminal)) {
	case 1:
		break;
	case 0:
		return send_error(c, r, 401, "unauthorized", "unknown or revoked token");
	default:	/* the database, not the token: never tell a lane it is refused */
		r->terminal[0] = '\0';
		return unavailable(c, r);
	}
	if (strcmp(r->method, "POST") != 0 && strcmp(r->method, "PUT") != 0)
		return MHD_YES;
	if (cl != NULL) {
		char *end;
		want = strtol(cl, &end, 10);
		if (*end != '\0' || want < 0)
			return send_error(c, r, 400, "bad_request", "a bad Content-Length");
	} else {
		want = CENTRAL_MAX_BODY;	/* chunked: the most it may be */
	}
	if (want > CENTRAL_MAX_BODY)
		return send_error(c, r, 413, "too_large", "the request body is over 4 MiB");
	/* Bodies in flight together are bounded: beyond, come back later. */
	if (atomic_fetch_add(&sv->inflight, want) + want > CENTRAL_MAX_INFLIGHT) {
		atomic_fetch_sub(&sv->inflight, want);
		return send_error(c, r, 503, "busy", "too many requests are being received: try again shortly");
	}
	r->reserved = want;
	return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *sv = cls;
	struct request *r = *con_cls;
	enum MHD_Result ok;

	(void)version;
	if (r == NULL) {
		r = calloc(1, sizeof *r);
		if (r == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		snprintf(r->method, sizeof r->method, "%s", method);
		snprintf(r->url, sizeof r->url, "%s", url);
		*con_cls = r;
		ok = admit(sv, c, r);
		db_give(sv, r);	/* not held while the body comes in */
		return ok;
	}
	if (r->status != 0) {
		*upload_size = 0;	/* answered already: the rest is discarded */
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (r->len + *upload_size > (size_t)r->reserved) {
			*upload_size = 0;
			return send_error(c, r, 413, "too_large", "the request body is longer than announced or over 4 MiB");
		}
		if (r->body == NULL)
			r->body = malloc((size_t)r->reserved + 1);
		if (r->body == NULL)
			return MHD_NO;
		memcpy(r->body + r->len, upload, *upload_size);
		r->len += *upload_size;
		r->body[r->len] = '\0';
		*upload_size = 0;
		return MHD_YES;
	}
	ok = route(sv, c, url, method, r);
	db_give(sv, r);	/* the answer is queued: the connection serves others */
	return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode code)
{
	struct server *sv = cls;
	struct request *r = *con_cls;

	(void)code;
	if (r == NULL)
		return;
	log_request(sv, c, r);
	atomic_fetch_sub(&sv->inflight, r->reserved);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

int central_private_file(const char *path, gl_msg *err)
{
	struct stat sb;

	if (stat(path, &sb) != 0 || (sb.st_mode & 077) == 0)
		return 0;
	glmsg_set(err, "%s 其他用户可读，而其中有密钥：请执行 chmod 600 %s（若可能已被复制，请更换密钥）",
		  "%s can be read by other users and holds secrets: chmod 600 %s (and if it may have been copied, "
		  "consider its keys compromised)", path, path);
	return -1;
}

int central_private_db(const char *path, gl_msg *err)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char p[4200];

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		if (central_private_file(p, err) != 0)
			return -1;
	}
	return 0;
}

char *central_read_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, got;

	if (f == NULL)
		return NULL;
	/* Read to the end, not by the size stat or ftell gives: a file that
	 * grows or shrinks meanwhile is read as it is. */
	buf = malloc(max + 1);
	if (buf != NULL) {
		while ((got = fread(buf + n, 1, max + 1 - n, f)) > 0)
			n += got;
		if (ferror(f) || n == 0 || n > max) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

int central_serve(const struct central_opts *o)
{
	struct server sv;
	struct sockaddr_in addr;
	struct MHD_Daemon *d;
	char host[64], *colon, *cert = NULL, *key = NULL;
	long port;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	int rc;
	gl_msg err;

	snprintf(host, sizeof host, "%s", o->listen);
	colon = strrchr(host, ':');
	port = colon != NULL ? strtol(colon + 1, NULL, 10) : 0;
	if (colon == NULL || port <= 0 || port > 65535) {
		fprintf(stderr, "greenlane-central: --listen takes ADDR:PORT\n");
		return 64;
	}
	*colon = '\0';
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &addr.sin_addr) != 1) {
		fprintf(stderr, "greenlane-central: %s is not an IPv4 address\n", host);
		return 64;
	}
	if (o->cert == NULL && (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "greenlane-central: plain HTTP only on loopback; give --cert and --key to serve %s\n", host);
		return 64;
	}
	memset(&sv, 0, sizeof sv);
	sv.o = o;
	pthread_mutex_init(&sv.log_mu, NULL);
	/* The database holds the signing keys: whoever can copy it can issue
	 * a pass every lane takes for green.  One others can read is refused,
	 * not quietly mended: it may have been copied already. */
	if (central_private_db(o->db_path, &err) != 0 || (o->key != NULL && central_private_file(o->key, &err) != 0)) {
		fprintf(stderr, "greenlane-central: %s\n", err.en);
		return 77;
	}
	/* One connection opened now: a store that cannot be reached, or whose
	 * schema is not this program's, is said at start. */
	sv.pool = cdb_pool_new(o->db_path, o->db_connections > 0 ? o->db_connections : CENTRAL_DB_CONNECTIONS, &err);
	if (sv.pool == NULL) {
		fprintf(stderr, "greenlane-central: %s\n", err.en);
		return 66;
	}
	if (o->cert != NULL) {
		cert = central_read_file(o->cert, 1 << 20);
		key = central_read_file(o->key != NULL ? o->key : "", 1 << 20);
		if (cert == NULL || key == NULL) {
			fprintf(stderr, "greenlane-central: cannot read --cert/--key\n");
			rc = 66;
			goto out;
		}
		flags |= MHD_USE_TLS;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	{
		struct MHD_OptionItem tls[] = {
			{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert }, { MHD_OPTION_HTTPS_MEM_KEY, 0, key },
			{ MHD_OPTION_END, 0, NULL },
		};
		d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handler, &sv,
				     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &sv,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)CENTRAL_THREADS,
				     MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_NOTIFY_COMPLETED, completed, &sv,
				     MHD_OPTION_ARRAY, cert != NULL ? tls : tls + 2, MHD_OPTION_END);
	}
	if (d == NULL) {
		fprintf(stderr, "greenlane-central: cannot listen on %s\n", o->listen);
		rc = 71;
		goto out;
	}
	if (o->log != NULL) {
		fprintf(o->log, "greenlane-central listening on %s (%s)\n", o->listen, cert != NULL ? "https" : "http");
		fflush(o->log);
	}
	while (!stop)
		pause();
	MHD_stop_daemon(d);	/* every request ended, every connection given back */
	rc = 0;
out:
	cdb_pool_free(sv.pool);
	free(cert);
	free(key);
	return rc;
}
