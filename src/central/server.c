/* server.c — the central API over HTTP(S) with libmicrohttpd: the daemon,
 * who may ask (a bearer token per terminal, checked on the headers before
 * any body is read; size limits), the table of routes to the endpoints
 * (http.h), one log line per request, and fault knobs for tests only when
 * asked for. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gltime.h"
#include "http.h"

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

/* ---- dispatch ---- */

static void log_request(struct http_server *sv, struct MHD_Connection *c, struct http_request *r)
{
	char ip[48], when[40], method[64], url[1024];

	if (sv->o->log == NULL)
		return;
	http_client_addr(c, ip);
	gltime_format((int64_t)time(NULL), GLTIME_CST, when, sizeof when);
	/* What a client sent is escaped, and ID numbers masked. */
	central_log_text(r->method, method, sizeof method);
	central_log_text(r->url, url, sizeof url);
	pthread_mutex_lock(&sv->log_mu);
	fprintf(sv->o->log, "%s %s %s %s %d %zu %s %.1fms\n", when, ip, method, url, r->status, r->bytes,
		r->terminal[0] ? r->terminal : r->staff[0] ? r->staff : "-", ms_since(&r->start));
	fflush(sv->o->log);
	pthread_mutex_unlock(&sv->log_mu);
}

/* libmicrohttpd's own messages (a connection closed on purpose by a fault
 * knob, a TLS handshake that failed) go to the same log, marked as such. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *sv = cls;
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

/* The endpoints.  A path that ends with '/' is a prefix: the rest of the
 * URL goes to the handler. */
static const struct route {
	const char *path, *method;
	http_handler run;
} routes[] = {
	{ "/v1/snapshot", "GET", feed_snapshot },
	{ "/v1/changes", "GET", feed_changes },
	{ "/v1/vehicles/", "GET", lookup_vehicle },
	{ "/v1/drivers/", "GET", lookup_driver },
	{ "/v1/policy", "GET", lookup_policy },
	{ "/v1/keys", "GET", lookup_keys },
	{ "/v1/events", "POST", events_post },
	{ "/v1/centre/session", "POST", centre_signin },
	{ "/v1/centre/session", "DELETE", centre_signout },
	{ "/v1/centre/me", "GET", centre_me },
	{ "/v1/centre/audit", "GET", centre_audit },
	{ "/v1/centre/terminals", "GET", centre_terminals },
	{ "/v1/centre/in-force", "GET", centre_in_force },
	{ "/v1/centre/figures", "GET", centre_figures },
	{ "/v1/centre/report.csv", "GET", centre_report_csv },
	{ "/v1/centre/actions/", "POST", centre_action },
	{ "/centre/", "GET", centre_file },
	{ "/", "GET", centre_file },
};

static enum MHD_Result route(struct http_server *sv, struct MHD_Connection *c, const char *url, const char *method,
			     struct http_request *r)
{
	const struct central_faults *f = &sv->o->faults;

	if (f->path[0] != '\0' && strncmp(url, f->path, strlen(f->path)) == 0) {
		if (f->delay_ms > 0)
			usleep((useconds_t)f->delay_ms * 1000);
		if (f->drop)
			return MHD_NO;	/* closes the connection without an answer */
		if (f->status > 0)
			return http_error(c, r, f->status, "fault", "injected fault");
		r->truncate = f->truncate;
	}
	const struct route *other = NULL;

	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *rt = &routes[i];
		size_t n = strlen(rt->path);
		/* "/" is the page alone, not a prefix of every path. */
		if (rt->path[n - 1] == '/' && n > 1 ? strncmp(url, rt->path, n) != 0 : strcmp(url, rt->path) != 0)
			continue;
		if (strcmp(method, rt->method) == 0)
			return rt->run(sv, c, r, url + n);
		other = rt;
	}
	if (other != NULL) {
		char only[32];
		snprintf(only, sizeof only, "%s only", other->method);
		return http_error(c, r, 405, "method", only);
	}
	return http_error(c, r, 404, "not_found", "no such endpoint");
}

/* On the headers, before any body is read: who asks, and whether the body
 * it announces may be taken.  A refusal is queued at once, and the body
 * that follows is never kept.  The command centre's paths are its staff's:
 * their session is checked by each endpoint (centre.c), and a lane's token
 * counts for nothing there. */
