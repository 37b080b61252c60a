/* lane.c — one check, as the design's pipeline (DESIGN.md §2): parse the
 * queries, gather the records in one read transaction, build the facts, run
 * the policy, shape the result; each stage a function of its own.  The
 * gathering follows DESIGN.md §1.2: the plate (typed, or from the pass)
 * names the vehicle; ID numbers name the crew, else the current trip's crew
 * does; an ID alone finds the vehicle of the current trip that person is
 * on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assets.h"
#include "facts.h"
#include "gltime.h"
#include "idno.h"
#include "lane.h"
#include "tube.h"
#include "utf8.h"

#define MAX_CREW 16
#define MAX_TRIP_PLATES 8
/* How long this lane's own records count for the next checks here. */
#define LOCAL_REGISTRATION_S 86400		/* an on-the-spot registration: this arrival */
#define LOCAL_LANDING_S (7 * 86400)		/* a landing test: the policy's window decides */

/* Everything gathered lives in the result's arena, and what is shown is
 * handed to the result as it is: nothing is freed or copied record by
 * record. */
struct gather {
	struct arena *a;
	struct cache_plate pb;		/* the vehicle's records */
	int have_pb;
	struct cache_person people[MAX_CREW];
	struct facts_crew crew[MAX_CREW];
	char ids[MAX_CREW][IDNO_MAX];
	size_t ncrew;
	const cJSON *pass_rec;		/* the pass record, or NULL */
	struct pass_claims claims;
	int have_token;
	enum jws_status token_status;
	char plate[PLATE_MAX];
	const char *queried_plate;
	cJSON *intercepts;
	/* What the queries name (parse_queries). */
	const char *plate_q, *passno_q;
	const struct query *token_q;
	/* The vehicle's trips with this lane's own registration, its current
	 * trip and its enterprise (gather). */
	const cJSON *trips, *trip;
	cJSON *enterprise;
};

static const cJSON *find_by(const cJSON *arr, const char *field, const char *value)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr) {
		const char *s = facts_str(e, field);
		if (s != NULL && strcmp(s, value) == 0)
			return e;
	}
	return NULL;
}

static int load_plate(struct cache *c, struct gather *g, const char *plate, gl_msg *err)
{
	char tractor[PLATE_MAX];

	/* At most one hop: a trailer's combination is keyed by its tractor. */
	for (int hop = 0; hop < 2; hop++) {
		g->have_pb = 0;
		if (cache_get_plate(c, plate, g->a, &g->pb, err) != 0)
			return -1;
		g->have_pb = 1;
		snprintf(g->plate, sizeof g->plate, "%s", plate);
		if (g->pb.vehicle != NULL || g->pb.tractor[0] == '\0')
			break;
		snprintf(tractor, sizeof tractor, "%s", g->pb.tractor);
		plate = tractor;
	}
	return 0;
}

/* Finds the pass record for a pass number: in the loaded plate's passes, else
 * under its own plate. */
static int find_pass(struct cache *c, struct gather *g, const char *pass_no, gl_msg *err)
{
	char plate[PLATE_MAX];
	struct cache_plate other;
	const cJSON *rec = g->have_pb ? find_by(g->pb.passes, "pass_no", pass_no) : NULL;
	int rc;

	if (rec != NULL) {
		g->pass_rec = rec;
		return 0;
	}
	rc = cache_pass_plate(c, pass_no, plate, err);
	if (rc <= 0)
		return rc;
	if (cache_get_plate(c, plate, g->a, &other, err) != 0)
		return -1;
	g->pass_rec = find_by(other.passes, "pass_no", pass_no);
	return 0;
}

/* An ID alone: the vehicle is that of the current trip the person is on.
 * p is the person's records (already gathered); the chosen plate's records
 * become g->pb without being read twice. */
