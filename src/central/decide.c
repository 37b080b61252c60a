/* decide.c — what changes a verdict at the lanes (decide.h), for the admin
 * commands and the centre's page alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decide.h"
#include "gltime.h"
#include "record.h"
#include "tube.h"

int decide_publish(struct cdb *db, const char *kind, const char *key, cJSON *data, gl_msg *err)
{
	char *s = cJSON_PrintUnformatted(data);
	int rc = s != NULL ? cdb_put(db, kind, key, s, err) : -1;

	if (s == NULL)
		glmsg_set(err, "内存不足", "out of memory");
	cJSON_free(s);
	cJSON_Delete(data);
	return rc;
}

static void time_text(int64_t t, char out[40])
{
	gltime_format(t, GLTIME_CST, out, 40);
}

/* Changes one field of a live record and publishes it again.  Frees value. */
static int amend(struct cdb *db, const char *kind, const char *key, const char *field, cJSON *value, gl_msg *err)
{
	char *old;
	int held = cdb_get(db, kind, key, &old);
	cJSON *d = old != NULL ? cJSON_Parse(old) : NULL;

	free(old);
	if (d == NULL) {
		cJSON_Delete(value);
		if (held < 0) {
			glmsg_set(err, "读取数据库失败：请重试", "the database cannot be read: try again");
			return DECIDE_UNAVAILABLE;
		}
		glmsg_set(err, "没有 %s %s", "no %s %s", kind, key);
		return DECIDE_NONE;
	}
	if (cJSON_GetObjectItemCaseSensitive(d, field) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(d, field, value);
	else
		cJSON_AddItemToObject(d, field, value);
	return decide_publish(db, kind, key, d, err) == 0 ? DECIDE_OK : DECIDE_REFUSED;
}

int decide_pass_revoke(struct cdb *db, const char *pass_no, gl_msg *err)
{
	return amend(db, "pass", pass_no, "revoked", cJSON_CreateTrue(), err);
}

int decide_enterprise(struct cdb *db, const char *id, int suspend, gl_msg *err)
{
	return amend(db, "enterprise", id, "status", cJSON_CreateString(suspend ? "suspended" : "active"), err);
}

int decide_intercept_clear(struct cdb *db, const char *id, gl_msg *err)
{
	return amend(db, "intercept", id, "cleared", cJSON_CreateTrue(), err);
}

int decide_risk_set(struct cdb *db, const char *region, const char *level, int64_t now, int64_t until, gl_msg *err)
{
	char t[40];
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "region", region);
	cJSON_AddStringToObject(d, "level", level);
	time_text(now, t);
	cJSON_AddStringToObject(d, "since", t);
	if (until != 0) {
		time_text(until, t);
		cJSON_AddStringToObject(d, "until", t);
	}
	return decide_publish(db, "risk_area", region, d, err) == 0 ? DECIDE_OK : DECIDE_REFUSED;
}

int decide_risk_clear(struct cdb *db, const char *region, gl_msg *err)
{
	return cdb_del(db, "risk_area", region, err) == 0 ? DECIDE_OK : DECIDE_REFUSED;
}

/* Publishes the intercept of a sampled person or vehicle, once a run (its
 * id goes in done).  0, or -1 with err. */
static int intercept(struct cdb *db, const char *tube, const char *target, const char *value, const char *reason,
		     const char *since, cJSON *done, gl_msg *err)
{
	char id[TUBE_MAX + RECORD_KEY_MAX + 8];
	const cJSON *x;
	cJSON *i;

	snprintf(id, sizeof id, "NAT-%s-%s", tube, value);
	cJSON_ArrayForEach(x, done)
		if (strcmp(x->valuestring, id) == 0)
			return 0;
	i = cJSON_CreateObject();
	cJSON_AddStringToObject(i, "id", id);
	cJSON_AddStringToObject(i, "target", target);
	cJSON_AddStringToObject(i, "value", value);
	cJSON_AddStringToObject(i, "reason", reason);
	cJSON_AddStringToObject(i, "since", since);
	cJSON_AddBoolToObject(i, "cleared", 0);
	if (decide_publish(db, "intercept", id, i, err) != 0)
		return -1;
	cJSON_AddItemToArray(done, cJSON_CreateString(id));
	return 0;
}

/* A sampled person's record takes the result (a negative landing test is
 * the landing test done). */
static int nat_result(struct cdb *db, const char *id_no, const char *kind, const char *result, const char *at,
		      gl_msg *err)
{
	char *old;
	int held = cdb_get(db, "driver", id_no, &old);
	cJSON *d = old != NULL ? cJSON_Parse(old) : NULL;

	free(old);
	if (held < 0) {
		glmsg_set(err, "读取数据库失败", "the database cannot be read");
		return -1;
	}
	if (d == NULL)
		return 0;	/* not a known driver: the intercept still follows the ID */
	cJSON_DeleteItemFromObjectCaseSensitive(d, "nat_result");
	cJSON_DeleteItemFromObjectCaseSensitive(d, "nat_at");
	cJSON_AddStringToObject(d, "nat_result", result);
	cJSON_AddStringToObject(d, "nat_at", at);
	if (strcmp(kind, "landing_test") == 0 && strcmp(result, "negative") == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(d, "landing_test_at");
		cJSON_AddStringToObject(d, "landing_test_at", at);
	}
	return decide_publish(db, "driver", id_no, d, err);
}

/* Events are held only as a lane could write them (event_check), and a
 * tube names one sample at most. */
int decide_test_result(struct cdb *db, const char *tube, int positive, int64_t now, int *intercepts, gl_msg *err)
{
	const char *result = positive ? "positive" : "negative";
	cJSON *events = cdb_events_by_tube(db, tube), *e, *m, *done;
	char t[40];
	int rc = DECIDE_OK;

	if (events == NULL) {
		glmsg_set(err, "读取数据库失败：请重试", "the database cannot be read: try again");
		return DECIDE_UNAVAILABLE;
	}
	if (cJSON_GetArraySize(events) == 0) {
		cJSON_Delete(events);
		glmsg_set(err, "没有哪个车道上传过管号为 %s 的样本", "no sample with tube %s has arrived from a lane", tube);
		return DECIDE_NONE;
	}
	done = cJSON_CreateArray();
	time_text(now, t);
	cJSON_ArrayForEach(e, events) {
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "at"));
		const char *plate = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "plate"));
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(e, "crew")) {
			if (!cJSON_IsString(m))
				continue;
			if (nat_result(db, m->valuestring, kind != NULL ? kind : "", result, at != NULL ? at : t, err) != 0 ||
			    (positive && intercept(db, tube, "id_no", m->valuestring, "核酸检测阳性 / positive test", t, done,
						   err) != 0)) {
				rc = DECIDE_REFUSED;
				goto out;
			}
		}
		if (positive && plate != NULL &&
		    intercept(db, tube, "plate", plate, "随车人员核酸阳性 / crew tested positive", t, done, err) != 0) {
			rc = DECIDE_REFUSED;
			goto out;
		}
	}
	if (cdb_tube_result(db, tube, result, now, err) != 0) {
		rc = DECIDE_UNAVAILABLE;
		goto out;
	}
	*intercepts = cJSON_GetArraySize(done);
out:
	cJSON_Delete(events);
	cJSON_Delete(done);
	return rc;
}
