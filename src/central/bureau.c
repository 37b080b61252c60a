/* bureau.c — a county bureau's CSV rows, merged into records. */
#include <stdio.h>
#include <string.h>
#include "bureau.h"
#include "idno.h"
#include "plate.h"
#include "utf8.h"

enum ctype { C_TEXT, C_BOOL, C_PLATE, C_IDNO };

static const struct form {
	const char *kind;
	struct { const char *name; enum ctype type; } cols[BUREAU_COLS];
} forms[] = {
	{ "enterprise", { { "id", C_TEXT }, { "name", C_TEXT }, { "sector", C_TEXT }, { "region", C_TEXT },
			  { "whitelisted", C_BOOL }, { "status", C_TEXT } } },
	{ "vehicle", { { "plate", C_PLATE }, { "enterprise_id", C_TEXT }, { "relation", C_TEXT }, { "type", C_TEXT },
		       { "trailer_plate", C_PLATE } } },
	{ "driver", { { "id_no", C_IDNO }, { "name", C_TEXT }, { "phone", C_TEXT }, { "transport_whitelist", C_BOOL },
		      { "health_code", C_TEXT }, { "itinerary", C_TEXT } } },
};
#define NFORMS (int)(sizeof forms / sizeof forms[0])

/* Splits a line into at most max cells (RFC 4180 quoting, one line):
 * their number, or -1. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line, *o;

	while (n < max) {
		f[n++] = o = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*o++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*o++ = *p++;
				}
			}
			if (*p != ',' && *p != '\0')
				return -1;
		} else {
			while (*p != ',' && *p != '\0')
				*o++ = *p++;
		}
		if (*p == '\0') {
			*o = '\0';
			return n;
		}
		*o = '\0';
		p++;
	}
	return -1;
}

static int boolean(const char *s, int *out)
{
	static const char *const yes[] = { "1", "yes", "true", "是" }, *const no[] = { "0", "no", "false", "否" };

	for (int i = 0; i < 4; i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return 0;
		}
	}
	return -1;
}

int bureau_header(const char *kind, char *line, struct bureau_head *h, gl_msg *err)
{
	char *cell[BUREAU_COLS + 1], shown[64];
	int n;

	memset(h, 0, sizeof *h);
	h->form = -1;
	for (int i = 0; i < NFORMS; i++)
		if (strcmp(kind, forms[i].kind) == 0)
			h->form = i;
	if (h->form < 0) {
		glmsg_set(err, "CSV 只能导入 enterprise、vehicle 或 driver", "a CSV holds enterprise, vehicle or driver records");
		return -1;
	}
	/* A UTF-8 byte order mark, as spreadsheet programs write it. */
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	n = split(line, cell, BUREAU_COLS + 1);
	if (n < 1 || n > BUREAU_COLS) {
		glmsg_set(err, "表头无法读取", "the header row cannot be read");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int k = -1;
		for (int c = 0; c < BUREAU_COLS && forms[h->form].cols[c].name != NULL; c++)
			if (strcmp(cell[i], forms[h->form].cols[c].name) == 0)
				k = c;
		utf8_excerpt(cell[i], 24, shown, sizeof shown);
		if (k < 0) {
			glmsg_set(err, "“%s”不是 %s 的列", "unknown column \"%s\" for %s", shown, kind);
			return -1;
		}
		for (int j = 0; j < i; j++)
			if (h->col[j] == k) {
				glmsg_set(err, "列“%s”出现两次", "column \"%s\" appears twice", shown);
				return -1;
			}
		h->col[i] = k;
	}
	if (h->col[0] != 0) {
		glmsg_set(err, "第一列必须是 %s", "the first column must be %s", forms[h->form].cols[0].name);
		return -1;
	}
	h->ncols = n;
	return 0;
}

const char *bureau_kind(const struct bureau_head *h)
{
	return forms[h->form].kind;
}

static void set(cJSON *rec, const char *name, cJSON *v)
{
	if (cJSON_GetObjectItemCaseSensitive(rec, name) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(rec, name, v);
	else
		cJSON_AddItemToObject(rec, name, v);
}

int bureau_row(const struct bureau_head *h, char *line, cJSON *rec, char key[RECORD_KEY_MAX], gl_msg *err)
{
	const struct form *f = &forms[h->form];
	char *cell[BUREAU_COLS + 1], out[RECORD_KEY_MAX], shown[64];
	int n = split(line, cell, BUREAU_COLS + 1);

	if (n != h->ncols) {
		glmsg_set(err, "有 %d 格，表头有 %d 列", "%d cells, the header has %d", n, h->ncols);
		return -1;
	}
	key[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *name = f->cols[h->col[i]].name;
		struct plate p;
		gl_msg why;
		int b;
		if (cell[i][0] == '\0') {
			if (i == 0) {
				glmsg_set(err, "缺少 %s", "no %s", name);
				return -1;
			}
			continue;	/* left as it was */
		}
		if (!utf8_valid(cell[i], strlen(cell[i]))) {
			glmsg_set(err, "%s 不是 UTF-8 文本", "%s is not UTF-8 text", name);
			return -1;
		}
		utf8_excerpt(cell[i], 24, shown, sizeof shown);
		switch (f->cols[h->col[i]].type) {
		case C_BOOL:
			if (boolean(cell[i], &b) != 0) {
				glmsg_set(err, "%s 应为 是/否（yes/no、1/0）", "%s is not yes/no", name);
				return -1;
			}
			set(rec, name, cJSON_CreateBool(b));
			continue;
		case C_PLATE:
			if (plate_parse(cell[i], NULL, &p, &why) != 0) {
				glmsg_prefix(err, &why, "%s“%s”", "%s \"%s\"", name, shown);
				return -1;
			}
			snprintf(out, sizeof out, "%s", p.canon);
			break;
		case C_IDNO:
			if (idno_parse(cell[i], INT64_MAX / 2, out, &why) != 0) {
				glmsg_prefix(err, &why, "%s", "%s", name);	/* never shown whole */
				return -1;
			}
			break;
		default:
			snprintf(out, sizeof out, "%s", cell[i]);
			if (strlen(cell[i]) >= sizeof out) {
				glmsg_set(err, "%s 过长", "%s is too long", name);
				return -1;
			}
		}
		set(rec, name, cJSON_CreateString(out));
		if (i == 0)
			snprintf(key, RECORD_KEY_MAX, "%s", out);
	}
	return 0;
}
