/* db.h — shared SQLite plumbing for cache.db and journal.db: opening with
 * the right pragmas, versioned forward migrations, and small statement
 * helpers.  Only src/store includes sqlite3.h. */
#ifndef GL_DB_H
#define GL_DB_H
#include <sqlite3.h>
#include <stdint.h>
#include "glmsg.h"

/* Opens path.  flags are SQLITE_OPEN_*.  pragmas is run after opening
 * (e.g. "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;").  On error
 * returns NULL with err filled. */
sqlite3 *db_open(const char *path, int flags, const char *pragmas, gl_msg *err);

/* Brings the schema to the last of nmig migrations: migration i (0-based)
 * takes user_version i to i+1 and runs in one transaction with the version
 * bump.  A database newer than this program is refused. */
int db_migrate(sqlite3 *db, const char *const *migrations, int nmig, const char *what,
	       gl_msg *err);

/* Makes a database's files (path and its -wal, -shm, -journal) readable by
 * their owner only: cache.db holds every driver's name, phone and ID number,
 * journal.db the lane's records.  db_open does it for a file it may write;
 * new files are private anyway (the programs set umask 077). */
void db_private(const char *path);

/* Runs SQL with no results.  0 or -1 with err. */
int db_exec(sqlite3 *db, const char *sql, gl_msg *err);

/* Prepares a statement; NULL with err. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, gl_msg *err);

/* The first column of the first row of sql as a number, or dflt (no row,
 * NULL, or an error). */
int64_t db_scalar(sqlite3 *db, const char *sql, int64_t dflt);

/* The meta(k, v) table every greenlane database has.  db_meta_get copies the
 * value into out: 1 found, 0 not, -1 error.  db_meta_set: 0, or -1 with err
 * (what names the file in the message). */
int db_meta_get(sqlite3 *db, const char *k, char *out, size_t cap);
int db_meta_set(sqlite3 *db, const char *k, const char *v, const char *what, gl_msg *err);

/* Fills err from the database's last error, prefixed with what. */
void db_error(sqlite3 *db, const char *what, gl_msg *err);

/* True when db's last error came from the disk (full, failing, read-only,
 * cannot be opened) rather than from what was being written. */
int db_disk_failed(sqlite3 *db);

/* Keeps the database's -wal and -shm files when its last connection closes
 * (SQLite's persistent WAL).  Opening a WAL database needs its -shm file;
 * if the disk fills while greenlane is not running, the next start can then
 * still open it, read, and say clearly that nothing can be written, instead
 * of not starting at all.  Not for a file that is renamed into place. */
void db_keep_wal(sqlite3 *db);

#endif
