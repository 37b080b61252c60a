/* csv.h — one CSV field (RFC 4180) for the ledger files officers open in a
 * spreadsheet: a field with a comma, quote or line break is quoted.  Pure. */
#ifndef GL_CSV_H
#define GL_CSV_H
#include <stddef.h>

/* Writes s (NULL: empty) as one field into out (cap > 0), always ending in
 * NUL; a field that does not fit is cut at a character boundary and still
 * closed.  Returns the bytes written. */
size_t csv_field(const char *s, char *out, size_t cap);

#endif
