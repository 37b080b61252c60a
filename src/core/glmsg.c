/* glmsg.c — bilingual messages filled by library code.  Never prints. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glmsg.h"

void glmsg_set(gl_msg *m, const char *zh_fmt, const char *en_fmt, ...)
{
	va_list ap, ap2;

	if (m == NULL)
		return;
	va_start(ap, en_fmt);
	va_copy(ap2, ap);
	vsnprintf(m->zh, sizeof m->zh, zh_fmt, ap);
	vsnprintf(m->en, sizeof m->en, en_fmt, ap2);
	va_end(ap2);
	va_end(ap);
}

void glmsg_prefix(gl_msg *m, const gl_msg *inner, const char *zh_fmt, const char *en_fmt, ...)
{
	gl_msg in = *inner;
	char zh[sizeof m->zh], en[sizeof m->en];
	va_list ap, ap2;

	if (m == NULL)
		return;
	va_start(ap, en_fmt);
	va_copy(ap2, ap);
	vsnprintf(zh, sizeof zh, zh_fmt, ap);
	vsnprintf(en, sizeof en, en_fmt, ap2);
	va_end(ap2);
	va_end(ap);
	snprintf(m->zh, sizeof m->zh, "%s：%s", zh, in.zh);
	snprintf(m->en, sizeof m->en, "%s: %s", en, in.en);
}

void glmsg_clear(gl_msg *m)
{
	if (m != NULL)
		m->zh[0] = m->en[0] = '\0';
}

const char *glmsg_text(const gl_msg *m, int zh)
{
	return zh ? m->zh : m->en;
}

int glmsg_env_zh(void)
{
	const char *lang = getenv("LC_ALL");

	if (lang == NULL || *lang == '\0')
		lang = getenv("LC_MESSAGES");
	if (lang == NULL || *lang == '\0')
		lang = getenv("LANG");
	return lang != NULL && strncmp(lang, "zh", 2) == 0;
}