static int plate_from_person(struct cache *c, struct gather *g, const struct cache_person *p,
			     const char *id, gl_msg *err)
{
	const cJSON *pl;
	int64_t best_t = INT64_MIN;
	int n = 0;

	cJSON_ArrayForEach(pl, p->trip_plates) {
		struct cache_plate b;
		cJSON *mine;
		const cJSON *t, *cur, *prev;
		int seen = 0;
		if (!cJSON_IsString(pl) || ++n > MAX_TRIP_PLATES)
			break;
		/* One row per trip: a plate comes once per trip this person crews. */
		for (prev = p->trip_plates->child; prev != pl && !seen; prev = prev->next)
			seen = strcmp(prev->valuestring, pl->valuestring) == 0;
		if (seen)
			continue;
		if (cache_get_plate(c, pl->valuestring, g->a, &b, err) != 0)
			return -1;
		mine = arena_json_array(g->a);
		cJSON_ArrayForEach(t, b.trips) {
			const cJSON *m;
			cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(t, "crew"))
				if (cJSON_IsString(m) && strcmp(m->valuestring, id) == 0 &&
				    arena_json_add(mine, NULL, arena_json_ref(g->a, t)) != 0)
					goto oom;
		}
		cur = facts_current_trip(mine, NULL);
		if (cur != NULL && facts_time(cur, "depart_at") >= best_t) {
			best_t = facts_time(cur, "depart_at");
			g->pb = b;
			g->have_pb = 1;
			snprintf(g->plate, sizeof g->plate, "%s", pl->valuestring);
		}
	}
	return 0;
oom:
	glmsg_set(err, "内存不足", "out of memory");
	return -1;
}

static int add_crew(struct cache *c, struct gather *g, const char *id, int queried, gl_msg *err)
{
	const cJSON *i;

	for (size_t k = 0; k < g->ncrew; k++)
		if (strcmp(g->crew[k].id_no, id) == 0)
			return 0;
	if (g->ncrew == MAX_CREW)
		return 0;
	if (cache_get_person(c, id, g->a, &g->people[g->ncrew], err) != 0)
		return -1;
	cJSON_ArrayForEach(i, g->people[g->ncrew].intercepts) {
		if (arena_json_add(g->intercepts, NULL, arena_json_ref(g->a, i)) != 0) {
			glmsg_set(err, "内存不足", "out of memory");
			return -1;
		}
	}
	snprintf(g->ids[g->ncrew], IDNO_MAX, "%s", id);
	g->crew[g->ncrew].driver = g->people[g->ncrew].driver;
	g->crew[g->ncrew].id_no = g->ids[g->ncrew];
	g->crew[g->ncrew].queried = queried;
	g->ncrew++;
	return 0;
}

/* The pass as shown for a scanned token: its claims, in a.  NULL if out of
 * memory. */
static cJSON *token_json(struct arena *a, const struct pass_claims *c, enum jws_status st, const cJSON *rec)
{
	static const char *const sig[] = { "ok", "bad", "unknown_key", "bad" };
	cJSON *o = arena_json_object(a);
	char from[40], to[40];
	int bad = 0;

	gltime_format(c->valid_from, GLTIME_CST, from, sizeof from);
	gltime_format(c->valid_to, GLTIME_CST, to, sizeof to);
	bad |= arena_json_add(o, "pass_no", arena_json_string(a, c->pass_no));
	bad |= arena_json_add(o, "plate", arena_json_string(a, c->plate));
	if (facts_str(rec, "enterprise_id") != NULL)
		bad |= arena_json_add(o, "enterprise_id", arena_json_string_ref(a, facts_str(rec, "enterprise_id")));
	bad |= arena_json_add(o, "origin_region", arena_json_string(a, c->origin_region));
	bad |= arena_json_add(o, "dest_region", arena_json_string(a, c->dest_region));
	bad |= arena_json_add(o, "valid_from", arena_json_string(a, from));
	bad |= arena_json_add(o, "valid_to", arena_json_string(a, to));
	bad |= arena_json_add(o, "revoked", arena_json_bool(a, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "revoked"))));
	bad |= arena_json_add(o, "source", arena_json_string_ref(a, "token"));
	bad |= arena_json_add(o, "signature", arena_json_string_ref(a, sig[st == JWS_OK ? 0 : st == JWS_UNKNOWN_KID ? 2 : 1]));
	return bad ? NULL : o;
}

/* What a check read came from a damaged cache (see cache_read_damaged): a
 * record left out could be the intercept, the suspension or the risk area
 * that decides, so whatever the policy said, an officer must look.  Added by
 * the lane, not the policy, so that no policy can leave it out. */
