/* admin_decide.c — what changes a verdict at the lanes: passes issued and
 * revoked, enterprises suspended (熔断) and restored, risk areas, sample
 * results (a positive one intercepts the crew and the truck everywhere) and
 * the signed policy.  Each is published as records on the change feed. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "admin.h"
#include "assets.h"
#include "central.h"
#include "gltime.h"
#include "idno.h"
#include "jws.h"
#include "plate.h"
#include "policy.h"
#include "query.h"
#include "record.h"
#include "tube.h"

/* pass issue --plate P --origin R --dest R [--enterprise E] [--from T] [--days N] [--pass-no N] */
static int pass_issue(struct cdb *db, int argc, char **argv)
{
	const char *pl = admin_opt(argc, argv, "--plate"), *ent = admin_opt(argc, argv, "--enterprise");
	const char *orig = admin_opt(argc, argv, "--origin"), *dest = admin_opt(argc, argv, "--dest");
	const char *from_s = admin_opt(argc, argv, "--from"), *days_s = admin_opt(argc, argv, "--days");
	const char *no = admin_opt(argc, argv, "--pass-no");
	struct plate p;
	unsigned char sk[64];
	char kid[64], pass_no[PASSNO_LEN + 1], a[40], b[40], *payload, *tok;
	int64_t from = admin_now(), to;
	long long days = 30;
	cJSON *d;
	gl_msg err;
	int rc;

	if (pl == NULL || plate_parse(pl, NULL, &p, NULL) != 0 || orig == NULL || !region_code_valid(orig) ||
	    dest == NULL || !region_code_valid(dest) || (from_s != NULL && gltime_parse(from_s, &from) != 0))
		return ADMIN_USAGE;
	if (days_s != NULL && central_whole(days_s, 1, 366, &days) != 0) {
		admin_say("--days 须为 1 到 366 的整数天数", "--days takes a whole number of days from 1 to 366");
		return ADMIN_USAGE;
	}
	to = from + days * 86400;
	rc = admin_signing_key(db, "pass", kid, sk);
	if (rc != 0)
		return rc;
	if (no != NULL) {
		if (passno_parse(no, pass_no, &err) != 0) {
			sodium_memzero(sk, sizeof sk);
			admin_fail(&err);
			return 65;
		}
	} else {
		/* A free serial under the destination's region. */
		char *taken;
		int held;
		do {
			snprintf(pass_no, sizeof pass_no, "%.6s%06u", dest, (unsigned)randombytes_uniform(1000000));
			held = cdb_get(db, "pass", pass_no, &taken);
			free(taken);
		} while (held == 1);
		if (held < 0) {
			sodium_memzero(sk, sizeof sk);
			return admin_unreadable();
		}
	}
	admin_time_text(from, a);
	admin_time_text(to, b);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "pass_no", pass_no);
	cJSON_AddStringToObject(d, "plate", p.canon);
	cJSON_AddStringToObject(d, "origin_region", orig);
	cJSON_AddStringToObject(d, "dest_region", dest);
	cJSON_AddStringToObject(d, "valid_from", a);
	cJSON_AddStringToObject(d, "valid_to", b);
	payload = cJSON_PrintUnformatted(d);
	tok = payload != NULL ? jws_sign(payload, strlen(payload), kid, sk) : NULL;
	sodium_memzero(sk, sizeof sk);
	cJSON_free(payload);
	if (ent != NULL)
		cJSON_AddStringToObject(d, "enterprise_id", ent);
	cJSON_AddBoolToObject(d, "revoked", 0);
	if (tok == NULL) {
		cJSON_Delete(d);
		admin_say("签名失败", "signing failed");
		return 70;
	}
	if (admin_publish(db, "pass", pass_no, d, &err) != 0) {
		free(tok);
		admin_fail(&err);
		return 70;
	}
	printf("%s\n", tok);
	free(tok);
	return 0;
}

