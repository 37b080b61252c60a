/* record.h — the wire format's records (kinds, keys and data): what a lane
 * takes into its cache, and so all the centre may publish.  The lane's import
 * and the centre's every write use these same rules, so the centre can never
 * publish a record that stops the lanes' feeds.  Pure. */
#ifndef GL_RECORD_H
#define GL_RECORD_H
#include <stddef.h>
#include "glmsg.h"
#include "idno.h"
#include "plate.h"

/* The cache stores the first five by these numbers: never renumber. */
enum record_kind {
	REC_NONE, REC_VEHICLE, REC_PASS, REC_TRIP, REC_INTERCEPT, REC_DRIVER,
	REC_ENTERPRISE, REC_RISK_AREA, REC_KEY, REC_POLICY, REC_CHECKPOINT,
};

#define RECORD_KEY_MAX 128	/* bytes of a key, with NUL */
#define RECORD_CREW_MAX 16	/* crew on one trip */
/* A record's data, so that its whole line fits a lane's line limit
 * (CACHE_LINE_MAX) with the envelope around it. */
#define RECORD_DATA_MAX (1024 * 1024 - 4096)

/* The kind named name (REC_NONE if none); the name of a kind. */
enum record_kind record_kind(const char *name);
const char *record_kind_name(enum record_kind kind);

/* A record's key in canonical form (a plate, an ID number, a pass number
 * folded; others as they are).  0, or -1 with err. */
int record_key(enum record_kind kind, const char *key, char out[RECORD_KEY_MAX], gl_msg *err);

/* What a record points at, read from its data. */
struct record_refs {
	char home[RECORD_KEY_MAX];	/* the plate or ID number it is filed under */
	char trailer[PLATE_MAX];	/* a vehicle's trailer, or "" */
	char crew[RECORD_CREW_MAX][IDNO_MAX];	/* a trip's crew */
	int ncrew;
};

/* Checks the data (len bytes of JSON) of a put of kind under its canonical
 * key: one I-JSON object; plates, ID numbers, region codes, times and
 * booleans where the format has them; every enumerated field within its
 * list; a key record's key material.  (A policy's signature needs the keys:
 * the cache checks it at the end of an import.)  Returns 0 if the data is
 * acceptable as it is, 1 if it is once its plates and ID numbers are written
 * canonically (record_canonical), or -1 with err saying which field. */
int record_check(enum record_kind kind, const char *key, const char *data, size_t len, struct record_refs *r,
		 gl_msg *err);

/* The data rewritten with the canonical plates and ID numbers found by
 * record_check, into out (cap bytes).  0, or -1 with err. */
int record_canonical(enum record_kind kind, const char *key, const char *data, size_t len,
		     const struct record_refs *r, char *out, size_t cap, gl_msg *err);

#endif
