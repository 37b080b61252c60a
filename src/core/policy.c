/* policy.c — loading a policy document whole (or refusing it whole) and
 * evaluating its rules on facts.  The rules are the policy's; this file only
 * knows how to combine what fired into a verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logic.h"
#include "jscan.h"
#include "policy.h"

#define MAX_RULES 512
#define MAX_DEFS 64

struct rule {
	char *id;
	logic *when;
	enum level level;
	char *for_each;		/* facts array to iterate, or NULL */
	char code[REASON_CODE_MAX];
	char *zh, *en;
};

struct policy {
	int refs;		/* policy_load's, plus one per policy_hold */
	cJSON *doc;		/* owned: params are read from it */
	char id[64], version[32];
	const cJSON *params;
	cJSON *param_scope;	/* {"params": …} outermost evaluation scope */
	char *defnames[MAX_DEFS];
	logic *defs[MAX_DEFS];
	size_t ndefs;
	logic *green;
	struct rule *rules;
	size_t nrules;
};

static const struct {
	const char *name, *zh, *en;
	char letter;
} levels[] = {
	{ "green", "绿色通道", "Green channel", 'G' },
	{ "pass", "正常通行", "Pass", 'P' },
	{ "sample", "即采即走", "Sample and go", 'S' },
	{ "check", "人工核查", "Manual check", 'C' },
	{ "hold", "拦截劝返", "Hold", 'H' },
};

const char *level_name(enum level l)
{
	return l >= LEVEL_GREEN && l <= LEVEL_HOLD ? levels[l].name : "info";
}

const char *level_zh(enum level l)
{
	return l >= LEVEL_GREEN && l <= LEVEL_HOLD ? levels[l].zh : "提示";
}

const char *level_en(enum level l)
{
	return l >= LEVEL_GREEN && l <= LEVEL_HOLD ? levels[l].en : "Info";
}

char level_letter(enum level l)
{
	return l >= LEVEL_GREEN && l <= LEVEL_HOLD ? levels[l].letter : 'i';
}

int level_parse(const char *s, enum level *out)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "info") == 0) {
		*out = LEVEL_INFO;
		return 0;
	}
	for (int i = 0; i <= LEVEL_HOLD; i++) {
		if (strcmp(s, levels[i].name) == 0) {
			*out = (enum level)i;
			return 0;
		}
	}
	return -1;
}

struct policy *policy_hold(const struct policy *p)
{
	struct policy *q = (struct policy *)p;	/* the count is not the policy's content */

	q->refs++;
	return q;
}

void policy_free(struct policy *p)
{
	if (p == NULL || --p->refs > 0)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].id);
		logic_free(p->rules[i].when);
		free(p->rules[i].for_each);
		free(p->rules[i].zh);
		free(p->rules[i].en);
	}
	free(p->rules);
	for (size_t i = 0; i < p->ndefs; i++) {
		free(p->defnames[i]);
		logic_free(p->defs[i]);
	}
	logic_free(p->green);
	cJSON_Delete(p->param_scope);
	cJSON_Delete(p->doc);
	free(p);
}

const char *policy_id(const struct policy *p) { return p->id; }
const char *policy_version(const struct policy *p) { return p->version; }

int policy_reason_text(const struct policy *p, const char *code, int person, const char **zh, const char **en)
{
	const struct rule *found = NULL;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule *ru = &p->rules[i];
		if (strcmp(ru->code, code) != 0)
			continue;
		if (found == NULL || (ru->for_each != NULL) == (person != 0)) {
			found = ru;
			if ((ru->for_each != NULL) == (person != 0))
				break;
		}
	}
	if (found == NULL)
		return -1;
	*zh = found->zh;
	*en = found->en;
	return 0;
}

double policy_param(const struct policy *p, const char *name, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(p->params, name);
	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int copy_str(const cJSON *o, const char *name, char *out, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(v) || v->valuestring[0] == '\0' || strlen(v->valuestring) >= cap)
		return -1;
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

static char *dup_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
}

