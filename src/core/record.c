/* record.c — the rules a record must meet to be taken: its key, and each
 * field the wire format names, read straight from the data's bytes. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gltime.h"
#include "jscan.h"
#include "jws.h"
#include "query.h"
#include "record.h"
#include "utf8.h"

static const char *const kind_names[] = {
	[REC_VEHICLE] = "vehicle", [REC_PASS] = "pass", [REC_TRIP] = "trip", [REC_INTERCEPT] = "intercept",
	[REC_DRIVER] = "driver", [REC_ENTERPRISE] = "enterprise", [REC_RISK_AREA] = "risk_area",
	[REC_KEY] = "key", [REC_POLICY] = "policy", [REC_CHECKPOINT] = "checkpoint",
};

enum record_kind record_kind(const char *name)
{
	for (size_t i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (name != NULL && strcmp(name, kind_names[i]) == 0)
			return (enum record_kind)i;
	return REC_NONE;
}

const char *record_kind_name(enum record_kind kind)
{
	return kind > REC_NONE && kind <= REC_CHECKPOINT ? kind_names[kind] : "?";
}

/* A key as it may be shown in a message: short, and never a whole ID. */
static const char *shown_key(const char *key, char *out, size_t cap)
{
	utf8_excerpt(key, 24, out, cap);
	return out;
}

int record_key(enum record_kind kind, const char *key, char out[RECORD_KEY_MAX], gl_msg *err)
{
	struct plate p;
	gl_msg e2;
	char shown[96];

	switch (kind) {
	case REC_VEHICLE:
		if (plate_parse(key, NULL, &p, &e2) != 0) {
			glmsg_prefix(err, &e2, "车牌 %s 无效", "plate %s is invalid", shown_key(key, shown, sizeof shown));
			return -1;
		}
		snprintf(out, RECORD_KEY_MAX, "%s", p.canon);
		return 0;
	case REC_DRIVER:
		if (idno_parse(key, INT64_MAX / 2, out, &e2) != 0) {
			/* An ID number is never shown whole, not even a bad one. */
			glmsg_prefix(err, &e2, "身份证号无效", "the ID number is invalid");
			return -1;
		}
		return 0;
	case REC_PASS:
		if (passno_parse(key, out, &e2) != 0) {
			glmsg_set(err, "通行证编号 %s 无效", "pass number %s is invalid", shown_key(key, shown, sizeof shown));
			return -1;
		}
		return 0;
	default:
		if (key[0] == '\0' || strlen(key) >= RECORD_KEY_MAX || !utf8_valid(key, strlen(key))) {
			glmsg_set(err, "记录的 key 为空、过长或不是 UTF-8", "the record's key is empty, too long or not UTF-8");
			return -1;
		}
		for (const char *c = key; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f) {
				glmsg_set(err, "记录的 key 含控制字符", "the record's key has a control character");
				return -1;
			}
		snprintf(out, RECORD_KEY_MAX, "%s", key);
		return 0;
	}
}

/* ---- fields ---- */

/* Outcome of reading a field: present and canonical, present but to be
 * rewritten, absent, or invalid. */
enum field { FIELD_OK, FIELD_REWRITE, FIELD_ABSENT, FIELD_BAD };

/* A plate field (canonical: the plate it must be, when known, or NULL). */
static enum field plate_field(const struct jscan_span *v, const char *canonical, char out[PLATE_MAX])
{
	char raw[64];
	struct plate p;

	if (v == NULL || v->type == JS_NULL)
		return FIELD_ABSENT;
	if (jscan_string(v, raw, sizeof raw) < 0)
		return FIELD_BAD;
	if (canonical != NULL && strcmp(raw, canonical) == 0) {
		snprintf(out, PLATE_MAX, "%s", canonical);	/* the key, parsed already */
		return FIELD_OK;
	}
	if (plate_parse(raw, NULL, &p, NULL) != 0)
		return FIELD_BAD;
	memcpy(out, p.canon, PLATE_MAX);
	return strcmp(raw, p.canon) == 0 ? FIELD_OK : FIELD_REWRITE;
}

