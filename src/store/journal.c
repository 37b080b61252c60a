/* journal.c — the lane's append-only, hash-chained journal and its outbox.
 * A record's body is the exact JSON text that is hashed and later sent; the
 * hash is SHA-256 over it, and the body carries prev_hash, so altering or
 * dropping any record breaks every later link. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "event.h"
#include "gltime.h"
#include "journal.h"

static const char *const schema[] = {
	/* 1 */
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE record(seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL,"
	" prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX record_at ON record(at);"
	"CREATE TABLE outbox(seq INTEGER PRIMARY KEY REFERENCES record(seq),"
	" attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);",
	/* 2: officers who may sign in at this lane */
	"CREATE TABLE officer(id TEXT PRIMARY KEY, name TEXT NOT NULL, pin_hash TEXT NOT NULL) WITHOUT ROWID;",
	/* 3: what a check asks of the journal (this lane's registrations and
	 * landing tests, by kind and time) and the tubes already used */
	"CREATE INDEX record_kind_at ON record(kind, at);"
	"CREATE INDEX record_tube ON record(upper(json_extract(body, '$.tube')));",
};

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct journal;
static int verify_new(struct journal *j, gl_msg *err);
static void read_mark(struct journal *j);

struct journal {
	sqlite3 *db;
	char terminal[64];
	char mark[4096];	/* path.damaged: left once the chain was found broken */
	gl_msg damage;		/* set once the chain was found broken: nothing more is appended */
	int damaged;
};

void journal_sha256_hex(const char *s, size_t n, char out[JOURNAL_HASH_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, n);
	sodium_bin2hex(out, JOURNAL_HASH_LEN, h, sizeof h);
}

struct journal *journal_open(const char *path, const char *terminal, gl_msg *err)
{
	struct journal *j = calloc(1, sizeof *j);
	unsigned char rnd[6];
	char hex[13];

	if (j == NULL || sodium_init() < 0) {
		free(j);
		return NULL;
	}
	if (terminal != NULL && terminal[0] != '\0' && !event_terminal_valid(terminal)) {
		glmsg_set(err, "终端编号“%s”无效：应为 1 至 63 个字母、数字、“.”、“_”或“-”",
			  "the terminal name \"%s\" is invalid: 1 to 63 letters, digits, '.', '_' or '-'", terminal);
		free(j);
		return NULL;
	}
	snprintf(j->mark, sizeof j->mark, "%s.damaged", path);
	/* The WAL is kept when the last connection closes (db_keep_wal), and
	 * SQLite empties a kept WAL on close only under a size limit. */
	j->db = db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			" PRAGMA journal_size_limit=1048576;", err);
	if (j->db == NULL)
		goto fail;
	db_keep_wal(j->db);
	if (db_migrate(j->db, schema, (int)(sizeof schema / sizeof schema[0]), "journal.db", err) != 0)
		goto fail;
	/* A journal belongs to one terminal for life: its sequence and hash
	 * chain are that terminal's. */
	if (db_meta_get(j->db, "terminal", j->terminal, sizeof j->terminal) == 1) {
		if (terminal != NULL && terminal[0] != '\0' && strcmp(terminal, j->terminal) != 0) {
			glmsg_set(err, "journal.db 属于终端 %s，配置却是 %s：请勿更换终端编号",
				  "journal.db belongs to terminal %s but the configuration says %s: a journal cannot change terminal",
				  j->terminal, terminal);
			goto fail;
		}
	} else {
		if (terminal != NULL && terminal[0] != '\0') {
			snprintf(j->terminal, sizeof j->terminal, "%s", terminal);
		} else {
			randombytes_buf(rnd, sizeof rnd);
			sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
			snprintf(j->terminal, sizeof j->terminal, "T-%s", hex);
		}
		if (db_meta_set(j->db, "terminal", j->terminal, "journal.db", err) != 0)
			goto fail;
	}
	/* A damaged journal still opens (its records can be read), but takes
	 * nothing more and sends nothing: see journal_damaged. */
	read_mark(j);
	if (!j->damaged)
		verify_new(j, NULL);
	return j;
fail:
	journal_close(j);
	return NULL;
}

void journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	sqlite3_close(j->db);
	free(j);
}

const char *journal_terminal(const struct journal *j)
{
	return j->terminal;
}

