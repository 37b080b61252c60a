/* dynbuf.h — one growable buffer with a hard maximum given at init (as
 * curl's dynbuf): what would take it past the maximum is refused and the
 * buffer stays as it was.  Bytes are kept NUL-terminated, so a text buffer
 * is always a string; an array of structs is kept the same way, by size.
 * Pure. */
#ifndef GL_DYNBUF_H
#define GL_DYNBUF_H
#include <stddef.h>

struct dynbuf {
	char *p;		/* NULL until the first byte */
	size_t len, cap, max;
};

enum { DYNBUF_OK = 0, DYNBUF_TOO_BIG = -1, DYNBUF_NOMEM = -2 };

/* An empty buffer that will never hold more than max bytes. */
void dynbuf_init(struct dynbuf *b, size_t max);

/* Appends n bytes: DYNBUF_OK, or DYNBUF_TOO_BIG / DYNBUF_NOMEM with the
 * buffer unchanged. */
int dynbuf_add(struct dynbuf *b, const void *data, size_t n);

/* Room for n more bytes, appended zeroed: a pointer to them, or NULL (the
 * buffer unchanged).  The pointer lasts until the next change. */
void *dynbuf_grow(struct dynbuf *b, size_t n);

/* Empties it (keeping its memory); frees it; hands its memory over (the
 * caller frees; NULL if empty) and leaves it empty. */
void dynbuf_reset(struct dynbuf *b);
void dynbuf_free(struct dynbuf *b);
char *dynbuf_take(struct dynbuf *b);

#endif
