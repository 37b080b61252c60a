/* http.h — inside greenlane-central's HTTP side (src/central only): the
 * server and one request as every endpoint sees them, the replies they
 * send, and the endpoints, one file per concept: feed.c (the snapshot and
 * the change feed), lookup.c (vehicles, drivers, the policy, the keys),
 * events.c (what lanes post), centre.c, centre_act.c and centre_report.c
 * (the command centre's page: its staff's sessions, what they do, the day's
 * figures).  server.c owns the daemon, who may ask (admit) and
 * the table of routes; watch.c the requests that wait on the change
 * feed. */
#ifndef GL_CENTRAL_HTTP_H
#define GL_CENTRAL_HTTP_H
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "central.h"
#include "central_db.h"
#include "event.h"

/* Sign-in attempts by client address, on this central (centre.c). */
#define HTTP_SIGNIN_SLOTS 64
struct http_signin_slot {
	char addr[48];
	time_t since;
	int n;
};

struct http_server {
	const struct central_opts *o;
	struct cdb_pool *pool;		/* the database connections, bounded */
	struct feed_watch *watch;	/* requests waiting for a change (watch.c) */
	pthread_mutex_t log_mu;
	atomic_long inflight;		/* body bytes reserved by requests being received */
	atomic_long requests;		/* requests begun and not yet completed */
	pthread_mutex_t signin_mu;
	struct http_signin_slot signin[HTTP_SIGNIN_SLOTS];
	atomic_int verifying;		/* passwords being checked now (64 MiB each) */
	/* The day's figures, made at most once every few seconds however
	 * many pages ask (centre.c). */
	pthread_mutex_t figures_mu;
	int64_t figures_day0, figures_at;
	char *figures;
};

struct http_request {
	char *body;
	size_t len;
	long reserved;		/* of the server's inflight budget */
	long truncate;		/* fault: cut the reply after this many bytes */
	int status;		/* the status answered (0: not yet) */
	size_t bytes;
	char terminal[EVENT_TERMINAL_MAX];
	int centre;		/* the command centre's page or its JSON: staff, never a lane */
	char staff[CDB_STAFF_NAME_MAX];	/* the member signed in, once checked */
	char method[16], url[256];
	struct timespec start;
	struct cdb *db;		/* taken from the pool while the request is handled */
	const char *header[2];	/* one more header for the answer (name, value), or NULL */
	char header_value[256];	/* room for that value, if it is made for this answer */
	/* A change-feed request that waits for a change (watch.c): until when
	 * (feed_now_ms; 0: it does not wait), and while parked, after what. */
	int64_t wait_until, since;
	struct MHD_Connection *conn;
	struct http_request *next_parked;
};

/* The request's database connection, taken from the pool on first use and
 * given back as soon as its answer is queued (server.c); NULL when the
 * database cannot be reached or every connection is in use: the caller
 * answers http_unavailable(). */
struct cdb *http_db(struct http_server *sv, struct http_request *r);
void http_db_give(struct http_server *sv, struct http_request *r);

/* Replies.  Each queues the answer and records its status and size for the
 * log; MHD_NO if it could not be queued.  A 503 carries Retry-After. */
enum MHD_Result http_send(struct MHD_Connection *c, struct http_request *r, int status, const char *type,
			  const char *body, size_t len);
enum MHD_Result http_json(struct MHD_Connection *c, struct http_request *r, int status, cJSON *j);	/* frees j */
enum MHD_Result http_error(struct MHD_Connection *c, struct http_request *r, int status, const char *code,
			   const char *message);
/* The client's address as text ("-" if unknown). */
void http_client_addr(struct MHD_Connection *c, char out[48]);
/* The database is down, failing over, or every connection is in use: never
 * a made-up answer; the client comes back (503, Retry-After). */
enum MHD_Result http_unavailable(struct MHD_Connection *c, struct http_request *r);

/* ---- waiting for a change (watch.c) ---- */

/* Starts the thread that watches the feed, on a connection of its own. */
int feed_watch_start(struct http_server *sv, gl_msg *err);
/* Every parked request is resumed, and none parks from now on. */
void feed_watch_stop(struct http_server *sv);
/* Stops (if need be) and joins the thread. */
void feed_watch_free(struct http_server *sv);
/* Parks r, which found nothing after since: 1, its connection suspended
 * until a change after since, r->wait_until or the centre stopping; 0 if
 * the feed has moved past since already (read again) or the centre is
 * stopping (answer now). */
int feed_watch_park(struct http_server *sv, struct MHD_Connection *c, struct http_request *r, int64_t since);
int64_t feed_now_ms(void);

/* An endpoint: rest is what follows a route's path that ends with '/'. */
typedef enum MHD_Result (*http_handler)(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
					const char *rest);

enum MHD_Result feed_snapshot(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest);
enum MHD_Result feed_changes(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			     const char *rest);
enum MHD_Result lookup_vehicle(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *rest);
enum MHD_Result lookup_driver(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest);
enum MHD_Result lookup_policy(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest);
enum MHD_Result lookup_keys(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			    const char *rest);
enum MHD_Result events_post(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			    const char *rest);
/* centre.c: the page's files, and the staff's session and audit log. */
enum MHD_Result centre_file(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			    const char *rest);
enum MHD_Result centre_signin(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest);
enum MHD_Result centre_signout(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *rest);
enum MHD_Result centre_me(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			  const char *rest);
enum MHD_Result centre_audit(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			     const char *rest);
enum MHD_Result centre_terminals(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				 const char *rest);
enum MHD_Result centre_action(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest);
enum MHD_Result centre_in_force(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				const char *rest);
enum MHD_Result centre_figures(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *rest);
enum MHD_Result centre_report_csv(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				  const char *rest);
/* A path of the command centre's (its page, its JSON): 1, else 0. */
int centre_path(const char *url);
/* The member signed in on r (into r->staff) and the session's CSRF token:
 * 1.  For a change, the request must carry that token back.  Else 0, the
 * refusal (401, 403, 503) queued in *sent. */
int centre_signed_in(struct http_server *sv, struct MHD_Connection *c, struct http_request *r, int change,
		     char csrf[65], enum MHD_Result *sent);
int64_t centre_now(void);

#endif