static int damaged(struct lane_result *r)
{
	return verdict_add(&r->verdict, "DATA_DAMAGED", LEVEL_CHECK, "本地数据损坏，检查不完整：请人工核查；下次同步重建",
			   "local data damaged, check incomplete: look by hand; the next sync rebuilds it", "lane");
}

/* A copy of obj whose members are borrowed, with member name set to v.
 * NULL if out of memory. */
static cJSON *with_member(struct arena *a, const cJSON *obj, const char *name, cJSON *v)
{
	cJSON *o = arena_json_object(a);
	const cJSON *m;

	if (o == NULL || v == NULL)
		return NULL;
	cJSON_ArrayForEach(m, obj)
		if (strcmp(m->string, name) != 0 && arena_json_add(o, m->string, arena_json_ref(a, m)) != 0)
			return NULL;
	return arena_json_add(o, name, v) == 0 ? o : NULL;
}

/* What a check shows of a record this lane made: {seq, at}. */
static cJSON *here(struct arena *a, const cJSON *rec)
{
	cJSON *o = arena_json_object(a);

	if (arena_json_add(o, "seq", arena_json_number(a, cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "seq")))) != 0 ||
	    arena_json_add(o, "at", arena_json_string(a, facts_str(rec, "at"))) != 0)
		return NULL;
	return o;
}

/* A trip made from an on-the-spot registration (DESIGN.md §1: it makes the
 * trip registered), in a.  NULL if out of memory. */
static cJSON *registered_trip(struct arena *a, const cJSON *reg)
{
	cJSON *t = arena_json_object(a), *o = arena_json_object(a), *d = arena_json_object(a), *crew = arena_json_array(a);
	char id[64];
	const cJSON *m;
	int bad = 0;

	if (t == NULL || o == NULL || d == NULL || crew == NULL)
		return NULL;
	snprintf(id, sizeof id, "registration:%s", facts_str(reg, "uuid") ? facts_str(reg, "uuid") : "");
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(reg, "crew"))
		if (cJSON_IsString(m))
			bad |= arena_json_add(crew, NULL, arena_json_string(a, m->valuestring));
	bad |= arena_json_add(o, "region", arena_json_string(a, facts_str(reg, "origin_region")));
	bad |= arena_json_add(o, "place", arena_json_string_ref(a, ""));
	bad |= arena_json_add(d, "region", arena_json_string(a, facts_str(reg, "dest_region")));
	bad |= arena_json_add(d, "reception_point", arena_json_string(a, facts_str(reg, "reception_point")));
	bad |= arena_json_add(t, "id", arena_json_string(a, id));
	bad |= arena_json_add(t, "plate", arena_json_string(a, facts_str(reg, "plate")));
	bad |= arena_json_add(t, "crew", crew);
	bad |= arena_json_add(t, "origin", o);
	bad |= arena_json_add(t, "destination", d);
	bad |= arena_json_add(t, "via", arena_json_array(a));
	bad |= arena_json_add(t, "route", arena_json_array(a));
	bad |= arena_json_add(t, "depart_at", arena_json_string(a, facts_str(reg, "at")));
	bad |= arena_json_add(t, "status", arena_json_string_ref(a, "en_route"));
	bad |= arena_json_add(t, "registered", arena_json_bool(a, 1));
	bad |= arena_json_add(t, "registered_here", here(a, reg));
	return bad ? NULL : t;
}

/* An on-the-spot registration of plate logged here in the last day makes
 * its trip registered until the centre's own record says so: the current
 * trip's, or, with none, a trip made from the registration — unless the
 * vehicle has made a later trip since.  *trips becomes a new array when
 * that changes anything.  0, or -1 with err (out of memory, the journal). */