static int load_rule(struct policy *p, const cJSON *r, const struct logic_defs *defs, gl_msg *err)
{
	struct rule *ru = &p->rules[p->nrules];
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(r, "reason");
	const cJSON *lvl = cJSON_GetObjectItemCaseSensitive(r, "level");
	gl_msg e2;

	memset(ru, 0, sizeof *ru);
	ru->id = dup_str(r, "id");
	if (ru->id == NULL || ru->id[0] == '\0') {
		glmsg_set(err, "第 %zu 条规则缺少 id", "rule %zu has no id", p->nrules + 1);
		goto fail;
	}
	for (size_t i = 0; i < p->nrules; i++) {
		if (strcmp(p->rules[i].id, ru->id) == 0) {
			glmsg_set(err, "规则 id 重复：%s", "duplicate rule id: %s", ru->id);
			goto fail;
		}
	}
	if (!cJSON_IsString(lvl) || level_parse(lvl->valuestring, &ru->level) != 0) {
		glmsg_set(err, "规则 %s 的 level 无效", "rule %s has an invalid level", ru->id);
		goto fail;
	}
	ru->zh = dup_str(reason, "zh");
	ru->en = dup_str(reason, "en");
	if (copy_str(reason, "code", ru->code, sizeof ru->code) != 0 || ru->zh == NULL || ru->en == NULL) {
		glmsg_set(err, "规则 %s 的 reason 须有 code、zh、en", "rule %s needs reason {code, zh, en}", ru->id);
		goto fail;
	}
	if (cJSON_GetObjectItemCaseSensitive(r, "for_each") != NULL)
		ru->for_each = dup_str(r, "for_each");
	if (cJSON_GetObjectItemCaseSensitive(r, "for_each") != NULL && ru->for_each == NULL) {
		glmsg_set(err, "规则 %s 的 for_each 须为字符串", "rule %s: for_each must be a string", ru->id);
		goto fail;
	}
	ru->when = logic_compile(cJSON_GetObjectItemCaseSensitive(r, "when"), defs, &e2);
	if (ru->when == NULL) {
		glmsg_prefix(err, &e2, "规则 %s", "rule %s", ru->id);
		goto fail;
	}
	p->nrules++;
	return 0;
fail:
	free(ru->id);
	free(ru->for_each);
	free(ru->zh);
	free(ru->en);
	return -1;
}

struct policy *policy_load(const char *json, size_t len, gl_msg *err)
{
	struct policy *p = calloc(1, sizeof *p);
	const cJSON *rules, *defs, *r;
	struct logic_defs ld;
	gl_msg e2;
	int n;

	if (p == NULL)
		return NULL;
	p->refs = 1;
	if (jscan_object(json, len, NULL, 0) == JSCAN_DUPLICATE) {
		/* I-JSON: a rule or parameter named twice could be read either way. */
		glmsg_set(err, "策略中有重复的成员名", "the policy has a repeated member name");
		goto fail;
	}
	p->doc = cJSON_ParseWithLength(json, len);
	if (!cJSON_IsObject(p->doc)) {
		glmsg_set(err, "策略不是有效的 JSON 对象", "the policy is not a JSON object");
		goto fail;
	}
	if (copy_str(p->doc, "id", p->id, sizeof p->id) != 0 ||
	    copy_str(p->doc, "version", p->version, sizeof p->version) != 0) {
		glmsg_set(err, "策略缺少 id 或 version", "the policy has no id or version");
		goto fail;
	}
	p->params = cJSON_GetObjectItemCaseSensitive(p->doc, "params");
	if (!cJSON_IsObject(p->params)) {
		glmsg_set(err, "策略缺少 params", "the policy has no params");
		goto fail;
	}
	p->param_scope = cJSON_CreateObject();
	if (p->param_scope == NULL ||
	    !cJSON_AddItemReferenceToObject(p->param_scope, "params", (cJSON *)p->params))
		goto fail;
	defs = cJSON_GetObjectItemCaseSensitive(p->doc, "defs");
	for (const cJSON *d = cJSON_IsObject(defs) ? defs->child : NULL; d != NULL; d = d->next) {
		if (p->ndefs == MAX_DEFS) {
			glmsg_set(err, "defs 过多", "too many defs");
			goto fail;
		}
		ld.names = (const char *const *)p->defnames;
		ld.exprs = p->defs;
		ld.n = p->ndefs;
		p->defs[p->ndefs] = logic_compile(d, &ld, &e2);
		if (p->defs[p->ndefs] == NULL) {
			glmsg_prefix(err, &e2, "定义 %s", "def %s", d->string);
			goto fail;
		}
		p->defnames[p->ndefs++] = strdup(d->string);
	}
	ld.names = (const char *const *)p->defnames;
	ld.exprs = p->defs;
	ld.n = p->ndefs;
	p->green = logic_compile(cJSON_GetObjectItemCaseSensitive(p->doc, "green_requires"), &ld, &e2);
	if (p->green == NULL) {
		glmsg_prefix(err, &e2, "green_requires", "green_requires");
		goto fail;
	}
	rules = cJSON_GetObjectItemCaseSensitive(p->doc, "rules");
	n = cJSON_GetArraySize(rules);
	if (!cJSON_IsArray(rules) || n == 0 || n > MAX_RULES) {
		glmsg_set(err, "策略须有 1 至 %d 条规则", "a policy has 1 to %d rules", MAX_RULES);
		goto fail;
	}
	p->rules = calloc((size_t)n, sizeof *p->rules);
	if (p->rules == NULL)
		goto fail;
	cJSON_ArrayForEach(r, rules)
		if (load_rule(p, r, &ld, err) != 0)
			goto fail;
	return p;
fail:
	policy_free(p);
	return NULL;
}

