/* decision.c — decisions and overrides.  A decision belongs to a level:
 * release to green/pass, sample to sample, hold and divert to hold; deciding
 * a different level than the verdict's is an override. */
#include <string.h>
#include "decision.h"

static const struct {
	const char *name, *zh;
	enum level level;
} decisions[] = {
	{ "release", "放行", LEVEL_PASS },
	{ "sample", "采样放行", LEVEL_SAMPLE },
	{ "hold", "拦截劝返", LEVEL_HOLD },
	{ "divert", "转运中转站", LEVEL_HOLD },
};

const char *decision_name(enum decision d)
{
	return decisions[d].name;
}

const char *decision_zh(enum decision d)
{
	return decisions[d].zh;
}

int decision_parse(const char *s, enum decision *d)
{
	for (size_t i = 0; s != NULL && i < sizeof decisions / sizeof decisions[0]; i++) {
		if (strcmp(s, decisions[i].name) == 0) {
			*d = (enum decision)i;
			return 0;
		}
	}
	return -1;
}

int decision_default(enum level verdict, enum decision *d)
{
	switch (verdict) {
	case LEVEL_CHECK: return -1;
	case LEVEL_SAMPLE: *d = DECIDE_SAMPLE; return 0;
	case LEVEL_HOLD: *d = DECIDE_HOLD; return 0;
	default: *d = DECIDE_RELEASE; return 0;
	}
}

int decision_overrides(enum level verdict, enum decision d)
{
	enum level v = verdict == LEVEL_GREEN ? LEVEL_PASS : verdict;

	return verdict != LEVEL_CHECK && decisions[d].level != v;
}
