/* store.c — the centre's store (central_db.h) over a backend (backend.h):
 * which backend --db names, and everything that does not depend on the
 * database — the rules a record must meet before it is published and an
 * event before it is held, terminal tokens, signing keys, the wire-format
 * line. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "central_db.h"
#include "event.h"
#include "gltime.h"
#include "journal.h"
#include "keydir.h"
#include "record.h"
#include "utf8.h"

/* The backend a --db names: a postgresql:// URI or a libpq conninfo
 * (key=value …) is PostgreSQL; anything else is an SQLite file. */
static const struct cdb_backend *backend_for(const char *where, gl_msg *err)
{
	(void)err;
	if (cdb_is_postgres(where))
		return &cdb_postgres;
	return &cdb_sqlite;
}

int cdb_is_postgres(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0 ||
	       strstr(where, "dbname=") != NULL || strstr(where, "host=") != NULL;
}

struct cdb *cdb_open(const char *where, gl_msg *err)
{
	const struct cdb_backend *be = backend_for(where, err);

	if (be == NULL || sodium_init() < 0)
		return NULL;
	return be->open(where, CDB_USE, err);
}

int cdb_migrate(const char *where, gl_msg *err)
{
	const struct cdb_backend *be = backend_for(where, err);
	struct cdb *c = be != NULL ? be->open(where, CDB_MIGRATE, err) : NULL;

	if (c == NULL)
		return -1;
	cdb_close(c);
	return be->schema_version;
}

void cdb_close(struct cdb *c)
{
	if (c != NULL)
		c->be->close(c);
}

int cdb_begin(struct cdb *c, gl_msg *err) { return c->be->begin(c, err); }
int cdb_read_begin(struct cdb *c, gl_msg *err) { return c->be->read_begin(c, err); }
int cdb_commit(struct cdb *c, gl_msg *err) { return c->be->commit(c, err); }
void cdb_rollback(struct cdb *c) { c->be->rollback(c); }
int64_t cdb_cursor(struct cdb *c) { return c->be->cursor(c); }
int64_t cdb_horizon(struct cdb *c) { return c->be->horizon(c); }
int cdb_watch(struct cdb *c, int ms) { return c->be->watch(c, ms); }
int cdb_get(struct cdb *c, const char *kind, const char *key, char **data) { return c->be->get(c, kind, key, data); }
int cdb_get_many(struct cdb *c, const char *kind, const char *const *keys, int n, char **data)
{
	if (c->be->get_many != NULL)
		return c->be->get_many(c, kind, keys, n, data);
	for (int i = 0; i < n; i++)
		data[i] = NULL;
	for (int i = 0; i < n; i++)
		if (c->be->get(c, kind, keys[i], &data[i]) < 0) {
			for (int j = 0; j < n; j++) {
				free(data[j]);
				data[j] = NULL;
			}
			return -1;
		}
	return 0;
}

int cdb_refs_check(struct cdb *c, int64_t since, gl_msg *err) { return c->be->refs_check(c, since, err); }

/* Rows of one record data column as the parsed records (frees rows), or
 * NULL if rows is. */
static cJSON *data_rows(cJSON *rows)
{
	cJSON *out = rows != NULL ? cJSON_CreateArray() : NULL;

	for (cJSON *row = rows != NULL ? rows->child : NULL; row != NULL; row = row->next) {
		cJSON *d = cJSON_Parse(cJSON_GetStringValue(cJSON_GetArrayItem(row, 0)));
		if (d != NULL)
			cJSON_AddItemToArray(out, d);
	}
	cJSON_Delete(rows);
	return out;
}

cJSON *cdb_live(struct cdb *c, const char *kind, int limit)
{
	char n[24];
	const char *p[2] = { kind, n };
	gl_msg ignored;

	snprintf(n, sizeof n, "%d", limit);
	return data_rows(c->be->query(c, "SELECT data FROM record WHERE kind = $1 AND data IS NOT NULL"
				      " ORDER BY key LIMIT CAST($2 AS bigint)", 2, p, &ignored));
}

cJSON *cdb_events_by_tube(struct cdb *c, const char *tube) { return c->be->events_by_tube(c, tube); }
/* From the counters kept at each insert and the few records not in order
 * (a partial index): no whole table read, however many records. */
