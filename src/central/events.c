/* events.c — POST /v1/events: a lane's journal records, each held once by
 * its UUID with its chain checked (the store), answered record by record:
 * held, or refused and why.  A database failure answers the whole batch
 * 503, to be sent again. */
#include "http.h"

enum MHD_Result events_post(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			    const char *rest)
{
	cJSON *arr, *e, *out, *held, *refused;
	gl_msg err;

	(void)rest;
	arr = central_read_batch(r->body, r->len, &err);
	if (arr == NULL)
		return http_error(c, r, 400, "bad_json", err.en);
	if (http_db(sv, r) == NULL) {
		cJSON_Delete(arr);
		return http_unavailable(c, r);
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
			return http_error(c, r, 503, "unavailable", err.en);
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
	return http_json(c, r, 200, out);
}