/* An ID number field (canonical: the one it must be, when known, or NULL). */
static enum field idno_field(const struct jscan_span *v, const char *canonical, char out[IDNO_MAX])
{
	char raw[64];

	if (v == NULL || v->type == JS_NULL)
		return FIELD_ABSENT;
	if (jscan_string(v, raw, sizeof raw) < 0)
		return FIELD_BAD;
	if (canonical != NULL && strcmp(raw, canonical) == 0) {
		snprintf(out, IDNO_MAX, "%s", canonical);	/* the key, parsed already */
		return FIELD_OK;
	}
	if (idno_parse(raw, INT64_MAX / 2, out, NULL) != 0)
		return FIELD_BAD;
	return strcmp(raw, out) == 0 ? FIELD_OK : FIELD_REWRITE;
}

static int bad_field(gl_msg *err, const char *field)
{
	glmsg_set(err, "字段 %s 缺失或无效", "field %s is missing or invalid", field);
	return -1;
}

/* How a plain field is checked. */
enum ftype {
	F_TEXT,		/* a string */
	F_BOOL,
	F_TIME,		/* RFC 3339 with an offset */
	F_REGION,	/* a GB/T 2260 code */
	F_ENUM,		/* one of values */
	F_KEY,		/* a string equal to the record's key */
	F_OBJECT,
	F_ARRAY,
};

struct fspec {
	const char *name;
	enum ftype type;
	int required;
	const char *const *values;	/* F_ENUM: NULL-terminated */
};

static const char *const SECTORS[] = { "industry", "commerce", "transport", "tourism", "project", NULL };
static const char *const ENT_STATUS[] = { "active", "suspended", NULL };
static const char *const RELATIONS[] = { "own", "contracted", NULL };
static const char *const HEALTH[] = { "green", "yellow", "red", NULL };
static const char *const ITINERARY[] = { "normal", "risk", NULL };
static const char *const NAT[] = { "negative", "positive", "pending", NULL };
static const char *const PERSON_STATUS[] = { "none", "positive", "close_contact", "secondary_contact", NULL };
static const char *const TRIP_STATUS[] = { "planned", "en_route", "arrived", "closed", NULL };
static const char *const LEVELS[] = { "medium", "high", NULL };
static const char *const TARGETS[] = { "plate", "id_no", NULL };
static const char *const KEY_USES[] = { "pass", "policy", "snapshot", NULL };
static const char *const KEY_ALGS[] = { "EdDSA", NULL };

