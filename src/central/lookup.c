/* lookup.c — live look-ups: a vehicle with its passes, trips and
 * intercepts, a driver with theirs, the signed policy, the public keys.  A
 * read that fails is 503, never "not found" nor a list cut short. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http.h"
#include "idno.h"
#include "plate.h"

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

enum MHD_Result lookup_vehicle(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *raw)
{
	struct plate p;
	cJSON *o;
	char *v;

	if (plate_parse(raw, NULL, &p, NULL) != 0)
		return http_error(c, r, 400, "bad_plate", "not a plate");
	if (http_db(sv, r) == NULL)
		return http_unavailable(c, r);
	switch (cdb_get(r->db, "vehicle", p.canon, &v)) {
	case 0:
		return http_error(c, r, 404, "not_found", "no such vehicle");
	case 1:
		break;
	default:
		return http_unavailable(c, r);
	}
	o = cJSON_CreateObject();
	add_raw(o, "vehicle", v);
	if (!add_found(o, "passes", cdb_find(r->db, "pass", "plate", p.canon)) ||
	    !add_found(o, "trips", cdb_find(r->db, "trip", "plate", p.canon)) ||
	    !add_found(o, "intercepts", cdb_find(r->db, "intercept", "value", p.canon))) {
		cJSON_Delete(o);
		return http_unavailable(c, r);
	}
	return http_json(c, r, 200, o);
}

enum MHD_Result lookup_driver(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *raw)
{
	char id[IDNO_MAX], *d;
	cJSON *o;

	if (idno_parse(raw, (int64_t)time(NULL), id, NULL) != 0)
		return http_error(c, r, 400, "bad_id_no", "not an ID number");
	if (http_db(sv, r) == NULL)
		return http_unavailable(c, r);
	switch (cdb_get(r->db, "driver", id, &d)) {
	case 0:
		return http_error(c, r, 404, "not_found", "no such driver");
	case 1:
		break;
	default:
		return http_unavailable(c, r);
	}
	o = cJSON_CreateObject();
	add_raw(o, "driver", d);
	if (!add_found(o, "intercepts", cdb_find(r->db, "intercept", "value", id))) {
		cJSON_Delete(o);
		return http_unavailable(c, r);
	}
	return http_json(c, r, 200, o);
}

enum MHD_Result lookup_policy(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest)
{
	char *p;
	enum MHD_Result ok;

	(void)rest;
	if (http_db(sv, r) == NULL)
		return http_unavailable(c, r);
	switch (cdb_get(r->db, "policy", "current", &p)) {
	case 0:
		return http_error(c, r, 404, "not_found", "no policy published");
	case 1:
		break;
	default:
		return http_unavailable(c, r);
	}
	ok = http_send(c, r, 200, "application/json", p, strlen(p));
	free(p);
	return ok;
}

enum MHD_Result lookup_keys(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			    const char *rest)
{
	struct cdb_iter *it;
	const char *kind, *key, *data;
	int64_t seq;
	int rc = -1;
	cJSON *o, *arr;
	gl_msg err;

	(void)rest;
	if (http_db(sv, r) == NULL || cdb_read_begin(r->db, &err) != 0)
		return http_unavailable(c, r);
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
		return http_unavailable(c, r);
	}
	return http_json(c, r, 200, o);
}
