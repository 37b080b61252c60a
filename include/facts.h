/* facts.h — the facts a policy is evaluated on, built from cache records the
 * store has gathered for one query.  Pure: the caller gathers, this file only
 * reads records and derives (current trip, risk coverage, pass signature and
 * plate match, who is on the trip, active intercepts).
 *
 * Facts (times are seconds since the epoch, absent ones null):
 *   now, checkpoint{id, region, direction: "in"|"out"}, cache{age_s, online},
 *   vehicle_named (bool), vehicle{plate, enterprise_id, relation, type,
 *   trailer_plate} | null, enterprise{id, name, sector, region, whitelisted,
 *   status} | null, pass{pass_no, plate, enterprise_id, origin_region,
 *   dest_region, valid_from, valid_to, revoked, source: "token"|"cache",
 *   signature: "ok"|"bad"|"unknown_key"|"none", plate_match, known} | null,
 *   trip{id, plate, crew[], origin{region, place}, destination{region,
 *   enterprise_id, reception_point}, via[], route[], depart_at, eta, status,
 *   registered, on_route} | null, last_trip_status (string|null),
 *   crew[]{id_no, known, name, transport_whitelist, health_code, itinerary,
 *   nat_at, nat_result, status, landing_test_at, on_trip, queried,
 *   intercepted},
 *   intercept{vehicle}, risk{origin (bool), transit[regions]}. */
#ifndef GL_FACTS_H
#define GL_FACTS_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include "arena.h"
#include "jws.h"
#include "query.h"

#define FACTS_NO_TIME INT64_MIN

struct facts_crew {
	const char *id_no;
	const cJSON *driver;		/* NULL: not in the cache */
	int queried;			/* given in the query (else the trip's crew) */
};

/* A risk area as checks need it, read once (facts_areas) for all of them:
 * a check tests every area against the trip's origin and every via region,
 * and there can be hundreds. */
struct facts_area {
	char region[8];			/* a valid region code (idno.h) */
	size_t prefix;			/* region_prefix(region) */
	int64_t since, until;		/* FACTS_NO_TIME: open-ended */
};

/* The risk area records of arr (an array) as facts_area, malloc'd into *out
 * (caller frees; NULL when there are none); records without a valid region
 * are left out, as they cover nothing.  Returns how many, or -1 if out of
 * memory. */
long facts_areas(const cJSON *arr, struct facts_area **out);

struct facts_input {
	int64_t now;
	const char *checkpoint_id, *checkpoint_region;
	int outbound;
	int64_t cache_age_s;
	int online;
	int vehicle_named;		/* a plate, pass number or token was given */
	const char *queried_plate;	/* a plate the officer gave, or NULL */
	const cJSON *vehicle, *enterprise;
	const cJSON *trips;		/* array: the vehicle's trips */
	const cJSON *pass;		/* the cache's pass record, or NULL */
	const struct pass_claims *token;/* a scanned token's claims, or NULL */
	enum jws_status token_status;
	const struct facts_crew *crew;
	size_t ncrew;
	const cJSON *intercepts;	/* array: intercepts on the plate or crew */
	const struct facts_area *areas;	/* all risk areas (facts_areas) */
	size_t nareas;
};

/* Builds the facts object in a (arena.h: never cJSON_Delete it).  Returns
 * NULL if out of memory.  The facts refer to the records' strings, objects
 * and arrays (not to the input's other strings): the records must outlive
 * them. */
cJSON *facts_build(const struct facts_input *in, struct arena *a);

/* The current trip (planned or en_route, latest depart_at) of an array of
 * trips, or NULL; *latest (may be NULL) gets the latest trip of any status.
 * Borrowed from trips. */
const cJSON *facts_current_trip(const cJSON *trips, const cJSON **latest);

/* The latest pass by valid_to of an array of passes, or NULL.  Borrowed. */
const cJSON *facts_latest_pass(const cJSON *passes);

/* A record's RFC 3339 time field as seconds, or FACTS_NO_TIME. */
int64_t facts_time(const cJSON *obj, const char *field);

/* A record's string field, or NULL.  Borrowed. */
const char *facts_str(const cJSON *obj, const char *field);

#endif
