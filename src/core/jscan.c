/* jscan.c — recursive-descent JSON validation over spans.  Depth is bounded,
 * every byte is examined once per level, and strings must be valid UTF-8 with
 * no raw control characters, so what it accepts any JSON parser accepts. */
#include <string.h>
#include "jscan.h"
#include "utf8.h"

struct cur {
	const char *p, *end;
	int dup;		/* the text failed on a repeated member name */
};

static void ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		*v <<= 4;
		if (ch >= '0' && ch <= '9')
			*v |= (unsigned)(ch - '0');
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			*v |= (unsigned)((ch | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

static int string(struct cur *c)
{
	unsigned v;

	if (c->p >= c->end || *c->p != '"')
		return -1;
	c->p++;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p;
		if (ch == '"') {
			c->p++;
			return 0;
		}
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (c->end - c->p < 2)
				return -1;
			switch (c->p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				c->p += 2;
				break;
			case 'u': {
				/* Surrogates must pair, and NUL is refused: what this
				 * accepts, every JSON parser turns into the same text. */
				unsigned lo;
				if (c->end - c->p < 6 || hex4(c->p + 2, &v) != 0 || v == 0 ||
				    (v >= 0xDC00 && v <= 0xDFFF))
					return -1;
				c->p += 6;
				if (v >= 0xD800 && v <= 0xDBFF) {
					if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u' ||
					    hex4(c->p + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
						return -1;
					c->p += 6;
				}
				break;
			}
			default:
				return -1;
			}
		} else if (ch < 0x80) {
			c->p++;
		} else if (ch >= 0xE1 && ch <= 0xEC && c->end - c->p >= 3 &&
			   ((unsigned char)c->p[1] & 0xC0) == 0x80 && ((unsigned char)c->p[2] & 0xC0) == 0x80) {
			/* The common case in this data: a Chinese character, whose
			 * three bytes can be neither overlong nor a surrogate. */
			c->p += 3;
		} else {
			uint32_t cp;
			size_t k = utf8_decode(c->p, (size_t)(c->end - c->p), &cp);
			if (k == 0)
				return -1;
			c->p += k;
		}
	}
	return -1;
}

static int digits(struct cur *c)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s ? 0 : -1;
}

static int number(struct cur *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (digits(c) != 0)
		return -1;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (digits(c) != 0)
			return -1;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (digits(c) != 0)
			return -1;
	}
	return 0;
}

static int literal(struct cur *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

static int value(struct cur *c, int depth, struct jscan_span *out);

/* The next code point of a validated string's contents at *p (escapes and
 * UTF-8 decoded), or -1 at its closing quote. */
static long next_cp(const char **p)
{
	const char *s = *p;
	unsigned v, lo;
	uint32_t cp;
	size_t k;

	if (*s == '"')
		return -1;
	if (*s != '\\') {
		k = utf8_decode(s, 4, &cp);
		*p = s + (k > 0 ? k : 1);
		return (long)cp;
	}
	switch (s[1]) {
	case 'b': *p = s + 2; return '\b';
	case 'f': *p = s + 2; return '\f';
	case 'n': *p = s + 2; return '\n';
	case 'r': *p = s + 2; return '\r';
	case 't': *p = s + 2; return '\t';
	case 'u':
		hex4(s + 2, &v);
		*p = s + 6;
		if (v >= 0xD800 && v <= 0xDBFF) {
			hex4(s + 8, &lo);
			*p = s + 12;
			v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
		}
		return (long)v;
	default: *p = s + 2; return (unsigned char)s[1];
	}
}

/* 1 if two validated string spans (at their opening quotes) name the same
 * text: "a" and "\u0061" do. */
static int same_name(const char *a, const char *b)
{
	long x, y;

	a++;
	b++;
	do {
		x = next_cp(&a);
		y = next_cp(&b);
	} while (x == y && x >= 0);
	return x == y;
}

/* Scans an object or array at c; fills members (objects) or elements.  An
 * object's members must have distinct names (I-JSON, RFC 7493): a consumer
 * that keeps the last of two would read another record than this one. */
static int container(struct cur *c, int depth, int object, struct jscan_member *m,
		     struct jscan_span *e, int max)
{
	struct jscan_span names[JSCAN_MAX_MEMBERS];	/* type: JS_STRING, or JS_NULL if it has an escape */
	int count = 0;
	char close = object ? '}' : ']';

	if (depth > JSCAN_MAX_DEPTH)
		return -1;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		struct jscan_span key = { NULL, 0, JS_STRING }, val;
		ws(c);
		if (object) {
			key.p = c->p;
			if (string(c) != 0)
				return -1;
			key.n = (size_t)(c->p - key.p);
			if (count == JSCAN_MAX_MEMBERS)
				return -1;
			/* Names without escapes (nearly all) are the same only if
			 * their bytes are; with one, compare what they mean. */
			key.type = memchr(key.p, '\\', key.n) == NULL ? JS_STRING : JS_NULL;
			for (int i = 0; i < count; i++)
				if (key.type == JS_STRING && names[i].type == JS_STRING ?
				    names[i].n == key.n && memcmp(names[i].p, key.p, key.n) == 0 :
				    same_name(names[i].p, key.p)) {
					c->dup = 1;
					return -1;
				}
			names[count] = key;
			key.type = JS_STRING;
			ws(c);
			if (c->p >= c->end || *c->p != ':')
				return -1;
			c->p++;
			ws(c);
		}
		if (value(c, depth + 1, &val) != 0)
			return -1;
		if (count < max) {
			if (object && m != NULL) {
				m[count].key = key;
				m[count].value = val;
			} else if (!object && e != NULL) {
				e[count] = val;
			}
		}
		count++;
		ws(c);
		if (c->p >= c->end)
			return -1;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == close) {
			c->p++;
			return count;
		}
		return -1;
	}
}

