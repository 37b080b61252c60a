/* lane.h — one check at the lane: parse what was typed or scanned, gather the
 * facts from the cache, evaluate the policy.  This is the path every front
 * end takes (verify, log, the TUI), so they cannot disagree. */
#ifndef GL_LANE_H
#define GL_LANE_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include "cache.h"
#include "decision.h"
#include "journal.h"
#include "glmsg.h"
#include "policy.h"
#include "query.h"

#define LANE_MAX_QUERIES 8

struct lane_ctx {
	int64_t now;
	const char *checkpoint_id;
	const char *checkpoint_region;	/* NULL: from the checkpoint record */
	int outbound;
	int online;
	const char *local_province;	/* e.g. "豫": D12345 means 豫D12345 */
	/* This lane's journal, or NULL: what the lane recorded itself counts
	 * here until the centre's record arrives (DESIGN.md §1) — an
	 * on-the-spot registration of the plate in the last day makes its trip
	 * registered (the current one, or one made from the registration; it
	 * then carries "registered_here": {seq, at}), and a landing test logged
	 * here is the person's landing test ("landing_test_here"). */
	struct journal *journal;
};

struct lane_result {
	struct query q[LANE_MAX_QUERIES];
	size_t nq;
	size_t primary;			/* index of the query that names the check */
	char plate[PLATE_MAX];		/* the vehicle's plate (a trailer's tractor), else
					 * the plate given or the pass names; "" if none */
	struct verdict verdict;
	int64_t cache_age_s;
	/* The trees below are the arena's (arena.h): read or cJSON_Duplicate
	 * them, never cJSON_Delete or add to them. */
	struct arena *arena;
	cJSON *facts;			/* what the policy saw */
	cJSON *vehicle, *enterprise, *pass, *trip;	/* as shown; may be NULL */
	cJSON *crew;			/* array of people as shown */
	struct policy *policy;		/* held: the reasons' texts are its */
};

enum lane_status { LANE_OK = 0, LANE_BAD_QUERY = -1, LANE_ERROR = -2 };

/* Checks the queries.  On LANE_BAD_QUERY err names the input and what is
 * wrong with it; on LANE_ERROR the cache failed.  A check that read from a
 * damaged cache (cache_read_damaged) is never better than check: it gets
 * the reason DATA_DAMAGED, and if a read failed on the damage, that reason
 * alone and nothing shown.  Free r with lane_result_free in every case. */
enum lane_status lane_check(struct cache *c, const struct policy *p, const struct lane_ctx *ctx,
			    const char *const *inputs, size_t n, struct lane_result *r, gl_msg *err);
void lane_result_free(struct lane_result *r);

/* The verify --json object (DESIGN.md §5).  Caller frees. */
cJSON *lane_result_json(const struct lane_result *r);

struct lane_decision {
	enum decision decision;
	int64_t at;
	const char *officer;		/* may be "" */
	const char *reason;		/* needed for an override */
	const char *tube;		/* needed for a sample */
	const char *tube_pattern;	/* the lane's tube shape (tube.h); NULL: the default */
	const char *checkpoint_id;	/* "" if none */
	int outbound;
	int64_t first_scan_at;		/* when the truck's first scan came; 0: at */
};

/* Journals a transit: the check r (with its policy) and the officer's
 * decision, the record's "verdict" and "reasons" being r's — what the
 * officer was shown.  Refuses, with err and nothing written: -1 a sample
 * without a tube or an override without a reason; -3 a tube that is no tube
 * (tube_parse) or that this lane used already.  -2 with err if the journal
 * failed (nothing written).  0 once the record is durably committed; *out
 * tells which. */
int lane_log(struct journal *j, const struct lane_result *r, const struct lane_decision *d,
	     struct journal_entry *out, gl_msg *err);

/* Loads the policy to use: the newest verified one in the cache, else the
 * default shipped in assets/.  *source gets "cache" or "default". */
struct policy *lane_policy(struct cache *c, const char **source, gl_msg *err);

#endif
