/* admin_data.c — loading records: the deterministic demo data set, NDJSON
 * in the wire format, and a county bureau's CSV merged into what is held.
 * Each runs in one transaction (admin.c): a bad line or row cancels the
 * whole file and is named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "admin.h"
#include "decide.h"
#include "bureau.h"
#include "demo.h"
#include "jscan.h"
#include "record.h"

/* One NDJSON line (the wire format, DESIGN.md §3): a put or a delete; a
 * trailer ({"cursor":…}) is skipped: the centre's own cursor is what
 * counts. */
int admin_import_line(struct cdb *db, const char *line, size_t len, long n, gl_msg *err)
{
	struct jscan_member m[16];
	char kind[32], op[8], key[160];
	const struct jscan_span *data;
	int nm = jscan_object(line, len, m, 16);

	if (nm < 0) {
		glmsg_set(err, "第 %ld 行不是 JSON 对象", "line %ld is not a JSON object", n);
		return -1;
	}
	if (jscan_get(m, nm, "kind") == NULL)
		return 0;	/* a trailer: the centre's own cursor is what counts */
	if (jscan_string(jscan_get(m, nm, "kind"), kind, sizeof kind) < 0 ||
	    jscan_string(jscan_get(m, nm, "op"), op, sizeof op) < 0 ||
	    jscan_string(jscan_get(m, nm, "key"), key, sizeof key) < 0) {
		glmsg_set(err, "第 %ld 行缺少 kind、op 或 key", "line %ld lacks kind, op or key", n);
		return -1;
	}
	if (strcmp(op, "del") == 0)
		return cdb_del(db, kind, key, err);
	data = jscan_get(m, nm, "data");
	if (strcmp(op, "put") != 0 || data == NULL || data->type != JS_OBJECT) {
		glmsg_set(err, "第 %ld 行：put 需要 data 对象", "line %ld: a put needs a data object", n);
		return -1;
	}
	{
		char *d = strndup(data->p, data->n);
		int rc = d != NULL ? cdb_put(db, kind, key, d, err) : -1;
		free(d);
		return rc;
	}
}

static int import(struct cdb *db, int argc, char **argv)
{
	const char *path = argc == 1 ? argv[0] : NULL;
	FILE *f = path == NULL ? NULL : strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long n = 0;
	gl_msg err;

	if (path == NULL)
		return ADMIN_USAGE;
	if (f == NULL) {
		admin_say("无法读取 %s", "cannot read %s", path);
		return 66;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		n++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > 0 && admin_import_line(db, line, (size_t)len, n, &err) != 0) {
			admin_fail(&err);
			free(line);
			if (f != stdin)
				fclose(f);
			return 65;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	admin_done("已导入 %ld 行", "imported %ld lines", n);
	return 0;
}

struct demo_sink {
	struct cdb *db;
	long n;
	gl_msg err;
};

static int demo_line(char *line, size_t len, void *arg)
{
	struct demo_sink *s = arg;

	return admin_import_line(s->db, line, len, ++s->n, &s->err);
}

static int demo(struct cdb *db, int argc, char **argv)
{
	long long size = DEMO_DEFAULT_SIZE;

	if (admin_opt(argc, argv, "--size") != NULL && central_whole(admin_opt(argc, argv, "--size"), 1, 100000000, &size) != 0) {
		admin_say("--size 须为不小于 1 的整数", "--size takes a whole number from 1");
		return 64;
	}
	{
		struct demo_sink s = { db, 0, { "", "" } };
		if (demo_generate((long)size, admin_now(), demo_line, &s) != 0) {
			admin_fail(&s.err);
			return 70;
		}
		admin_done("演示数据：%ld 条记录", "demo: %ld records", s.n);
	}
	return admin_init_keys(db);
}

/* import-csv KIND FILE: a county bureau's CSV (bureau.h), merged into the
 * records held; any bad row cancels the whole file.  The rows go by
 * batches: what is held for a whole batch is read at once (one round trip
 * on PostgreSQL, where a read between two writes would end their COPY
 * stream), then each row is merged and published in file order.  A key met
 * twice ends its batch first, so the second row merges into the first. */
#define CSV_BATCH 1000
#define CSV_SLOTS 2048	/* a power of two, over twice CSV_BATCH */

struct csv_batch {
	int n;
	long row[CSV_BATCH];
	char key[CSV_BATCH][RECORD_KEY_MAX];
	cJSON *rec[CSV_BATCH];	/* the row's cells */
	int slot[CSV_SLOTS];	/* 1 + the index of the key that hashes here; 0 free */
};

/* The slot of key in b: where it is, or the free one where it would go. */
static int *csv_slot(struct csv_batch *b, const char *key)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *k = (const unsigned char *)key; *k != '\0'; k++)
		h = (h ^ *k) * 16777619u;
	for (;; h++) {
		int *s = &b->slot[h & (CSV_SLOTS - 1)];
		if (*s == 0 || strcmp(b->key[*s - 1], key) == 0)
			return s;
	}
}

/* A row's cells merged into the record held (held_text, or NULL for a new
 * record): what the file does not say stays.  Takes rec; the record to
 * publish, or NULL with err. */