/* UUID version 7: 48 bits of Unix milliseconds, then random bits. */
static void uuid7(int64_t at, char out[JOURNAL_UUID_LEN])
{
	unsigned char b[16];
	uint64_t ms = (uint64_t)at * 1000;

	randombytes_buf(b, sizeof b);
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0F));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
	snprintf(out, JOURNAL_UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}

static void tube_used_msg(const char *tube, const struct journal_hit *h, gl_msg *err);

int journal_append(struct journal *j, const char *kind, int64_t at, const cJSON *fields,
		   struct journal_entry *out, gl_msg *err)
{
	sqlite3_stmt *st = NULL;
	cJSON *body = NULL;
	char *text = NULL, when[40];
	struct journal_entry e;
	const cJSON *f;
	int rc = -1;

	memset(&e, 0, sizeof e);
	if (!j->damaged && access(j->mark, F_OK) == 0)
		read_mark(j);	/* another process (greenlane check) found it */
	if (j->damaged) {
		if (err != NULL)
			*err = j->damage;
		return JOURNAL_FAILED;
	}
	if (db_exec(j->db, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	/* Checked in the write transaction, so that two processes cannot both
	 * use one tube. */
	f = cJSON_GetObjectItemCaseSensitive(fields, "tube");
	if (cJSON_IsString(f)) {
		struct journal_hit hit;
		int used = journal_find_tube(j, f->valuestring, &hit, err);
		if (used != 0) {
			if (used == 1) {
				tube_used_msg(f->valuestring, &hit, err);
				rc = JOURNAL_TUBE_USED;
			}
			goto out;
		}
	}
	st = db_prepare(j->db, "SELECT seq, hash FROM record ORDER BY seq DESC LIMIT 1", err);
	if (st == NULL)
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW) {
		e.seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(e.prev_hash, sizeof e.prev_hash, "%s", (const char *)sqlite3_column_text(st, 1));
	} else {
		e.seq = 1;
		snprintf(e.prev_hash, sizeof e.prev_hash, "%s", GENESIS);
	}
	sqlite3_finalize(st);
	st = NULL;
	uuid7(at, e.uuid);
	gltime_format(at, GLTIME_CST, when, sizeof when);

	body = cJSON_CreateObject();
	if (body == NULL)
		goto out;
	cJSON_AddStringToObject(body, "uuid", e.uuid);
	cJSON_AddStringToObject(body, "terminal", j->terminal);
	cJSON_AddNumberToObject(body, "seq", (double)e.seq);
	cJSON_AddStringToObject(body, "kind", kind);
	cJSON_AddStringToObject(body, "at", when);
	cJSON_ArrayForEach(f, fields) {
		if (cJSON_GetObjectItemCaseSensitive(body, f->string) == NULL)
			cJSON_AddItemToObject(body, f->string, cJSON_Duplicate(f, 1));
	}
	cJSON_AddStringToObject(body, "prev_hash", e.prev_hash);
	text = cJSON_PrintUnformatted(body);
	if (text == NULL) {
		glmsg_set(err, "内存不足", "out of memory");
		goto out;
	}
	/* What the centre would refuse is never written: the same rules. */
	{
		struct event_head head;
		gl_msg why;
		if (event_check(text, strlen(text), &head, &why) != 0) {
			glmsg_prefix(err, &why, "记录无效，未记入", "the record is invalid and was not logged");
			goto out;
		}
	}
	journal_sha256_hex(text, strlen(text), e.hash);

	st = db_prepare(j->db, "INSERT INTO record(seq, uuid, kind, at, body, prev_hash, hash)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", err);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_text(st, 2, e.uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e.prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e.hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(j->db, "journal.db", err);
		goto out;
	}
	sqlite3_finalize(st);
	st = db_prepare(j->db, "INSERT INTO outbox(seq) VALUES(?1)", err);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, e.seq);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(j->db, "journal.db", err);
		goto out;
	}
	/* synchronous=FULL in WAL mode: COMMIT returns after the WAL is fsynced. */
	if (db_exec(j->db, "COMMIT", err) != 0)
		goto out;
	rc = 0;
	if (out != NULL)
		*out = e;
out:
	sqlite3_finalize(st);
	if (rc != 0)
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	cJSON_free(text);
	cJSON_Delete(body);
	return rc;
}

