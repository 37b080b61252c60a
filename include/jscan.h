/* jscan.h — a validating JSON scanner that allocates nothing: it checks that
 * a text is well-formed JSON (RFC 8259) and reports the members of an object
 * or the elements of an array as spans of the original text.  The import path
 * uses it so that a record's data is stored exactly as the centre sent it,
 * without building and re-printing a tree.  Pure. */
#ifndef GL_JSCAN_H
#define GL_JSCAN_H
#include <stddef.h>

enum jscan_type { JS_NULL, JS_FALSE, JS_TRUE, JS_NUMBER, JS_STRING, JS_ARRAY, JS_OBJECT };

struct jscan_span {
	const char *p;		/* first byte of the value (a string includes its quotes) */
	size_t n;
	enum jscan_type type;
};

struct jscan_member {
	struct jscan_span key;	/* a string span, quotes included */
	struct jscan_span value;
};

#define JSCAN_MAX_DEPTH 64
#define JSCAN_MAX_MEMBERS 256	/* an object with more is refused (a record has a few dozen) */

/* Validates that s[0..n) is one JSON object (white space around allowed) and
 * fills up to max members.  Objects at every depth must have distinct member
 * names (I-JSON, RFC 7493: "a" and "\u0061" are one name) and at most
 * JSCAN_MAX_MEMBERS members.  Returns the number of members (which may exceed
 * max: only max are filled), JSCAN_DUPLICATE if a name is repeated, or -1
 * if the text is not a well-formed object otherwise. */
#define JSCAN_DUPLICATE (-2)
int jscan_object(const char *s, size_t n, struct jscan_member *m, int max);

/* The same for a JSON array: fills up to max element spans. */
int jscan_array(const char *s, size_t n, struct jscan_span *e, int max);

/* The member named key (ASCII, no escapes needed), or NULL. */
const struct jscan_span *jscan_get(const struct jscan_member *m, int n, const char *key);

/* Unescapes a string span into out (cap bytes, NUL-terminated).  Returns the
 * length, or -1 if the span is not a string, does not fit, or holds \u0000 or
 * an unpaired surrogate. */
int jscan_string(const struct jscan_span *s, char *out, size_t cap);

#endif