/* Each kind's plain fields (plates, ID numbers and crews are read apart). */
static const struct fspec ENTERPRISE[] = {
	{ "id", F_KEY, 0, NULL }, { "name", F_TEXT, 0, NULL }, { "sector", F_ENUM, 0, SECTORS },
	{ "region", F_REGION, 0, NULL }, { "whitelisted", F_BOOL, 0, NULL }, { "status", F_ENUM, 0, ENT_STATUS },
	{ NULL, 0, 0, NULL },
};
static const struct fspec VEHICLE[] = {
	{ "enterprise_id", F_TEXT, 0, NULL }, { "relation", F_ENUM, 0, RELATIONS }, { "type", F_TEXT, 0, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct fspec DRIVER[] = {
	{ "name", F_TEXT, 0, NULL }, { "phone", F_TEXT, 0, NULL }, { "transport_whitelist", F_BOOL, 0, NULL },
	{ "health_code", F_ENUM, 0, HEALTH }, { "itinerary", F_ENUM, 0, ITINERARY }, { "nat_at", F_TIME, 0, NULL },
	{ "nat_result", F_ENUM, 0, NAT }, { "status", F_ENUM, 0, PERSON_STATUS },
	{ "landing_test_at", F_TIME, 0, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct fspec TRIP[] = {
	{ "id", F_KEY, 0, NULL }, { "origin", F_OBJECT, 0, NULL }, { "destination", F_OBJECT, 0, NULL },
	{ "via", F_ARRAY, 0, NULL }, { "route", F_ARRAY, 0, NULL }, { "depart_at", F_TIME, 0, NULL },
	{ "eta", F_TIME, 0, NULL }, { "status", F_ENUM, 0, TRIP_STATUS }, { "registered", F_BOOL, 0, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct fspec PASS[] = {
	{ "pass_no", F_KEY, 0, NULL }, { "enterprise_id", F_TEXT, 0, NULL }, { "origin_region", F_REGION, 0, NULL },
	{ "dest_region", F_REGION, 0, NULL }, { "valid_from", F_TIME, 0, NULL }, { "valid_to", F_TIME, 0, NULL },
	{ "revoked", F_BOOL, 0, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct fspec RISK_AREA[] = {
	{ "region", F_KEY, 0, NULL }, { "level", F_ENUM, 1, LEVELS }, { "since", F_TIME, 0, NULL },
	{ "until", F_TIME, 0, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct fspec INTERCEPT[] = {
	{ "id", F_KEY, 0, NULL }, { "target", F_ENUM, 1, TARGETS }, { "reason", F_TEXT, 0, NULL },
	{ "since", F_TIME, 0, NULL }, { "cleared", F_BOOL, 0, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct fspec KEY[] = {
	{ "kid", F_KEY, 0, NULL }, { "alg", F_ENUM, 1, KEY_ALGS }, { "pub", F_TEXT, 1, NULL },
	{ "use", F_ENUM, 1, KEY_USES },
	{ NULL, 0, 0, NULL },
};
static const struct fspec POLICY[] = {
	{ "id", F_TEXT, 0, NULL }, { "version", F_TEXT, 0, NULL }, { "valid_from", F_TIME, 0, NULL },
	{ "jws", F_TEXT, 1, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct fspec *const specs[] = {
	[REC_VEHICLE] = VEHICLE, [REC_PASS] = PASS, [REC_TRIP] = TRIP, [REC_INTERCEPT] = INTERCEPT,
	[REC_DRIVER] = DRIVER, [REC_ENTERPRISE] = ENTERPRISE, [REC_RISK_AREA] = RISK_AREA, [REC_KEY] = KEY,
	[REC_POLICY] = POLICY, [REC_CHECKPOINT] = NULL,
};

static int field_ok(const struct fspec *f, const struct jscan_span *v, const char *key, gl_msg *err)
{
	char s[256];
	int64_t t;

	if (v == NULL || v->type == JS_NULL)
		return f->required ? bad_field(err, f->name) : 0;
	switch (f->type) {
	case F_BOOL:
		return v->type == JS_TRUE || v->type == JS_FALSE ? 0 : bad_field(err, f->name);
	case F_OBJECT:
		return v->type == JS_OBJECT ? 0 : bad_field(err, f->name);
	case F_ARRAY:
		return v->type == JS_ARRAY ? 0 : bad_field(err, f->name);
	case F_TEXT:
		return v->type == JS_STRING ? 0 : bad_field(err, f->name);
	default:
		break;
	}
	if (jscan_string(v, s, sizeof s) < 0)
		return bad_field(err, f->name);
	switch (f->type) {
	case F_TIME:
		return gltime_parse(s, &t) == 0 ? 0 : bad_field(err, f->name);
	case F_REGION:
		return region_code_valid(s) ? 0 : bad_field(err, f->name);
	case F_KEY:
		return strcmp(s, key) == 0 ? 0 : bad_field(err, f->name);
	case F_ENUM:
		for (const char *const *e = f->values; *e != NULL; e++)
			if (strcmp(s, *e) == 0)
				return 0;
		{
			char shown[64], list[160] = "";
			utf8_excerpt(s, 16, shown, sizeof shown);
			for (const char *const *e = f->values; *e != NULL; e++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", e == f->values ? "" : "|", *e);
			glmsg_set(err, "字段 %s 的值“%s”不在 %s 之中", "field %s: \"%s\" is not one of %s", f->name, shown, list);
		}
		return -1;
	default:
		return bad_field(err, f->name);
	}
}

/* A trip's places: origin {region}, destination {region}, via [regions]. */
static int trip_places(const struct jscan_member *m, int n, gl_msg *err)
{
	static const char *const objs[] = { "origin", "destination" };
	struct jscan_member pm[32];
	struct jscan_span via[64];
	static const struct fspec region = { "region", F_REGION, 0, NULL };
	char s[16];

	for (int i = 0; i < 2; i++) {
		const struct jscan_span *v = jscan_get(m, n, objs[i]);
		int k;
		if (v == NULL || v->type != JS_OBJECT)
			continue;
		k = jscan_object(v->p, v->n, pm, 32);
		if (k < 0 || k > 32 || field_ok(&region, jscan_get(pm, k, "region"), "", err) != 0)
			return bad_field(err, objs[i]);
	}
	{
		const struct jscan_span *v = jscan_get(m, n, "via");
		int k = v != NULL && v->type == JS_ARRAY ? jscan_array(v->p, v->n, via, 64) : 0;
		if (k < 0 || k > 64)
			return bad_field(err, "via");
		for (int i = 0; i < k; i++)
			if (jscan_string(&via[i], s, sizeof s) < 0 || !region_code_valid(s))
				return bad_field(err, "via");
	}
	return 0;
}

/* A key record's key material: 32 bytes of Ed25519 public key. */
static int key_material(const struct jscan_member *m, int n, gl_msg *err)
{
	char pub[128];
	unsigned char raw[32];

	if (jscan_string(jscan_get(m, n, "pub"), pub, sizeof pub) < 0 || jws_key_from_b64(pub, raw) != 0)
		return bad_field(err, "pub");
	return 0;
}

/* Scans an object's members into stack (cap entries), or into a heap array
 * (*m, which the caller frees if it is not stack) when there are more.
 * Returns the number of members, JSCAN_DUPLICATE, or -1. */
static int scan_members(const char *d, size_t len, struct jscan_member *stack, int cap, struct jscan_member **m)
{
	int n = jscan_object(d, len, stack, cap);

	*m = stack;
	if (n <= cap)
		return n;
	*m = malloc((size_t)n * sizeof **m);
	if (*m == NULL) {
		*m = stack;
		return -1;
	}
	return jscan_object(d, len, *m, n);
}

/* The plates, ID numbers and crew; the rest by the kind's table. */
static int check_members(enum record_kind kind, const char *key, const struct jscan_member *m, int n,
			 struct record_refs *r, gl_msg *err)
{
	struct jscan_span crew[RECORD_CREW_MAX + 1];
	const struct jscan_span *v;
	char id[IDNO_MAX], target[16];
	enum field f = FIELD_OK;
	int nc, rewrite = 0;

	memset(r, 0, sizeof *r);
	snprintf(r->home, sizeof r->home, "%s", key);
	for (const struct fspec *s = specs[kind]; s != NULL && s->name != NULL; s++)
		if (field_ok(s, jscan_get(m, n, s->name), key, err) != 0)
			return -1;
	switch (kind) {
	case REC_VEHICLE:
		f = plate_field(jscan_get(m, n, "plate"), key, r->home);
		if (f == FIELD_BAD || (f != FIELD_ABSENT && strcmp(r->home, key) != 0))
			return bad_field(err, "plate");
		snprintf(r->home, sizeof r->home, "%s", key);
		switch (plate_field(jscan_get(m, n, "trailer_plate"), NULL, r->trailer)) {
		case FIELD_BAD: return bad_field(err, "trailer_plate");
		case FIELD_REWRITE: rewrite = 1; break;
		default: break;
		}
		return rewrite || f != FIELD_OK;
	case REC_DRIVER:
		f = idno_field(jscan_get(m, n, "id_no"), key, id);
		if (f == FIELD_BAD || (f != FIELD_ABSENT && strcmp(id, key) != 0))
			return bad_field(err, "id_no");
		return f != FIELD_OK;
	case REC_PASS:
	case REC_TRIP:
		f = plate_field(jscan_get(m, n, "plate"), NULL, r->home);
		if (f == FIELD_BAD || f == FIELD_ABSENT)
			return bad_field(err, "plate");
		if (kind == REC_TRIP) {
			if (trip_places(m, n, err) != 0)
				return -1;
			v = jscan_get(m, n, "crew");
			nc = v == NULL || v->type == JS_NULL ? 0 :
			     v->type == JS_ARRAY ? jscan_array(v->p, v->n, crew, RECORD_CREW_MAX + 1) : -1;
			if (nc < 0 || nc > RECORD_CREW_MAX)
				return bad_field(err, "crew");
			for (int i = 0; i < nc; i++) {
				enum field g = idno_field(&crew[i], NULL, r->crew[i]);
				if (g == FIELD_BAD || g == FIELD_ABSENT)
					return bad_field(err, "crew");
				if (g == FIELD_REWRITE)
					f = FIELD_REWRITE;
			}
			r->ncrew = nc;
		}
		return f == FIELD_REWRITE;
	case REC_INTERCEPT:
		jscan_string(jscan_get(m, n, "target"), target, sizeof target);	/* checked by the table */
		v = jscan_get(m, n, "value");
		f = strcmp(target, "plate") == 0 ? plate_field(v, NULL, r->home) : idno_field(v, NULL, r->home);
		if (f == FIELD_BAD || f == FIELD_ABSENT)
			return bad_field(err, "value");
		return f == FIELD_REWRITE;
	case REC_KEY:
		return key_material(m, n, err);
	default:
		return 0;
	}
}

int record_check(enum record_kind kind, const char *key, const char *data, size_t len, struct record_refs *r,
		 gl_msg *err)
{
	struct jscan_member stack[48], *m;
	int n, rc;

	if (kind == REC_NONE) {
		glmsg_set(err, "未知的记录类型", "unknown record kind");
		return -1;
	}
	if (len > RECORD_DATA_MAX) {
		glmsg_set(err, "记录过大（上限约 1 MiB）", "the record is too large (about 1 MiB at most)");
		return -1;
	}
	n = scan_members(data, len, stack, 48, &m);
	if (n == JSCAN_DUPLICATE) {
		/* A reader that keeps the last of two would see another record. */
		glmsg_set(err, "JSON 对象中有重复的成员名", "a JSON object with a repeated member name");
		rc = -1;
	} else if (n < 0) {
		glmsg_set(err, "data 不是有效的 JSON 对象", "data is not a well-formed JSON object");
		rc = -1;
	} else {
		rc = check_members(kind, key, m, n, r, err);
	}
	if (m != stack)
		free(m);
	return rc;
}

static void set_string(cJSON *o, const char *field, const char *v)
{
	if (cJSON_GetObjectItemCaseSensitive(o, field) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(o, field, cJSON_CreateString(v));
	else
		cJSON_AddStringToObject(o, field, v);
}

int record_canonical(enum record_kind kind, const char *key, const char *data, size_t len,
		     const struct record_refs *r, char *out, size_t cap, gl_msg *err)
{
	cJSON *d = cJSON_ParseWithLength(data, len), *crew;
	int rc = -1;

	if (!cJSON_IsObject(d)) {
		glmsg_set(err, "data 不是有效的 JSON 对象", "data is not a well-formed JSON object");
		goto out;
	}
	switch (kind) {
	case REC_VEHICLE:
		set_string(d, "plate", key);
		if (r->trailer[0] != '\0')
			set_string(d, "trailer_plate", r->trailer);
		break;
	case REC_DRIVER:
		set_string(d, "id_no", key);
		break;
	case REC_PASS:
	case REC_TRIP:
		set_string(d, "plate", r->home);
		if (kind == REC_TRIP) {
			crew = cJSON_CreateArray();
			for (int i = 0; i < r->ncrew; i++)
				cJSON_AddItemToArray(crew, cJSON_CreateString(r->crew[i]));
			if (cJSON_GetObjectItemCaseSensitive(d, "crew") != NULL)
				cJSON_ReplaceItemInObjectCaseSensitive(d, "crew", crew);
			else
				cJSON_AddItemToObject(d, "crew", crew);
		}
		break;
	case REC_INTERCEPT:
		set_string(d, "value", r->home);
		break;
	default:
		break;
	}
	if (cap > INT32_MAX || !cJSON_PrintPreallocated(d, out, (int)cap, 0)) {
		glmsg_set(err, "记录过大", "the record is too large");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(d);
	return rc;
}
