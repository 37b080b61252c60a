/* policy.h — verdict levels, the policy document and its evaluation.
 *
 * A policy is JSON: {id, version, valid_from, params{…}, defs{name: expr},
 * green_requires: expr, rules: [{id, when, level, for_each?, reason:{code,
 * zh, en}}]}.  A rule with "for_each": "crew" is tested once per element of
 * that facts array, with the element as the innermost scope; each firing
 * names that element's id_no as the reason's subject.  The verdict is the
 * worst level any rule produced; info never worsens it; green also needs
 * green_requires to hold, else it is pass.  Pure: no I/O. */
#ifndef GL_POLICY_H
#define GL_POLICY_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include "dynbuf.h"
#include "glmsg.h"
#include "idno.h"

enum level {
	LEVEL_INFO = -1,
	LEVEL_GREEN = 0,	/* 绿色通道 */
	LEVEL_PASS = 1,		/* 正常通行 */
	LEVEL_SAMPLE = 2,	/* 即采即走 */
	LEVEL_CHECK = 3,	/* 人工核查 */
	LEVEL_HOLD = 4,		/* 拦截劝返 */
};

const char *level_name(enum level l);	/* "green" … "hold", "info" */
const char *level_zh(enum level l);	/* 绿色通道 … */
const char *level_en(enum level l);	/* Green channel … */
char level_letter(enum level l);	/* G P S C H, i */
int level_parse(const char *s, enum level *out);

#define REASON_CODE_MAX 48

struct reason {
	char code[REASON_CODE_MAX];
	enum level level;
	const char *zh, *en;	/* borrowed from the policy */
	char subject[IDNO_MAX];	/* crew member's ID number, or "" */
	const char *rule;	/* rule id, borrowed from the policy */
};

#define VERDICT_REASONS_MAX 1024	/* rules × crew, far beyond any real policy */

struct verdict {
	enum level level;
	struct reason *reasons;	/* most severe first, then rule order */
	size_t n;
	struct dynbuf mem;	/* where reasons live */
};

struct policy;

/* Parses and compiles a policy document.  Returns NULL with err on any
 * problem (unknown level, bad expression, duplicate rule id, …): a policy is
 * taken whole or not at all.  Caller frees with policy_free. */
struct policy *policy_load(const char *json, size_t len, gl_msg *err);
/* Drops a reference: the policy goes with the last one (policy_load's and
 * each policy_hold's). */
void policy_free(struct policy *p);
/* Another reference to p, for what outlives its loader's copy (a result on
 * screen borrows its reasons' texts).  Not thread-safe: a policy belongs to
 * one thread. */
struct policy *policy_hold(const struct policy *p);

const char *policy_id(const struct policy *p);
const char *policy_version(const struct policy *p);

/* The texts of a reason code (a journal record keeps only the code), from
 * a rule that gives it — one about a person if person is set and there is
 * one.  0 with *zh and *en (borrowed from p), or -1 if no rule gives it. */
int policy_reason_text(const struct policy *p, const char *code, int person, const char **zh, const char **en);

/* A numeric parameter from params, or dflt. */
double policy_param(const struct policy *p, const char *name, double dflt);

/* Evaluates the policy on facts.  Returns 0 (out filled; free with
 * verdict_free) or -1 if out of memory. */
int policy_evaluate(const struct policy *p, const cJSON *facts, struct verdict *out);
void verdict_free(struct verdict *v);

/* Adds a reason that is not a rule's (zh, en, rule: static or outliving v)
 * and worsens the verdict to its level; the reasons stay most severe first.
 * 0, or -1 if out of memory. */
int verdict_add(struct verdict *v, const char *code, enum level level, const char *zh, const char *en,
		const char *rule);

/* 1 if the verdict has a reason with this code. */
int verdict_has(const struct verdict *v, const char *code);

#endif
