/* admin.c — greenlane-central admin: finds the verb in the tables
 * (admin.h), prints the usage generated from them, and runs the verb as
 * its table says: a write in one transaction whose references are checked
 * before it commits, so every change is whole and goes out on the change
 * feed with its sequences. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "admin.h"
#include "central.h"
#include "gltime.h"

static const struct admin_verb *const tables[] = { admin_access, admin_staff, admin_data, admin_decide, admin_ops };
static const char *target, *keydir;

const char *admin_target(void)
{
	return target;
}

const char *admin_keydir(void)
{
	return keydir;
}

void admin_fail(const gl_msg *e)
{
	fprintf(stderr, "greenlane-central: %s\n", glmsg_text(e, glmsg_env_zh()));
}

void admin_say(const char *zh_fmt, const char *en_fmt, ...)
{
	va_list ap;

	va_start(ap, en_fmt);
	fputs("greenlane-central: ", stderr);
	vfprintf(stderr, glmsg_env_zh() ? zh_fmt : en_fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void admin_done(const char *zh_fmt, const char *en_fmt, ...)
{
	va_list ap;

	va_start(ap, en_fmt);
	vprintf(glmsg_env_zh() ? zh_fmt : en_fmt, ap);
	putchar('\n');
	va_end(ap);
}

int admin_print_json(cJSON *j)
{
	char *s;

	if (j == NULL)
		return admin_unreadable();
	s = cJSON_Print(j);
	cJSON_Delete(j);
	if (s == NULL)
		return 70;
	puts(s);
	cJSON_free(s);
	return 0;
}

int admin_unreadable(void)
{
	admin_say("读取数据库失败：请重试", "the database cannot be read: try again");
	return 75;
}

int64_t admin_now(void)
{
	return (int64_t)time(NULL);
}

void admin_time_text(int64_t t, char out[40])
{
	gltime_format(t, GLTIME_CST, out, 40);
}

const char *admin_opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* The verb argv begins with (one word, or two: "token add"), and how many
 * words it took; NULL when there is none. */
static const struct admin_verb *find(int argc, char **argv, int *words)
{
	for (size_t t = 0; argc >= 1 && t < sizeof tables / sizeof tables[0]; t++)
		for (const struct admin_verb *v = tables[t]; v->verb != NULL; v++) {
			size_t n = strcspn(v->verb, " ");
			if (strncmp(argv[0], v->verb, n) != 0 || argv[0][n] != '\0')
				continue;
			if (v->verb[n] == '\0') {
				*words = 1;
				return v;
			}
			if (argc >= 2 && strcmp(argv[1], v->verb + n + 1) == 0) {
				*words = 2;
				return v;
			}
		}
	return NULL;
}

static void usage_line(FILE *f, const struct admin_verb *v, int zh)
{
	char head[160];

	snprintf(head, sizeof head, "%s%s%s", v->verb, v->args[0] != '\0' ? " " : "", v->args);
	if (strlen(head) < 38)
		fprintf(f, "  %-38s %s\n", head, zh ? v->zh : v->en);
	else
		fprintf(f, "  %s\n  %-38s %s\n", head, "", zh ? v->zh : v->en);
}

static int usage(const struct admin_verb *only)
{
	int zh = glmsg_env_zh();

	fprintf(stderr, zh ? "用法：greenlane-central admin --db 文件|URI [--keys 目录] 命令\n"
			   : "usage: greenlane-central admin --db FILE|URI [--keys DIR] COMMAND\n");
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct admin_verb *v = tables[t]; v->verb != NULL; v++)
			if (only == NULL || only == v)
				usage_line(stderr, v, zh);
	return 64;
}

/* A write: one transaction, the references of what it published checked
 * before it commits.  A database that cannot be read or is busy: 75, try
 * again; a commit that fails: 74. */
static int run_write(const struct admin_verb *v, struct cdb *db, int argc, char **argv)
{
	gl_msg err;
	int64_t since;
	int rc;

	if (cdb_begin(db, &err) != 0) {
		admin_fail(&err);
		return 75;
	}
	since = cdb_cursor(db);
	if (since < 0) {
		cdb_rollback(db);
		return admin_unreadable();
	}
	rc = v->run(db, argc, argv);
	if (rc == 0 && cdb_refs_check(db, since, &err) != 0) {
		admin_fail(&err);
		rc = 65;
	}
	if (rc == 0 && cdb_commit(db, &err) != 0) {
		admin_fail(&err);
		rc = 74;
	}
	if (rc != 0)
		cdb_rollback(db);
	return rc;
}

int central_admin(const char *db_path, const char *keys, int argc, char **argv)
{
	const struct admin_verb *v;
	struct cdb *db = NULL;
	gl_msg err;
	int words = 0, rc;

	v = find(argc, argv, &words);
	if (v == NULL)
		return usage(NULL);
	target = db_path;
	keydir = keys;
	if (central_private_db(db_path, &err) != 0) {
		admin_fail(&err);
		return 77;
	}
	if (v->tx != ADMIN_SCHEMA) {
		db = cdb_open(db_path, &err);
		if (db == NULL) {
			admin_fail(&err);
			return 66;
		}
		if (keys != NULL && cdb_set_keys(db, keys, &err) != 0) {
			cdb_close(db);
			admin_fail(&err);
			return 77;
		}
	}
	if (v->tx == ADMIN_WRITE)
		rc = run_write(v, db, argc - words, argv + words);
	else
		rc = v->run(db, argc - words, argv + words);
	if (db != NULL)
		cdb_close(db);
	return rc == ADMIN_USAGE ? usage(v) : rc;
}