/* s into out[cap], cut short if it does not fit (snprintf's "%s", at a
 * fraction of the cost: reasons are added on every check). */
static void set_str(char *out, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);

	memcpy(out, s, n);
	out[n] = '\0';
}

/* Appends a reason (after those already there: callers sort). */
static int push_reason(struct verdict *v, const char *code, enum level level, const char *zh, const char *en,
		       const char *rule, const char *subject)
{
	struct reason *re;

	if (v->mem.max == 0)
		dynbuf_init(&v->mem, VERDICT_REASONS_MAX * sizeof *re);
	re = dynbuf_grow(&v->mem, sizeof *re);
	if (re == NULL)
		return -1;
	v->reasons = (struct reason *)(void *)v->mem.p;
	v->n++;
	set_str(re->code, sizeof re->code, code);
	re->level = level;
	re->zh = zh;
	re->en = en;
	re->rule = rule;
	set_str(re->subject, sizeof re->subject, subject != NULL ? subject : "");
	return 0;
}

static int add_reason(struct verdict *v, const struct rule *r, const char *subject)
{
	return push_reason(v, r->code, r->level, r->zh, r->en, r->id, subject);
}

/* Most severe first, then in the order added: an insertion sort, since
 * there are few reasons and it is stable. */
static void sort_reasons(struct verdict *v)
{
	for (size_t i = 1; i < v->n; i++) {
		struct reason t = v->reasons[i];
		size_t j = i;
		while (j > 0 && v->reasons[j - 1].level < t.level) {
			v->reasons[j] = v->reasons[j - 1];
			j--;
		}
		v->reasons[j] = t;
	}
}

int verdict_add(struct verdict *v, const char *code, enum level level, const char *zh, const char *en,
		const char *rule)
{
	if (push_reason(v, code, level, zh, en, rule, NULL) != 0)
		return -1;
	sort_reasons(v);
	if (level > v->level)
		v->level = level;
	return 0;
}

int policy_evaluate(const struct policy *p, const cJSON *facts, struct verdict *out)
{
	struct logic_scope outer = { p->param_scope, NULL };
	struct logic_scope root = { facts, &outer };
	enum level worst = LEVEL_GREEN;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule *r = &p->rules[i];
		if (r->for_each == NULL) {
			if (logic_test(r->when, &root) == LOGIC_TRUE && add_reason(out, r, NULL) != 0)
				goto oom;
			continue;
		}
		const cJSON *arr = logic_member(facts, r->for_each), *e;
		cJSON_ArrayForEach(e, arr) {
			struct logic_scope inner = { e, &root };
			const cJSON *id = logic_member(e, "id_no");
			if (logic_test(r->when, &inner) == LOGIC_TRUE &&
			    add_reason(out, r, cJSON_IsString(id) ? id->valuestring : NULL) != 0)
				goto oom;
		}
	}
	for (size_t i = 0; i < out->n; i++)
		if (out->reasons[i].level > worst)
			worst = out->reasons[i].level;
	sort_reasons(out);
	if (worst == LEVEL_GREEN && logic_test(p->green, &root) != LOGIC_TRUE)
		worst = LEVEL_PASS;
	out->level = worst;
	return 0;
oom:
	verdict_free(out);
	return -1;
}

void verdict_free(struct verdict *v)
{
	dynbuf_free(&v->mem);
	memset(v, 0, sizeof *v);
}

int verdict_has(const struct verdict *v, const char *code)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->reasons[i].code, code) == 0)
			return 1;
	return 0;
}
