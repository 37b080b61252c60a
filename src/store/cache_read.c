/* cache_read.c — reading cache.db: a plate's records (the vehicle, its
 * passes, trips and intercepts, one hop to the tractor for a trailer), a
 * person's, one small record, the alerts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cache_int.h"
#include "facts.h"

int cache_get_plate(struct cache *c, const char *plate, struct arena *a, struct cache_plate *out, gl_msg *err)
{
	sqlite3_stmt *st = cache_stmt(c, ST_SCAN);
	int rc;

	memset(out, 0, sizeof *out);
	out->passes = arena_json_array(a);
	out->trips = arena_json_array(a);
	out->intercepts = arena_json_array(a);
	if (out->passes == NULL || out->trips == NULL || out->intercepts == NULL)
		goto oom;
	cache_bind_text(st, 1, plate);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		cJSON *d;
		if (kind == X_TRAILER) {
			if (cache_row_ok(c, st, 2, 0))
				snprintf(out->tractor, sizeof out->tractor, "%s", (const char *)sqlite3_column_text(st, 2));
			continue;
		}
		if (kind > K_INTERCEPT)
			continue;
		d = cache_parse_col(c, st, 2, a);
		if (d == NULL)
			continue;	/* imported whole, so only a damaged file: skip the record */
		switch (kind) {
		case K_VEHICLE: out->vehicle = d; break;
		case K_PASS: arena_json_add(out->passes, NULL, d); break;
		case K_TRIP: arena_json_add(out->trips, NULL, d); break;
		default: arena_json_add(out->intercepts, NULL, d); break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cache_error(c, err);
		return -1;
	}
	return 0;
oom:
	glmsg_set(err, "内存不足", "out of memory");
	return -1;
}

int cache_get_person(struct cache *c, const char *id_no, struct arena *a, struct cache_person *out, gl_msg *err)
{
	sqlite3_stmt *st = cache_stmt(c, ST_SCAN);
	int rc;

	memset(out, 0, sizeof *out);
	out->trip_plates = arena_json_array(a);
	out->intercepts = arena_json_array(a);
	if (out->trip_plates == NULL || out->intercepts == NULL)
		goto oom;
	cache_bind_text(st, 1, id_no);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		cJSON *d = NULL;
		if (kind == X_CREW)
			d = cache_row_ok(c, st, 2, 0) ? arena_json_string(a, (const char *)sqlite3_column_text(st, 2)) : NULL;
		else if (kind == K_DRIVER || kind == K_INTERCEPT)
			d = cache_parse_col(c, st, 2, a);
		if (d == NULL)
			continue;
		if (kind == X_CREW)
			arena_json_add(out->trip_plates, NULL, d);
		else if (kind == K_DRIVER)
			out->driver = d;
		else
			arena_json_add(out->intercepts, NULL, d);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cache_error(c, err);
		return -1;
	}
	return 0;
oom:
	glmsg_set(err, "内存不足", "out of memory");
	return -1;
}

/* Reads one row's data into out (cap bytes): 1 found, 0 not, -1 error. */
int cache_row_get(struct cache *c, const char *home, int kind, const char *key, char *out,
		   size_t cap, gl_msg *err)
{
	sqlite3_stmt *st = cache_stmt(c, ST_GET);
	int rc;

	cache_bind_text(st, 1, home);
	sqlite3_bind_int(st, 2, kind);
	cache_bind_text(st, 3, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (!cache_row_ok(c, st, 0, 0)) {
			sqlite3_reset(st);
			glmsg_set(err, "本地数据已损坏：下次同步将从快照重建", "the local data is damaged: the next sync rebuilds it");
			return -1;
		}
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	cache_error(c, err);
	return -1;
}

int cache_pass_plate(struct cache *c, const char *pass_no, char plate[PLATE_MAX], gl_msg *err)
{
	return cache_row_get(c, pass_no, X_PASSNO, "", plate, PLATE_MAX, err);
}

cJSON *cache_get_small(struct cache *c, struct arena *a, enum cache_small kind, const char *key)
{
	sqlite3_stmt *st;
	cJSON *d = NULL;
	int rc;

	st = cache_stmt(c, ST_SMALL_GET);
	sqlite3_bind_int(st, 1, kind);
	cache_bind_text(st, 2, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		d = cache_parse_col(c, st, 0, a);
	cache_step_failed(c, rc, a == NULL);
	sqlite3_reset(st);
	return d;
}

cJSON *cache_small_all(struct cache *c, enum cache_small kind)
{
	sqlite3_stmt *st = cache_stmt(c, ST_SMALL_ALL);
	cJSON *arr = cJSON_CreateArray();
	int rc = SQLITE_DONE;

	sqlite3_bind_int(st, 1, kind);
	while (arr != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *d = cache_parse_col(c, st, 1, NULL);
		if (d != NULL)
			cJSON_AddItemToArray(arr, d);
	}
	cache_step_failed(c, rc, 1);
	sqlite3_reset(st);
	return arr;
}

/* The alerts that are active at now: since (an intercept's) not in the
 * future; meltdowns (since NULL) are always. */
#define ACTIVE "(a.since IS NULL OR a.since <= ?1)"

cJSON *cache_alerts(struct cache *c, int64_t now, int limit)
{
	cJSON *out = cJSON_CreateArray();
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_DONE;

	/* The newest first; meltdowns, which carry no time, after. */
	if (sqlite3_prepare_v2(c->db, "SELECT a.kind, s.data, s.h FROM alert a JOIN small s ON s.kind = a.kind AND s.key = a.key"
			       " WHERE " ACTIVE " ORDER BY a.since IS NULL, a.since DESC, a.key LIMIT ?2", -1, &st,
			       NULL) != SQLITE_OK) {
		cache_step_failed(c, sqlite3_errcode(c->db), 0);
		return out;
	}
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	while (out != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *e = cache_parse_col(c, st, 1, NULL);
		if (e == NULL)
			continue;
		cJSON_AddStringToObject(e, "alert", sqlite3_column_int(st, 0) == CACHE_INTERCEPT ? "intercept" : "meltdown");
		cJSON_AddItemToArray(out, e);
	}
	cache_step_failed(c, rc, 0);
	sqlite3_finalize(st);
	return out;
}

long cache_alerts_count(struct cache *c, int64_t now)
{
	sqlite3_stmt *st = NULL;
	long n = -1;

	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM alert a WHERE " ACTIVE, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

int cache_alert_active(struct cache *c, const char *id, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM alert a WHERE ((a.kind = 0 AND a.key = ?2) OR (a.kind = 5 AND a.key = ?2))"
			       " AND " ACTIVE, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}