static void tube_used_msg(const char *tube, const struct journal_hit *h, gl_msg *err)
{
	char when[40];

	gltime_format(h->at, GLTIME_CST, when, sizeof when);
	glmsg_set(err, "采样管 %s 已用过：本车道第 %lld 条记录（%s，%s，%.16s）",
		  "tube %s was used already: this lane's record #%lld (%s, %s, %.16s)", tube, (long long)h->seq,
		  h->kind, h->plate[0] ? h->plate : "-", when);
}

int journal_find_tube(struct journal *j, const char *tube, struct journal_hit *hit, gl_msg *err)
{
	/* The expression is record_tube's, so that the index answers. */
	sqlite3_stmt *st = db_prepare(j->db, "SELECT seq, kind, at, json_extract(body, '$.plate') FROM record"
				      " WHERE upper(json_extract(body, '$.tube')) = upper(?1) ORDER BY seq LIMIT 1", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, tube, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *plate = (const char *)sqlite3_column_text(st, 3);
		hit->seq = sqlite3_column_int64(st, 0);
		snprintf(hit->kind, sizeof hit->kind, "%s", (const char *)sqlite3_column_text(st, 1));
		hit->at = sqlite3_column_int64(st, 2);
		snprintf(hit->plate, sizeof hit->plate, "%s", plate != NULL ? plate : "");
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		db_error(j->db, "journal.db", err);
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

cJSON *journal_find(struct journal *j, const char *kind, int64_t since, const char *field, const char *value,
		    gl_msg *err)
{
	/* json_each of a string member is that one string; of an array, its
	 * elements. */
	sqlite3_stmt *st = db_prepare(j->db, "SELECT body FROM record WHERE kind = ?1 AND at >= ?2 AND EXISTS"
				      " (SELECT 1 FROM json_each(body, '$.' || ?3) WHERE value = ?4)"
				      " ORDER BY at DESC, seq DESC LIMIT 1", err);
	cJSON *body = NULL;
	int rc;

	glmsg_clear(err);
	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		body = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		if (body == NULL)
			glmsg_set(err, "journal.db 中的记录已损坏", "a record in journal.db is damaged");
	} else if (rc != SQLITE_DONE) {
		db_error(j->db, "journal.db", err);
	}
	sqlite3_finalize(st);
	return body;
}

int64_t journal_pending(struct journal *j)
{
	return db_scalar(j->db, "SELECT count(*) FROM outbox", -1);
}

int journal_unsent(struct journal *j, int64_t seq)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT 1 FROM outbox WHERE seq = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, seq);
		rc = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return rc;
}

