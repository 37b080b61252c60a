/* demo.h — a deterministic, realistic Pingdingshan data set in the wire
 * format (DESIGN.md §3), for training, the README's first command, tests and
 * benchmarks.  The same size and time always give the same records; every
 * verdict level and every reason code of the default policy occurs in it.
 * Pure: lines go to a callback. */
#ifndef GL_DEMO_H
#define GL_DEMO_H
#include <stddef.h>
#include <stdint.h>

#define DEMO_DEFAULT_SIZE 2000
#define DEMO_CHECKPOINT "PDS-01"
#define DEMO_KID "pds-demo-2022"
#define DEMO_POLICY_KID "pds-demo-policy-2022"

/* Called with each NDJSON line (no newline; line is the generator's buffer,
 * which the callback may modify).  Return non-zero to stop. */
typedef int (*demo_emit)(char *line, size_t len, void *arg);

/* Generates `vehicles` vehicles (at least 40) with as many drivers and their
 * enterprises, passes, trips, risk areas, intercepts, keys and a signed
 * policy, as published at time now.  The last line is the trailer
 * {"cursor", "as_of", "checkpoint"}.  Returns 0, or the callback's non-zero
 * value, or -1 if out of memory. */
int demo_generate(long vehicles, int64_t now, demo_emit emit, void *arg);

/* A token for a made-up pass signed by a key that is not the demo's but
 * claims its kid: what a forger would produce.  Caller frees. */
char *demo_forged_token(int64_t now);

#endif
