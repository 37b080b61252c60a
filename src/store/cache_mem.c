/* cache_mem.c — what a cache connection keeps in memory between checks:
 * the risk areas, the signing keys, the as_of of this snapshot and the last
 * checkpoint asked for.  All of it goes at once (cache_forget) when a read
 * transaction finds that another connection changed the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cache_int.h"
#include "dynbuf.h"
#include "facts.h"

void cache_forget(struct cache *c)
{
	free(c->areas);
	c->areas = NULL;
	c->nareas = 0;
	c->areas_loaded = 0;
	free(c->keys);
	c->keys = NULL;
	c->nkeys = 0;
	c->keys_loaded = 0;
	cJSON_Delete(c->checkpoint);
	c->checkpoint = NULL;
	c->as_of_loaded = 0;
	c->lists_damaged = 0;
}

/* Loads every key record (for verification inside the import, or for
 * look-ups).  Caller frees *keys. */
int cache_load_keys(struct cache *c, struct jws_key **keys, size_t *n)
{
	sqlite3_stmt *st = cache_stmt(c, ST_SMALL_ALL);
	struct dynbuf b;
	int rc = 0;

	dynbuf_init(&b, CACHE_KEYS_MAX * sizeof **keys);
	sqlite3_bind_int(st, 1, CACHE_KEY);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = cache_parse_col(c, st, 1, NULL);
		struct jws_key k;
		memset(&k, 0, sizeof k);
		snprintf(k.kid, sizeof k.kid, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(k.use, sizeof k.use, "%s", facts_str(d, "use") ? facts_str(d, "use") : "");
		if (jws_key_from_b64(facts_str(d, "pub"), k.pub) == 0)
			rc = dynbuf_add(&b, &k, sizeof k);
		cJSON_Delete(d);
	}
	sqlite3_reset(st);
	if (rc != 0) {
		dynbuf_free(&b);
		return -1;
	}
	*n = b.len / sizeof **keys;
	*keys = (struct jws_key *)(void *)dynbuf_take(&b);
	return 0;
}

int cache_risk_areas(struct cache *c, const struct facts_area **areas, size_t *n)
{
	if (!c->areas_loaded) {
		cJSON *all = cache_small_all(c, CACHE_RISK_AREA);
		long k = all != NULL ? facts_areas(all, &c->areas) : -1;
		cJSON_Delete(all);
		if (k < 0)
			return -1;
		c->nareas = (size_t)k;
		c->areas_loaded = 1;
	}
	*areas = c->areas;
	*n = c->nareas;
	return 0;
}

const struct jws_key *cache_keys(struct cache *c, size_t *n)
{
	if (!c->keys_loaded) {
		if (cache_load_keys(c, &c->keys, &c->nkeys) != 0)
			c->nkeys = 0;
		c->keys_loaded = 1;
	}
	*n = c->nkeys;
	return c->keys;
}

char *cache_policy(struct cache *c)
{
	cJSON *all = cache_small_all(c, CACHE_POLICY);
	const cJSON *p, *best = NULL;
	int64_t tb = INT64_MIN;
	size_t nkeys;
	const struct jws_key *keys = cache_keys(c, &nkeys);
	char *payload = NULL;

	cJSON_ArrayForEach(p, all) {
		int64_t t = facts_time(p, "valid_from");
		if (best == NULL || t > tb) {
			best = p;
			tb = t;
		}
	}
	if (best != NULL &&
	    jws_verify(facts_str(best, "jws"), keys, nkeys, "policy", &payload, NULL, NULL) != JWS_OK) {
		free(payload);
		payload = NULL;
	}
	cJSON_Delete(all);
	return payload;
}

int64_t cache_as_of(struct cache *c)
{
	sqlite3_stmt *st;

	if (c->as_of_loaded && c->in_read)
		return c->as_of;
	st = cache_stmt(c, ST_META_GET);
	c->as_of = INT64_MIN;
	cache_bind_text(st, 1, "as_of");
	/* A damaged as_of is no as_of: the data's age is unknown. */
	if (sqlite3_step(st) == SQLITE_ROW && cache_row_ok(c, st, 0, 0))
		c->as_of = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	c->as_of_loaded = 1;
	return c->as_of;
}

const cJSON *cache_checkpoint(struct cache *c, const char *id)
{
	if (c->checkpoint == NULL || strcmp(facts_str(c->checkpoint, "id") ? facts_str(c->checkpoint, "id") : "", id) != 0) {
		cJSON_Delete(c->checkpoint);
		c->checkpoint = cache_get_small(c, NULL, CACHE_CHECKPOINT, id);
	}
	return c->checkpoint;
}