/* Changes one field of a live record and republishes it.  Frees value. */
static int amend(struct cdb *db, const char *kind, const char *key, const char *field, cJSON *value)
{
	char *old;
	int held = cdb_get(db, kind, key, &old);
	cJSON *d = old != NULL ? cJSON_Parse(old) : NULL;
	gl_msg err;

	free(old);
	if (d == NULL) {
		cJSON_Delete(value);
		if (held < 0)
			return admin_unreadable();
		admin_say("没有 %s %s", "no %s %s", kind, key);
		return 66;
	}
	if (cJSON_GetObjectItemCaseSensitive(d, field) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(d, field, value);
	else
		cJSON_AddItemToObject(d, field, value);
	if (admin_publish(db, kind, key, d, &err) != 0) {
		admin_fail(&err);
		return 70;
	}
	admin_done("已完成：%s %s", "OK %s %s", kind, key);
	return 0;
}

static int pass_revoke(struct cdb *db, int argc, char **argv)
{
	return argc == 1 ? amend(db, "pass", argv[0], "revoked", cJSON_CreateTrue()) : ADMIN_USAGE;
}

static int enterprise_suspend(struct cdb *db, int argc, char **argv)
{
	return argc == 1 ? amend(db, "enterprise", argv[0], "status", cJSON_CreateString("suspended")) : ADMIN_USAGE;
}

static int enterprise_restore(struct cdb *db, int argc, char **argv)
{
	return argc == 1 ? amend(db, "enterprise", argv[0], "status", cJSON_CreateString("active")) : ADMIN_USAGE;
}

/* risk set REGION high|medium [--until TIME] */
static int risk_set(struct cdb *db, int argc, char **argv)
{
	const char *until_s = admin_opt(argc, argv, "--until");
	char t[40];
	cJSON *d;
	gl_msg err;
	int64_t until = 0;

	if ((argc != 2 && !(argc == 4 && until_s != NULL)) || !region_code_valid(argv[0]) ||
	    (strcmp(argv[1], "high") != 0 && strcmp(argv[1], "medium") != 0))
		return ADMIN_USAGE;
	if (until_s != NULL && gltime_parse(until_s, &until) != 0) {
		admin_say("--until 须为 RFC 3339 时间", "--until needs an RFC 3339 time");
		return ADMIN_USAGE;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "region", argv[0]);
	cJSON_AddStringToObject(d, "level", argv[1]);
	admin_time_text(admin_now(), t);
	cJSON_AddStringToObject(d, "since", t);
	if (until_s != NULL) {
		admin_time_text(until, t);
		cJSON_AddStringToObject(d, "until", t);
	}
	if (admin_publish(db, "risk_area", argv[0], d, &err) != 0) {
		admin_fail(&err);
		return 70;
	}
	return 0;
}

static int risk_clear(struct cdb *db, int argc, char **argv)
{
	gl_msg err;

	if (argc != 1 || !region_code_valid(argv[0]))
		return ADMIN_USAGE;
	if (cdb_del(db, "risk_area", argv[0], &err) != 0) {
		admin_fail(&err);
		return 70;
	}
	return 0;
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
	if (admin_publish(db, "intercept", id, i, err) != 0)
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
	return admin_publish(db, "driver", id_no, d, err);
}

/* test-result TUBE positive|negative: the result follows the sample.  A
 * positive one intercepts the sampled crew and their vehicle everywhere.
 * Events are held only as a lane could write them (event_check), and a
 * tube names one sample at most. */
static int test_result(struct cdb *db, int argc, char **argv)
{
	char tube[TUBE_MAX], t[40];
	cJSON *events, *e, *m, *done;
	gl_msg err;
	int positive;

	if (argc != 2 || (strcmp(argv[1], "positive") != 0 && strcmp(argv[1], "negative") != 0) ||
	    tube_parse(argv[0], "^[!-~]+$", admin_now(), tube, &err) != 0)
		return ADMIN_USAGE;
	positive = strcmp(argv[1], "positive") == 0;
	events = cdb_events_by_tube(db, tube);
	if (events == NULL)
		return admin_unreadable();
	if (cJSON_GetArraySize(events) == 0) {
		cJSON_Delete(events);
		admin_say("没有哪个车道上传过管号为 %s 的样本", "no sample with tube %s has arrived from a lane", tube);
		return 66;
	}
	done = cJSON_CreateArray();
	admin_time_text(admin_now(), t);
	cJSON_ArrayForEach(e, events) {
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "at"));
		const char *plate = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "plate"));
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(e, "crew")) {
			if (!cJSON_IsString(m))
				continue;
			if (nat_result(db, m->valuestring, kind != NULL ? kind : "", argv[1], at != NULL ? at : t,
				       &err) != 0)
				goto fail;
			if (positive && intercept(db, tube, "id_no", m->valuestring, "核酸检测阳性 / positive test", t, done,
						  &err) != 0)
				goto fail;
		}
		if (positive && plate != NULL &&
		    intercept(db, tube, "plate", plate, "随车人员核酸阳性 / crew tested positive", t, done, &err) != 0)
			goto fail;
	}
	cJSON_Delete(events);
	admin_done("已完成：%s %s：拦截 %d 项", "OK %s %s: %d intercepts", tube, argv[1], cJSON_GetArraySize(done));
	cJSON_Delete(done);
	return 0;
