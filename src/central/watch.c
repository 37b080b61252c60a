/* watch.c — requests on the change feed that wait for a change
 * (/v1/changes?since=N&wait=S).  A request that finds nothing after N is
 * parked: its connection is suspended, holding no thread and no database
 * connection, until one thread here sees the feed move past N, or its time
 * is up, or the centre stops.  Then it is resumed and reads its page again.
 *
 * The thread keeps a connection of its own.  Each turn it waits up to
 * WATCH_TICK_MS for word of a commit (PostgreSQL: LISTEN, so that a
 * publication on any central wakes the lanes on every central at once),
 * then reads the cursor: the word may be late or lost across a
 * reconnection, and SQLite has none (admin commands are other processes),
 * so the cursor is what decides.
 *
 * No change is missed between a request's read and its parking: it parks
 * only under the lock, and only if the cursor this thread has seen is not
 * past its own; a change committed after its read moves that cursor later,
 * under the same lock, and wakes it. */
#include <stdlib.h>
#include <time.h>
#include "http.h"

#define WATCH_TICK_MS 250

struct feed_watch {
	pthread_mutex_t mu;
	pthread_t thread;
	struct cdb *db;			/* the thread's own connection */
	int stopping;
	int64_t cursor;			/* the highest seen; -1 before the first read */
	struct http_request *parked;	/* linked by next_parked */
	long n_parked;
};

int64_t feed_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Resumes the parked requests that have something to read, whose time is
 * up, or all (the centre is stopping).  Under w->mu. */
static void wake(struct feed_watch *w, int all)
{
	struct http_request **pp = &w->parked;
	int64_t now = feed_now_ms();

	while (*pp != NULL) {
		struct http_request *r = *pp;
		if (all || r->since < w->cursor || now >= r->wait_until) {
			*pp = r->next_parked;
			r->next_parked = NULL;
			w->n_parked--;
			MHD_resume_connection(r->conn);
		} else {
			pp = &r->next_parked;
		}
	}
}

static void *watcher(void *arg)
{
	struct feed_watch *w = arg;

	for (;;) {
		int64_t cursor;
		cdb_watch(w->db, WATCH_TICK_MS);
		cursor = cdb_cursor(w->db);
		pthread_mutex_lock(&w->mu);
		if (w->stopping) {
			pthread_mutex_unlock(&w->mu);
			return NULL;
		}
		/* A failed read leaves what was seen; the next turn reads again. */
		if (cursor >= 0)
			w->cursor = cursor;
		wake(w, 0);
		pthread_mutex_unlock(&w->mu);
	}
}

int feed_watch_start(struct http_server *sv, gl_msg *err)
{
	struct feed_watch *w = calloc(1, sizeof *w);

	if (w == NULL) {
		glmsg_set(err, "内存不足", "out of memory");
		return -1;
	}
	w->db = cdb_open(sv->o->db_path, err);
	if (w->db == NULL) {
		free(w);
		return -1;
	}
	w->cursor = -1;
	pthread_mutex_init(&w->mu, NULL);
	if (pthread_create(&w->thread, NULL, watcher, w) != 0) {
		glmsg_set(err, "无法启动变更监视线程", "cannot start the change watcher thread");
		pthread_mutex_destroy(&w->mu);
		cdb_close(w->db);
		free(w);
		return -1;
	}
	sv->watch = w;
	return 0;
}

void feed_watch_stop(struct http_server *sv)
{
	struct feed_watch *w = sv->watch;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	wake(w, 1);	/* each answers what it has: the daemon stops with none suspended */
	pthread_mutex_unlock(&w->mu);
}

void feed_watch_free(struct http_server *sv)
{
	struct feed_watch *w = sv->watch;

	if (w == NULL)
		return;
	feed_watch_stop(sv);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	cdb_close(w->db);
	free(w);
	sv->watch = NULL;
}

int feed_watch_park(struct http_server *sv, struct MHD_Connection *c, struct http_request *r, int64_t since)
{
	struct feed_watch *w = sv->watch;
	int parked = 0;

	if (w == NULL)
		return 0;
	pthread_mutex_lock(&w->mu);
	if (!w->stopping && !(w->cursor > since)) {
		r->conn = c;
		r->since = since;
		r->next_parked = w->parked;
		w->parked = r;
		w->n_parked++;
		MHD_suspend_connection(c);
		parked = 1;
	}
	pthread_mutex_unlock(&w->mu);
	return parked;
}
