/* arena.c — bump allocation in blocks, and cJSON trees built in it: from
 * JSON text by jscan (one grammar for the whole program), and by the
 * constructors facts and the lane need.  Nothing here frees a node;
 * arena_free frees the blocks. */
#include <limits.h>
#include <locale.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "jscan.h"

#define BLOCK_SIZE (16 * 1024)
#define ALIGN alignof(max_align_t)

struct block {
	struct block *next;
	size_t cap, used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct block *cur;	/* bumped; full or oversized blocks follow it */
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	for (b = a->cur; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static struct block *block_new(size_t cap)
{
	struct block *b = malloc(sizeof *b + cap);

	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

/* n bytes, not zeroed. */
static void *bump(struct arena *a, size_t n)
{
	struct block *b = a->cur;
	void *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = n == 0 ? ALIGN : (n + ALIGN - 1) & ~(ALIGN - 1);
	if (b == NULL || b->cap - b->used < n) {
		if (n > BLOCK_SIZE / 4 && b != NULL) {
			/* A big request gets a block of its own, kept behind the
			 * current one so that what is left of that is still used. */
			struct block *big = block_new(n);
			if (big == NULL)
				return NULL;
			big->used = n;
			big->next = b->next;
			b->next = big;
			return big->data;
		}
		b = block_new(n > BLOCK_SIZE ? n : BLOCK_SIZE);
		if (b == NULL)
			return NULL;
		b->next = a->cur;
		a->cur = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

/* n bytes, zeroed and aligned for any type, or NULL if out of memory. */
static void *arena_alloc(struct arena *a, size_t n)
{
	void *p = bump(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

/* A copy of s[0..n) with a NUL after it, or NULL. */
static char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = n < SIZE_MAX ? bump(a, n + 1) : NULL;

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* ---- nodes ---- */

static cJSON *node(struct arena *a, int type)
{
	cJSON *j = arena_alloc(a, sizeof *j);

	if (j != NULL)
		j->type = type;
	return j;
}

cJSON *arena_json_object(struct arena *a) { return node(a, cJSON_Object); }
cJSON *arena_json_array(struct arena *a) { return node(a, cJSON_Array); }
cJSON *arena_json_null(struct arena *a) { return node(a, cJSON_NULL); }
cJSON *arena_json_bool(struct arena *a, int b) { return node(a, b ? cJSON_True : cJSON_False); }

cJSON *arena_json_number(struct arena *a, double d)
{
	cJSON *j = node(a, cJSON_Number);

	if (j == NULL)
		return NULL;
	j->valuedouble = d;
	/* As cJSON keeps it: saturated, for callers that read valueint. */
	j->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
	return j;
}

cJSON *arena_json_string_ref(struct arena *a, const char *s)
{
	cJSON *j;

	if (s == NULL)
		return arena_json_null(a);
	j = node(a, cJSON_String | cJSON_IsReference);
	if (j != NULL)
		j->valuestring = (char *)s;	/* borrowed; the arena never frees it */
	return j;
}

cJSON *arena_json_string(struct arena *a, const char *s)
{
	char *copy;

	if (s == NULL)
		return arena_json_null(a);
	copy = arena_strndup(a, s, strlen(s));
	return copy != NULL ? arena_json_string_ref(a, copy) : NULL;
}

cJSON *arena_json_ref(struct arena *a, const cJSON *item)
{
	cJSON *j;

	if (item == NULL)
		return NULL;
	j = node(a, item->type | cJSON_IsReference);
	if (j == NULL)
		return NULL;
	j->type &= ~cJSON_StringIsConst;
	j->child = item->child;
	j->valuestring = item->valuestring;
	j->valueint = item->valueint;
	j->valuedouble = item->valuedouble;
	return j;
}

int arena_json_add(cJSON *container, const char *name, cJSON *item)
{
	if (item == NULL || container == NULL)
		return -1;
	/* No cJSON_StringIsConst: cJSON_Duplicate would keep the pointer
	 * instead of copying the name out of the arena. */
	item->string = (char *)name;
	item->next = NULL;
	if (container->child == NULL) {
		container->child = item;
		item->prev = item;
	} else {
		cJSON *last = container->child->prev;
		last->next = item;
		item->prev = last;
		container->child->prev = item;
	}
	return 0;
}

/* ---- parsing: jscan's grammar, built into nodes ---- */

/* A string span's text, unescaped by jscan (so the two agree on what a
 * string means). */
static char *text_of(struct arena *a, const struct jscan_span *v)
{
	/* Unescaped text is never longer than the escaped text between the quotes. */
	char *out = bump(a, v->n - 1);

	return out != NULL && jscan_string(v, out, v->n - 1) >= 0 ? out : NULL;
}

static cJSON *number_of(struct arena *a, const struct jscan_span *v)
{
	const char *s = v->p, *end = v->p + v->n;
	int neg = *s == '-';
	double d = 0;

	if (v->n - (size_t)neg <= 15 && memchr(s, '.', v->n) == NULL && memchr(s, 'e', v->n) == NULL &&
	    memchr(s, 'E', v->n) == NULL) {
		/* At most 15 digits: exact in a double, no strtod needed. */
		for (const char *q = s + neg; q < end; q++)
			d = d * 10 + (*q - '0');
		return arena_json_number(a, neg ? -d : d);
	} else {
		/* strtod reads the locale's decimal point, as cJSON knows. */
		char *t = arena_strndup(a, s, v->n), *dot;
		const char *point = localeconv()->decimal_point;
		if (t == NULL)
			return NULL;
		dot = strchr(t, '.');
		if (dot != NULL && point != NULL && point[0] != '\0')
			*dot = point[0];
		return arena_json_number(a, strtod(t, NULL));
	}
}

static cJSON *build(struct arena *a, const struct jscan_span *v);

/* An object's or array's members, as jscan scans them into spans (at the
 * top that scan validates the whole text; below, it scans a part of it
 * again).  Up to STACK_MEMBERS members are read in one scan. */
#define STACK_MEMBERS 32

static cJSON *build_container(struct arena *a, const struct jscan_span *v)
{
	struct jscan_member stack_m[STACK_MEMBERS], *m = stack_m;
	struct jscan_span stack_e[STACK_MEMBERS], *e = stack_e;
	int object = v->type == JS_OBJECT;
	int n = object ? jscan_object(v->p, v->n, m, STACK_MEMBERS) : jscan_array(v->p, v->n, e, STACK_MEMBERS);
	cJSON *c = node(a, object ? cJSON_Object : cJSON_Array);

	if (n < 0 || c == NULL)
		return NULL;
	if (n > STACK_MEMBERS) {
		m = object ? bump(a, (size_t)n * sizeof *m) : NULL;
		e = object ? NULL : bump(a, (size_t)n * sizeof *e);
		if ((object ? (void *)m : (void *)e) == NULL ||
		    (object ? jscan_object(v->p, v->n, m, n) : jscan_array(v->p, v->n, e, n)) != n)
			return NULL;
	}
	for (int i = 0; i < n; i++) {
		char *name = object ? text_of(a, &m[i].key) : NULL;
		if ((object && name == NULL) || arena_json_add(c, name, build(a, object ? &m[i].value : &e[i])) != 0)
			return NULL;
	}
	return c;
}

static cJSON *build(struct arena *a, const struct jscan_span *v)
{
	char *s;

	switch (v->type) {
	case JS_OBJECT:
	case JS_ARRAY: return build_container(a, v);
	case JS_STRING:
		s = text_of(a, v);
		return s != NULL ? arena_json_string_ref(a, s) : NULL;
	case JS_TRUE: return node(a, cJSON_True);
	case JS_FALSE: return node(a, cJSON_False);
	case JS_NULL: return node(a, cJSON_NULL);
	default: return number_of(a, v);
	}
}

cJSON *arena_json_parse(struct arena *a, const char *s, size_t n)
{
	struct jscan_span v = { s, n, JS_OBJECT };
	size_t lead = 0;

	if (s == NULL || a == NULL)
		return NULL;
	while (lead < n && (s[lead] == ' ' || s[lead] == '\t' || s[lead] == '\r' || s[lead] == '\n'))
		lead++;
	if (lead < n && s[lead] == '[')
		v.type = JS_ARRAY;
	/* One grammar, jscan's: its scan of the top validates the whole text. */
	return build_container(a, &v);
}
