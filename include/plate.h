/* plate.h — Chinese motor-vehicle plates (GA 36-2018): parsing input as an
 * officer types or scans it, folding it to the one canonical form the cache
 * is keyed by.  Pure: no I/O, no globals beyond constant tables. */
#ifndef GL_PLATE_H
#define GL_PLATE_H
#include <stddef.h>
#include <stdint.h>
#include "glmsg.h"

enum plate_kind {
	PLATE_ORDINARY,		/* 豫D12345 */
	PLATE_TRAILER,		/* 豫D1234挂 */
	PLATE_COACH,		/* 豫D1234学 */
	PLATE_POLICE,		/* 豫D1234警 */
	PLATE_HONGKONG,		/* 粤Z1234港 */
	PLATE_MACAU,		/* 粤Z1234澳 */
	PLATE_NEV_SMALL,	/* 豫DD12345: D/F third */
	PLATE_NEV_LARGE,	/* 豫D12345D: D/F last */
	PLATE_EMERGENCY,	/* 豫D1234应急 */
	PLATE_EMBASSY,		/* 使123456 */
	PLATE_CONSULATE,	/* 沪A1234领 */
};

#define PLATE_MAX 32		/* bytes of a canonical plate, with NUL */
#define PLATE_PROVINCES 31

struct plate {
	char canon[PLATE_MAX];	/* e.g. "豫D12345": no separators, upper case */
	enum plate_kind kind;
};

/* Parses and folds a plate.  Separators (· • ・ spaces incl. U+3000, hyphens,
 * dots), full-width letters and digits and lower case are folded.  If the
 * input starts with the authority letter and local_province (UTF-8, one of
 * the 31 characters) is not NULL, that province is assumed.  Returns 0, or -1
 * with the reason in err.  in must not point into out. */
int plate_parse(const char *in, const char *local_province, struct plate *out,
		gl_msg *err);

/* The i-th province character (0..30) as UTF-8, in the order of GA 36's
 * table.  Static string. */
const char *plate_province(int i);

/* 1 if the UTF-8 string starts with a province character or 使. */
int plate_looks_like(const char *s);

#endif