cJSON *cdb_report(struct cdb *c)
{
	gl_msg ignored;
	cJSON *t = c->be->query(c, "SELECT id, revoked, events, last_seq, seen_at, backlog, data_as_of, policy FROM terminal"
				   " ORDER BY id", 0, NULL, &ignored);
	cJSON *u = t != NULL ? c->be->query(c, "SELECT terminal, chain, count(*) FROM event WHERE chain <> 'ok'"
					      " GROUP BY terminal, chain", 0, NULL, &ignored) : NULL;
	cJSON *out = u != NULL ? cJSON_CreateArray() : NULL;

	for (const cJSON *row = out != NULL ? t->child : NULL; row != NULL; row = row->next) {
		const char *id = cJSON_GetStringValue(cJSON_GetArrayItem(row, 0));
		const char *revoked = cJSON_GetStringValue(cJSON_GetArrayItem(row, 1));
		double n[3] = { 0, 0, 0 }, events = strtod(cJSON_GetStringValue(cJSON_GetArrayItem(row, 2)), NULL);
		double last = strtod(cJSON_GetStringValue(cJSON_GetArrayItem(row, 3)), NULL);
		cJSON *o = cJSON_CreateObject();
		for (const cJSON *x = u->child; x != NULL; x = x->next) {
			const char *chain = cJSON_GetStringValue(cJSON_GetArrayItem(x, 1));
			if (strcmp(cJSON_GetStringValue(cJSON_GetArrayItem(x, 0)), id) != 0)
				continue;
			n[strcmp(chain, "gap") == 0 ? 0 : strcmp(chain, "break") == 0 ? 1 : 2] +=
				strtod(cJSON_GetStringValue(cJSON_GetArrayItem(x, 2)), NULL);
		}
		cJSON_AddStringToObject(o, "terminal", id);
		/* SQLite says 1, PostgreSQL t */
		cJSON_AddBoolToObject(o, "revoked", revoked[0] == '1' || revoked[0] == 't');
		cJSON_AddNumberToObject(o, "events", events);
		cJSON_AddNumberToObject(o, "last_seq", last);
		cJSON_AddNumberToObject(o, "gaps", n[0]);
		cJSON_AddNumberToObject(o, "breaks", n[1]);
		/* Numbers below the last not held: every record at a number
		 * held already is a fork, the rest one a number. */
		cJSON_AddNumberToObject(o, "missing", last - (events - n[2]) > 0 ? last - (events - n[2]) : 0);
		cJSON_AddNumberToObject(o, "forks", n[2]);
		cJSON_AddNumberToObject(o, "seen_at", strtod(cJSON_GetStringValue(cJSON_GetArrayItem(row, 4)), NULL));
		for (int i = 5; i < 8; i++) {
			static const char *const name[] = { "backlog", "data_as_of", "policy" };
			const char *v = cJSON_GetStringValue(cJSON_GetArrayItem(row, i));
			if (v == NULL)
				cJSON_AddNullToObject(o, name[i - 5]);
			else if (i == 7)
				cJSON_AddStringToObject(o, name[i - 5], v);
			else
				cJSON_AddNumberToObject(o, name[i - 5], strtod(v, NULL));
		}
		cJSON_AddItemToArray(out, o);
	}
	cJSON_Delete(t);
	cJSON_Delete(u);
	return out;
}

cJSON *cdb_find(struct cdb *c, const char *kind, const char *field, const char *value)
{
	return c->be->find(c, kind, field, value);
}

/* ---- records ---- */

/* The record kind and canonical key; -1 with err if a lane would refuse
 * them. */
static int record_id(const char *kind, const char *key, char canon[RECORD_KEY_MAX], gl_msg *err)
{
	enum record_kind k = record_kind(kind);

	if (k == REC_NONE) {
		glmsg_set(err, "未知的记录类型 %s", "unknown record kind %s", kind);
		return -1;
	}
	return record_key(k, key, canon, err);
}

int cdb_put(struct cdb *c, const char *kind, const char *key, const char *data, gl_msg *err)
{
	char canon[RECORD_KEY_MAX], *rewritten = NULL;
	struct record_refs refs;
	size_t len = strlen(data);
	gl_msg why;
	int rc;

	/* Only what a lane takes is published: one bad record would stop
	 * every lane's feed. */
	rc = record_id(kind, key, canon, &why) == 0 ? record_check(record_kind(kind), canon, data, len, &refs, &why) : -1;
	if (rc < 0) {
		char shown[64];
		utf8_excerpt(key, 24, shown, sizeof shown);
		if (record_kind(kind) == REC_DRIVER)
			snprintf(shown, sizeof shown, "(ID number)");	/* never shown whole */
		glmsg_prefix(err, &why, "%s %s 不能发布", "%s %s cannot be published", kind, shown);
		return -1;
	}
	if (rc == 1) {
		rewritten = malloc(RECORD_DATA_MAX + 1);
		if (rewritten == NULL ||
		    record_canonical(record_kind(kind), canon, data, len, &refs, rewritten, RECORD_DATA_MAX + 1, err) != 0) {
			free(rewritten);
			return -1;
		}
	}
	rc = c->be->write(c, kind, canon, rewritten != NULL ? rewritten : data, err);
	free(rewritten);
	return rc;
}

