/* fuzz_parsers.c — the fuzz targets (targets.h): one per parser. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arena.h"
#include "bureau.h"
#include "cache.h"
#include "central.h"
#include "cli.h"
#include "event.h"
#include "gltime.h"
#include "idno.h"
#include "jscan.h"
#include "jws.h"
#include "logic.h"
#include "policy.h"
#include "query.h"
#include "record.h"
#include "sync.h"
#include "targets.h"
#include "tube.h"

#define NOW 1652140800	/* 2022-05-10 */

/* A plate, as typed or scanned: a canonical plate parses to itself. */
static void t_plate(const char *s, size_t n)
{
	struct plate p;
	char buf[PLATE_MAX];

	(void)n;
	for (int local = 0; local < 2; local++) {
		if (plate_parse(s, local ? "豫" : NULL, &p, NULL) != 0)
			continue;
		snprintf(buf, sizeof buf, "%s", p.canon);
		if (plate_parse(buf, NULL, &p, NULL) != 0 || strcmp(buf, p.canon) != 0)
			abort();
	}
}

/* An ID number: a canonical one parses to itself. */
static void t_idno(const char *s, size_t n)
{
	char out[IDNO_MAX], again[IDNO_MAX];

	(void)n;
	if (idno_parse(s, NOW, out, NULL) == 0 && (idno_parse(out, NOW, again, NULL) != 0 || strcmp(out, again) != 0))
		abort();
}

/* Whatever an officer scans or types into the lane's field. */
static void t_query(const char *s, size_t n)
{
	struct query q;

	(void)n;
	query_parse(s, "豫", NOW, &q, NULL);
}

/* The JSON scanner: what it accepts, cJSON and the arena accept too (a
 * record the import took and a check cannot read would count as damage). */
static void t_jscan(const char *s, size_t n)
{
	struct jscan_member m[8];
	struct jscan_span e[8];
	char buf[256];
	int k = jscan_object(s, n, m, 8);

	if (k >= 0) {
		cJSON *j = cJSON_ParseWithLength(s, n);
		struct arena *a = arena_new();
		if (j == NULL && memchr(s, '\0', n) == NULL)
			abort();
		cJSON_Delete(j);
		if (a != NULL && arena_json_parse(a, s, n) == NULL)
			abort();
		arena_free(a);
		for (int i = 0; i < k && i < 8; i++)
			jscan_string(&m[i].value, buf, sizeof buf);
	}
	jscan_array(s, n, e, 8);
}

/* The arena's trees are cJSON's, value for value. */
static void t_arena(const char *s, size_t n)
{
	struct arena *a = arena_new();
	cJSON *mine = a != NULL ? arena_json_parse(a, s, n) : NULL;

	if (mine != NULL) {
		cJSON *j = cJSON_ParseWithLength(s, n);
		if (j == NULL || !cJSON_Compare(mine, j, 1)) {
			/* cJSON_Compare cannot match infinities. */
			cJSON *copy = cJSON_Duplicate(mine, 1);
			char *p1 = copy != NULL ? cJSON_PrintUnformatted(copy) : NULL;
			char *p2 = j != NULL ? cJSON_PrintUnformatted(j) : NULL;
			if (j == NULL || p1 == NULL || p2 == NULL || strcmp(p1, p2) != 0)
				abort();
			free(p1);
			free(p2);
			cJSON_Delete(copy);
		}
		cJSON_Delete(j);
	}
	arena_free(a);
}

/* An expression of the policy language, compiled and run on itself. */
static void t_logic(const char *s, size_t n)
{
	cJSON *j = cJSON_ParseWithLength(s, n);
	logic *l = j != NULL ? logic_compile(j, NULL, NULL) : NULL;

	if (l != NULL) {
		struct logic_scope sc = { j, NULL };
		logic_test(l, &sc);
	}
	logic_free(l);
	cJSON_Delete(j);
}

