/* plate.c — GA 36-2018 plate grammar.  Works on code points: the input is
 * folded (separators dropped, full width and lower case mapped) and then
 * matched against each plate form; the first mismatch names the reason. */
#include <string.h>
#include "plate.h"
#include "utf8.h"

static const char *const provinces[PLATE_PROVINCES] = {
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙",
	"皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝",
	"川", "贵", "云", "藏", "陕", "甘", "青", "宁", "新",
};

#define CP_SHI	0x4F7F	/* 使 */
#define CP_LING	0x9886	/* 领 */
#define CP_GUA	0x6302	/* 挂 */
#define CP_XUE	0x5B66	/* 学 */
#define CP_JING	0x8B66	/* 警 */
#define CP_GANG	0x6E2F	/* 港 */
#define CP_AO	0x6FB3	/* 澳 */
#define CP_YING	0x5E94	/* 应 */
#define CP_JI	0x6025	/* 急 */

#define MAXCP 16

const char *plate_province(int i)
{
	return i >= 0 && i < PLATE_PROVINCES ? provinces[i] : NULL;
}

static int province_index(uint32_t cp)
{
	for (int i = 0; i < PLATE_PROVINCES; i++) {
		uint32_t p;
		utf8_decode(provinces[i], strlen(provinces[i]), &p);
		if (p == cp)
			return i;
	}
	return -1;
}

static int is_separator(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0 ||
	       c == 0x00B7 || c == 0x2022 || c == 0x30FB || c == 0x2027 ||
	       c == 0xFF65 || c == '-' || c == '.' || c == '_' ||
	       (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	       c == 0xFF0D || c == 0xFF0E || c == 0x3002;
}

/* Folds one code point: full width to ASCII, lower to upper case. */
static uint32_t fold(uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	return c;
}

static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static int is_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }

/* Checks a serial of n characters: letters or digits, no I or O, at most
 * max_letters letters. */
static int serial_ok(const uint32_t *c, int n, int max_letters, gl_msg *err)
{
	int letters = 0;

	for (int i = 0; i < n; i++) {
		if (c[i] == 'I' || c[i] == 'O') {
			glmsg_set(err, "号牌序号不使用字母 I 或 O（可能是数字 1 或 0）",
				  "plate serials never use the letters I or O (did you mean 1 or 0?)");
			return -1;
		}
		if (is_upper(c[i])) {
			letters++;
		} else if (!is_digit(c[i])) {
			glmsg_set(err, "号牌序号只能是字母或数字",
				  "a plate serial holds only letters and digits");
			return -1;
		}
	}
	if (letters > max_letters) {
		glmsg_set(err, "号牌序号最多含 %d 个字母", "a plate serial holds at most %d letters",
			  max_letters);
		return -1;
	}
	return 0;
}

static int all_digits(const uint32_t *c, int n)
{
	for (int i = 0; i < n; i++)
		if (!is_digit(c[i]))
			return 0;
	return 1;
}

static int encode_all(const uint32_t *c, int n, char *out, size_t cap)
{
	size_t o = 0;

	for (int i = 0; i < n; i++) {
		char b[4];
		size_t k = utf8_encode(c[i], b);
		if (k == 0 || o + k >= cap)
			return -1;
		memcpy(out + o, b, k);
		o += k;
	}
	out[o] = '\0';
	return 0;
}