static int local_registration(struct journal *j, struct arena *a, const char *plate, int64_t now,
			      const cJSON **trips, gl_msg *err)
{
	cJSON *reg = journal_find(j, "registration", now - LOCAL_REGISTRATION_S, "plate", plate, err), *out, *t;
	const cJSON *cur, *latest, *e;
	int rc = -1;

	if (reg == NULL)
		return err->en[0] != '\0' ? -1 : 0;
	cur = facts_current_trip(*trips, &latest);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cur, "registered")) ||
	    (cur == NULL && latest != NULL && facts_time(latest, "depart_at") > facts_time(reg, "at"))) {
		rc = 0;
		goto out;
	}
	t = cur != NULL ? with_member(a, cur, "registered", arena_json_bool(a, 1)) : registered_trip(a, reg);
	if (t == NULL || (cur != NULL && arena_json_add(t, "registered_here", here(a, reg)) != 0))
		goto oom;
	out = arena_json_array(a);
	if (out == NULL)
		goto oom;
	cJSON_ArrayForEach(e, *trips)
		if (e != cur && arena_json_add(out, NULL, arena_json_ref(a, e)) != 0)
			goto oom;
	if (arena_json_add(out, NULL, t) != 0)
		goto oom;
	*trips = out;
	rc = 0;
	goto out;
oom:
	glmsg_set(err, "内存不足", "out of memory");
out:
	cJSON_Delete(reg);
	return rc;
}

/* A landing test of this person logged here counts as the landing test
 * until the centre's later one arrives: *driver becomes a copy with that
 * landing_test_at.  0, or -1 with err. */
static int local_landing_test(struct journal *j, struct arena *a, const char *id_no, int64_t now,
			      cJSON **driver, gl_msg *err)
{
	cJSON *lt, *d;
	int64_t at, known;

	if (*driver == NULL)
		return 0;
	lt = journal_find(j, "landing_test", now - LOCAL_LANDING_S, "crew", id_no, err);
	if (lt == NULL)
		return err->en[0] != '\0' ? -1 : 0;
	at = facts_time(lt, "at");
	known = facts_time(*driver, "landing_test_at");
	if (at != FACTS_NO_TIME && (known == FACTS_NO_TIME || at > known)) {
		d = with_member(a, *driver, "landing_test_at", arena_json_string(a, facts_str(lt, "at")));
		if (d == NULL || arena_json_add(d, "landing_test_here", here(a, lt)) != 0) {
			cJSON_Delete(lt);
			glmsg_set(err, "内存不足", "out of memory");
			return -1;
		}
		*driver = d;
	}
	cJSON_Delete(lt);
	return 0;
}

/* How a rejected query is quoted in its message (which the lane also logs):
 * a short excerpt, since a scanner can send kilobytes and the reason must
 * still show, and never a whole number that looks like a mistyped ID. */
static enum lane_status oom(gl_msg *err)
{
	glmsg_set(err, "内存不足", "out of memory");
	return LANE_ERROR;
}

static void quote_input(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);

	if (n >= 15 && n < IDNO_MAX && strspn(in, "0123456789xX") == n) {
		char m[IDNO_MAX];
		idno_mask(in, m);
		snprintf(out, cap, "%s", m);
		return;
	}
	utf8_excerpt(in, 24, out, cap);
}

/* ---- the check: parse, gather, build the facts, evaluate, shape ---- */

/* 1. The queries: each parsed, the one that names the check found, and what
 * they name (one plate at most).  LANE_OK or LANE_BAD_QUERY. */
static enum lane_status parse_queries(const struct lane_ctx *ctx, const char *const *inputs, size_t n,
				      struct lane_result *r, struct gather *g, gl_msg *err)
{
	static const enum query_kind order[] = { QUERY_PLATE, QUERY_TOKEN, QUERY_PASSNO, QUERY_IDNO };
	gl_msg e2;

	if (n == 0 || n > LANE_MAX_QUERIES) {
		glmsg_set(err, "请给出 1 至 %d 项查询", "give 1 to %d queries", LANE_MAX_QUERIES);
		return LANE_BAD_QUERY;
	}
	for (size_t i = 0; i < n; i++) {
		if (query_parse(inputs[i], ctx->local_province, ctx->now, &r->q[i], &e2) != 0) {
			char shown[96];
			quote_input(inputs[i], shown, sizeof shown);
			glmsg_prefix(err, &e2, "“%s”", "\"%s\"", shown);
			return LANE_BAD_QUERY;
		}
		r->nq++;
	}
	/* The query that names the check: plate, then token, then pass number, then ID. */
	for (int k = 0; k < 4 && r->primary == 0; k++) {
		for (size_t i = 0; i < n; i++) {
			if (r->q[i].kind == order[k]) {
				r->primary = i + 1;
				break;
			}
		}
	}
	r->primary--;
	for (size_t i = 0; i < n; i++) {
		const struct query *q = &r->q[i];
		if (q->kind == QUERY_PLATE) {
			if (g->plate_q != NULL && strcmp(g->plate_q, q->value) != 0) {
				glmsg_set(err, "给出了两个不同的车牌：%s 和 %s", "two different plates given: %s and %s",
					  g->plate_q, q->value);
				return LANE_BAD_QUERY;
			}
			g->plate_q = q->value;
		} else if (q->kind == QUERY_TOKEN && g->token_q == NULL) {
			g->token_q = q;
		} else if (q->kind == QUERY_PASSNO && g->passno_q == NULL) {
			g->passno_q = q->value;
		}
	}
	return LANE_OK;
}