static int value(struct cur *c, int depth, struct jscan_span *out)
{
	const char *start = c->p;
	int rc;

	if (c->p >= c->end)
		return -1;
	switch (*c->p) {
	case '{': out->type = JS_OBJECT; rc = container(c, depth, 1, NULL, NULL, 0) < 0 ? -1 : 0; break;
	case '[': out->type = JS_ARRAY; rc = container(c, depth, 0, NULL, NULL, 0) < 0 ? -1 : 0; break;
	case '"': out->type = JS_STRING; rc = string(c); break;
	case 't': out->type = JS_TRUE; rc = literal(c, "true"); break;
	case 'f': out->type = JS_FALSE; rc = literal(c, "false"); break;
	case 'n': out->type = JS_NULL; rc = literal(c, "null"); break;
	default: out->type = JS_NUMBER; rc = number(c); break;
	}
	out->p = start;
	out->n = (size_t)(c->p - start);
	return rc;
}

static int top(const char *s, size_t n, int object, struct jscan_member *m, struct jscan_span *e, int max)
{
	struct cur c = { s, s + n, 0 };
	int count;

	if (s == NULL)
		return -1;
	ws(&c);
	if (c.p >= c.end || *c.p != (object ? '{' : '['))
		return -1;
	count = container(&c, 1, object, m, e, max);
	if (count < 0)
		return c.dup ? JSCAN_DUPLICATE : -1;
	ws(&c);
	return c.p == c.end ? count : -1;
}

int jscan_object(const char *s, size_t n, struct jscan_member *m, int max)
{
	return top(s, n, 1, m, NULL, max);
}

int jscan_array(const char *s, size_t n, struct jscan_span *e, int max)
{
	return top(s, n, 0, NULL, e, max);
}


const struct jscan_span *jscan_get(const struct jscan_member *m, int n, const char *key)
{
	size_t len = strlen(key);

	for (int i = 0; i < n; i++)
		if (m[i].key.n == len + 2 && memcmp(m[i].key.p + 1, key, len) == 0)
			return &m[i].value;
	return NULL;
}

int jscan_string(const struct jscan_span *s, char *out, size_t cap)
{
	const char *p, *end;
	size_t o = 0;

	if (s == NULL || s->type != JS_STRING || s->n < 2 || cap == 0)
		return -1;
	p = s->p + 1;
	end = s->p + s->n - 1;
	while (p < end) {
		char buf[4];
		size_t k = 1;
		if (*p != '\\') {
			buf[0] = *p++;
		} else {
			unsigned v, lo;
			char esc = p[1];
			p += 2;
			switch (esc) {
			case 'b': buf[0] = '\b'; break;
			case 'f': buf[0] = '\f'; break;
			case 'n': buf[0] = '\n'; break;
			case 'r': buf[0] = '\r'; break;
			case 't': buf[0] = '\t'; break;
			case 'u':
				if (hex4(p, &v) != 0)
					return -1;
				p += 4;
				if (v >= 0xD800 && v <= 0xDBFF) {
					if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) != 0 ||
					    lo < 0xDC00 || lo > 0xDFFF)
						return -1;
					p += 6;
					v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				} else if ((v >= 0xDC00 && v <= 0xDFFF) || v == 0) {
					return -1;
				}
				k = utf8_encode(v, buf);
				break;
			default: buf[0] = esc; break;
			}
		}
		if (o + k >= cap)
			return -1;
		memcpy(out + o, buf, k);
		o += k;
	}
	out[o] = '\0';
	return (int)o;
}
