/* logic.c — compiler and evaluator of the policy expression language.
 * Compilation resolves operators, var paths and defs once; evaluation walks
 * the tree with values that borrow from the facts or the compiled literals,
 * so it allocates nothing and terminates in time linear in the tree (array
 * quantifiers multiply by the array's length, which the facts bound). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "logic.h"

#define MAX_DEPTH 64
#define MAX_PATH 8

enum op {
	OP_LIT, OP_VAR, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_AND, OP_OR,
	OP_NOT, OP_NOTNOT, OP_IF, OP_IN, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_MIN, OP_MAX, OP_SOME, OP_ALL, OP_NONE, OP_COUNT, OP_HOURS, OP_DAYS,
	OP_AGE, OP_WITHIN, OP_DEF,
};

static const struct {
	const char *name;
	enum op op;
	int min, max;		/* argument counts; max -1: any */
} ops[] = {
	{ "var", OP_VAR, 1, 2 }, { "==", OP_EQ, 2, 2 }, { "!=", OP_NE, 2, 2 },
	{ "<", OP_LT, 2, 3 }, { "<=", OP_LE, 2, 3 }, { ">", OP_GT, 2, 2 },
	{ ">=", OP_GE, 2, 2 }, { "and", OP_AND, 1, -1 }, { "or", OP_OR, 1, -1 },
	{ "!", OP_NOT, 1, 1 }, { "!!", OP_NOTNOT, 1, 1 }, { "if", OP_IF, 1, -1 },
	{ "in", OP_IN, 2, 2 }, { "+", OP_ADD, 1, -1 }, { "-", OP_SUB, 1, 2 },
	{ "*", OP_MUL, 1, -1 }, { "/", OP_DIV, 2, 2 }, { "%", OP_MOD, 2, 2 },
	{ "min", OP_MIN, 1, -1 }, { "max", OP_MAX, 1, -1 }, { "some", OP_SOME, 2, 2 },
	{ "all", OP_ALL, 2, 2 }, { "none", OP_NONE, 2, 2 }, { "count", OP_COUNT, 1, 1 },
	{ "hours", OP_HOURS, 1, 1 }, { "days", OP_DAYS, 1, 1 }, { "age", OP_AGE, 1, 1 },
	{ "within", OP_WITHIN, 2, 2 }, { "def", OP_DEF, 1, 1 },
};

struct node {
	enum op op;
	int nargs;
	struct node **args;
	const cJSON *lit;		/* OP_LIT: borrowed from logic->src */
	char *path[MAX_PATH];		/* OP_VAR */
	int npath;
	const struct node *def;		/* OP_DEF: borrowed from another logic */
};

struct logic {
	cJSON *src;			/* owned copy of the expression */
	struct node *root;
};

enum vt { V_ERR, V_NULL, V_BOOL, V_NUM, V_STR, V_ARR, V_OBJ };

struct val {
	enum vt t;
	double n;
	const char *s;
	const cJSON *j;
};

static const struct val ERR = { V_ERR, 0, NULL, NULL };

static void node_free(struct node *n)
{
	if (n == NULL)
		return;
	for (int i = 0; i < n->nargs; i++)
		node_free(n->args[i]);
	free(n->args);
	for (int i = 0; i < n->npath; i++)
		free(n->path[i]);
	free(n);
}

void logic_free(logic *l)
{
	if (l == NULL)
		return;
	node_free(l->root);
	cJSON_Delete(l->src);
	free(l);
}

static int split_path(struct node *n, const char *path, gl_msg *err)
{
	const char *p = path;

	if (*p == '\0')
		return 0;	/* "" is the current element */
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (len == 0 || n->npath == MAX_PATH) {
			glmsg_set(err, "变量路径无效：%s", "invalid var path: %s", path);
			return -1;
		}
		n->path[n->npath] = strndup(p, len);
		if (n->path[n->npath] == NULL)
			return -1;
		n->npath++;
		if (dot == NULL)
			return 0;
		p = dot + 1;
	}
}

