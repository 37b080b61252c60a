/* decision.h — what the officer decides after a verdict, and when that
 * decision overrides the verdict (and so needs a reason).  Pure. */
#ifndef GL_DECISION_H
#define GL_DECISION_H
#include "policy.h"

enum decision {
	DECIDE_RELEASE,		/* 放行 */
	DECIDE_SAMPLE,		/* 采样放行: sample at the lane, release, follow the result */
	DECIDE_HOLD,		/* 拦截劝返 */
	DECIDE_DIVERT,		/* 转运至中转站 */
};

const char *decision_name(enum decision d);	/* "release", … */
const char *decision_zh(enum decision d);	/* 放行, … */
int decision_parse(const char *s, enum decision *d);

/* The decision a verdict leads to when the officer accepts it: 0 and *d, or
 * -1 for check (an officer must look, then decide). */
int decision_default(enum level verdict, enum decision *d);

/* 1 if deciding d on this verdict overrides it.  After a check any decision
 * is the officer's own, not an override. */
int decision_overrides(enum level verdict, enum decision d);

#endif
