/* idno.h — resident identity card numbers (GB 11643-1999) and administrative
 * region codes (GB/T 2260).  Pure. */
#ifndef GL_IDNO_H
#define GL_IDNO_H
#include <stddef.h>
#include <stdint.h>
#include "glmsg.h"

#define IDNO_MAX 19

/* Parses an 18-character number (ISO 7064 MOD 11-2 check character; lower
 * case x accepted) or a 15-digit one (upgraded to 18).  Spaces and hyphens
 * and full-width digits are folded.  The birth date must be a real date not
 * after `today` (seconds since the epoch; the caller's clock) and not before
 * 1900; the first two digits a valid province, or the first six 830000 (the
 * residence permit of a Taiwan resident; Hong Kong's and Macao's, 810000 and
 * 820000, have province codes).  Returns 0 with the canonical
 * 18 characters in out, or -1 with the reason in err. */
int idno_parse(const char *in, int64_t today, char out[IDNO_MAX], gl_msg *err);

/* Folds in to digits and X: spaces (also U+3000), tabs and hyphens are
 * dropped, full-width digits and x mapped.  Writes at most cap-1 characters
 * and a NUL; returns how many there were (possibly more than fit), -1 if any
 * other character occurs, -2 if in is not valid UTF-8. */
int idno_fold(const char *in, char *out, size_t cap);

/* The check character for the first 17 digits. */
char idno_check_char(const char *first17);

/* "410402********1234": first 6 and last 4 shown.  out needs IDNO_MAX bytes. */
void idno_mask(const char *id, char out[IDNO_MAX]);

/* 1 if the two leading digits name a province-level region (11 … 82). */
int region_province_valid(const char *code);

/* 1 if the 6-digit region `area` covers `code`: 410000 covers 4104xx,
 * 410400 covers 410402, any code covers itself. */
int region_covers(const char *area, const char *code);

/* How many leading digits of a code the region `area` fixes (2 for 410000,
 * 4 for 410400, 6 otherwise), or 0 if area is not a valid region code. */
size_t region_prefix(const char *area);

/* 1 if s is six digits with a valid province prefix. */
int region_code_valid(const char *s);

#endif