int journal_each(struct journal *j, const char *kind, int64_t since, int (*fn)(const cJSON *body, void *arg),
		 void *arg, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(j->db, kind != NULL ?
				      "SELECT body FROM record WHERE kind = ?2 AND at >= ?1 ORDER BY seq" :
				      "SELECT body FROM record WHERE at >= ?1 ORDER BY seq", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	if (kind != NULL)
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *b = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		int stop = b != NULL ? fn(b, arg) : 0;
		cJSON_Delete(b);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		db_error(j->db, "journal.db", err);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One record of the chain: its body hashes to its hash, it is the next
 * sequence number, and it names the previous record's hash, in its column
 * and inside its hashed body.  0, or -1. */
static int link_ok(int64_t seq, int64_t expect, const char *body, size_t n, const char *prev_col,
		   const char *hash_col, const char *prev)
{
	char h[JOURNAL_HASH_LEN], inside[JOURNAL_HASH_LEN + 16];

	if (body == NULL || prev_col == NULL || hash_col == NULL || seq != expect || strcmp(prev_col, prev) != 0)
		return -1;
	journal_sha256_hex(body, n, h);
	snprintf(inside, sizeof inside, "\"prev_hash\":\"%s\"", prev);
	return strcmp(hash_col, h) == 0 && strstr(body, inside) != NULL ? 0 : -1;
}

/* The chain is broken at seq: said in damage, and left in the mark beside
 * the file, so that every later open (a `log`, the lane) refuses too, even
 * when only a full check (greenlane check) could see it. */
static void broken(struct journal *j, int64_t seq, gl_msg *err)
{
	FILE *f;

	j->damaged = 1;
	glmsg_set(&j->damage, "journal.db 已损坏：记录链在第 %lld 条处断开。不再记录任何内容；请保留该文件并联系管理员",
		  "journal.db is damaged: its chain breaks at record %lld. Nothing more is logged; keep the file and call "
		  "the administrator", (long long)seq);
	if (err != NULL)
		*err = j->damage;
	f = fopen(j->mark, "w");	/* best effort: a full disk may refuse */
	if (f != NULL) {
		fprintf(f, "%lld\n", (long long)seq);
		fclose(f);
	}
}

/* A mark left by an earlier check. */
static void read_mark(struct journal *j)
{
	FILE *f = fopen(j->mark, "r");
	long long seq = 0;

	if (f == NULL)
		return;
	if (fscanf(f, "%lld", &seq) != 1)
		seq = 0;
	fclose(f);
	broken(j, seq, NULL);
}

/* Checks the chain from record from (whose predecessor's hash is prev) to
 * the end; *last gets the last whole record's seq and prev its hash.  0, or
 * -1 with err (and the journal marked damaged). */
static int chain_from(struct journal *j, int64_t from, char prev[JOURNAL_HASH_LEN], int64_t *last, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(j->db, "SELECT seq, body, prev_hash, hash FROM record WHERE seq >= ?1 ORDER BY seq", err);
	int64_t expect = from;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		if (link_ok(seq, expect, (const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1),
			    (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3), prev) != 0) {
			sqlite3_finalize(st);
			broken(j, seq != expect ? expect : seq, err);
			return -1;
		}
		snprintf(prev, JOURNAL_HASH_LEN, "%s", (const char *)sqlite3_column_text(st, 3));
		*last = seq;
		expect++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		broken(j, expect, err);
		return -1;
	}
	return 0;
}

int journal_verify(struct journal *j, gl_msg *err)
{
	char prev[JOURNAL_HASH_LEN] = GENESIS;
	int64_t last = 0;

	if (j->damaged) {
		if (err != NULL)
			*err = j->damage;
		return -1;
	}
	return chain_from(j, 1, prev, &last, err);
}

/* The chain since the last record verified (meta verified = "SEQ HASH"),
 * so that opening costs only what was added since.  0, or -1 (damaged). */
static int verify_new(struct journal *j, gl_msg *err)
{
	char v[JOURNAL_HASH_LEN + 32], prev[JOURNAL_HASH_LEN] = GENESIS;
	long long seq = 0;
	int64_t last;

	if (db_meta_get(j->db, "verified", v, sizeof v) == 1 && sscanf(v, "%lld %64s", &seq, prev) != 2) {
		seq = 0;
		snprintf(prev, sizeof prev, "%s", GENESIS);
	}
	/* The last record checked before is checked again: it is the one the
	 * next is chained to.  Older ones are greenlane check's. */
	if (seq > 0) {
		sqlite3_stmt *st = db_prepare(j->db, "SELECT prev_hash FROM record WHERE seq = ?1", err);
		int found = 0;
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, seq);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
			snprintf(prev, JOURNAL_HASH_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
			found = 1;
		}
		sqlite3_finalize(st);
		if (!found) {
			broken(j, seq, err);
			return -1;
		}
		seq--;
	}
	last = seq;
	if (chain_from(j, seq + 1, prev, &last, err) != 0)
		return -1;
	if (last != seq) {
		snprintf(v, sizeof v, "%lld %s", (long long)last, prev);
		db_meta_set(j->db, "verified", v, "journal.db", NULL);	/* best effort: a full disk may refuse */
	}
	return 0;
}

int journal_check_outbox(struct journal *j, const cJSON *batch, gl_msg *err)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, batch) {
		const char *body = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "body"));
		const char *hash = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "hash"));
		const char *prev = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "prev_hash"));
		const char *before = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "before"));
		int64_t seq = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "seq"));
		if (before == NULL || link_ok(seq, seq, body, body != NULL ? strlen(body) : 0, prev, hash, before) != 0) {
			broken(j, seq, err);
			return -1;
		}
	}
	return 0;
}

const gl_msg *journal_damaged(struct journal *j)
{
	if (!j->damaged && access(j->mark, F_OK) == 0)
		read_mark(j);
	return j->damaged ? &j->damage : NULL;
}

int journal_synchronous(struct journal *j)
{
	return (int)db_scalar(j->db, "PRAGMA synchronous", -1);
}

/* PINs are short: the hash slows guessing at this lane's file a little, and
 * must not make sign-in slow or take much memory on a lane terminal. */
#define PIN_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PIN_MEM (8u * 1024 * 1024)

