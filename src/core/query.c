/* query.c — telling a plate from an ID number from a pass number from a pass
 * token, and reading pass claims.  The shapes do not overlap: a token is
 * three base64url parts, a pass number 12 digits, an ID 15 or 18 digits (the
 * last may be X), a plate starts with a province character, 使 or — with a
 * local province configured — the authority letter. */
#include <cjson/cJSON.h>
#include <string.h>
#include "gltime.h"
#include "jscan.h"
#include "jws.h"
#include "query.h"
#include "utf8.h"

const char *query_kind_name(enum query_kind k)
{
	switch (k) {
	case QUERY_PLATE: return "plate";
	case QUERY_IDNO: return "id_no";
	case QUERY_PASSNO: return "pass_no";
	case QUERY_TOKEN: return "pass_token";
	}
	return "unknown";
}

int passno_parse(const char *in, char out[PASSNO_LEN + 1], gl_msg *err)
{
	char d[32];
	int n = idno_fold(in, d, sizeof d);

	if (n != PASSNO_LEN || strchr(d, 'X') != NULL) {
		glmsg_set(err, "通行证编号应为 12 位数字", "a pass number is 12 digits");
		return -1;
	}
	if (!region_province_valid(d)) {
		glmsg_set(err, "通行证编号前 6 位应为行政区划代码", "a pass number starts with a 6-digit region code");
		return -1;
	}
	memcpy(out, d, PASSNO_LEN + 1);
	return 0;
}

/* Trims ASCII and ideographic spaces; returns the start and sets *len. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

int query_parse(const char *in, const char *local_province, int64_t now,
		struct query *q, gl_msg *err)
{
	char d[32], buf[256];
	const char *s, *tail;
	size_t n;
	int nd;

	memset(q, 0, sizeof *q);
	if (in == NULL)
		in = "";
	s = trim(in, &n);
	if (n == 0) {
		glmsg_set(err, "查询内容为空", "the query is empty");
		return -1;
	}
	/* A scanned token, possibly inside a URL. */
	tail = s;
	for (const char *p = s; p < s + n; p++)
		if (*p == '/' || *p == '#' || *p == '=')
			tail = p + 1;
	if (n > 40 && s[n] == '\0' && jws_looks_like(tail)) {
		q->kind = QUERY_TOKEN;
		q->token = tail;
		return 0;
	}
	if (n >= sizeof buf) {
		if (memchr(s, '.', n) != NULL)
			glmsg_set(err, "通行证二维码内容不完整或已损坏", "the pass code is incomplete or corrupt");
		else
			glmsg_set(err, "查询内容过长，无法识别", "the query is too long to be a plate, ID or pass");
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	nd = idno_fold(buf, d, sizeof d);
	if (nd >= 0) {
		q->kind = nd == PASSNO_LEN ? QUERY_PASSNO : QUERY_IDNO;
		if (nd == PASSNO_LEN)
			return passno_parse(buf, q->value, err);
		if (nd == 15 || nd == 18)
			return idno_parse(buf, now, q->value, err);
		glmsg_set(err, "%d 位数字：通行证编号为 12 位，身份证号为 18 位",
			  "%d digits: a pass number has 12, an ID number 18", nd);
		return -1;
	}
	q->kind = QUERY_PLATE;
	if (plate_looks_like(buf) || (local_province != NULL &&
	    (((buf[0] | 0x20) >= 'a' && (buf[0] | 0x20) <= 'z') || (unsigned char)buf[0] == 0xEF))) {
		if (plate_parse(buf, local_province, &q->plate, err) != 0)
			return -1;
		memcpy(q->value, q->plate.canon, sizeof q->value);
		return 0;
	}
	if (((buf[0] | 0x20) >= 'a' && (buf[0] | 0x20) <= 'z') && n >= 6 && n <= 8) {
		glmsg_set(err, "车牌应以省份简称开头（如 豫D12345）；可在配置 [lane] province 中设置本地省份",
			  "a plate starts with its province character (豫D12345); set [lane] province to omit it");
		return -1;
	}
	if (memchr(buf, '.', n) != NULL && n > 20) {
		glmsg_set(err, "通行证二维码内容不完整或已损坏", "the pass code is incomplete or corrupt");
		return -1;
	}
	glmsg_set(err, "无法识别：请输入车牌号（如 豫D12345）、身份证号、通行证编号或扫描通行证二维码",
		  "not recognised: enter a plate (such as 豫D12345), an ID number or a pass number, or scan a pass code");
	return -1;
}

static int claim_str(const cJSON *o, const char *name, char *out, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
		return -1;
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

int pass_claims_parse(const char *payload, struct pass_claims *c, gl_msg *err)
{
	/* I-JSON: a claim named twice could be read either way. */
	cJSON *o = jscan_object(payload, strlen(payload), NULL, 0) >= 0 ? cJSON_Parse(payload) : NULL;
	char t1[64], t2[64], pn[64], plate[64];
	struct plate p;
	int rc = -1;

	memset(c, 0, sizeof *c);
	if (!cJSON_IsObject(o) ||
	    claim_str(o, "pass_no", pn, sizeof pn) || claim_str(o, "plate", plate, sizeof plate) ||
	    claim_str(o, "origin_region", c->origin_region, sizeof c->origin_region) ||
	    claim_str(o, "dest_region", c->dest_region, sizeof c->dest_region) ||
	    claim_str(o, "valid_from", t1, sizeof t1) || claim_str(o, "valid_to", t2, sizeof t2)) {
		glmsg_set(err, "通行证内容缺少字段", "the pass is missing fields");
		goto out;
	}
	if (passno_parse(pn, c->pass_no, err) != 0 || plate_parse(plate, NULL, &p, err) != 0)
		goto out;
	memcpy(c->plate, p.canon, sizeof c->plate);
	if (gltime_parse(t1, &c->valid_from) || gltime_parse(t2, &c->valid_to)) {
		glmsg_set(err, "通行证有效期格式错误", "the pass validity times are malformed");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}
