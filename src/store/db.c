/* db.c — SQLite open/migrate helpers shared by cache.c and journal.c. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "db.h"

void db_error(sqlite3 *db, const char *what, gl_msg *err)
{
	int code = sqlite3_errcode(db);

	if (code == SQLITE_FULL)
		glmsg_set(err, "%s：磁盘已满，未写入任何内容", "%s: the disk is full; nothing was written",
			  what);
	else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		glmsg_set(err, "%s：数据库文件损坏（%s）", "%s: the database file is damaged (%s)",
			  what, sqlite3_errmsg(db));
	else if (db_disk_failed(db) && sqlite3_db_readonly(db, "main") == 1)
		glmsg_set(err, "%s：无法读取（磁盘已满、只读或故障？）",
			  "%s: cannot be read (disk full, read-only or faulty?)", what);
	else if (db_disk_failed(db))
		glmsg_set(err, "%s：磁盘读写失败（磁盘已满、只读或故障？），未写入任何内容",
			  "%s: the disk failed (full, read-only or faulty?); nothing was written", what);
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		glmsg_set(err, "%s：数据库正被另一进程使用", "%s: the database is busy in another process",
			  what);
	else
		glmsg_set(err, "%s：%s", "%s: %s", what, sqlite3_errmsg(db));
}

int db_meta_get(sqlite3 *db, const char *k, char *out, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

int db_meta_set(sqlite3 *db, const char *k, const char *v, const char *what, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT OR REPLACE INTO meta(k, v) VALUES(?1, ?2)", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		db_error(db, what, err);
	sqlite3_finalize(st);
	return rc;
}

int db_disk_failed(sqlite3 *db)
{
	int code = sqlite3_errcode(db);

	return code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_READONLY;
}

void db_keep_wal(sqlite3 *db)
{
	int on = 1;

	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}

sqlite3 *db_open(const char *path, int flags, const char *pragmas, gl_msg *err)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, flags, NULL);

	if (rc != SQLITE_OK) {
		if (db != NULL)
			glmsg_set(err, "无法打开 %s：%s", "cannot open %s: %s", path, sqlite3_errmsg(db));
		else
			glmsg_set(err, "无法打开 %s", "cannot open %s", path);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 0);
	sqlite3_busy_timeout(db, 5000);
	if (pragmas != NULL && db_exec(db, pragmas, err) != 0) {
		sqlite3_close(db);
		return NULL;
	}
	if (flags & SQLITE_OPEN_READWRITE)
		db_private(path);
	return db;
}

void db_private(const char *path)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char p[4200];
	struct stat sb;

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077) != 0 && sb.st_uid == geteuid())
			chmod(p, sb.st_mode & 0700);
	}
}

int db_exec(sqlite3 *db, const char *sql, gl_msg *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		const char *file = sqlite3_db_filename(db, "main");

		db_error(db, file != NULL && file[0] != '\0' ? file : "SQL", err);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, gl_msg *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_error(db, "SQL", err);
		return NULL;
	}
	return st;
}

int db_migrate(sqlite3 *db, const char *const *migrations, int nmig, const char *what,
	       gl_msg *err)
{
	sqlite3_stmt *st;
	int version = 0;
	char bump[64];

	st = db_prepare(db, "PRAGMA user_version", err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > nmig) {
		glmsg_set(err, "%s 的格式版本 %d 比本程序新（%d），请升级 greenlane",
			  "%s has schema version %d, newer than this program's %d: upgrade greenlane",
			  what, version, nmig);
		return -1;
	}
	for (int i = version; i < nmig; i++) {
		snprintf(bump, sizeof bump, "PRAGMA user_version=%d", i + 1);
		if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
			return -1;
		if (db_exec(db, migrations[i], err) != 0 || db_exec(db, bump, err) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (db_exec(db, "COMMIT", err) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

int64_t db_scalar(sqlite3 *db, const char *sql, int64_t dflt)
{
	sqlite3_stmt *st = NULL;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}
