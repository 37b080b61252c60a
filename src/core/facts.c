/* facts.c — turns gathered cache records into the facts document of
 * facts.h.  Decisions stay in the policy; this file derives only what a rule
 * could not compute itself (which trip is current, whether a region is
 * covered, whether a signature verified). */
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "facts.h"
#include "gltime.h"
#include "idno.h"
#include "logic.h"

const char *facts_str(const cJSON *obj, const char *field)
{
	const cJSON *v = logic_member(obj, field);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int64_t facts_time(const cJSON *obj, const char *field)
{
	int64_t t;
	const char *s = facts_str(obj, field);

	if (s == NULL || gltime_parse(s, &t) != 0)
		return FACTS_NO_TIME;
	return t;
}

static int flag(const cJSON *obj, const char *field)
{
	return cJSON_IsTrue(logic_member(obj, field));
}

static int is_current(const cJSON *trip)
{
	const char *st = facts_str(trip, "status");
	return st != NULL && (strcmp(st, "planned") == 0 || strcmp(st, "en_route") == 0);
}

const cJSON *facts_current_trip(const cJSON *trips, const cJSON **latest)
{
	const cJSON *t, *cur = NULL, *last = NULL;
	int64_t tc = FACTS_NO_TIME, tl = FACTS_NO_TIME;

	cJSON_ArrayForEach(t, trips) {
		int64_t d = facts_time(t, "depart_at");
		if (last == NULL || d > tl) {
			last = t;
			tl = d;
		}
		if (is_current(t) && (cur == NULL || d > tc)) {
			cur = t;
			tc = d;
		}
	}
	if (latest != NULL)
		*latest = last;
	return cur;
}

const cJSON *facts_latest_pass(const cJSON *passes)
{
	const cJSON *p, *best = NULL;
	int64_t tb = FACTS_NO_TIME;

	cJSON_ArrayForEach(p, passes) {
		int64_t t = facts_time(p, "valid_to");
		if (best == NULL || t > tb) {
			best = p;
			tb = t;
		}
	}
	return best;
}

/* Facts are built in the check's arena, use constant member names and
 * refer to the records' strings, objects and arrays instead of copying them:
 * facts_build is on the path of every check.  A helper that runs out of
 * memory marks the build, and facts_build then gives up whole. */
struct build {
	struct arena *a;
	int oom;
};

static void put(struct build *b, cJSON *o, const char *name, cJSON *item)
{
	if (arena_json_add(o, name, item) != 0)
		b->oom = 1;
}

static void add_time(struct build *b, cJSON *o, const char *name, int64_t t)
{
	put(b, o, name, t == FACTS_NO_TIME ? arena_json_null(b->a) : arena_json_number(b->a, (double)t));
}

/* A copy of s (for strings that may not outlive the facts). */
static void add_str(struct build *b, cJSON *o, const char *name, const char *s)
{
	put(b, o, name, arena_json_string(b->a, s));
}

static void add_bool(struct build *b, cJSON *o, const char *name, int v)
{
	put(b, o, name, arena_json_bool(b->a, v));
}

/* A field facts copy from a record; times become seconds. */
struct field {
	const char *name;
	int time;
};

/* The named fields of src: values by reference, times converted to seconds
 * (null when absent or not a time). */
static void copy_fields(struct build *b, cJSON *dst, const cJSON *src, const struct field *fields)
{
	for (; fields->name != NULL; fields++) {
		const cJSON *v = logic_member(src, fields->name);
		int64_t t;
		if (!fields->time)
			put(b, dst, fields->name, v == NULL ? arena_json_null(b->a) : arena_json_ref(b->a, v));
		else
			add_time(b, dst, fields->name,
				 cJSON_IsString(v) && gltime_parse(v->valuestring, &t) == 0 ? t : FACTS_NO_TIME);
	}
}

static cJSON *obj(struct build *b, cJSON *parent, const char *name)
{
	cJSON *o = arena_json_object(b->a);

	put(b, parent, name, o);
	return o;
}

long facts_areas(const cJSON *arr, struct facts_area **out)
{
	const cJSON *a;
	long n = 0;

	*out = NULL;
	if (cJSON_GetArraySize(arr) == 0)
		return 0;
	*out = malloc((size_t)cJSON_GetArraySize(arr) * sizeof **out);
	if (*out == NULL)
		return -1;
	cJSON_ArrayForEach(a, arr) {
		const char *region = facts_str(a, "region");
		size_t prefix = region_prefix(region);
		if (prefix == 0)
			continue;
		memcpy((*out)[n].region, region, 7);
		(*out)[n].prefix = prefix;
		(*out)[n].since = facts_time(a, "since");
		(*out)[n].until = facts_time(a, "until");
		n++;
	}
	return n;
}

static int covered(const struct facts_input *in, const char *region)
{
	if (region == NULL || !region_code_valid(region))
		return 0;
	for (size_t i = 0; i < in->nareas; i++) {
		const struct facts_area *a = &in->areas[i];
		if ((a->since == FACTS_NO_TIME || a->since <= in->now) &&
		    (a->until == FACTS_NO_TIME || in->now < a->until) && memcmp(a->region, region, a->prefix) == 0)
			return 1;
	}
	return 0;
}

static int intercepted(const cJSON *list, const char *target, const char *value, int64_t now)
{
	const cJSON *i;

	if (value == NULL)
		return 0;
	cJSON_ArrayForEach(i, list) {
		int64_t since = facts_time(i, "since");
		const char *t = facts_str(i, "target"), *v = facts_str(i, "value");
		if (t != NULL && v != NULL && strcmp(t, target) == 0 && strcmp(v, value) == 0 &&
		    !flag(i, "cleared") && (since == FACTS_NO_TIME || since <= now))
			return 1;
	}
	return 0;
}

static int in_array(const cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return 1;
	return 0;
}

static cJSON *pass_facts(struct build *b, const struct facts_input *in)
{
	static const struct field fields[] = {
		{ "pass_no", 0 }, { "plate", 0 }, { "enterprise_id", 0 }, { "origin_region", 0 },
		{ "dest_region", 0 }, { "valid_from", 1 }, { "valid_to", 1 }, { NULL, 0 },
	};
	const char *vplate = in->queried_plate;
	cJSON *p = arena_json_object(b->a);

	if (p == NULL)
		return NULL;
	if (in->token != NULL) {
		const struct pass_claims *c = in->token;
		static const char *const sig[] = { "ok", "bad", "unknown_key", "bad" };
		add_str(b, p, "pass_no", c->pass_no);
		add_str(b, p, "plate", c->plate);
		add_str(b, p, "enterprise_id", facts_str(in->pass, "enterprise_id"));
		add_str(b, p, "origin_region", c->origin_region);
		add_str(b, p, "dest_region", c->dest_region);
		add_time(b, p, "valid_from", c->valid_from);
		add_time(b, p, "valid_to", c->valid_to);
		add_str(b, p, "source", "token");
		add_str(b, p, "signature",
					sig[in->token_status == JWS_OK ? 0 :
					    in->token_status == JWS_UNKNOWN_KID ? 2 : 1]);
		if (vplate == NULL)
			vplate = facts_str(in->pass, "plate");
		add_bool(b, p, "plate_match", vplate == NULL || strcmp(vplate, c->plate) == 0);
	} else {
		const char *pp = facts_str(in->pass, "plate");
		copy_fields(b, p, in->pass, fields);
		add_str(b, p, "source", "cache");
		add_str(b, p, "signature", "none");
		add_bool(b, p, "plate_match",
				      vplate == NULL || (pp != NULL && strcmp(vplate, pp) == 0));
	}
	add_bool(b, p, "revoked", flag(in->pass, "revoked"));
	add_bool(b, p, "known", in->pass != NULL);
	return p;
}

cJSON *facts_build(const struct facts_input *in, struct arena *a)
{
	static const struct field vfields[] = {
		{ "plate", 0 }, { "enterprise_id", 0 }, { "relation", 0 }, { "type", 0 },
		{ "trailer_plate", 0 }, { NULL, 0 },
	};
	static const struct field efields[] = {
		{ "id", 0 }, { "name", 0 }, { "sector", 0 }, { "region", 0 }, { "whitelisted", 0 },
		{ "status", 0 }, { NULL, 0 },
	};
	static const struct field tfields[] = {
		{ "id", 0 }, { "plate", 0 }, { "crew", 0 }, { "origin", 0 }, { "destination", 0 },
		{ "via", 0 }, { "route", 0 }, { "depart_at", 1 }, { "eta", 1 }, { "status", 0 },
		{ "registered", 0 }, { NULL, 0 },
	};
	static const struct field dfields[] = {
		{ "name", 0 }, { "transport_whitelist", 0 }, { "health_code", 0 }, { "itinerary", 0 },
		{ "nat_at", 1 }, { "nat_result", 0 }, { "status", 0 }, { "landing_test_at", 1 },
		{ NULL, 0 },
	};
	struct build b = { a, 0 };
	cJSON *f = arena_json_object(a), *o, *arr;
	const cJSON *trip, *latest, *e;
	const char *plate = facts_str(in->vehicle, "plate");
	int risk_origin = 0;

	if (f == NULL)
		return NULL;
	add_time(&b, f, "now", in->now);
	o = obj(&b, f, "checkpoint");
	add_str(&b, o, "id", in->checkpoint_id);
	add_str(&b, o, "region", in->checkpoint_region);
	add_str(&b, o, "direction", in->outbound ? "out" : "in");
	o = obj(&b, f, "cache");
	put(&b, o, "age_s", arena_json_number(a, (double)in->cache_age_s));
	add_bool(&b, o, "online", in->online);
	add_bool(&b, f, "vehicle_named", in->vehicle_named);

	if (in->vehicle != NULL) {
		o = obj(&b, f, "vehicle");
		copy_fields(&b, o, in->vehicle, vfields);
	} else {
		put(&b, f, "vehicle", arena_json_null(a));
	}
	if (in->enterprise != NULL) {
		o = obj(&b, f, "enterprise");
		copy_fields(&b, o, in->enterprise, efields);
	} else {
		put(&b, f, "enterprise", arena_json_null(a));
	}
	if (in->token != NULL || in->pass != NULL)
		put(&b, f, "pass", pass_facts(&b, in));
	else
		put(&b, f, "pass", arena_json_null(a));

	trip = facts_current_trip(in->trips, &latest);
	if (trip != NULL) {
		const cJSON *route = logic_member(trip, "route");
		o = obj(&b, f, "trip");
		copy_fields(&b, o, trip, tfields);
		add_bool(&b, o, "on_route", cJSON_GetArraySize(route) == 0 ||
				      (in->checkpoint_id != NULL && in_array(route, in->checkpoint_id)));
		risk_origin = covered(in, facts_str(logic_member(trip, "origin"), "region"));
	} else {
		put(&b, f, "trip", arena_json_null(a));
	}
	add_str(&b, f, "last_trip_status", facts_str(latest, "status"));	/* latest may not be kept */

	arr = arena_json_array(a);
	put(&b, f, "crew", arr);
	for (size_t i = 0; arr != NULL && i < in->ncrew; i++) {
		o = arena_json_object(a);
		put(&b, arr, NULL, o);
		if (o == NULL)
			break;
		add_str(&b, o, "id_no", in->crew[i].id_no);
		add_bool(&b, o, "known", in->crew[i].driver != NULL);
		if (in->crew[i].driver != NULL)
			copy_fields(&b, o, in->crew[i].driver, dfields);
		add_bool(&b, o, "on_trip", trip != NULL &&
				      in_array(logic_member(trip, "crew"), in->crew[i].id_no));
		add_bool(&b, o, "queried", in->crew[i].queried);
		add_bool(&b, o, "intercepted",
				      intercepted(in->intercepts, "id_no", in->crew[i].id_no, in->now));
	}

	o = obj(&b, f, "intercept");
	add_bool(&b, o, "vehicle",
			      intercepted(in->intercepts, "plate", plate, in->now) ||
			      intercepted(in->intercepts, "plate", in->queried_plate, in->now) ||
			      intercepted(in->intercepts, "plate", facts_str(in->vehicle, "trailer_plate"), in->now));
	o = obj(&b, f, "risk");
	add_bool(&b, o, "origin", risk_origin);
	arr = arena_json_array(a);
	put(&b, o, "transit", arr);
	if (trip != NULL) {
		cJSON_ArrayForEach(e, logic_member(trip, "via"))	/* trip is kept */
			if (cJSON_IsString(e) && covered(in, e->valuestring))
				put(&b, arr, NULL, arena_json_string_ref(a, e->valuestring));
	}
	return f == NULL || b.oom ? NULL : f;
}
