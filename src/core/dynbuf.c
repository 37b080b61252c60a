/* dynbuf.c — a growable buffer with a hard maximum. */
#include <stdlib.h>
#include <string.h>
#include "dynbuf.h"

#define FIRST 256

void dynbuf_init(struct dynbuf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void *dynbuf_grow(struct dynbuf *b, size_t n)
{
	size_t need, cap;
	char *np;

	if (n > b->max || b->len > b->max - n)
		return NULL;
	need = b->len + n + 1;	/* and its NUL */
	if (need > b->cap) {
		cap = b->cap ? b->cap : FIRST;
		while (cap < need)
			cap = cap > (size_t)-1 / 2 ? need : cap * 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		np = realloc(b->p, cap);
		if (np == NULL)
			return NULL;
		b->p = np;
		b->cap = cap;
	}
	np = b->p + b->len;
	memset(np, 0, n + 1);
	b->len += n;
	return np;
}

int dynbuf_add(struct dynbuf *b, const void *data, size_t n)
{
	char *to;

	if (n > b->max || b->len > b->max - n)
		return DYNBUF_TOO_BIG;
	to = dynbuf_grow(b, n);
	if (to == NULL)
		return DYNBUF_NOMEM;
	if (n > 0)
		memcpy(to, data, n);
	return DYNBUF_OK;
}

void dynbuf_reset(struct dynbuf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void dynbuf_free(struct dynbuf *b)
{
	free(b->p);
	dynbuf_init(b, b->max);
}

char *dynbuf_take(struct dynbuf *b)
{
	char *p = b->p;

	dynbuf_init(b, b->max);
	return p;
}
