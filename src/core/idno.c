/* idno.c — GB 11643 identity numbers and GB/T 2260 region prefixes. */
#include <stdint.h>
#include <string.h>
#include "gltime.h"
#include "idno.h"
#include "utf8.h"

static const char provinces[][3] = {
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
	"35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
	"53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
};

int region_province_valid(const char *code)
{
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (code[0] == provinces[i][0] && code[1] == provinces[i][1])
			return 1;
	return 0;
}

int region_code_valid(const char *s)
{
	if (s == NULL || strlen(s) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return region_province_valid(s);
}

size_t region_prefix(const char *area)
{
	if (!region_code_valid(area))
		return 0;
	if (strcmp(area + 2, "0000") == 0)
		return 2;
	return strcmp(area + 4, "00") == 0 ? 4 : 6;
}

int region_covers(const char *area, const char *code)
{
	size_t n = region_prefix(area);

	return n > 0 && region_code_valid(code) && strncmp(area, code, n) == 0;
}

char idno_check_char(const char *first17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return map[sum % 11];
}

void idno_mask(const char *id, char out[IDNO_MAX])
{
	size_t n = strlen(id);

	if (n != 18) {
		memset(out, '*', n < IDNO_MAX - 1 ? n : IDNO_MAX - 1);
		out[n < IDNO_MAX - 1 ? n : IDNO_MAX - 1] = '\0';
		return;
	}
	memcpy(out, id, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, id + 14, 4);
	out[18] = '\0';
}

int idno_fold(const char *in, char *out, size_t cap)
{
	size_t len = strlen(in), i = 0, n = 0;

	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode(in + i, len - i, &cp);
		if (k == 0)
			return -2;
		i += k;
		if (cp == ' ' || cp == 0x3000 || cp == '-' || cp == '\t')
			continue;
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp -= 0xFEE0;
		if (cp == 0xFF38 || cp == 0xFF58 || cp == 'x')
			cp = 'X';
		if (!((cp >= '0' && cp <= '9') || cp == 'X'))
			return -1;
		if (n + 1 < cap)
			out[n] = (char)cp;
		n++;
	}
	if (cap > 0)
		out[n < cap ? n : cap - 1] = '\0';
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int idno_parse(const char *in, int64_t today, char out[IDNO_MAX], gl_msg *err)
{
	char s[IDNO_MAX];
	int y, m, d, ty, tm, td, folded;
	size_t n;

	folded = idno_fold(in != NULL ? in : "", s, sizeof s);
	if (folded == -2) {
		glmsg_set(err, "身份证号含有无效字符编码", "the ID number is not valid UTF-8 text");
		return -1;
	}
	if (folded == -1) {
		glmsg_set(err, "身份证号只能含数字和末位 X", "an ID number holds digits and a final X only");
		return -1;
	}
	n = (size_t)folded;
	if (n != 18 && n != 15) {
		glmsg_set(err, "身份证号应为 18 位（或旧式 15 位），现有 %zu 位",
			  "an ID number has 18 characters (or 15 for the old form), got %zu", n);
		return -1;
	}
	if (n == 15 && strchr(s, 'X') != NULL) {
		glmsg_set(err, "15 位身份证号只含数字", "a 15-digit ID number holds digits only");
		return -1;
	}
	for (size_t j = 0; j < n - (n == 18); j++) {
		if (s[j] == 'X') {
			glmsg_set(err, "X 只能是身份证号的末位", "X can only be the last character of an ID number");
			return -1;
		}
	}
	if (n == 15) {
		memmove(s + 8, s + 6, 9);
		s[6] = '1';
		s[7] = '9';
		s[17] = idno_check_char(s);
		s[18] = '\0';
	}
	/* Residence permits for Hong Kong, Macao and Taiwan residents start
	 * 810000, 820000 and 830000; 83 is no province of GB/T 2260. */
	if (!region_province_valid(s) && memcmp(s, "830000", 6) != 0) {
		glmsg_set(err, "身份证号前两位 %.2s 不是有效的省级行政区划代码",
			  "the first two digits %.2s are not a province code", s);
		return -1;
	}
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	gltime_civil_from_days((today + GLTIME_CST * 60) / 86400, &ty, &tm, &td);
	if (y < 1900 || !gltime_date_valid(y, m, d)) {
		glmsg_set(err, "身份证号中的出生日期 %.8s 不是有效日期",
			  "the birth date %.8s in the ID number is not a real date", s + 6);
		return -1;
	}
	if (y > ty || (y == ty && (m > tm || (m == tm && d > td)))) {
		glmsg_set(err, "身份证号中的出生日期 %.8s 在未来",
			  "the birth date %.8s in the ID number is in the future", s + 6);
		return -1;
	}
	if (idno_check_char(s) != s[17]) {
		glmsg_set(err, "身份证号校验位错误（应为 %c），请核对是否输错",
			  "the ID number's check character is wrong (expected %c): probably mistyped",
			  idno_check_char(s));
		return -1;
	}
	memcpy(out, s, IDNO_MAX);
	return 0;
}
