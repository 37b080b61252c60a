/* glmsg.h — a user-facing message in Chinese and English.  Library code fills
 * one of these instead of printing; cli/tui choose the language to show. */
#ifndef GL_MSG_H
#define GL_MSG_H
#include <stddef.h>

typedef struct gl_msg {
	char zh[256];
	char en[256];
} gl_msg;

/* Sets both texts from printf-style formats sharing the same arguments, which
 * must appear in the same order in both formats.  m may be NULL. */
void glmsg_set(gl_msg *m, const char *zh_fmt, const char *en_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets m to "prefix：inner" / "prefix: inner"; the prefix formats share the
 * arguments.  inner may be m itself. */
void glmsg_prefix(gl_msg *m, const gl_msg *inner, const char *zh_fmt, const char *en_fmt, ...)
	__attribute__((format(printf, 4, 5)));

void glmsg_clear(gl_msg *m);

/* Whether the user reads Chinese: LC_ALL, else LC_MESSAGES, else LANG,
 * beginning with "zh". */
int glmsg_env_zh(void);

/* The text in the chosen language (zh != 0: Chinese).  Borrowed from m. */
const char *glmsg_text(const gl_msg *m, int zh);

#endif