/* 2. The records, in the caller's read transaction: the pass code verified,
 * the vehicle (from the plate, the pass or a crew member's trip), the crew
 * (queried, else the current trip's), what this lane recorded itself, the
 * intercepts and the enterprise. */
static enum lane_status gather(struct cache *c, const struct lane_ctx *ctx, struct lane_result *r,
			       struct gather *g, gl_msg *err)
{
	const cJSON *e;
	gl_msg e2;

	g->queried_plate = g->plate_q;
	if (g->token_q != NULL) {
		size_t nkeys;
		const struct jws_key *keys = cache_keys(c, &nkeys);
		char *payload = NULL;
		g->token_status = jws_verify(g->token_q->token, keys, nkeys, "pass", &payload, NULL, &e2);
		if (payload == NULL || pass_claims_parse(payload, &g->claims, &e2) != 0) {
			free(payload);
			glmsg_prefix(err, &e2, "通行证二维码无法读取", "the pass code cannot be read");
			return LANE_BAD_QUERY;
		}
		free(payload);
		g->have_token = 1;
		g->passno_q = g->claims.pass_no;
	}
	if (g->plate_q != NULL) {
		if (load_plate(c, g, g->plate_q, err) != 0)
			return LANE_ERROR;
		/* A trailer's plate stands for the combination, keyed by the tractor. */
		g->queried_plate = g->plate;
	}
	if (g->passno_q != NULL && find_pass(c, g, g->passno_q, err) < 0)
		return LANE_ERROR;
	if (!g->have_pb) {
		const char *pp = g->have_token ? g->claims.plate : facts_str(g->pass_rec, "plate");
		if (pp != NULL && load_plate(c, g, pp, err) != 0)
			return LANE_ERROR;
	}
	for (size_t i = 0; i < r->nq; i++)
		if (r->q[i].kind == QUERY_IDNO && add_crew(c, g, r->q[i].value, 1, err) != 0)
			return LANE_ERROR;
	for (size_t i = 0; i < g->ncrew && !g->have_pb; i++)
		if (plate_from_person(c, g, &g->people[i], g->crew[i].id_no, err) != 0)
			return LANE_ERROR;
	if (g->have_pb && g->pass_rec == NULL && g->passno_q == NULL)
		g->pass_rec = facts_latest_pass(g->pb.passes);

	g->trips = g->have_pb ? g->pb.trips : NULL;
	if (g->have_pb)
		snprintf(r->plate, sizeof r->plate, "%s", g->plate);
	if (ctx->journal != NULL && r->plate[0] != '\0' &&
	    local_registration(ctx->journal, g->a, r->plate, ctx->now, &g->trips, err) != 0)
		return LANE_ERROR;
	g->trip = facts_current_trip(g->trips, NULL);
	if (g->ncrew == 0) {
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(g->trip, "crew"))
			if (cJSON_IsString(e) && add_crew(c, g, e->valuestring, 0, err) != 0)
				return LANE_ERROR;
	}
	for (size_t i = 0; ctx->journal != NULL && i < g->ncrew; i++) {
		if (local_landing_test(ctx->journal, g->a, g->crew[i].id_no, ctx->now, &g->people[i].driver, err) != 0)
			return LANE_ERROR;
		g->crew[i].driver = g->people[i].driver;
	}
	if (g->have_pb) {
		cJSON_ArrayForEach(e, g->pb.intercepts)
			if (arena_json_add(g->intercepts, NULL, arena_json_ref(g->a, e)) != 0)
				return oom(err);
	}
	if (g->have_pb && facts_str(g->pb.vehicle, "enterprise_id") != NULL)
		g->enterprise = cache_get_small(c, g->a, CACHE_ENTERPRISE, facts_str(g->pb.vehicle, "enterprise_id"));
	return LANE_OK;
}

