/* pool.c — a bounded pool of connections to one store, shared by a
 * central's threads.  At most `size` are open at once, whatever the number
 * of lanes: PostgreSQL's connections are processes, and a province's
 * centrals together must stay under its max_connections (or PgBouncer's
 * pool).  A connection is opened when first needed and kept; one the
 * database dropped is closed when given back.  Taking never waits: when
 * every connection is in use the caller answers 503 and the lane comes back,
 * which a lane does anyway, rather than a request holding a thread that
 * other lanes' requests need. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "central_db.h"

struct cdb_pool {
	const struct cdb_backend *be;
	char *where;
	pthread_mutex_t mu;
	int size, open, n_idle;
	struct cdb **idle;
};

struct cdb_pool *cdb_pool_new(const char *where, int size, gl_msg *err)
{
	struct cdb_pool *p;
	struct cdb *first;

	if (size < 1)
		size = 1;
	/* One connection now: a database that cannot be reached, or whose
	 * schema is not this program's, is said at start. */
	first = cdb_open(where, err);
	if (first == NULL)
		return NULL;
	p = calloc(1, sizeof *p);
	if (p != NULL) {
		p->where = strdup(where);
		p->idle = calloc((size_t)size, sizeof *p->idle);
	}
	if (p == NULL || p->where == NULL || p->idle == NULL) {
		glmsg_set(err, "内存不足", "out of memory");
		cdb_close(first);
		cdb_pool_free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	p->be = first->be;
	p->size = size;
	p->open = p->n_idle = 1;
	p->idle[0] = first;
	return p;
}

void cdb_pool_free(struct cdb_pool *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n_idle; i++)
		cdb_close(p->idle[i]);
	if (p->idle != NULL)
		pthread_mutex_destroy(&p->mu);
	free(p->idle);
	free(p->where);
	free(p);
}

struct cdb *cdb_pool_take(struct cdb_pool *p, int reserve, gl_msg *err)
{
	struct cdb *c = NULL;
	int in_use;

	pthread_mutex_lock(&p->mu);
	in_use = p->open - p->n_idle;
	if (in_use + 1 + reserve > p->size) {
		pthread_mutex_unlock(&p->mu);
		glmsg_set(err, "数据库连接已全部占用（%d 个）：请稍后再试", "all %d database connections are in use: try again",
			  p->size);
		return NULL;
	}
	if (p->n_idle > 0) {
		c = p->idle[--p->n_idle];
		pthread_mutex_unlock(&p->mu);
		return c;
	}
	p->open++;	/* counted before it is made: the bound holds meanwhile */
	pthread_mutex_unlock(&p->mu);
	c = cdb_open(p->where, err);
	if (c == NULL) {
		pthread_mutex_lock(&p->mu);
		p->open--;
		pthread_mutex_unlock(&p->mu);
	}
	return c;
}

void cdb_pool_give(struct cdb_pool *p, struct cdb *c)
{
	int keep;

	if (c == NULL)
		return;
	keep = c->be->release(c);
	pthread_mutex_lock(&p->mu);
	if (keep)
		p->idle[p->n_idle++] = c;
	else
		p->open--;
	pthread_mutex_unlock(&p->mu);
	if (!keep)
		cdb_close(c);
}