/* Matches the folded code points against every form. */
static int match(const uint32_t *c, int n, enum plate_kind *kind, gl_msg *err)
{
	uint32_t last;

	if (c[0] == CP_SHI) {
		if (n != 7 || !all_digits(c + 1, 6)) {
			glmsg_set(err, "使馆号牌应为“使”加 6 位数字", "an embassy plate is 使 and 6 digits");
			return -1;
		}
		*kind = PLATE_EMBASSY;
		return 0;
	}
	if (province_index(c[0]) < 0) {
		glmsg_set(err, "号牌应以省份简称开头（如 豫）",
			  "a plate starts with a province character (such as 豫)");
		return -1;
	}
	if (n < 2 || !is_upper(c[1])) {
		glmsg_set(err, "省份简称后应为发牌机关字母（A–Z）",
			  "the province character is followed by the authority letter (A-Z)");
		return -1;
	}
	if (c[1] == 'I' || c[1] == 'O') {
		glmsg_set(err, "发牌机关代号不使用 I 或 O", "authority letters never use I or O");
		return -1;
	}
	last = c[n - 1];
	if (n == 8 && c[6] == CP_YING && c[7] == CP_JI) {
		*kind = PLATE_EMERGENCY;
		return serial_ok(c + 2, 4, 2, err);
	}
	if ((last == CP_GUA || last == CP_XUE || last == CP_JING || last == CP_GANG ||
	     last == CP_AO || last == CP_LING) && n != 7) {
		glmsg_set(err, "带“挂学警港澳领”的号牌为 7 位：省份、字母、4 位序号和该字（现有 %d 位）",
			  "wrong plate length: a plate ending in 挂 学 警 港 澳 or 领 has 7 characters (got %d)", n);
		return -1;
	}
	if (n >= 2 && c[n - 2] == CP_YING && last == CP_JI && n != 8) {
		glmsg_set(err, "应急号牌为 8 位：省份、字母、4 位序号和“应急”（现有 %d 位）",
			  "wrong plate length: an emergency plate has 8 characters (got %d)", n);
		return -1;
	}
	if (n == 7 && last > 0x7F) {
		switch (last) {
		case CP_GUA: *kind = PLATE_TRAILER; break;
		case CP_XUE: *kind = PLATE_COACH; break;
		case CP_JING: *kind = PLATE_POLICE; break;
		case CP_GANG: *kind = PLATE_HONGKONG; break;
		case CP_AO: *kind = PLATE_MACAU; break;
		case CP_LING: *kind = PLATE_CONSULATE; break;
		default:
			glmsg_set(err, "号牌末位汉字只能是 挂 学 警 港 澳 领",
				  "the last character of a plate can only be 挂 学 警 港 澳 or 领");
			return -1;
		}
		return serial_ok(c + 2, 4, 2, err);
	}
	for (int i = 2; i < n; i++) {
		if (c[i] > 0x7F) {
			glmsg_set(err, "号牌第 %d 位不应是汉字", "position %d of a plate cannot be a Chinese character",
				  i + 1);
			return -1;
		}
	}
	if (n == 7) {
		*kind = PLATE_ORDINARY;
		return serial_ok(c + 2, 5, 2, err);
	}
	if (n == 8) {
		if (c[2] == 'D' || c[2] == 'F') {
			*kind = PLATE_NEV_SMALL;
			if (serial_ok(c + 3, 1, 1, err) != 0)
				return -1;
			if (!all_digits(c + 4, 4)) {
				glmsg_set(err, "小型新能源号牌末 4 位应为数字",
					  "a small new-energy plate ends in 4 digits");
				return -1;
			}
			return 0;
		}
		if (last == 'D' || last == 'F') {
			*kind = PLATE_NEV_LARGE;
			if (!all_digits(c + 2, 5)) {
				glmsg_set(err, "大型新能源号牌 D/F 前应为 5 位数字",
					  "a large new-energy plate has 5 digits before D/F");
				return -1;
			}
			return 0;
		}
		glmsg_set(err, "8 位号牌为新能源号牌，第 3 位或末位应为 D 或 F",
			  "an 8-character plate is new-energy: D or F third or last");
		return -1;
	}
	glmsg_set(err, "号牌长度不对：普通号牌 7 位，新能源号牌 8 位（现有 %d 位）",
		  "wrong plate length: 7 characters, 8 for new-energy (got %d)", n);
	return -1;
}

int plate_parse(const char *in, const char *local_province, struct plate *out,
		gl_msg *err)
{
	uint32_t c[MAXCP + 1];
	size_t len, i = 0;
	int n = 0;

	memset(out, 0, sizeof *out);
	if (in == NULL)
		in = "";
	len = strlen(in);
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode(in + i, len - i, &cp);
		if (k == 0) {
			glmsg_set(err, "号牌含有无效字符编码", "the plate is not valid UTF-8 text");
			return -1;
		}
		i += k;
		if (is_separator(cp))
			continue;
		if (n == MAXCP) {
			glmsg_set(err, "号牌过长", "too long for a plate");
			return -1;
		}
		c[n++] = fold(cp);
	}
	if (n == 0) {
		glmsg_set(err, "号牌为空", "the plate is empty");
		return -1;
	}
	if (is_upper(c[0]) && local_province != NULL && n < MAXCP) {
		uint32_t p;
		if (utf8_decode(local_province, strlen(local_province), &p) > 0 &&
		    province_index(p) >= 0) {
			memmove(c + 1, c, (size_t)n * sizeof c[0]);
			c[0] = p;
			n++;
		}
	}
	if (match(c, n, &out->kind, err) != 0)
		return -1;
	if (encode_all(c, n, out->canon, sizeof out->canon) != 0) {
		glmsg_set(err, "号牌过长", "too long for a plate");
		return -1;
	}
	return 0;
}

int plate_looks_like(const char *s)
{
	uint32_t cp;
	size_t k = utf8_decode(s, strlen(s), &cp);

	return k > 0 && (cp == CP_SHI || province_index(cp) >= 0);
}