/* 3. The facts the policy reads (facts.h), from what was gathered. */
static enum lane_status build_facts(struct cache *c, const struct lane_ctx *ctx, struct lane_result *r,
				    struct gather *g, gl_msg *err)
{
	struct facts_input in;
	int64_t as_of = cache_as_of(c);

	memset(&in, 0, sizeof in);
	in.now = ctx->now;
	in.checkpoint_id = ctx->checkpoint_id;
	in.checkpoint_region = ctx->checkpoint_region;
	if (in.checkpoint_region == NULL && ctx->checkpoint_id != NULL)
		in.checkpoint_region = facts_str(cache_checkpoint(c, ctx->checkpoint_id), "region");
	in.outbound = ctx->outbound;
	in.online = ctx->online;
	r->cache_age_s = as_of == INT64_MIN ? INT64_MAX / 2 : ctx->now - as_of;
	if (r->cache_age_s < 0)
		r->cache_age_s = 0;	/* clocks differ a little (CACHE_AS_OF_SKEW_S) */
	in.cache_age_s = r->cache_age_s;
	in.vehicle_named = g->plate_q != NULL || g->passno_q != NULL || g->have_token;
	in.queried_plate = g->queried_plate;
	in.vehicle = g->have_pb ? g->pb.vehicle : NULL;
	in.enterprise = g->enterprise;
	in.trips = g->trips;
	in.pass = g->pass_rec;
	in.token = g->have_token ? &g->claims : NULL;
	in.token_status = g->token_status;
	in.crew = g->crew;
	in.ncrew = g->ncrew;
	in.intercepts = g->intercepts;
	if (cache_risk_areas(c, &in.areas, &in.nareas) != 0)
		return oom(err);
	r->facts = facts_build(&in, g->a);
	return r->facts != NULL ? LANE_OK : oom(err);
}

/* 4. The verdict: the policy on the facts; a read that met damage caps it. */
static enum lane_status evaluate(struct cache *c, const struct policy *p, struct lane_result *r, gl_msg *err)
{
	r->policy = policy_hold(p);
	if (policy_evaluate(p, r->facts, &r->verdict) != 0)
		return oom(err);
	if (cache_read_damaged(c) && damaged(r) != 0)
		return oom(err);
	return LANE_OK;
}

/* 5. What is shown: the gathered records themselves (they are the result's
 * arena's: nothing is copied), and each crew member with the ID masked. */
static enum lane_status shape(struct lane_result *r, struct gather *g, gl_msg *err)
{
	r->vehicle = g->have_pb ? g->pb.vehicle : NULL;
	r->enterprise = g->enterprise;
	r->pass = g->have_token ? token_json(g->a, &g->claims, g->token_status, g->pass_rec) : (cJSON *)g->pass_rec;
	r->trip = (cJSON *)g->trip;
	r->crew = arena_json_array(g->a);
	if ((g->have_token && r->pass == NULL) || r->crew == NULL)
		return oom(err);
	for (size_t i = 0; i < g->ncrew; i++) {
		cJSON *m = g->people[i].driver != NULL ? g->people[i].driver : arena_json_object(g->a);
		char masked[IDNO_MAX];
		int bad = 0;
		if (cJSON_GetObjectItemCaseSensitive(m, "id_no") == NULL)
			bad |= arena_json_add(m, "id_no", arena_json_string(g->a, g->crew[i].id_no));
		idno_mask(g->crew[i].id_no, masked);
		bad |= arena_json_add(m, "id_masked", arena_json_string(g->a, masked));
		bad |= arena_json_add(m, "known", arena_json_bool(g->a, g->crew[i].driver != NULL));
		if (bad || arena_json_add(r->crew, NULL, m) != 0)
			return oom(err);
	}
	return LANE_OK;
}

