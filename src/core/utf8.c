/* utf8.c — strict UTF-8 per RFC 3629: rejects overlongs, surrogates and
 * anything above U+10FFFF.  Pure functions. */
#include <string.h>
#include "utf8.h"

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t len, i;

	*cp = 0xFFFD;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xE0) == 0xC0) {
		len = 2; c = u[0] & 0x1F; min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3; c = u[0] & 0x0F; min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4; c = u[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp >= 0xD800 && cp <= 0xDFFF) {
		return 0;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	} else if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

int utf8_valid(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0)
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}

size_t utf8_excerpt(const char *s, size_t max_cp, char *out, size_t cap)
{
	static const char ellipsis[] = "\xE2\x80\xA6";	/* … */
	size_t len = 0, n = strlen(s), taken = 0;

	if (cap == 0)
		return 0;
	while (n > 0 && taken < max_cp) {
		uint32_t cp;
		char enc[4];
		size_t k = utf8_decode(s, n, &cp), m;
		if (k == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
			cp = 0xFFFD;
			k = k == 0 ? 1 : k;
		}
		m = utf8_encode(cp, enc);
		if (len + m >= cap)
			break;
		memcpy(out + len, enc, m);
		len += m;
		s += k;
		n -= k;
		taken++;
	}
	if (n > 0 && len + sizeof ellipsis - 1 < cap) {
		memcpy(out + len, ellipsis, sizeof ellipsis - 1);
		len += sizeof ellipsis - 1;
	}
	out[len] = '\0';
	return len;
}
