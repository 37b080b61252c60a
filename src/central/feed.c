/* feed.c — what lanes keep their data by: the snapshot (streamed from one
 * read transaction, gzip when accepted, resumable after a given record) and
 * the change feed (pages of puts and tombstones after a cursor, 410 below
 * the horizon or ahead of this centre). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "dynbuf.h"
#include "gltime.h"
#include "http.h"

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

enum MHD_Result feed_snapshot(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	const char *from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
	char kind[32] = "", key[RECORD_KEY_MAX] = "";
	struct stream *s;
	struct MHD_Response *resp;
	enum MHD_Result ok;
	gl_msg err;

	(void)rest;
	/* ?after=KIND/KEY resumes after the last whole record received. */
	if (from != NULL && central_after_arg(from, kind, key, &err) != 0)
		return http_error(c, r, 400, "bad_request", err.en);
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
		return http_unavailable(c, r);
	}
	/* The reader holds one state: the records sent and this cursor agree,
	 * and the data is vouched for as of now, when it is read. */
	s->cursor = cdb_cursor(s->reader);
	s->as_of = (int64_t)time(NULL);
	if (s->cursor < 0) {
		stream_free(s);
		return http_unavailable(c, r);
	}
	s->it = cdb_snapshot(s->reader, kind, key, &err);
	s->gzip = ae != NULL && strstr(ae, "gzip") != NULL;
	if (s->it == NULL || (s->gzip && deflateInit2(&s->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)) {
		s->gzip = 0;
		stream_free(s);
		return http_error(c, r, 500, "internal", "cannot start the snapshot");
	}
	s->truncate = r->truncate;
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s, stream_free);
	if (resp == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/x-ndjson");
	MHD_add_response_header(resp, "X-Wait-Max", CENTRAL_WAIT_MAX_TEXT);	/* see feed_changes */
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

/* The page after since, read in one transaction (the horizon, the cursor
 * and the records agree), into page with its closing line; *n records.
 * 0, 503 (the database cannot be read), or 410 with *why. */
static int read_page(struct http_server *sv, struct http_request *r, int64_t since, int limit, struct dynbuf *page,
		     int64_t *n, const char **why)
{
	char tail[160], when[40];
	int64_t seq, last = since, horizon, cursor;
	int rc = 0, more = 0;
	struct cdb *reader = http_db(sv, r);
	struct cdb_iter *it;
	const char *kind, *key, *data;
	gl_msg err;

	*n = 0;
	*why = NULL;	/* 503: the caller says the database cannot be read */
	if (reader == NULL || cdb_read_begin(reader, &err) != 0)
		return 503;
	horizon = cdb_horizon(reader);
	cursor = cdb_cursor(reader);
	/* A failed read is no reason to send a lane back to a snapshot. */
	if (horizon < 0 || cursor < 0) {
		cdb_rollback(reader);
		return 503;
	}
	if (since < horizon || since > cursor) {
		cdb_rollback(reader);
		/* Below the horizon, the tombstones are gone.  Ahead of the
		 * cursor, this centre never handed it out (it was restored from
		 * a backup): what changed since the backup would never reach the
		 * lane. */
		*why = since < horizon ? "the cursor is older than the tombstone horizon: take a snapshot"
				       : "the cursor is ahead of this centre's data: take a snapshot";
		return 410;
	}
	/* A page ends at limit records or CENTRAL_PAGE_BYTES, whichever comes
	 * first (a lane takes pages up to twice that); the rest is "more". */
	dynbuf_init(page, CENTRAL_PAGE_BYTES + sizeof tail);
	it = cdb_changes(reader, since, limit + 1, &err);
	while (it != NULL && (rc = cdb_next(it, &kind, &key, &data, &seq)) == 1) {
		size_t n_line;
		char *line;
		if (*n == limit) {
			more = 1;
			break;
		}
		line = cdb_record_line(kind, key, data, seq, &n_line);
		if (line != NULL && *n > 0 && page->len + n_line > CENTRAL_PAGE_BYTES) {
			cJSON_free(line);
			more = 1;
			break;
		}
		rc = line != NULL ? dynbuf_add(page, line, n_line) : DYNBUF_NOMEM;
		cJSON_free(line);
		if (rc != DYNBUF_OK)
			break;
		last = seq;
		(*n)++;
	}
	cdb_iter_free(it);
	cdb_rollback(reader);
	/* A page cut by a failure would hide nothing (the cursor is the last
	 * record sent), but say so rather than look complete. */
	if (it == NULL || rc < 0) {
		dynbuf_free(page);
		return 503;
	}
	gltime_format((int64_t)time(NULL), GLTIME_CST, when, sizeof when);
	snprintf(tail, sizeof tail, "{\"cursor\":%lld,\"more\":%s,\"as_of\":\"%s\"}\n", (long long)last,
		 more ? "true" : "false", when);
	dynbuf_add(page, tail, strlen(tail));	/* room was kept for it */
	return 0;
}

/* GET /v1/changes?since=N[&limit=L][&wait=S]: with wait, a request that
 * finds nothing after N is parked (watch.c) until there is something, or
 * for S seconds; then it answers its page (an empty one says the data is
 * current as of now). */
enum MHD_Result feed_changes(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			     const char *rest)
{
	const char *since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *limit_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	const char *wait_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "wait");
	struct dynbuf page;
	int64_t since, n;
	int limit, wait, status;
	const char *why;
	gl_msg err;
	enum MHD_Result ok;

	(void)rest;
	if (central_changes_args(since_s, limit_s, &since, &limit, &err) != 0 ||
	    central_wait_arg(wait_s, &wait, &err) != 0)
		return http_error(c, r, 400, "bad_request", err.en);
	/* Its time counts from when it first came, not from a resumption. */
	if (wait > 0 && r->wait_until == 0)
		r->wait_until = feed_now_ms() + (int64_t)wait * 1000;
	for (int again = 0;; again++) {
		status = read_page(sv, r, since, limit, &page, &n, &why);
		if (status == 503)
			return http_unavailable(c, r);
		if (status != 0)
			return http_error(c, r, status, "gone", why);
		if (n > 0 || r->wait_until == 0 || feed_now_ms() >= r->wait_until || again > 0)
			break;
		http_db_give(sv, r);	/* a parked request holds no connection */
		if (feed_watch_park(sv, c, r, since)) {
			dynbuf_free(&page);
			return MHD_YES;
		}
		/* The feed moved past since after this read: read once more. */
		dynbuf_free(&page);
	}
	/* This centre waits when asked: a lane asks only a centre that says so
	 * (an older one would answer at once, and the lane would ask again and
	 * again). */
	r->header[0] = "X-Wait-Max";
	r->header[1] = CENTRAL_WAIT_MAX_TEXT;
	ok = http_send(c, r, 200, "application/x-ndjson", page.p, page.len);
	dynbuf_free(&page);
	return ok;
}
