/* staff.c — the command centre's staff (central_db.h): their accounts, their
 * sessions and what they did.  Nothing here differs between the backends,
 * so it is written once, in the SQL both speak (backend.h's query). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend.h"
#include "central_db.h"

#define LOCK_AFTER 5		/* failed sign-ins in a row before the account is locked */
#define LOCK_FIRST_S 60		/* then locked this long, doubling with each further failure */
#define LOCK_MAX_S 3600

/* Runs sql with n text parameters: its rows (the caller frees), or NULL. */
static cJSON *q(struct cdb *c, const char *sql, int n, const char *const *params, gl_msg *err)
{
	gl_msg ignored;

	return c->be->query(c, sql, n, params, err != NULL ? err : &ignored);
}

/* sql's rows counted: the number, or -1 if it failed. */
static int rows(struct cdb *c, const char *sql, int n, const char *const *params, gl_msg *err)
{
	cJSON *r = q(c, sql, n, params, err);
	int k = r != NULL ? cJSON_GetArraySize(r) : -1;

	cJSON_Delete(r);
	return k;
}

/* The text of row i's column j, or "" (NULL, or no such row). */
static const char *cell(const cJSON *r, int i, int j)
{
	const cJSON *v = cJSON_GetArrayItem(cJSON_GetArrayItem(r, i), j);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static void num(char out[24], int64_t v)
{
	snprintf(out, 24, "%lld", (long long)v);
}

int cdb_staff_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= CDB_STAFF_NAME_MAX)
		return 0;
	for (const char *s = name; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '_' || *s == '-'))
			return 0;
	return 1;
}

int cdb_staff_add(struct cdb *c, const char *name, const char *pw_hash, int64_t now, gl_msg *err)
{
	char t[24];
	const char *p[3] = { name, pw_hash, t };
	int k;

	num(t, now);
	k = rows(c, "SELECT name FROM staff WHERE name = $1", 1, p, err);
	if (k != 0)
		return k > 0 ? 1 : -1;
	return rows(c, "INSERT INTO staff(name, pw_hash, created_at) VALUES($1, $2, $3)", 3, p, err) < 0 ? -1 : 0;
}

int cdb_staff_password(struct cdb *c, const char *name, const char *pw_hash, gl_msg *err)
{
	const char *p[2] = { name, pw_hash };
	int k = rows(c, "UPDATE staff SET pw_hash = $2, failures = 0, locked_until = 0 WHERE name = $1 RETURNING name", 2,
		     p, err);

	if (k <= 0)
		return k == 0 ? 1 : -1;
	return rows(c, "DELETE FROM staff_session WHERE name = $1", 1, p, err) < 0 ? -1 : 0;
}

int cdb_staff_remove(struct cdb *c, const char *name, gl_msg *err)
{
	const char *p[1] = { name };
	int k = rows(c, "DELETE FROM staff WHERE name = $1 RETURNING name", 1, p, err);

	if (k <= 0)
		return k == 0 ? 1 : -1;
	return rows(c, "DELETE FROM staff_session WHERE name = $1", 1, p, err) < 0 ? -1 : 0;
}

cJSON *cdb_staff_list(struct cdb *c)
{
	cJSON *r = q(c, "SELECT s.name, s.created_at, s.locked_until,"
			" (SELECT count(*) FROM staff_session x WHERE x.name = s.name) FROM staff s ORDER BY s.name",
		     0, NULL, NULL);
	cJSON *out = r != NULL ? cJSON_CreateArray() : NULL;

	for (int i = 0; out != NULL && i < cJSON_GetArraySize(r); i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "name", cell(r, i, 0));
		cJSON_AddNumberToObject(m, "created_at", strtod(cell(r, i, 1), NULL));
		cJSON_AddNumberToObject(m, "locked_until", strtod(cell(r, i, 2), NULL));
		cJSON_AddNumberToObject(m, "sessions", strtod(cell(r, i, 3), NULL));
		cJSON_AddItemToArray(out, m);
	}
	cJSON_Delete(r);
	return out;
}

int cdb_staff_get(struct cdb *c, const char *name, char pw_hash[CDB_PWHASH_MAX], int64_t *locked_until)
{
	const char *p[1] = { name };
	cJSON *r = q(c, "SELECT pw_hash, locked_until FROM staff WHERE name = $1", 1, p, NULL);
	int k = r != NULL ? cJSON_GetArraySize(r) : -1;

	if (k == 1) {
		snprintf(pw_hash, CDB_PWHASH_MAX, "%s", cell(r, 0, 0));
		*locked_until = strtoll(cell(r, 0, 1), NULL, 10);
	}
	cJSON_Delete(r);
	return k;
}