int cdb_del(struct cdb *c, const char *kind, const char *key, gl_msg *err)
{
	char canon[RECORD_KEY_MAX], *old;

	if (record_id(kind, key, canon, err) != 0)
		return -1;
	switch (c->be->get(c, kind, canon, &old)) {
	case 0:
		return 0;	/* nothing live: nothing to say */
	case 1:
		free(old);
		return c->be->write(c, kind, canon, NULL, err);
	default:
		glmsg_set(err, "读取数据库失败", "the database cannot be read");
		return -1;
	}
}

int cdb_compact(struct cdb *c, int64_t upto, gl_msg *err)
{
	int64_t horizon = cdb_horizon(c), cursor = cdb_cursor(c);

	if (horizon < 0 || cursor < 0) {
		glmsg_set(err, "读取数据库失败", "the database cannot be read");
		return -1;
	}
	/* The horizon only moves forward (a lane below it must get 410), and
	 * never past the newest change (a lane there would get 410 for
	 * nothing). */
	if (upto < horizon || upto > cursor) {
		glmsg_set(err, "只能压缩到 %lld 至 %lld 之间（当前视界至最新变更）",
			  "compact up to a cursor from %lld (the horizon now) to %lld (the newest change)",
			  (long long)horizon, (long long)cursor);
		return -1;
	}
	return c->be->compact(c, upto, err);
}

struct cdb_iter *cdb_snapshot(struct cdb *c, const char *from_kind, const char *from_key, gl_msg *err)
{
	return c->be->snapshot(c, from_kind, from_key, err);
}

struct cdb_iter *cdb_changes(struct cdb *c, int64_t since, int limit, gl_msg *err)
{
	return c->be->changes(c, since, limit, err);
}

int cdb_next(struct cdb_iter *it, const char **kind, const char **key, const char **data, int64_t *seq)
{
	return it->be->next(it, kind, key, data, seq);
}

void cdb_iter_free(struct cdb_iter *it)
{
	if (it != NULL)
		it->be->iter_free(it);
}

char *cdb_record_line(const char *kind, const char *key, const char *data, int64_t seq, size_t *len)
{
	cJSON *o = cJSON_CreateObject();
	char *line;

	/* data is stored JSON: added raw, the rest escaped by cJSON. */
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "op", data != NULL ? "put" : "del");
	cJSON_AddStringToObject(o, "key", key);
	if (data != NULL)
		cJSON_AddRawToObject(o, "data", data);
	line = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (line == NULL)
		return NULL;
	*len = strlen(line);
	line[(*len)++] = '\n';	/* replaces the NUL; the length is kept */
	return line;
}

/* ---- terminals ---- */

