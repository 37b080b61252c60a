/* gltime.h — RFC 3339 times as seconds since the Unix epoch (UTC).  Pure:
 * no clock, no time zone database; offsets are explicit. */
#ifndef GL_TIME_H
#define GL_TIME_H
#include <stddef.h>
#include <stdint.h>

#define GLTIME_CST (8 * 60)	/* China Standard Time, minutes east of UTC */

/* Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" (T may be t or a space).
 * The offset is required: a time without one is ambiguous.  Returns 0 and
 * sets *out, or -1. */
int gltime_parse(const char *s, int64_t *out);

/* Formats t at the given offset (minutes east of UTC), as
 * "2022-05-01T08:00:00+08:00" (or "...Z" for offset 0).  Returns the length,
 * or 0 if buf (n >= 26 is always enough) is too small. */
size_t gltime_format(int64_t t, int offset_min, char *buf, size_t n);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t gltime_days_from_civil(int y, int m, int d);

/* Splits a day number into a date. */
void gltime_civil_from_days(int64_t z, int *y, int *m, int *d);

/* 1 if y-m-d is a real calendar date. */
int gltime_date_valid(int y, int m, int d);

#endif