static void t_policy(const char *s, size_t n)
{
	policy_free(policy_load(s, n, NULL));
}

static void t_pass_claims(const char *s, size_t n)
{
	struct pass_claims c;

	(void)n;
	pass_claims_parse(s, &c, NULL);
}

static void t_jws(const char *s, size_t n)
{
	struct jws_key key;
	char *payload = NULL;

	(void)n;
	memset(&key, 0, sizeof key);
	snprintf(key.kid, sizeof key.kid, "k");
	snprintf(key.use, sizeof key.use, "pass");
	jws_verify(s, &key, 1, "pass", &payload, NULL, NULL);
	free(payload);
}

static void t_time(const char *s, size_t n)
{
	int64_t t;

	(void)n;
	gltime_parse(s, &t);
}

/* An NDJSON line as the import takes it (a snapshot's, a change page's, a
 * bundle's), into a cache on the disk, rolled back. */
static void t_import_line(const char *s, size_t n)
{
	static struct cache *cache;
	static char path[64];
	struct cache_import *im;
	char *line;

	if (cache == NULL) {
		snprintf(path, sizeof path, "/tmp/gl-fuzz-%d.db", (int)getpid());
		cache = cache_open(path, 1, NULL);
		/* Gone when the process ends (SQLite holds them open). */
		unlink(path);
		snprintf(path + strlen(path), sizeof path - strlen(path), "-wal");
		unlink(path);
		memcpy(path + strlen(path) - 3, "shm", 3);
		unlink(path);
	}
	im = cache != NULL ? cache_import_begin(cache, NULL) : NULL;
	line = malloc(n + 1);
	if (im != NULL && line != NULL) {
		memcpy(line, s, n + 1);
		cache_import_line(im, line, n, NULL);
	}
	if (im != NULL)
		cache_import_abort(im);
	free(line);
}

/* A tube number: what is taken reads back as itself. */
static void t_tube(const char *s, size_t n)
{
	char t1[TUBE_MAX], t2[TUBE_MAX];

	(void)n;
	if (tube_parse(s, NULL, NOW, t1, NULL) == 0 && (tube_parse(t1, NULL, NOW, t2, NULL) != 0 || strcmp(t1, t2) != 0))
		abort();
}

/* The centre's reply to a batch of three records: whatever it says, only
 * those three can be acknowledged, each once. */
static void t_sync_ack(const char *s, size_t n)
{
	static const char *const ids[] = { "3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5b",
		"3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5c", "3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5d" };
	cJSON *batch = cJSON_CreateArray();
	struct sync_ack ack[3];
	long unknown;

	for (int i = 0; i < 3; i++) {
		cJSON *rec = cJSON_CreateObject();
		cJSON_AddStringToObject(rec, "uuid", ids[i]);
		cJSON_AddItemToArray(batch, rec);
	}
	if (sync_read_ack(s, n, batch, ack, &unknown) == 0)
		for (int i = 0; i < 3; i++)
			if (ack[i].state > SYNC_ACK_REFUSED || unknown < 0 ||
			    (ack[i].state == SYNC_ACK_REFUSED && ack[i].why[0] == '\0'))
				abort();
	cJSON_Delete(batch);
}

/* POST /v1/events: the batch, then each record as the centre checks it
 * before holding it (and the input as a record itself): what is held has
 * the uuid the reply names. */
static void t_events(const char *s, size_t n)
{
	gl_msg err;
	struct event_head h;
	cJSON *arr = central_read_batch(s, n, &err), *ev;

	cJSON_ArrayForEach(ev, arr) {
		const char *body = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "body"));
		char uuid[37];
		central_event_uuid(body, uuid);
		if (body != NULL && event_check(body, strlen(body), &h, &err) == 0 &&
		    (strcmp(h.uuid, uuid) != 0 || h.seq < 1 || !event_terminal_valid(h.terminal)))
			abort();
	}
	cJSON_Delete(arr);
	event_check(s, n, &h, &err);
}