/* A new random token in token, its SHA-256 in hash. */
static void new_token(char token[65], char hash[JOURNAL_HASH_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	journal_sha256_hex(token, strlen(token), hash);
}

int cdb_terminal_add(struct cdb *c, const char *id, char token[65], gl_msg *err)
{
	char hash[JOURNAL_HASH_LEN];
	int rc;

	if (!event_terminal_valid(id)) {
		glmsg_set(err, "终端编号无效：应为 1 至 63 个字母、数字、“.”、“_”或“-”",
			  "a terminal name is 1 to 63 letters, digits, '.', '_' or '-'");
		return -1;
	}
	new_token(token, hash);
	rc = c->be->terminal_insert(c, id, hash, err);
	if (rc == 1)
		glmsg_set(err, "终端 %s 已存在（换发令牌请用 token rotate）",
			  "terminal %s exists already (token rotate gives it a new token)", id);
	return rc == 0 ? 0 : -1;
}

int cdb_terminal_rotate(struct cdb *c, const char *id, char token[65], gl_msg *err)
{
	char hash[JOURNAL_HASH_LEN];

	new_token(token, hash);
	return c->be->terminal_set_token(c, id, hash, err);
}

int cdb_terminal_revoke(struct cdb *c, const char *id, gl_msg *err)
{
	return c->be->terminal_revoke(c, id, err);
}

int cdb_terminal_auth(struct cdb *c, const char *token, char id[64])
{
	char hash[JOURNAL_HASH_LEN];

	if (token == NULL || strlen(token) != 64)
		return 0;	/* no token of ours: refused without asking the database */
	journal_sha256_hex(token, 64, hash);
	return c->be->terminal_auth(c, hash, id);
}

/* The value of part name in a status ("backlog=3; as_of=…"), if it is
 * made only of the characters allowed; else out stays NULL. */
static void status_part(const char *status, const char *name, const char *allowed, char out[48], const char **ptr)
{
	size_t n = strlen(name), len;
	const char *s = status;

	*ptr = NULL;
	while (s != NULL && *s != '\0') {
		s += strspn(s, " ;");
		if (strncmp(s, name, n) == 0 && s[n] == '=') {
			len = strspn(s + n + 1, allowed);
			if (len > 0 && len < 48 && (s[n + 1 + len] == '\0' || s[n + 1 + len] == ';')) {
				memcpy(out, s + n + 1, len);
				out[len] = '\0';
				*ptr = out;
			}
			return;
		}
		s = strchr(s, ';');
	}
}

int cdb_terminal_seen(struct cdb *c, const char *id, int64_t now, const char *status)
{
	char t[24], backlog[48], as_of[48], policy[48];
	const char *p[5] = { id, t, NULL, NULL, NULL };
	gl_msg ignored;
	cJSON *r;

	snprintf(t, sizeof t, "%lld", (long long)now);
	if (status != NULL) {
		status_part(status, "backlog", "0123456789", backlog, &p[2]);
		status_part(status, "as_of", "0123456789", as_of, &p[3]);
		status_part(status, "policy", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", policy,
			    &p[4]);
	}
	/* A part not said keeps what was said before. */
	r = c->be->query(c, "UPDATE terminal SET seen_at = CAST($2 AS bigint),"
			    " backlog = coalesce(CAST($3 AS bigint), backlog), data_as_of = coalesce(CAST($4 AS bigint), data_as_of),"
			    " policy = coalesce($5, policy) WHERE id = $1 AND (seen_at <= CAST($2 AS bigint) - 30"
			    " OR backlog IS DISTINCT FROM coalesce(CAST($3 AS bigint), backlog)"
			    " OR data_as_of IS DISTINCT FROM coalesce(CAST($4 AS bigint), data_as_of)"
			    " OR policy IS DISTINCT FROM coalesce($5, policy))", 5, p, &ignored);
	cJSON_Delete(r);
	return r != NULL ? 0 : -1;
}

/* ---- events ---- */

int cdb_event_put(struct cdb *c, const char *terminal, const char *body, const char *hash, int *fresh, gl_msg *err)
{
	char computed[JOURNAL_HASH_LEN];
	struct event_head h;
	gl_msg why;

	*fresh = 0;
	glmsg_clear(err);
	if (body == NULL || hash == NULL) {
		glmsg_set(err, "缺少 body 或 hash", "body and hash are required");
		return -1;
	}
	journal_sha256_hex(body, strlen(body), computed);
	if (strcmp(computed, hash) != 0) {
		glmsg_set(err, "hash 与 body 不符", "the hash does not match the body");
		return -1;
	}
	/* The lane's own rules: what it could not have written is not held. */
	if (event_check(body, strlen(body), &h, &why) != 0) {
		*err = why;
		return -1;
	}
	if (strcmp(h.terminal, terminal) != 0) {
		glmsg_set(err, "记录不属于此终端", "the record is not this terminal's");
		return -1;
	}
	return c->be->event_put(c, &h, body, hash, fresh, err);
}

int cdb_event_summarise(struct cdb *c, const char *uuid, const char *body, gl_msg *err)
{
	cJSON *b = cJSON_Parse(body), *r;
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "at"));
	const char *first = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "first_scan_at"));
	char at_s[24], scan_s[24];
	const char *p[9] = { uuid, NULL, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "checkpoint")),
			     cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "verdict")),
			     cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "decision")),
			     cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "plate")), NULL,
			     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "override")) ? "1" : "0",
			     cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "tube")) };
	int64_t t, t0;

	if (at != NULL && gltime_parse(at, &t) == 0) {
		snprintf(at_s, sizeof at_s, "%lld", (long long)t);
		p[1] = at_s;
		if (first != NULL && gltime_parse(first, &t0) == 0 && t0 <= t) {
			snprintf(scan_s, sizeof scan_s, "%lld", (long long)(t - t0));
			p[6] = scan_s;
		}
	}
	/* (The tube as event_check read it: canonical, or the record is not held.) */
	r = c->be->query(c, "UPDATE event SET at_s = CAST($2 AS bigint), checkpoint = $3, verdict = $4, decision = $5,"
			    " plate = $6, scan_s = CAST($7 AS bigint), override = CAST($8 AS integer), tube = $9"
			    " WHERE uuid = $1", 9, p, err);
	cJSON_Delete(b);
	cJSON_Delete(r);
	return r != NULL ? 0 : -1;
}

