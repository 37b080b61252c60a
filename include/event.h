/* event.h — a journal record as it travels to the centre (an "event"): the
 * rules it must meet.  The lane checks every record before it commits one,
 * and the centre checks every record it is sent, with these same rules, so
 * the centre never holds (nor acts on) a record a lane could not have
 * written: an empty plate, a crew member who is not an ID number, a tube
 * that is not a tube label, a sequence number that is not a whole number.
 * Pure. */
#ifndef GL_EVENT_H
#define GL_EVENT_H
#include <stddef.h>
#include <stdint.h>
#include "glmsg.h"
#include "tube.h"

#define EVENT_TERMINAL_MAX 64	/* bytes of a terminal's name, with NUL */
#define EVENT_SEQ_MAX 9007199254740991LL	/* 2^53 - 1: exact in every JSON reader */

/* What the centre needs of a record to store it. */
struct event_head {
	char uuid[37];
	char terminal[EVENT_TERMINAL_MAX];
	char kind[32];
	char prev_hash[65];
	char tube[TUBE_MAX];	/* "" if the record names none */
	int64_t seq, at;
};

/* A terminal's name: 1 to 63 letters, digits, '.', '_' or '-'. */
int event_terminal_valid(const char *name);

/* Checks a record's body (len bytes): one I-JSON object with uuid (a
 * lower-case UUID), terminal, seq (a whole number 1 … 2^53-1, written as
 * digits), kind, at (RFC 3339) and prev_hash (64 hex digits); where present,
 * plate a canonical plate, crew an array of canonical ID numbers, tube a
 * canonical tube label (up to 32 printable characters, upper case, shaped like
 * no plate, ID or pass); a sample (transit with decision "sample") and a
 * landing test need their tube.  0 with h filled, or -1 with err. */
int event_check(const char *body, size_t len, struct event_head *h, gl_msg *err);

#endif
