/* csv.c — RFC 4180 fields. */
#include <string.h>
#include "csv.h"

size_t csv_field(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	int quote;

	if (s == NULL)
		s = "";
	quote = strpbrk(s, ",\"\r\n") != NULL;
	/* Room is kept for the closing quote and the NUL. */
	if (quote && cap > 3)
		out[o++] = '"';
	for (; *s; s++) {
		size_t need = (quote && *s == '"' ? 2 : 1) + (quote ? 1 : 0) + 1;
		size_t k = 1;
		/* A UTF-8 sequence goes whole or not at all. */
		if ((unsigned char)*s >= 0xC0)
			for (; (s[k] & 0xC0) == 0x80; k++)
				;
		if (o + need + k - 1 > cap)
			break;
		if (quote && *s == '"')
			out[o++] = '"';
		memcpy(out + o, s, k);
		o += k;
		s += k - 1;
	}
	if (quote && o > 0)
		out[o++] = '"';
	out[o] = '\0';
	return o;
}