int cdb_tube_result(struct cdb *c, const char *tube, const char *result, int64_t now, gl_msg *err)
{
	char t[24];
	const char *p[3] = { tube, result, t };
	cJSON *r;

	snprintf(t, sizeof t, "%lld", (long long)now);
	r = c->be->query(c, "UPDATE event SET result = $2, result_at = CAST($3 AS bigint) WHERE tube = $1", 3, p, err);
	cJSON_Delete(r);
	return r != NULL ? 0 : -1;
}

cJSON *cdb_open_tubes(struct cdb *c, int64_t before, int limit)
{
	char t[24], n[24];
	const char *p[2] = { t, n };
	gl_msg ignored;
	cJSON *r, *out;

	snprintf(t, sizeof t, "%lld", (long long)before);
	snprintf(n, sizeof n, "%d", limit);
	r = c->be->query(c, "SELECT tube, at_s, checkpoint, terminal, plate, kind FROM event"
			    " WHERE tube IS NOT NULL AND result IS NULL AND at_s < CAST($1 AS bigint)"
			    " ORDER BY at_s LIMIT CAST($2 AS bigint)", 2, p, &ignored);
	out = r != NULL ? cJSON_CreateArray() : NULL;
	for (cJSON *row = r != NULL ? r->child : NULL; row != NULL; row = row->next) {
		static const char *const name[] = { "tube", "at", "checkpoint", "terminal", "plate", "kind" };
		cJSON *o = cJSON_CreateObject();
		for (int i = 0; i < 6; i++) {
			const char *v = cJSON_GetStringValue(cJSON_GetArrayItem(row, i));
			if (i == 1)
				cJSON_AddNumberToObject(o, name[i], v != NULL ? strtod(v, NULL) : 0);
			else
				cJSON_AddStringToObject(o, name[i], v != NULL ? v : "");
		}
		cJSON_AddItemToArray(out, o);
	}
	cJSON_Delete(r);
	return out;
}

cJSON *cdb_suspended(struct cdb *c)
{
	gl_msg ignored;
	/* ->> reads a member as text on either backend (SQLite 3.38 and on). */
	cJSON *r = c->be->query(c, "SELECT data FROM record WHERE kind = 'enterprise' AND data IS NOT NULL"
				   " AND data ->> 'status' = 'suspended' ORDER BY key", 0, NULL, &ignored);

	return data_rows(r);
}

/* ---- signing keys ---- */

int cdb_set_keys(struct cdb *c, const char *dir, gl_msg *err)
{
	if (keydir_check(dir, err) != 0)
		return -1;
	c->keys = dir;
	return 0;
}