fail:
	cJSON_Delete(events);
	cJSON_Delete(done);
	admin_fail(&err);
	return 65;
}

/* policy publish FILE|default: loads it (refusing a broken one), signs it,
 * publishes it under its id (for the lanes' caches) and as "current" (for
 * GET /v1/policy). */
static int policy_publish(struct cdb *db, int argc, char **argv)
{
	const struct asset *a = assets_get("assets/policy/default.json");
	const char *path = argc == 1 ? argv[0] : NULL;
	char *text, kid[64], *jws, t[40];
	unsigned char sk[64];
	struct policy *p;
	const cJSON *vf;
	cJSON *d, *doc;
	gl_msg err;
	int rc;

	if (path == NULL)
		return ADMIN_USAGE;
	if (strcmp(path, "default") == 0 && a != NULL)
		text = strdup(a->data);
	else
		text = central_read_file(path, 1 << 20);
	if (text == NULL) {
		admin_say("无法读取 %s", "cannot read %s", path);
		return 66;
	}
	p = policy_load(text, strlen(text), &err);
	if (p == NULL) {
		free(text);
		admin_fail(&err);
		return 65;
	}
	rc = admin_signing_key(db, "policy", kid, sk);
	if (rc != 0) {
		policy_free(p);
		free(text);
		return rc;
	}
	jws = jws_sign(text, strlen(text), kid, sk);
	sodium_memzero(sk, sizeof sk);
	doc = cJSON_Parse(text);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "id", policy_id(p));
	cJSON_AddStringToObject(d, "version", policy_version(p));
	vf = cJSON_GetObjectItemCaseSensitive(doc, "valid_from");
	admin_time_text(admin_now(), t);
	cJSON_AddStringToObject(d, "valid_from", cJSON_IsString(vf) ? vf->valuestring : t);
	cJSON_AddStringToObject(d, "jws", jws != NULL ? jws : "");
	cJSON_Delete(doc);
	free(text);
	policy_free(p);
	if (jws == NULL) {
		cJSON_Delete(d);
		admin_say("签名失败", "signing failed");
		return 70;
	}
	free(jws);
	if (admin_publish(db, "policy", "current", cJSON_Duplicate(d, 1), &err) != 0) {
		cJSON_Delete(d);
		admin_fail(&err);
		return 70;
	}
	if (admin_publish(db, "policy", cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, d, &err) != 0) {
		admin_fail(&err);
		return 70;
	}
	admin_done("已发布策略", "OK policy published");
	return 0;
}

const struct admin_verb admin_decide[] = {
	{ "pass issue", "--plate P --origin R --dest R [--enterprise E] [--from T] [--days N] [--pass-no N]",
	  "签发通行证，打印签名令牌（可做二维码）", "issue a pass; prints its signed token, ready for a QR code",
	  pass_issue, ADMIN_WRITE },
	{ "pass revoke", "PASS_NO", "吊销通行证", "revoke a pass", pass_revoke, ADMIN_WRITE },
	{ "enterprise suspend", "ID", "熔断：企业失去绿色通道", "meltdown: the enterprise loses the green channel",
	  enterprise_suspend, ADMIN_WRITE },
	{ "enterprise restore", "ID", "恢复企业", "the enterprise is active again", enterprise_restore, ADMIN_WRITE },
	{ "risk set", "REGION high|medium [--until T]", "设定中、高风险地区", "a medium or high risk area", risk_set,
	  ADMIN_WRITE },
	{ "risk clear", "REGION", "解除风险地区", "the area is no longer a risk area", risk_clear, ADMIN_WRITE },
	{ "test-result", "TUBE positive|negative", "车道采样或落地检的结果（阳性即拦截）",
	  "a lane sample's or landing test's result (positive intercepts)", test_result, ADMIN_WRITE },
	{ "policy publish", "FILE|default", "签名并发布策略", "sign and publish a policy", policy_publish,
	  ADMIN_WRITE },
	{ NULL },
};
