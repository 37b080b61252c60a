/* tube.c — sample tube numbers: a configurable shape, and never the shape of
 * anything else an officer scans at the lane. */
#include <regex.h>
#include <string.h>
#include "idno.h"
#include "query.h"
#include "tube.h"
#include "utf8.h"

static const char *pattern_or_default(const char *pattern)
{
	return pattern != NULL && pattern[0] != '\0' ? pattern : TUBE_DEFAULT_PATTERN;
}

int tube_pattern_check(const char *pattern, gl_msg *err)
{
	regex_t re;

	if (regcomp(&re, pattern_or_default(pattern), REG_EXTENDED | REG_NOSUB) != 0) {
		glmsg_set(err, "采样管号格式不是有效的正则表达式：%s", "the tube pattern is not a valid regular expression: %s",
			  pattern);
		return -1;
	}
	regfree(&re);
	return 0;
}

int tube_parse(const char *in, const char *pattern, int64_t now, char out[TUBE_MAX], gl_msg *err)
{
	char t[TUBE_MAX], shown[64];
	size_t n;
	struct query q;
	regex_t re;
	int ok;

	if (in == NULL)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	n = strlen(in);
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	utf8_excerpt(in, 24, shown, sizeof shown);
	if (n == 0) {
		glmsg_set(err, "采样管号为空", "the tube number is empty");
		return -1;
	}
	if (n >= TUBE_MAX) {
		glmsg_set(err, "“%s”太长，不是采样管号", "\"%s\" is too long for a tube number", shown);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		t[i] = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 'a' + 'A') : in[i];
	t[n] = '\0';
	/* A plate, ID or pass in the tube prompt: scanned into the wrong field. */
	if (query_parse(t, NULL, now, &q, NULL) == 0) {
		static const char *const zh[] = { "车牌", "身份证号", "通行证编号", "通行证二维码" };
		static const char *const en[] = { "a plate", "an ID number", "a pass number", "a pass code" };
		if (q.kind == QUERY_IDNO)	/* never shown whole */
			idno_mask(q.value, shown);
		/* Each language prints its own word (%.0s skips the other). */
		glmsg_set(err, "“%s”是%s%.0s，不是采样管号", "\"%s\" is %.0s%s, not a tube number", shown, zh[q.kind],
			  en[q.kind]);
		return -1;
	}
	if (regcomp(&re, pattern_or_default(pattern), REG_EXTENDED | REG_NOSUB) != 0) {
		glmsg_set(err, "采样管号格式不是有效的正则表达式：%s", "the tube pattern is not a valid regular expression: %s",
			  pattern);
		return -1;
	}
	ok = regexec(&re, t, 0, NULL, 0) == 0;
	regfree(&re);
	if (!ok) {
		if (pattern == NULL || pattern[0] == '\0')
			glmsg_set(err, "“%s”不是采样管号：应为 4 至 24 位字母、数字或连字符",
				  "\"%s\" is not a tube number: 4 to 24 letters, digits or hyphens", shown);
		else
			glmsg_set(err, "“%s”不符合本车道的采样管号格式 %s", "\"%s\" does not match this lane's tube pattern %s",
				  shown, pattern);
		return -1;
	}
	memcpy(out, t, n + 1);
	return 0;
}
