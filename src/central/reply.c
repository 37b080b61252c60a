/* reply.c — what every endpoint answers with: JSON bodies and errors (503
 * with Retry-After), the truncate fault for tests, and the request's
 * database connection. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"

struct cdb *http_db(struct http_server *sv, struct http_request *r)
{
	gl_msg err;

	if (r->db == NULL)
		r->db = cdb_pool_take(sv->pool, 0, &err);
	return r->db;
}

void http_db_give(struct http_server *sv, struct http_request *r)
{
	cdb_pool_give(sv->pool, r->db);
	r->db = NULL;
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

enum MHD_Result http_send(struct MHD_Connection *c, struct http_request *r, int status, const char *type,
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
	if (r->header[0] != NULL)
		MHD_add_response_header(resp, r->header[0], r->header[1]);
	if (r->centre) {
		/* The page runs only its own script and style, in no frame. */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
					" connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
		MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	}
	ok = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	r->bytes = len;
	return ok;
}

enum MHD_Result http_json(struct MHD_Connection *c, struct http_request *r, int status, cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	enum MHD_Result ok = s != NULL ? http_send(c, r, status, "application/json", s, strlen(s)) : MHD_NO;

	cJSON_free(s);
	cJSON_Delete(j);
	return ok;
}

enum MHD_Result http_error(struct MHD_Connection *c, struct http_request *r, int status, const char *code,
				  const char *message)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "error", code);
	cJSON_AddStringToObject(j, "message", message);
	return http_json(c, r, status, j);
}

void http_client_addr(struct MHD_Connection *c, char out[48])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	snprintf(out, 48, "-");
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, 48);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, 48);
}

enum MHD_Result http_unavailable(struct MHD_Connection *c, struct http_request *r)
{
	return http_error(c, r, 503, "unavailable", "the database cannot be reached or is busy: try again");
}
