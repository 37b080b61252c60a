/* centre_act.c — what the command centre's staff do from the page: the
 * admin commands' decisions (decide.h), each in one transaction with its
 * audit entry; and what is in force or outstanding. */
#include <stdio.h>
#include <string.h>
#include "decide.h"
#include "gltime.h"
#include "http.h"
#include "query.h"
#include "tube.h"

/* A string member of the body, or NULL. */
static const char *member(const cJSON *body, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, name));
}

/* The action named, run with the body's arguments: a decide_rc, what it
 * did in detail (for the audit log) and err. */
static int act(struct cdb *db, const char *name, const cJSON *b, char detail[256], gl_msg *err)
{
	const char *a = member(b, "tube"), *res = member(b, "result"), *id = member(b, "id");
	const char *pass = member(b, "pass_no"), *region = member(b, "region"), *level = member(b, "level");
	const char *until_s = member(b, "until");
	char tube[TUBE_MAX];
	int64_t until = 0;
	int n = 0, rc;

	glmsg_set(err, "参数不全或无效", "missing or invalid arguments");
	if (strcmp(name, "test-result") == 0) {
		if (a == NULL || res == NULL || (strcmp(res, "positive") != 0 && strcmp(res, "negative") != 0) ||
		    tube_parse(a, "^[!-~]+$", centre_now(), tube, err) != 0)
			return DECIDE_REFUSED;
		rc = decide_test_result(db, tube, strcmp(res, "positive") == 0, centre_now(), &n, err);
		snprintf(detail, 256, "%s %s: %d intercept(s)", tube, res, n);
		return rc;
	}
	if (strcmp(name, "enterprise-suspend") == 0 || strcmp(name, "enterprise-restore") == 0) {
		if (id == NULL)
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", id);
		return decide_enterprise(db, id, strcmp(name, "enterprise-suspend") == 0, err);
	}
	if (strcmp(name, "pass-revoke") == 0) {
		if (pass == NULL)
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", pass);
		return decide_pass_revoke(db, pass, err);
	}
	if (strcmp(name, "intercept-clear") == 0) {
		if (id == NULL)
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", id);
		return decide_intercept_clear(db, id, err);
	}
	if (strcmp(name, "risk-set") == 0) {
		if (region == NULL || !region_code_valid(region) || level == NULL ||
		    (strcmp(level, "high") != 0 && strcmp(level, "medium") != 0) ||
		    (until_s != NULL && until_s[0] != '\0' && gltime_parse(until_s, &until) != 0))
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s %s%s%s", region, level, until != 0 ? " until " : "", until != 0 ? until_s : "");
		return decide_risk_set(db, region, level, centre_now(), until, err);
	}
	if (strcmp(name, "risk-clear") == 0) {
		if (region == NULL || !region_code_valid(region))
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", region);
		return decide_risk_clear(db, region, err);
	}
	glmsg_set(err, "没有这个操作", "no such action");
	return DECIDE_NONE;
}

/* POST /v1/centre/actions/NAME {arguments}: as the admin command would, in
 * one transaction with its audit entry; on the change feed at once. */
enum MHD_Result centre_action(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest)
{
	char csrf[65], addr[48], detail[256] = "";
	cJSON *body = NULL, *j;
	enum MHD_Result sent;
	int64_t since;
	gl_msg err;
	int rc;

	if (!centre_signed_in(sv, c, r, 1, csrf, &sent))
		return sent;
	body = r->body != NULL ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	if (!cJSON_IsObject(body) || strlen(rest) > 32) {
		cJSON_Delete(body);
		return http_error(c, r, 400, "bad_request", "an action takes a JSON object of its arguments");
	}
	http_client_addr(c, addr);
	if (cdb_begin(r->db, &err) != 0) {
		cJSON_Delete(body);
		return http_unavailable(c, r);
	}
	since = cdb_cursor(r->db);
	rc = since < 0 ? DECIDE_UNAVAILABLE : act(r->db, rest, body, detail, &err);
	cJSON_Delete(body);
	if (rc == DECIDE_OK && cdb_refs_check(r->db, since, &err) != 0)
		rc = DECIDE_REFUSED;
	if (rc == DECIDE_OK && (cdb_audit(r->db, centre_now(), r->staff, addr, rest, detail, &err) != 0 ||
				cdb_commit(r->db, &err) != 0))
		rc = DECIDE_UNAVAILABLE;
	if (rc != DECIDE_OK) {
		cdb_rollback(r->db);
		if (rc == DECIDE_UNAVAILABLE)
			return http_unavailable(c, r);
		/* Why, in both languages: the page shows its own. */
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "error", rc == DECIDE_NONE ? "not_found" : "refused");
		cJSON_AddStringToObject(j, "message", glmsg_text(&err, 0));
		cJSON_AddStringToObject(j, "message_zh", glmsg_text(&err, 1));
		return http_json(c, r, rc == DECIDE_NONE ? 404 : rc == DECIDE_REFUSED ? 422 : 500, j);
	}
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "action", rest);
	cJSON_AddStringToObject(j, "detail", detail);
	return http_json(c, r, 200, j);
}

/* 1 if a record is in force at now: an intercept not cleared, a risk area
 * begun and not ended. */
static int in_force(const cJSON *d, int64_t now)
{
	const char *until = member(d, "until"), *since = member(d, "since");
	int64_t t;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "cleared")))
		return 0;
	if (since != NULL && gltime_parse(since, &t) == 0 && t > now)
		return 0;
	return !(until != NULL && gltime_parse(until, &t) == 0 && t <= now);
}

#define OPEN_TUBE_H 12	/* a tube with no result this long after its sample is listed */

/* What is in force now: the intercepts not cleared, the risk areas, the
 * enterprises suspended; and the tubes sampled over OPEN_TUBE_H hours ago
 * with no result recorded. */
enum MHD_Result centre_in_force(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				const char *rest)
{
	static const char *const kinds[] = { "intercept", "risk_area" };
	char csrf[65];
	enum MHD_Result sent;
	int64_t now = centre_now();
	cJSON *o;

	(void)rest;
	if (!centre_signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	o = cJSON_CreateObject();
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		cJSON *l = cdb_live(r->db, kinds[k], 1000000), *d, *next;
		if (l == NULL) {
			cJSON_Delete(o);
			return http_unavailable(c, r);
		}
		for (d = l->child; d != NULL; d = next) {
			next = d->next;
			if (!in_force(d, now))
				cJSON_Delete(cJSON_DetachItemViaPointer(l, d));
		}
		cJSON_AddItemToObject(o, kinds[k], l);
	}
	{
		cJSON *m = cdb_suspended(r->db), *t = cdb_open_tubes(r->db, now - OPEN_TUBE_H * 3600, 500);
		if (m == NULL || t == NULL) {
			cJSON_Delete(m);
			cJSON_Delete(t);
			cJSON_Delete(o);
			return http_unavailable(c, r);
		}
		cJSON_AddItemToObject(o, "meltdowns", m);
		cJSON_AddItemToObject(o, "open_tubes", t);
		cJSON_AddNumberToObject(o, "open_tube_hours", OPEN_TUBE_H);
	}
	return http_json(c, r, 200, o);
}