enum lane_status lane_check(struct cache *c, const struct policy *p, const struct lane_ctx *ctx,
			    const char *const *inputs, size_t n, struct lane_result *r, gl_msg *err)
{
	struct gather g;
	enum lane_status rc;

	memset(r, 0, sizeof *r);
	memset(&g, 0, sizeof g);
	r->arena = g.a = arena_new();
	if (r->arena == NULL)
		return oom(err);
	rc = parse_queries(ctx, inputs, n, r, &g, err);
	if (rc != LANE_OK)
		return rc;
	g.intercepts = arena_json_array(g.a);
	if (g.intercepts == NULL)
		return oom(err);
	/* One snapshot for the whole check, even while a sync writes. */
	if (cache_read_begin(c) != 0) {
		glmsg_set(err, "无法读取本地数据", "cannot read the local data");
		return LANE_ERROR;
	}
	rc = gather(c, ctx, r, &g, err);
	if (rc == LANE_OK)
		rc = build_facts(c, ctx, r, &g, err);
	if (rc == LANE_OK)
		rc = evaluate(c, p, r, err);
	if (rc == LANE_OK)
		rc = shape(r, &g, err);
	if (rc == LANE_ERROR && cache_read_damaged(c)) {
		/* A read failed on damage: what was gathered is not shown. */
		verdict_free(&r->verdict);
		r->vehicle = r->enterprise = r->pass = r->trip = r->facts = NULL;
		if (r->policy == NULL)
			r->policy = policy_hold(p);
		r->crew = arena_json_array(g.a);
		if (r->crew != NULL && damaged(r) == 0)
			rc = LANE_OK;
	}
	cache_read_end(c);
	return rc;
}

void lane_result_free(struct lane_result *r)
{
	verdict_free(&r->verdict);
	policy_free(r->policy);
	arena_free(r->arena);
	memset(r, 0, sizeof *r);
}

static void add_or_null(cJSON *o, const char *name, const cJSON *v)
{
	if (v != NULL)
		cJSON_AddItemToObject(o, name, cJSON_Duplicate(v, 1));
	else
		cJSON_AddNullToObject(o, name);
}

cJSON *lane_result_json(const struct lane_result *r)
{
	cJSON *o = cJSON_CreateObject(), *arr, *x;
	const struct query *q = &r->q[r->primary];

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "query", q->kind == QUERY_TOKEN ? q->token : q->value);
	cJSON_AddStringToObject(o, "kind", query_kind_name(q->kind));
	arr = cJSON_AddArrayToObject(o, "queries");
	for (size_t i = 0; i < r->nq; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "kind", query_kind_name(r->q[i].kind));
		cJSON_AddStringToObject(x, "value", r->q[i].kind == QUERY_TOKEN ? r->q[i].token : r->q[i].value);
		cJSON_AddItemToArray(arr, x);
	}
	cJSON_AddStringToObject(o, "verdict", level_name(r->verdict.level));
	arr = cJSON_AddArrayToObject(o, "reasons");
	for (size_t i = 0; i < r->verdict.n; i++) {
		const struct reason *re = &r->verdict.reasons[i];
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", re->code);
		cJSON_AddStringToObject(x, "level", level_name(re->level));
		cJSON_AddStringToObject(x, "zh", re->zh);
		cJSON_AddStringToObject(x, "en", re->en);
		if (re->subject[0] != '\0')
			cJSON_AddStringToObject(x, "subject", re->subject);
		cJSON_AddItemToArray(arr, x);
	}
	add_or_null(o, "vehicle", r->vehicle);
	add_or_null(o, "enterprise", r->enterprise);
	add_or_null(o, "pass", r->pass);
	add_or_null(o, "trip", r->trip);
	add_or_null(o, "crew", r->crew);
	x = cJSON_AddObjectToObject(o, "policy");
	cJSON_AddStringToObject(x, "id", policy_id(r->policy));
	cJSON_AddStringToObject(x, "version", policy_version(r->policy));
	x = cJSON_AddObjectToObject(o, "cache");
	cJSON_AddNumberToObject(x, "age_s", (double)r->cache_age_s);
	return o;
}

struct policy *lane_policy(struct cache *c, const char **source, gl_msg *err)
{
	char *text = c != NULL ? cache_policy(c) : NULL;
	struct policy *p = NULL;
	const struct asset *a;