/* A county bureau's CSV: the header picks the kind (the first that takes
 * it), each row is merged into a record checked as every published record
 * is, and a row's key is already canonical. */
static void t_county_csv(const char *s, size_t n)
{
	static const char *const kinds[] = { "enterprise", "vehicle", "driver" };
	char *text = malloc(n + 1), *line, *next;
	struct bureau_head h;
	gl_msg err;
	int k = -1;

	if (text == NULL)
		return;
	memcpy(text, s, n + 1);
	next = strchr(text, '\n');
	if (next != NULL)
		*next++ = '\0';
	for (int i = 0; i < 3 && k < 0; i++) {
		char head[512];
		snprintf(head, sizeof head, "%s", text);
		if (bureau_header(kinds[i], head, &h, &err) == 0)
			k = i;
	}
	for (line = next; k >= 0 && line != NULL; line = next) {
		char rkey[RECORD_KEY_MAX], canon[RECORD_KEY_MAX], *data;
		struct record_refs refs;
		cJSON *rec = cJSON_CreateObject();
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (bureau_row(&h, line, rec, rkey, &err) == 0) {
			data = cJSON_PrintUnformatted(rec);
			if (data != NULL && record_key(record_kind(kinds[k]), rkey, canon, &err) == 0) {
				if (strcmp(canon, rkey) != 0)
					abort();
				record_check(record_kind(kinds[k]), canon, data, strlen(data), &refs, &err);
			}
			cJSON_free(data);
		}
		cJSON_Delete(rec);
	}
	free(text);
}

/* The centre's query strings, and the access log's text: no line can be
 * forged in the log. */
static void t_request(const char *s, size_t n)
{
	int64_t since;
	int limit, wait;
	char kind[32], rkey[RECORD_KEY_MAX], line[1024];
	gl_msg err;
	const char *amp = strchr(s, '&');

	(void)n;
	if (central_changes_args(s, amp != NULL ? amp + 1 : NULL, &since, &limit, &err) == 0 &&
	    (since < 0 || limit < 1 || limit > CENTRAL_PAGE_MAX))
		abort();
	if (central_wait_arg(s, &wait, &err) == 0 && (wait < 0 || wait > CENTRAL_WAIT_MAX))
		abort();
	central_after_arg(s, kind, rkey, &err);
	central_log_text(s, line, sizeof line);
	for (const char *ch = line; *ch != '\0'; ch++)
		if ((unsigned char)*ch < 0x20)
			abort();
}

/* The lane's configuration file. */
static void t_ini(const char *s, size_t n)
{
	struct cli_env env;
	char *text = malloc(n + 1);
	gl_msg err;

	if (text == NULL)
		return;
	memcpy(text, s, n + 1);
	memset(&env, 0, sizeof env);
	cli_config_parse(&env, text, "fuzz.ini", &err);
	free(text);
}

const struct fuzz_target fuzz_targets[] = {
	{ "plate", t_plate }, { "idno", t_idno }, { "query", t_query }, { "jscan", t_jscan }, { "arena", t_arena },
	{ "logic", t_logic }, { "policy", t_policy }, { "pass_claims", t_pass_claims }, { "jws", t_jws }, { "time", t_time },
	{ "import_line", t_import_line }, { "tube", t_tube }, { "sync_ack", t_sync_ack }, { "events", t_events },
	{ "county_csv", t_county_csv }, { "request", t_request }, { "ini", t_ini },
};
const size_t fuzz_ntargets = sizeof fuzz_targets / sizeof fuzz_targets[0];

const struct fuzz_target *fuzz_target(const char *name)
{
	for (size_t i = 0; i < fuzz_ntargets; i++)
		if (strcmp(fuzz_targets[i].name, name) == 0)
			return &fuzz_targets[i];
	return NULL;
}