static struct node *compile(const cJSON *e, const struct logic_defs *defs, int depth,
			    gl_msg *err)
{
	struct node *n;
	const cJSON *key, *args;
	size_t i;
	int count;

	if (depth > MAX_DEPTH) {
		glmsg_set(err, "表达式嵌套过深", "expression nested too deeply");
		return NULL;
	}
	n = calloc(1, sizeof *n);
	if (n == NULL)
		return NULL;
	if (!cJSON_IsObject(e)) {
		if (cJSON_IsArray(e)) {
			for (const cJSON *c = e->child; c != NULL; c = c->next) {
				if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
					glmsg_set(err, "数组字面量只能包含简单值",
						  "an array literal may hold only plain values");
					goto fail;
				}
			}
		}
		n->op = OP_LIT;
		n->lit = e;
		return n;
	}
	key = e->child;
	if (key == NULL || key->next != NULL) {
		glmsg_set(err, "表达式对象必须恰有一个运算符", "an expression object has exactly one operator");
		goto fail;
	}
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].name, key->string) == 0)
			break;
	if (i == sizeof ops / sizeof ops[0]) {
		glmsg_set(err, "未知运算符：%s", "unknown operator: %s", key->string);
		goto fail;
	}
	n->op = ops[i].op;
	args = key;
	count = 1;
	if (cJSON_IsArray(key)) {
		args = key->child;
		count = cJSON_GetArraySize(key);
	}
	if (count < ops[i].min || (ops[i].max >= 0 && count > ops[i].max)) {
		glmsg_set(err, "运算符 %s 的参数个数不对", "wrong number of arguments to %s", key->string);
		goto fail;
	}
	if (n->op == OP_VAR) {
		const cJSON *p = cJSON_IsArray(key) ? key->child : key;
		if (!cJSON_IsString(p) || split_path(n, p->valuestring, err) != 0)
			goto fail;
		if (cJSON_IsArray(key) && count == 2) {
			n->args = calloc(1, sizeof *n->args);
			if (n->args == NULL)
				goto fail;
			n->args[0] = compile(p->next, defs, depth + 1, err);
			if (n->args[0] == NULL)
				goto fail;
			n->nargs = 1;
		}
		return n;
	}
	if (n->op == OP_DEF) {
		const cJSON *p = cJSON_IsArray(key) ? key->child : key;
		for (size_t d = 0; defs != NULL && cJSON_IsString(p) && d < defs->n; d++)
			if (strcmp(defs->names[d], p->valuestring) == 0)
				n->def = defs->exprs[d]->root;
		if (n->def == NULL) {
			glmsg_set(err, "未定义的名称：%s", "undefined name: %s",
				  cJSON_IsString(p) ? p->valuestring : "?");
			goto fail;
		}
		return n;
	}
	n->args = calloc((size_t)count, sizeof *n->args);
	if (n->args == NULL)
		goto fail;
	for (const cJSON *a = args; n->nargs < count; a = a->next) {
		n->args[n->nargs] = compile(a, defs, depth + 1, err);
		if (n->args[n->nargs] == NULL)
			goto fail;
		n->nargs++;
	}
	return n;
fail:
	node_free(n);
	return NULL;
}

logic *logic_compile(const cJSON *expr, const struct logic_defs *defs, gl_msg *err)
{
	logic *l = calloc(1, sizeof *l);

	if (l == NULL)
		return NULL;
	l->src = cJSON_Duplicate(expr, 1);
	if (l->src == NULL) {
		glmsg_set(err, "表达式为空", "empty expression");
		free(l);
		return NULL;
	}
	l->root = compile(l->src, defs, 0, err);
	if (l->root == NULL) {
		logic_free(l);
		return NULL;
	}
	return l;
}

/* A node's type (cJSON_NULL for no node), read here rather than through
 * cJSON_Is*, which are calls into the library: values are looked at dozens
 * of times per check. */
static int jtype(const cJSON *j)
{
	return j != NULL ? j->type & 0xFF : cJSON_NULL;
}

static struct val from_json(const cJSON *j)
{
	struct val v = { V_NULL, 0, NULL, j };

	switch (jtype(j)) {
	case cJSON_NULL: break;
	case cJSON_False: v.t = V_BOOL; break;
	case cJSON_True: v.t = V_BOOL; v.n = 1; break;
	case cJSON_Number: v.t = V_NUM; v.n = j->valuedouble; break;
	case cJSON_String: v.t = j->valuestring != NULL ? V_STR : V_ERR; v.s = j->valuestring; break;
	case cJSON_Array: v.t = V_ARR; break;
	case cJSON_Object: v.t = V_OBJ; break;
	default: v.t = V_ERR; break;
	}
	return v;
}

static struct val boolean(int b)
{
	struct val v = { V_BOOL, b != 0, NULL, NULL };
	return v;
}

static struct val number(double d)
{
	struct val v = { V_NUM, d, NULL, NULL };
	if (!isfinite(d))
		return ERR;
	return v;
}