int cdb_key_add(struct cdb *c, const char *kid, const char *use, const unsigned char sk[64], gl_msg *err)
{
	char b64[128], pub[64], data[256];
	int rc;

	sodium_bin2base64(b64, sizeof b64, sk, 64, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(pub, sizeof pub, sk + 32, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	/* With a key directory the secret is on disk there before the row
	 * naming it is written.  If the transaction then fails, the file is
	 * left under a key id nothing names, and never read. */
	if (c->keys != NULL)
		rc = keydir_write(c->keys, kid, b64, err) == 0 ? c->be->key_insert(c, kid, use, "", err) : -1;
	else
		rc = c->be->key_insert(c, kid, use, b64, err);
	sodium_memzero(b64, sizeof b64);
	if (rc != 0)
		return -1;
	snprintf(data, sizeof data, "{\"kid\":\"%s\",\"alg\":\"EdDSA\",\"pub\":\"%s\",\"use\":\"%s\"}", kid, pub, use);
	return cdb_put(c, "key", kid, data, err);
}

/* 1 if sk is a whole Ed25519 secret key (seed, then the public key it
 * makes) whose public half is the one published under kid: a key file
 * edited, truncated or swapped with another centre's signs nothing a lane
 * would refuse.  Else CDB_REFUSED, or CDB_UNAVAILABLE, with err. */
static int key_sound(struct cdb *c, const char *kid, const unsigned char sk[64], gl_msg *err)
{
	unsigned char pk[32], again[64];
	char pub[64], *data = NULL;
	cJSON *rec = NULL;
	const cJSON *p;
	int ok, got;

	crypto_sign_seed_keypair(pk, again, sk);
	sodium_memzero(again, sizeof again);
	ok = sodium_memcmp(pk, sk + 32, 32) == 0;
	sodium_bin2base64(pub, sizeof pub, sk + 32, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	got = cdb_get(c, "key", kid, &data);
	if (got < 0) {
		glmsg_set(err, "无法读取签名密钥：请稍后重试", "cannot read the signing keys: try again");
		return CDB_UNAVAILABLE;
	}
	if (ok && got == 1) {
		rec = cJSON_Parse(data);
		p = cJSON_GetObjectItemCaseSensitive(rec, "pub");
		ok = cJSON_IsString(p) && strcmp(p->valuestring, pub) == 0;
	} else {
		ok = 0;
	}
	cJSON_Delete(rec);
	free(data);
	if (ok)
		return 1;
	glmsg_set(err, "密钥 %s 与中心公布的公钥不符：密钥文件已损坏或不是本中心的",
		  "key %s does not match the public key the centre published: its file is damaged or another centre's",
		  kid);
	return CDB_REFUSED;
}

int cdb_key_get(struct cdb *c, const char *use, char kid[64], unsigned char sk[64], gl_msg *err)
{
	char b64[128];
	size_t n = 0;
	int rc = c->be->key_get(c, use, kid, b64, sizeof b64);

	if (rc == CDB_UNAVAILABLE) {
		glmsg_set(err, "无法读取签名密钥：请稍后重试", "cannot read the signing keys: try again");
		return CDB_UNAVAILABLE;
	}
	if (rc == 0)
		return 0;
	if (b64[0] != '\0' && c->keys != NULL) {
		sodium_memzero(b64, sizeof b64);
		glmsg_set(err, "数据库中仍存有密钥 %s：请先将其移出（admin --keys 目录 keys move-out）",
			  "the database still holds the secret of key %s: move it out first "
			  "(admin --keys DIR keys move-out)", kid);
		return CDB_REFUSED;
	}
	if (b64[0] == '\0') {
		if (c->keys == NULL) {
			glmsg_set(err, "密钥 %s 保存在密钥目录中：请加上 --keys 目录",
				  "key %s is kept in a key directory: give --keys DIR", kid);
			return CDB_REFUSED;
		}
		if (keydir_read(c->keys, kid, b64, sizeof b64, err) != 0)
			return CDB_REFUSED;
	}
	if (sodium_base642bin(sk, 64, b64, strlen(b64), NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != 64) {
		glmsg_set(err, "密钥 %s 不是 Ed25519 私钥", "key %s is not an Ed25519 secret key", kid);
		rc = CDB_REFUSED;
	} else {
		rc = key_sound(c, kid, sk, err);
	}
	sodium_memzero(b64, sizeof b64);
	if (rc != 1)
		sodium_memzero(sk, 64);
	return rc;
}

int cdb_keys_move_out(struct cdb *c, gl_msg *err)
{
	char kid[64], b64[128], there[128];
	gl_msg ignored;
	int rc, moved = 0;

	if (c->keys == NULL) {
		glmsg_set(err, "请用 --keys 目录 指明移往何处", "give --keys DIR: where the keys go");
		return CDB_REFUSED;
	}
	while ((rc = c->be->key_get(c, NULL, kid, b64, sizeof b64)) == 1) {
		/* A file from an earlier try whose transaction failed is this
		 * key's if it holds the same secret. */
		if (keydir_read(c->keys, kid, there, sizeof there, &ignored) == 0 && strcmp(there, b64) == 0)
			rc = 0;
		else
			rc = keydir_write(c->keys, kid, b64, err);
		sodium_memzero(b64, sizeof b64);
		sodium_memzero(there, sizeof there);
		if (rc != 0)
			return CDB_REFUSED;
		if (c->be->key_clear(c, kid, err) != 0)
			return CDB_UNAVAILABLE;
		moved++;
	}
	if (rc == CDB_UNAVAILABLE) {
		glmsg_set(err, "无法读取签名密钥：请稍后重试", "cannot read the signing keys: try again");
		return CDB_UNAVAILABLE;
	}
	return moved;
}
