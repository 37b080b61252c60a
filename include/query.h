/* query.h — what an officer typed or scanned: a plate, an ID number, a pass
 * number or a pass token, told apart by shape; and pass numbers and the
 * claims a pass token carries.  Pure. */
#ifndef GL_QUERY_H
#define GL_QUERY_H
#include <stdint.h>
#include "glmsg.h"
#include "idno.h"
#include "plate.h"

#define PASSNO_LEN 12

enum query_kind { QUERY_PLATE, QUERY_IDNO, QUERY_PASSNO, QUERY_TOKEN };

struct query {
	enum query_kind kind;
	char value[PLATE_MAX];	/* canonical plate, ID or pass number; "" for tokens */
	const char *token;	/* QUERY_TOKEN: the JWS within the input (borrowed) */
	struct plate plate;	/* QUERY_PLATE: kind of plate */
};

/* Detects the kind of in and parses it.  A token may be wrapped in a URL
 * (the part after the last '/', '#' or '=' is taken).  now is the caller's
 * clock (for birth dates).  Returns 0, or -1 with the reason in err.
 * q->token borrows from in. */
int query_parse(const char *in, const char *local_province, int64_t now,
		struct query *q, gl_msg *err);

/* "plate", "id_no", "pass_no", "pass_token".  Static. */
const char *query_kind_name(enum query_kind k);

/* Parses a 12-digit pass number (GB/T 2260 region + 6-digit serial). */
int passno_parse(const char *in, char out[PASSNO_LEN + 1], gl_msg *err);

struct pass_claims {
	char pass_no[PASSNO_LEN + 1];
	char plate[PLATE_MAX];
	char origin_region[7];
	char dest_region[7];
	int64_t valid_from, valid_to;
};

/* Reads the claims of a verified (or not) pass token payload.  Every field
 * is required and checked.  Returns 0 or -1 with err. */
int pass_claims_parse(const char *payload, struct pass_claims *c, gl_msg *err);

#endif
