/* arena.c — bump allocation in blocks, and cJSON trees built in it: a
 * recursive-descent parser (strings unescaped by jscan_string, so the two
 * agree on what a string means) and the constructors facts and the lane
 * need.  Nothing here frees a node; arena_free frees the blocks. */
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
#define MAX_DEPTH 64

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

/* ---- parsing ---- */

/* Parsing works on the arena's own copy of the text: a string without
 * escapes (nearly all) is then used where it lies, its closing quote
 * overwritten with the terminating NUL, instead of being copied out. */
struct parse {
	struct arena *a;
	char *p, *end;
};

static void ws(struct parse *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Skips whole eight-byte words with no quote, backslash or control
 * character: a pass record's token is hundreds of such bytes.  (A word that
 * has one, or only seems to because of a borrow, is left to the byte loop.) */
static char *plain_words(char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;

	while (end - p >= 8) {
		uint64_t x, q, b;
		memcpy(&x, p, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high)
			break;
		p += 8;
	}
	return p;
}

/* The string at ps->p, unescaped; NULL if malformed.  One without escapes
 * is left where it lies (see struct parse). */
static char *string(struct parse *ps)
{
	char *s = ps->p, *p = s + 1;
	struct jscan_span span;
	int escaped = 0;
	char *out;

	if (s >= ps->end || *s != '"')
		return NULL;
	for (p = plain_words(p, ps->end);; p++) {
		if (p >= ps->end || (unsigned char)*p < 0x20)
			return NULL;
		if (*p == '"')
			break;
		if (*p != '\\')
			continue;
		if (ps->end - p < 2 || p[1] == '\0' || strchr("\"\\/bfnrtu", p[1]) == NULL)
			return NULL;
		if (p[1] == 'u' && (ps->end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) ||
				    !is_hex(p[5])))
			return NULL;
		escaped = 1;
		p++;
	}
	ps->p = p + 1;
	if (!escaped) {
		*p = '\0';
		return s + 1;
	}
	span.p = s;
	span.n = (size_t)(p - s) + 1;
	span.type = JS_STRING;
	/* Unescaped text is never longer than the escaped text between the quotes. */
	out = bump(ps->a, span.n - 1);
	if (out == NULL || jscan_string(&span, out, span.n - 1) < 0)
		return NULL;
	return out;
}

static int digits(struct parse *ps)
{
	const char *s = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > s ? 0 : -1;
}

static cJSON *number(struct parse *ps)
{
	const char *s = ps->p;
	int plain = 1;
	double d = 0;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (digits(ps) != 0)
		return NULL;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		plain = 0;
		if (digits(ps) != 0)
			return NULL;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		plain = 0;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps) != 0)
			return NULL;
	}
	if (plain && ps->p - s - (*s == '-') <= 15) {
		/* At most 15 digits: exact in a double, no strtod needed. */
		for (const char *q = *s == '-' ? s + 1 : s; q < ps->p; q++)
			d = d * 10 + (*q - '0');
		if (*s == '-')
			d = -d;
	} else {
		/* strtod reads the locale's decimal point, as cJSON knows. */
		char *t = arena_strndup(ps->a, s, (size_t)(ps->p - s)), *dot;
		const char *point = localeconv()->decimal_point;
		if (t == NULL)
			return NULL;
		dot = strchr(t, '.');
		if (dot != NULL && point != NULL && point[0] != '\0')
			*dot = point[0];
		d = strtod(t, NULL);
	}
	return arena_json_number(ps->a, d);
}

static cJSON *literal(struct parse *ps, const char *word, int type)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return NULL;
	ps->p += n;
	return node(ps->a, type);
}

static cJSON *value(struct parse *ps, int depth);

static cJSON *container(struct parse *ps, int depth, int object)
{
	cJSON *c = node(ps->a, object ? cJSON_Object : cJSON_Array), *item, *m;
	char close = object ? '}' : ']';
	char *name = NULL;
	int count = 0;

	if (c == NULL || depth >= MAX_DEPTH)
		return NULL;
	ps->p++;
	ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return c;
	}
	for (;;) {
		if (object) {
			name = string(ps);
			if (name == NULL || ++count > JSCAN_MAX_MEMBERS)
				return NULL;
			/* I-JSON: member names are distinct (jscan_object's rule). */
			for (m = c->child; m != NULL; m = m->next)
				if (strcmp(m->string, name) == 0)
					return NULL;
			ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return NULL;
			ps->p++;
		}
		item = value(ps, depth + 1);
		if (item == NULL || arena_json_add(c, name, item) != 0)
			return NULL;
		ws(ps);
		if (ps->p >= ps->end)
			return NULL;
		if (*ps->p == close) {
			ps->p++;
			return c;
		}
		if (*ps->p != ',')
			return NULL;
		ps->p++;
		ws(ps);
	}
}

static cJSON *value(struct parse *ps, int depth)
{
	char *s;

	ws(ps);
	if (ps->p >= ps->end)
		return NULL;
	switch (*ps->p) {
	case '{': return container(ps, depth, 1);
	case '[': return container(ps, depth, 0);
	case '"':
		s = string(ps);
		return s != NULL ? arena_json_string_ref(ps->a, s) : NULL;
	case 't': return literal(ps, "true", cJSON_True);
	case 'f': return literal(ps, "false", cJSON_False);
	case 'n': return literal(ps, "null", cJSON_NULL);
	default: return number(ps);
	}
}

cJSON *arena_json_parse(struct arena *a, const char *s, size_t n)
{
	char *copy = s != NULL ? arena_strndup(a, s, n) : NULL;
	struct parse ps = { a, copy, copy + n };
	cJSON *v;

	if (copy == NULL)
		return NULL;
	v = value(&ps, 0);
	ws(&ps);
	return v != NULL && ps.p == ps.end ? v : NULL;
}
