/* logic.h — the policy expression language: a small, total, side-effect-free
 * language over JSON facts in the spirit of JSON Logic / CertLogic.
 *
 * An expression is a JSON literal (null, bool, number, string, array of
 * literals) or an object with exactly one operator key:
 *   {"var": "a.b.0"}  {"var": ["a.b", default]}   path lookup; inside
 *       some/all/none/for_each the element is searched first, then the outer
 *       scopes ("params.x", "now" stay reachable); "" is the element itself
 *   == != < <= > >=      (< and <= also take three arguments: a < b < c)
 *   and or ! !!  if [c1, v1, c2, v2, …, else]
 *   in [needle, array|string]     + - * / %  min max
 *   some/all/none [array, predicate]   count [array]
 *   hours n  days n  (to seconds)   age t  (now − t)
 *   within [t, seconds]  (t is a time and now − seconds ≤ t ≤ now)
 *   def "name"  (a named expression of the policy, evaluated in place)
 * Times are seconds since the epoch.  A type error, a missing operand of an
 * arithmetic or ordering operator, or division by zero makes the whole
 * expression an error, which a rule reads as false: nothing can crash, loop
 * or allocate during evaluation. */
#ifndef GL_LOGIC_H
#define GL_LOGIC_H
#include <cjson/cJSON.h>
#include "glmsg.h"

typedef struct logic logic;

/* Named expressions an expression may reference with {"def": name}. */
struct logic_defs {
	const char *const *names;
	logic *const *exprs;
	size_t n;
};

/* Compiles expr (which is copied; the caller keeps its own).  defs may be
 * NULL.  Returns NULL with the reason in err for an unknown operator, a wrong
 * argument count, nesting deeper than 64 or an unknown def.  Caller frees
 * with logic_free. */
logic *logic_compile(const cJSON *expr, const struct logic_defs *defs, gl_msg *err);

void logic_free(logic *l);

/* A scope: data searched by var, then its parent.  */
struct logic_scope {
	const cJSON *data;
	const struct logic_scope *up;
};

enum logic_result { LOGIC_FALSE = 0, LOGIC_TRUE = 1, LOGIC_ERROR = -1 };

/* Evaluates l's truthiness in scope (false, null, 0, "" and [] are false).
 * "now" for age/within is the var "now".  Reentrant; allocation-free. */
enum logic_result logic_test(const logic *l, const struct logic_scope *scope);

/* The member of object o named name (the first, if repeated), or NULL: the
 * look-up var makes, which every reader of facts and records on the path of
 * a check uses.  Borrowed. */
const cJSON *logic_member(const cJSON *o, const char *name);

/* Evaluates l to a number; returns 0 and sets *out, or -1. */
int logic_number(const logic *l, const struct logic_scope *scope, double *out);

#endif