int journal_officer_set(struct journal *j, const char *id, const char *name, const char *pin, gl_msg *err)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	int rc;

	if (id == NULL || id[0] == '\0' || strlen(id) > 32 || pin == NULL || strlen(pin) < JOURNAL_PIN_MIN ||
	    strlen(pin) > JOURNAL_PIN_MAX) {
		glmsg_set(err, "警员编号为 1 至 32 个字符，PIN 为 %d 至 %d 个字符",
			  "an officer needs an ID of 1 to 32 characters and a PIN of %d to %d characters", JOURNAL_PIN_MIN,
			  JOURNAL_PIN_MAX);
		return -1;
	}
	if (crypto_pwhash_str(hash, pin, strlen(pin), PIN_OPS, PIN_MEM) != 0) {
		glmsg_set(err, "内存不足", "out of memory");
		return -1;
	}
	st = db_prepare(j->db, "INSERT OR REPLACE INTO officer(id, name, pin_hash) VALUES(?1, ?2, ?3)", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name != NULL ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		db_error(j->db, "journal.db", err);
	sqlite3_finalize(st);
	return rc;
}

int journal_officer_remove(struct journal *j, const char *id, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(j->db, "DELETE FROM officer WHERE id = ?1", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? (sqlite3_changes(j->db) > 0 ? 0 : 1) : -1;
	if (rc < 0)
		db_error(j->db, "journal.db", err);
	sqlite3_finalize(st);
	return rc;
}

int journal_officer_check(struct journal *j, const char *id, const char *pin, char *name, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT name, pin_hash FROM officer WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ok = crypto_pwhash_str_verify((const char *)sqlite3_column_text(st, 1), pin, strlen(pin)) == 0;
		if (ok && name != NULL)
			snprintf(name, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return ok;
}

cJSON *journal_officers(struct journal *j)
{
	sqlite3_stmt *st = NULL;
	cJSON *out = cJSON_CreateArray();

	if (sqlite3_prepare_v2(j->db, "SELECT id, name FROM officer ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", (const char *)sqlite3_column_text(st, 0));
			cJSON_AddStringToObject(o, "name", (const char *)sqlite3_column_text(st, 1));
			cJSON_AddItemToArray(out, o);
		}
	}
	sqlite3_finalize(st);
	return out;
}

cJSON *journal_outbox(struct journal *j, int64_t after, int limit)
{
	sqlite3_stmt *st = NULL;
	cJSON *out = cJSON_CreateArray();

	if (sqlite3_prepare_v2(j->db, "SELECT r.seq, r.uuid, r.body, r.hash, r.prev_hash,"
			       " (SELECT p.hash FROM record p WHERE p.seq = r.seq - 1)"
			       " FROM outbox o JOIN record r ON r.seq = o.seq WHERE o.seq > ?2 ORDER BY o.seq LIMIT ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return out;
	sqlite3_bind_int(st, 1, limit);
	sqlite3_bind_int64(st, 2, after);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "seq", (double)sqlite3_column_int64(st, 0));
		cJSON_AddStringToObject(e, "uuid", (const char *)sqlite3_column_text(st, 1));
		cJSON_AddStringToObject(e, "body", (const char *)sqlite3_column_text(st, 2));
		cJSON_AddStringToObject(e, "hash", (const char *)sqlite3_column_text(st, 3));
		cJSON_AddStringToObject(e, "prev_hash", (const char *)sqlite3_column_text(st, 4));
		cJSON_AddStringToObject(e, "before", sqlite3_column_int64(st, 0) == 1 ? GENESIS :
					sqlite3_column_text(st, 5) != NULL ? (const char *)sqlite3_column_text(st, 5) : "");
		cJSON_AddItemToArray(out, e);
	}
	sqlite3_finalize(st);
	return out;
}

int journal_acked(struct journal *j, const char *uuid, gl_msg *err)
{
	sqlite3_stmt *st = db_prepare(j->db, "DELETE FROM outbox WHERE seq = (SELECT seq FROM record WHERE uuid = ?1)", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(j->db) > 0 : -1;
	if (rc < 0)
		db_error(j->db, "journal.db", err);
	sqlite3_finalize(st);
	return rc;
}

int journal_send_failed(struct journal *j, const char *uuid, const char *why)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(j->db, "UPDATE outbox SET attempts = attempts + 1, last_error = ?2"
			       " WHERE seq = (SELECT seq FROM record WHERE uuid = ?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}