#define CENTRE_MAX_BODY (64 * 1024)
static enum MHD_Result admit(struct http_server *sv, struct MHD_Connection *c, struct http_request *r)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	long want = 0, max = CENTRAL_MAX_BODY;

	r->centre = centre_path(r->url);
	if (r->centre)
		max = CENTRE_MAX_BODY;
	else if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0)
		return http_error(c, r, 401, "unauthorized", "a bearer token is required");
	else if (http_db(sv, r) == NULL)
		return http_unavailable(c, r);
	else
		switch (cdb_terminal_auth(r->db, auth + 7, r->terminal)) {
		case 1:
			/* A lane's round (it polls or waits on the feed, it sends
			 * its records): heard from, for the command centre.  A
			 * failure here costs the lane nothing. */
			if (strncmp(r->url, "/v1/changes", 11) == 0 || strncmp(r->url, "/v1/events", 10) == 0 ||
			    strncmp(r->url, "/v1/snapshot", 12) == 0)
				cdb_terminal_seen(r->db, r->terminal, (int64_t)time(NULL),
						  MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Greenlane-Status"));
			break;
		case 0:
			return http_error(c, r, 401, "unauthorized", "unknown or revoked token");
		default:	/* the database, not the token: never tell a lane it is refused */
			r->terminal[0] = '\0';
			return http_unavailable(c, r);
		}
	if (strcmp(r->method, "POST") != 0 && strcmp(r->method, "PUT") != 0)
		return MHD_YES;
	if (cl != NULL) {
		char *end;
		want = strtol(cl, &end, 10);
		if (*end != '\0' || want < 0)
			return http_error(c, r, 400, "bad_request", "a bad Content-Length");
	} else {
		want = max;	/* chunked: the most it may be */
	}
	if (want > max)
		return http_error(c, r, 413, "too_large", "the request body is too large");
	/* Bodies in flight together are bounded: beyond, come back later. */
	if (atomic_fetch_add(&sv->inflight, want) + want > CENTRAL_MAX_INFLIGHT) {
		atomic_fetch_sub(&sv->inflight, want);
		return http_error(c, r, 503, "busy", "too many requests are being received: try again shortly");
	}
	r->reserved = want;
	return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct http_server *sv = cls;
	struct http_request *r = *con_cls;
	enum MHD_Result ok;

	(void)version;
	if (r == NULL) {
		r = calloc(1, sizeof *r);
		if (r == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		atomic_fetch_add(&sv->requests, 1);
		snprintf(r->method, sizeof r->method, "%s", method);
		snprintf(r->url, sizeof r->url, "%s", url);
		*con_cls = r;
		ok = admit(sv, c, r);
		http_db_give(sv, r);	/* not held while the body comes in */
		return ok;
	}
	if (r->status != 0) {
		*upload_size = 0;	/* answered already: the rest is discarded */
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (r->len + *upload_size > (size_t)r->reserved) {
			*upload_size = 0;
			return http_error(c, r, 413, "too_large", "the request body is longer than announced or over 4 MiB");
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
	http_db_give(sv, r);	/* the answer is queued: the connection serves others */
	return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode code)
{
	struct http_server *sv = cls;
	struct http_request *r = *con_cls;

	(void)code;
	if (r == NULL)
		return;
	log_request(sv, c, r);
	atomic_fetch_sub(&sv->inflight, r->reserved);
	atomic_fetch_sub(&sv->requests, 1);
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

/* Lanes keep a request open on the change feed: a central holds one
 * socket per waiting lane.  The soft limit on open files goes up to the
 * hard one; the connections served are what it leaves, less room for the
 * database connections, the log and the listening socket. */
static unsigned connection_limit(const struct central_opts *o)
{
	struct rlimit rl;
	rlim_t spare = 64 + (rlim_t)(o->db_connections > 0 ? o->db_connections : CENTRAL_DB_CONNECTIONS);

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1000;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1000000)
		return 1000000;
	return rl.rlim_cur > spare + 16 ? (unsigned)(rl.rlim_cur - spare) : 16;
}

int central_serve(const struct central_opts *o)
{
	struct http_server sv;
	struct sockaddr_in addr;
	struct MHD_Daemon *d;
	char host[64], *colon, *cert = NULL, *key = NULL;
	long port;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	unsigned connections;
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
	pthread_mutex_init(&sv.signin_mu, NULL);
	pthread_mutex_init(&sv.figures_mu, NULL);
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
	if (feed_watch_start(&sv, &err) != 0) {
		fprintf(stderr, "greenlane-central: %s\n", err.en);
		rc = 66;
		goto out;
	}
	connections = connection_limit(o);
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
				     MHD_OPTION_CONNECTION_LIMIT, connections,
				     MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_NOTIFY_COMPLETED, completed, &sv,
				     MHD_OPTION_ARRAY, cert != NULL ? tls : tls + 2, MHD_OPTION_END);
	}
	if (d == NULL) {
		fprintf(stderr, "greenlane-central: cannot listen on %s\n", o->listen);
		rc = 71;
		goto out;
	}
	if (o->log != NULL) {
		fprintf(o->log, "greenlane-central listening on %s (%s, up to %u connections)\n", o->listen,
			cert != NULL ? "https" : "http", connections);
		fflush(o->log);
	}
	while (!stop)
		pause();
	/* Requests waiting for a change answer now (the daemon must not stop
	 * with a connection suspended); then every request ends, and every
	 * database connection is given back. */
	{
		MHD_socket listening = MHD_quiesce_daemon(d);	/* no new connections */
		feed_watch_stop(&sv);
		for (int i = 0; i < 50 && atomic_load(&sv.requests) > 0; i++)
			usleep(100000);	/* up to 5 s for the answers under way */
		MHD_stop_daemon(d);
		if (listening != MHD_INVALID_SOCKET)
			close(listening);
	}
	rc = 0;
out:
	feed_watch_free(&sv);
	cdb_pool_free(sv.pool);
	free(sv.figures);
	free(cert);
	free(key);
	return rc;
}