static int truthy(struct val v)
{
	switch (v.t) {
	case V_BOOL: case V_NUM: return v.n != 0;
	case V_STR: return v.s[0] != '\0';
	case V_ARR: return v.j->child != NULL;
	case V_OBJ: return 1;
	default: return 0;
	}
}

const cJSON *logic_member(const cJSON *o, const char *name)
{
	/* Comparing the first byte before calling strcmp skips most calls
	 * (cJSON_GetObjectItemCaseSensitive calls it for every member). */
	for (const cJSON *c = o != NULL ? o->child : NULL; c != NULL; c = c->next)
		if (c->string != NULL && c->string[0] == name[0] && strcmp(c->string, name) == 0)
			return c;
	return NULL;
}

static const cJSON *walk(const cJSON *j, char *const *path, int n)
{
	for (int i = 0; i < n && j != NULL; i++) {
		if (jtype(j) == cJSON_Array) {
			char *end;
			long idx = strtol(path[i], &end, 10);
			j = *end == '\0' && idx >= 0 ? cJSON_GetArrayItem(j, (int)idx) : NULL;
		} else if (jtype(j) == cJSON_Object) {
			j = logic_member(j, path[i]);
		} else {
			j = NULL;
		}
	}
	return j;
}

/* Looks a path up in the innermost scope whose data has its first segment. */
static const cJSON *lookup(const struct logic_scope *sc, char *const *path, int n)
{
	if (n == 0)
		return sc != NULL ? sc->data : NULL;
	for (; sc != NULL; sc = sc->up) {
		const cJSON *first = jtype(sc->data) == cJSON_Object ? logic_member(sc->data, path[0]) : NULL;
		if (first != NULL)
			return walk(first, path + 1, n - 1);
	}
	return NULL;
}

static struct val eval(const struct node *n, const struct logic_scope *sc);

static int equal(struct val a, struct val b)
{
	if (a.t != b.t)
		return 0;
	switch (a.t) {
	case V_NULL: return 1;
	case V_BOOL: case V_NUM: return a.n == b.n;
	case V_STR: return strcmp(a.s, b.s) == 0;
	default: return a.j == b.j;
	}
}

static int now_of(const struct logic_scope *sc, double *now)
{
	char *p[1] = { (char *)"now" };
	const cJSON *j = lookup(sc, p, 1);

	if (jtype(j) != cJSON_Number)
		return -1;
	*now = j->valuedouble;
	return 0;
}

static struct val eval_compare(const struct node *n, const struct logic_scope *sc)
{
	struct val v[3] = { { V_NULL, 0, NULL, NULL }, { V_NULL, 0, NULL, NULL }, { V_NULL, 0, NULL, NULL } };

	for (int i = 0; i < n->nargs; i++) {
		v[i] = eval(n->args[i], sc);
		if (v[i].t == V_ERR)
			return ERR;
	}
	if (n->op == OP_EQ || n->op == OP_NE)
		return boolean(equal(v[0], v[1]) == (n->op == OP_EQ));
	for (int i = 0; i < n->nargs; i++)
		if (v[i].t != V_NUM)
			return ERR;
	switch (n->op) {
	case OP_LT: return boolean(v[0].n < v[1].n && (n->nargs == 2 || v[1].n < v[2].n));
	case OP_LE: return boolean(v[0].n <= v[1].n && (n->nargs == 2 || v[1].n <= v[2].n));
	case OP_GT: return boolean(v[0].n > v[1].n);
	default: return boolean(v[0].n >= v[1].n);
	}
}

static struct val eval_arith(const struct node *n, const struct logic_scope *sc)
{
	struct val a = eval(n->args[0], sc);
	double acc;

	if (a.t != V_NUM)
		return ERR;
	acc = a.n;
	if (n->op == OP_SUB && n->nargs == 1)
		return number(-acc);
	for (int i = 1; i < n->nargs; i++) {
		struct val b = eval(n->args[i], sc);
		if (b.t != V_NUM)
			return ERR;
		switch (n->op) {
		case OP_ADD: acc += b.n; break;
		case OP_SUB: acc -= b.n; break;
		case OP_MUL: acc *= b.n; break;
		case OP_DIV:
			if (b.n == 0)
				return ERR;
			acc /= b.n;
			break;
		case OP_MOD:
			if (b.n == 0)
				return ERR;
			acc = fmod(acc, b.n);
			break;
		case OP_MIN: acc = b.n < acc ? b.n : acc; break;
		default: acc = b.n > acc ? b.n : acc; break;
		}
	}
	return number(acc);
}

static struct val eval_quant(const struct node *n, const struct logic_scope *sc)
{
	struct val arr = eval(n->args[0], sc);
	int seen = 0;

