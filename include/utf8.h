/* utf8.h — strict UTF-8 decoding and encoding (no I/O, no allocation). */
#ifndef GL_UTF8_H
#define GL_UTF8_H
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s (at most n bytes).  Returns the number of
 * bytes consumed (1..4) and sets *cp, or 0 on an invalid, overlong,
 * surrogate or truncated sequence (then *cp is U+FFFD and one byte should be
 * skipped). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encodes cp into out (room for 4 bytes).  Returns the byte count, 0 if cp
 * is not a scalar value. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* True if all n bytes of s are valid UTF-8. */
int utf8_valid(const char *s, size_t n);

/* A short, printable excerpt of untrusted text for a message: at most max_cp
 * code points of s, each invalid byte or control character shown as U+FFFD,
 * and "…" when s was longer.  out always ends in NUL (cap > 0); a code point
 * that does not fit is left out whole.  Returns the bytes written. */
size_t utf8_excerpt(const char *s, size_t max_cp, char *out, size_t cap);

#endif