static cJSON *csv_merge(const char *kind, cJSON *rec, const char *held_text, gl_msg *err)
{
	cJSON *held, *c;

	if (held_text == NULL) {
		/* A new person is of no known risk until a record says so. */
		if (strcmp(kind, "driver") == 0 && cJSON_GetObjectItemCaseSensitive(rec, "status") == NULL)
			cJSON_AddStringToObject(rec, "status", "none");
		return rec;
	}
	held = cJSON_Parse(held_text);
	if (held == NULL) {
		glmsg_set(err, "中心所存的记录无法读取", "the record held cannot be read");
		cJSON_Delete(rec);
		return NULL;
	}
	while ((c = rec->child) != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(held, c->string);
		cJSON_DetachItemViaPointer(rec, c);
		cJSON_AddItemToObject(held, c->string, c);
	}
	cJSON_Delete(rec);
	return held;
}

/* The batch merged and published, and emptied: 0, 65 a row refused, 75
 * the database could not be read (err says which, naming the row). */
static int csv_flush(struct cdb *db, const char *kind, const char *path, struct csv_batch *b, long *rows,
		     gl_msg *err)
{
	const char *keys[CSV_BATCH];
	char *held[CSV_BATCH];
	int rc = 0;

	for (int i = 0; i < b->n; i++)
		keys[i] = b->key[i];
	if (b->n > 0 && cdb_get_many(db, kind, keys, b->n, held) != 0) {
		glmsg_set(err, "读取数据库失败：请稍后重试", "the database cannot be read: try again");
		for (int i = 0; i < b->n; i++)
			held[i] = NULL;
		rc = 75;
	}
	for (int i = 0; i < b->n; i++) {
		if (rc == 0) {
			cJSON *rec = csv_merge(kind, b->rec[i], held[i], err);
			b->rec[i] = NULL;
			if (rec == NULL || decide_publish(db, kind, b->key[i], rec, err) != 0) {
				glmsg_prefix(err, err, "%s 第 %ld 行", "%s row %ld", path, b->row[i]);
				rc = 65;
			} else {
				(*rows)++;
			}
		}
		cJSON_Delete(b->rec[i]);
		free(held[i]);
	}
	b->n = 0;
	memset(b->slot, 0, sizeof b->slot);
	return rc;
}

static int import_csv(struct cdb *db, int argc, char **argv)
{
	const char *kind = argc == 2 ? argv[0] : NULL, *path = argc == 2 ? argv[1] : NULL;
	FILE *f = path != NULL ? fopen(path, "r") : NULL;
	struct csv_batch *b = NULL;
	struct bureau_head h;
	char *line = NULL;
	size_t cap = 0;
	long row = 1, rows = 0;
	gl_msg err;
	int rc = 65;

	if (path == NULL)
		return ADMIN_USAGE;
	if (f == NULL) {
		admin_say("无法读取 %s", "cannot read %s", path);
		return 66;
	}
	b = calloc(1, sizeof *b);
	if (b == NULL) {
		rc = 70;
		goto out;
	}
	if (getline(&line, &cap, f) <= 0) {
		admin_say("%s 是空文件", "%s is empty", path);
		goto out;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (bureau_header(kind, line, &h, &err) != 0) {
		glmsg_prefix(&err, &err, "%s", "%s", path);
		admin_fail(&err);
		goto out;
	}
	rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		char key[RECORD_KEY_MAX];
		cJSON *rec;
		int *slot;
		row++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		rec = cJSON_CreateObject();
		if (rec == NULL || bureau_row(&h, line, rec, key, &err) != 0) {
			if (rec == NULL)
				glmsg_set(&err, "内存不足", "out of memory");
			glmsg_prefix(&err, &err, "%s 第 %ld 行", "%s row %ld", path, row);
			cJSON_Delete(rec);
			rc = 65;
			break;
		}
		slot = csv_slot(b, key);
		if (*slot != 0 || b->n == CSV_BATCH) {
			rc = csv_flush(db, kind, path, b, &rows, &err);
			slot = csv_slot(b, key);
		}
		b->row[b->n] = row;
		snprintf(b->key[b->n], RECORD_KEY_MAX, "%s", key);
		b->rec[b->n++] = rec;
		*slot = b->n;
	}
	if (rc == 0)
		rc = csv_flush(db, kind, path, b, &rows, &err);
	if (rc != 0)
		admin_fail(&err);
	else
		admin_done("已导入 %ld 行 %s", "imported %ld rows of %s", rows, kind);
out:
	if (b != NULL) {
		for (int i = 0; i < b->n; i++)
			cJSON_Delete(b->rec[i]);
		free(b);
	}
	free(line);
	fclose(f);
	return rc;
}

const struct admin_verb admin_data[] = {
	{ "demo", "[--size N]", "载入确定性的演示数据", "load the deterministic demo data set", demo, ADMIN_WRITE },
	{ "import", "FILE|-", "导入 NDJSON 记录（传输格式），全部或全不", "NDJSON records (the wire format), all or none",
	  import, ADMIN_WRITE },
	{ "import-csv", "enterprise|vehicle|driver FILE", "合并县局的 CSV（见 greenlane-central(8)）",
	  "merge a county bureau's CSV (see greenlane-central(8))", import_csv, ADMIN_WRITE },
	{ NULL },
};