	if (arr.t == V_NULL)
		return boolean(n->op == OP_NONE);
	if (arr.t != V_ARR)
		return ERR;
	for (const cJSON *e = arr.j->child; e != NULL; e = e->next) {
		struct logic_scope inner = { e, sc };
		struct val r = eval(n->args[1], &inner);
		int t;
		if (r.t == V_ERR)
			return ERR;
		t = truthy(r);
		seen = 1;
		if (n->op == OP_SOME && t)
			return boolean(1);
		if (n->op == OP_ALL && !t)
			return boolean(0);
		if (n->op == OP_NONE && t)
			return boolean(0);
	}
	if (n->op == OP_ALL)
		return boolean(seen);	/* all of nothing is false, as in JSON Logic */
	return boolean(n->op == OP_NONE);
}

static struct val eval(const struct node *n, const struct logic_scope *sc)
{
	struct val a, b;
	double now;

	switch (n->op) {
	case OP_LIT:
		return from_json(n->lit);
	case OP_VAR: {
		const cJSON *j = lookup(sc, n->path, n->npath);
		if (jtype(j) == cJSON_NULL && n->nargs == 1)
			return eval(n->args[0], sc);
		return from_json(j);
	}
	case OP_DEF:
		return eval(n->def, sc);
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		return eval_compare(n, sc);
	case OP_AND: case OP_OR:
		for (int i = 0; i < n->nargs; i++) {
			a = eval(n->args[i], sc);
			if (a.t == V_ERR || i == n->nargs - 1)
				return a;
			if (truthy(a) == (n->op == OP_OR))
				return a;
		}
		return ERR;
	case OP_NOT: case OP_NOTNOT:
		a = eval(n->args[0], sc);
		if (a.t == V_ERR)
			return ERR;
		return boolean(truthy(a) == (n->op == OP_NOTNOT));
	case OP_IF: {
		int i = 0;
		for (; i + 1 < n->nargs; i += 2) {
			a = eval(n->args[i], sc);
			if (a.t == V_ERR)
				return ERR;
			if (truthy(a))
				return eval(n->args[i + 1], sc);
		}
		return i < n->nargs ? eval(n->args[i], sc) : from_json(NULL);
	}
	case OP_IN:
		a = eval(n->args[0], sc);
		b = eval(n->args[1], sc);
		if (a.t == V_ERR || b.t == V_ERR)
			return ERR;
		if (b.t == V_NULL)
			return boolean(0);
		if (b.t == V_STR)
			return a.t == V_STR ? boolean(strstr(b.s, a.s) != NULL) : ERR;
		if (b.t != V_ARR)
			return ERR;
		for (const cJSON *e = b.j->child; e != NULL; e = e->next)
			if (equal(a, from_json(e)))
				return boolean(1);
		return boolean(0);
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD: case OP_MIN: case OP_MAX:
		return eval_arith(n, sc);
	case OP_SOME: case OP_ALL: case OP_NONE:
		return eval_quant(n, sc);
	case OP_COUNT:
		a = eval(n->args[0], sc);
		if (a.t == V_NULL)
			return number(0);
		return a.t == V_ARR ? number(cJSON_GetArraySize(a.j)) : ERR;
	case OP_HOURS: case OP_DAYS:
		a = eval(n->args[0], sc);
		if (a.t != V_NUM)
			return ERR;
		return number(a.n * (n->op == OP_HOURS ? 3600 : 86400));
	case OP_AGE:
		a = eval(n->args[0], sc);
		if (a.t != V_NUM || now_of(sc, &now) != 0)
			return ERR;
		return number(now - a.n);
	case OP_WITHIN:
		a = eval(n->args[0], sc);
		b = eval(n->args[1], sc);
		if (a.t == V_ERR || b.t != V_NUM || now_of(sc, &now) != 0)
			return ERR;
		if (a.t == V_NULL)
			return boolean(0);
		if (a.t != V_NUM)
			return ERR;
		return boolean(a.n <= now && now - b.n <= a.n);
	}
	return ERR;
}

enum logic_result logic_test(const logic *l, const struct logic_scope *scope)
{
	struct val v = eval(l->root, scope);

	if (v.t == V_ERR)
		return LOGIC_ERROR;
	return truthy(v) ? LOGIC_TRUE : LOGIC_FALSE;
}

int logic_number(const logic *l, const struct logic_scope *scope, double *out)
{
	struct val v = eval(l->root, scope);

	if (v.t != V_NUM)
		return -1;
	*out = v.n;
	return 0;
}
