/* tube.h — sample tube numbers (采样管号).  The test result follows the tube,
 * so a tube must be one: this refuses what is plainly not a tube label — a
 * stray character, a whole pass code, a plate or an ID card scanned into the
 * tube prompt by mistake.  Pure. */
#ifndef GL_TUBE_H
#define GL_TUBE_H
#include <stdint.h>
#include "glmsg.h"

#define TUBE_MAX 33		/* 32 characters and a NUL */

/* The default shape of a tube label: 4 to 24 letters, digits and hyphens,
 * beginning with a letter or digit. */
#define TUBE_DEFAULT_PATTERN "^[A-Za-z0-9][A-Za-z0-9-]{3,23}$"

/* Reads a tube number: surrounding spaces go, ASCII letters are upper-cased.
 * It must match pattern (a POSIX extended regular expression; NULL or "" for
 * TUBE_DEFAULT_PATTERN) and, whatever the pattern, not be shaped like a
 * plate, an ID number, a pass number or a pass code (now: the caller's clock,
 * for ID birth dates).  0 with the canonical text in out, or -1 with err. */
int tube_parse(const char *in, const char *pattern, int64_t now, char out[TUBE_MAX], gl_msg *err);

/* 0 if pattern is a usable expression, else -1 with err. */
int tube_pattern_check(const char *pattern, gl_msg *err);

#endif