	if (text != NULL) {
		p = policy_load(text, strlen(text), NULL);
		free(text);
		if (p != NULL) {
			*source = "cache";
			return p;
		}
	}
	a = assets_get("assets/policy/default.json");
	if (a == NULL) {
		glmsg_set(err, "缺少默认策略", "the default policy is missing");
		return NULL;
	}
	*source = "default";
	return policy_load(a->data, a->size, err);
}

int lane_log(struct journal *j, const struct lane_result *r, const struct lane_decision *d,
	     struct journal_entry *out, gl_msg *err)
{
	cJSON *f, *a, *x;
	int override = decision_overrides(r->verdict.level, d->decision), rc;
	char tube[TUBE_MAX] = "", when[40];

	if (d->decision == DECIDE_SAMPLE && (d->tube == NULL || d->tube[0] == '\0')) {
		glmsg_set(err, "采样放行需要采样管号", "sample and release needs the tube number");
		return -1;
	}
	if (d->tube != NULL && d->tube[0] != '\0' && tube_parse(d->tube, d->tube_pattern, d->at, tube, err) != 0)
		return -3;
	if (override && (d->reason == NULL || d->reason[0] == '\0')) {
		glmsg_set(err, "决定与结论不同（改判），需说明理由",
			  "the decision differs from the verdict (an override): a reason is needed");
		return -1;
	}
	f = cJSON_CreateObject();
	if (f == NULL) {
		glmsg_set(err, "内存不足", "out of memory");
		return -2;
	}
	cJSON_AddStringToObject(f, "checkpoint", d->checkpoint_id ? d->checkpoint_id : "");
	cJSON_AddStringToObject(f, "direction", d->outbound ? "out" : "in");
	cJSON_AddStringToObject(f, "officer", d->officer ? d->officer : "");
	gltime_format(d->first_scan_at != 0 ? d->first_scan_at : d->at, GLTIME_CST, when, sizeof when);
	cJSON_AddStringToObject(f, "first_scan_at", when);
	a = cJSON_AddArrayToObject(f, "query");
	for (size_t i = 0; i < r->nq; i++) {
		/* A token is kept as its pass number: the token itself is the driver's. */
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "kind", query_kind_name(r->q[i].kind));
		cJSON_AddStringToObject(x, "value", r->q[i].kind == QUERY_TOKEN ?
					(facts_str(r->pass, "pass_no") ? facts_str(r->pass, "pass_no") : "") : r->q[i].value);
		cJSON_AddItemToArray(a, x);
	}
	if (r->plate[0] != '\0')
		cJSON_AddStringToObject(f, "plate", r->plate);
	a = cJSON_AddArrayToObject(f, "crew");
	cJSON_ArrayForEach(x, r->crew)
		if (facts_str(x, "id_no") != NULL)
			cJSON_AddItemToArray(a, cJSON_CreateString(facts_str(x, "id_no")));
	cJSON_AddStringToObject(f, "verdict", level_name(r->verdict.level));
	a = cJSON_AddArrayToObject(f, "reasons");
	for (size_t i = 0; i < r->verdict.n; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", r->verdict.reasons[i].code);
		cJSON_AddStringToObject(x, "level", level_name(r->verdict.reasons[i].level));
		if (r->verdict.reasons[i].subject[0] != '\0')
			cJSON_AddStringToObject(x, "subject", r->verdict.reasons[i].subject);
		cJSON_AddItemToArray(a, x);
	}
	cJSON_AddStringToObject(f, "decision", decision_name(d->decision));
	cJSON_AddBoolToObject(f, "override", override);
	if (d->reason != NULL && d->reason[0] != '\0')
		cJSON_AddStringToObject(f, "override_reason", d->reason);
	if (tube[0] != '\0')
		cJSON_AddStringToObject(f, "tube", tube);
	x = cJSON_AddObjectToObject(f, "policy");
	cJSON_AddStringToObject(x, "id", policy_id(r->policy));
	cJSON_AddStringToObject(x, "version", policy_version(r->policy));
	cJSON_AddNumberToObject(f, "cache_age_s", (double)r->cache_age_s);
	rc = journal_append(j, "transit", d->at, f, out, err);
	cJSON_Delete(f);
	return rc == 0 ? 0 : rc == JOURNAL_TUBE_USED ? -3 : -2;
}