int cdb_staff_signed_in(struct cdb *c, const char *name, int ok, int64_t now)
{
	char t[24], after[24], first[24], max[24];
	const char *p[5] = { name, t, after, first, max };

	if (ok)
		return rows(c, "UPDATE staff SET failures = 0, locked_until = 0 WHERE name = $1", 1, p, NULL) < 0 ? -1 : 0;
	num(t, now);
	num(after, LOCK_AFTER);
	num(first, LOCK_FIRST_S);
	num(max, LOCK_MAX_S);
	/* Counted and locked in one statement: two centrals counting the same
	 * member's failures at once count both. */
	return rows(c, "UPDATE staff SET failures = failures + 1, locked_until = CASE"
		       " WHEN failures + 1 < CAST($3 AS bigint) THEN 0"
		       " WHEN failures + 1 - CAST($3 AS bigint) >= 6 THEN CAST($2 AS bigint) + CAST($5 AS bigint)"
		       " ELSE CAST($2 AS bigint) + CAST($4 AS bigint) *"
		       " (CAST(1 AS bigint) << CAST(failures + 1 - CAST($3 AS bigint) AS integer)) END"
		       " WHERE name = $1", 5, p, NULL) < 0 ? -1 : 0;
}

int cdb_session_add(struct cdb *c, const char *id_hash, const char *name, const char *csrf, const char *addr,
		    int64_t now, gl_msg *err)
{
	char t[24];
	const char *p[5] = { id_hash, name, csrf, t, addr };

	num(t, now);
	return rows(c, "INSERT INTO staff_session(id_hash, name, csrf, created_at, seen_at, addr)"
		       " VALUES($1, $2, $3, $4, $4, $5)", 5, p, err) < 0 ? -1 : 0;
}

int cdb_session_get(struct cdb *c, const char *id_hash, int64_t now, int idle_s, int max_s,
		    char name[CDB_STAFF_NAME_MAX], char csrf[65])
{
	char t[24], seen[24], made[24];
	const char *p[4] = { id_hash, t, seen, made };
	cJSON *r;
	int k;

	num(t, now);
	num(seen, now - idle_s);
	num(made, now - max_s);
	/* Seen now, if still live; a member removed has no session left. */
	r = q(c, "UPDATE staff_session SET seen_at = $2 WHERE id_hash = $1 AND seen_at >= $3 AND created_at >= $4"
		 " RETURNING name, csrf", 4, p, NULL);
	k = r != NULL ? cJSON_GetArraySize(r) : -1;
	if (k == 1) {
		snprintf(name, CDB_STAFF_NAME_MAX, "%s", cell(r, 0, 0));
		snprintf(csrf, 65, "%s", cell(r, 0, 1));
	}
	cJSON_Delete(r);
	return k;
}

int cdb_session_end(struct cdb *c, const char *id_hash, int64_t now, int idle_s, int max_s)
{
	char seen[24], made[24];
	const char *p[3] = { id_hash, seen, made };

	num(seen, now - idle_s);
	num(made, now - max_s);
	/* This one, and every session that has expired meanwhile. */
	return rows(c, "DELETE FROM staff_session WHERE id_hash = $1 OR seen_at < $2 OR created_at < $3", 3, p, NULL) < 0
		       ? -1 : 0;
}

int cdb_audit(struct cdb *c, int64_t now, const char *name, const char *addr, const char *action,
	      const char *detail, gl_msg *err)
{
	struct timespec ts;
	char t[24], id[32];
	const char *p[6] = { t, id, name, addr, action, detail };

	/* Unique, and in the order written: the millisecond, then chance. */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(id, sizeof id, "%013lld%08x", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
		 (unsigned)randombytes_random());
	num(t, now);
	return rows(c, "INSERT INTO audit(at, id, name, addr, action, detail) VALUES($1, $2, $3, $4, $5, $6)", 6, p, err) <
		       0 ? -1 : 0;
}

cJSON *cdb_audit_list(struct cdb *c, int limit)
{
	char n[24];
	const char *p[1] = { n };
	cJSON *r, *out;

	num(n, limit);
	r = q(c, "SELECT at, name, addr, action, detail FROM audit ORDER BY at DESC, id DESC LIMIT $1", 1, p, NULL);
	out = r != NULL ? cJSON_CreateArray() : NULL;
	for (int i = 0; out != NULL && i < cJSON_GetArraySize(r); i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "at", strtod(cell(r, i, 0), NULL));
		cJSON_AddStringToObject(e, "name", cell(r, i, 1));
		cJSON_AddStringToObject(e, "addr", cell(r, i, 2));
		cJSON_AddStringToObject(e, "action", cell(r, i, 3));
		cJSON_AddStringToObject(e, "detail", cell(r, i, 4));
		cJSON_AddItemToArray(out, e);
	}
	cJSON_Delete(r);
	return out;
}
