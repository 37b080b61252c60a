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
#include "decide.h"
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
	if (decide_publish(db, "pass", pass_no, d, &err) != 0) {
		free(tok);
		admin_fail(&err);
		return 70;
	}
	printf("%s\n", tok);
	free(tok);
	return 0;
}

/* A decision's outcome as the command's: its message, its exit code. */
static int said(int rc, const gl_msg *err, const char *what, const char *key)
{
	if (rc == DECIDE_OK)
		admin_done("已完成：%s %s", "OK %s %s", what, key);
	else
		admin_fail(err);
	return rc;
}

static int pass_revoke(struct cdb *db, int argc, char **argv)
{
	gl_msg err;

	return argc == 1 ? said(decide_pass_revoke(db, argv[0], &err), &err, "pass", argv[0]) : ADMIN_USAGE;
}

static int enterprise_suspend(struct cdb *db, int argc, char **argv)
{
	gl_msg err;

	return argc == 1 ? said(decide_enterprise(db, argv[0], 1, &err), &err, "enterprise", argv[0]) : ADMIN_USAGE;
}

static int enterprise_restore(struct cdb *db, int argc, char **argv)
{
	gl_msg err;

	return argc == 1 ? said(decide_enterprise(db, argv[0], 0, &err), &err, "enterprise", argv[0]) : ADMIN_USAGE;
}

static int intercept_clear(struct cdb *db, int argc, char **argv)
{
	gl_msg err;

	return argc == 1 ? said(decide_intercept_clear(db, argv[0], &err), &err, "intercept", argv[0]) : ADMIN_USAGE;
}

/* risk set REGION high|medium [--until TIME] */
static int risk_set(struct cdb *db, int argc, char **argv)
{
	const char *until_s = admin_opt(argc, argv, "--until");
	int64_t until = 0;
	gl_msg err;

	if ((argc != 2 && !(argc == 4 && until_s != NULL)) || !region_code_valid(argv[0]) ||
	    (strcmp(argv[1], "high") != 0 && strcmp(argv[1], "medium") != 0))
		return ADMIN_USAGE;
	if (until_s != NULL && gltime_parse(until_s, &until) != 0) {
		admin_say("--until 须为 RFC 3339 时间", "--until needs an RFC 3339 time");
		return ADMIN_USAGE;
	}
	return said(decide_risk_set(db, argv[0], argv[1], admin_now(), until, &err), &err, "risk_area", argv[0]);
}

static int risk_clear(struct cdb *db, int argc, char **argv)
{
	gl_msg err;

	if (argc != 1 || !region_code_valid(argv[0]))
		return ADMIN_USAGE;
	return said(decide_risk_clear(db, argv[0], &err), &err, "risk_area", argv[0]);
}

/* test-result TUBE positive|negative */
static int test_result(struct cdb *db, int argc, char **argv)
{
	char tube[TUBE_MAX];
	gl_msg err;
	int n = 0, rc;

	if (argc != 2 || (strcmp(argv[1], "positive") != 0 && strcmp(argv[1], "negative") != 0) ||
	    tube_parse(argv[0], "^[!-~]+$", admin_now(), tube, &err) != 0)
		return ADMIN_USAGE;
	rc = decide_test_result(db, tube, strcmp(argv[1], "positive") == 0, admin_now(), &n, &err);
	if (rc == DECIDE_OK)
		admin_done("已完成：%s %s：拦截 %d 项", "OK %s %s: %d intercepts", tube, argv[1], n);
	else
		admin_fail(&err);
	return rc;
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
	if (decide_publish(db, "policy", "current", cJSON_Duplicate(d, 1), &err) != 0) {
		cJSON_Delete(d);
		admin_fail(&err);
		return 70;
	}
	if (decide_publish(db, "policy", cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, d, &err) != 0) {
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
	{ "intercept clear", "ID", "解除拦截", "the intercept is cleared", intercept_clear, ADMIN_WRITE },
	{ "risk set", "REGION high|medium [--until T]", "设定中、高风险地区", "a medium or high risk area", risk_set,
	  ADMIN_WRITE },
	{ "risk clear", "REGION", "解除风险地区", "the area is no longer a risk area", risk_clear, ADMIN_WRITE },
	{ "test-result", "TUBE positive|negative", "车道采样或落地检的结果（阳性即拦截）",
	  "a lane sample's or landing test's result (positive intercepts)", test_result, ADMIN_WRITE },
	{ "policy publish", "FILE|default", "签名并发布策略", "sign and publish a policy", policy_publish,
	  ADMIN_WRITE },
	{ NULL },
};
