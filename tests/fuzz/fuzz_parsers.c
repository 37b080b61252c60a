/* One fuzz target for every parser greenlane has: the first input byte picks
 * the parser, the rest is its input.  Built with libFuzzer by `make fuzz`
 * (clang), and driven deterministically by tests/fuzz/driver.c in the test
 * suite under ASan+UBSan.  A parser may reject anything; it may not crash,
 * leak, read out of bounds or loop. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arena.h"
#include "bureau.h"
#include "cache.h"
#include "central.h"
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
#include "tube.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How many parsers the first byte picks from (the driver tries each seed
 * with every one). */
const int fuzz_targets = 16;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, out[IDNO_MAX], buf[256];
	struct plate p;
	struct query q;
	struct pass_claims c;
	struct jscan_member m[8];
	struct jscan_span e[8];
	struct jws_key key;
	int64_t t;
	int n;
	char *payload = NULL;
	cJSON *j;
	logic *l;
	struct policy *pol;

	if (size == 0)
		return 0;
	s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % fuzz_targets) {
	case 0:
		if (plate_parse(s, data[0] & 0x80 ? "豫" : NULL, &p, NULL) == 0) {
			snprintf(buf, sizeof buf, "%s", p.canon);
			if (plate_parse(buf, NULL, &p, NULL) != 0 || strcmp(buf, p.canon) != 0)
				abort();	/* a canonical plate parses to itself */
		}
		break;
	case 1:
		if (idno_parse(s, 1652140800, out, NULL) == 0) {
			snprintf(buf, sizeof buf, "%s", out);
			if (idno_parse(buf, 1652140800, out, NULL) != 0 || strcmp(buf, out) != 0)
				abort();
		}
		break;
	case 2:
		query_parse(s, "豫", 1652140800, &q, NULL);
		break;
	case 3:
		n = jscan_object(s, size - 1, m, 8);
		if (n >= 0) {
			/* What jscan accepts, cJSON must accept too. */
			j = cJSON_ParseWithLength(s, size - 1);
			if (j == NULL && memchr(s, '\0', size - 1) == NULL)
				abort();
			cJSON_Delete(j);
			/* ... and so must the check's parser: a record the import
			 * took and a check cannot read would count as damage. */
			{
				struct arena *a = arena_new();
				if (a != NULL && arena_json_parse(a, s, size - 1) == NULL)
					abort();
				arena_free(a);
			}
			for (int i = 0; i < n && i < 8; i++)
				jscan_string(&m[i].value, buf, sizeof buf);
		}
		jscan_array(s, size - 1, e, 8);
		break;
	case 4:
		j = cJSON_ParseWithLength(s, size - 1);
		l = j != NULL ? logic_compile(j, NULL, NULL) : NULL;
		if (l != NULL) {
			struct logic_scope sc = { j, NULL };
			logic_test(l, &sc);
		}
		logic_free(l);
		cJSON_Delete(j);
		break;
	case 5:
		pol = policy_load(s, size - 1, NULL);
		policy_free(pol);
		break;
	case 6:
		pass_claims_parse(s, &c, NULL);
		break;
	case 7:
		memset(&key, 0, sizeof key);
		snprintf(key.kid, sizeof key.kid, "k");
		snprintf(key.use, sizeof key.use, "pass");
		jws_verify(s, &key, 1, "pass", &payload, NULL, NULL);
		free(payload);
		break;
	case 8:
		gltime_parse(s, &t);
		break;
	case 9: {
		/* What the arena parser builds, cJSON builds the same way. */
		struct arena *a = arena_new();
		cJSON *mine = a != NULL ? arena_json_parse(a, s, size - 1) : NULL;
		if (mine != NULL) {
			j = cJSON_ParseWithLength(s, size - 1);
			if (j == NULL || !cJSON_Compare(mine, j, 1)) {
				/* cJSON_Compare cannot match infinities or repeated names. */
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
		break;
	}
	case 10: {
		/* An NDJSON line as the import takes it (a snapshot's, a change
		 * page's, a bundle's), into a cache on the disk, rolled back. */
		static struct cache *cache;
		static char path[64];
		struct cache_import *im;
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
		if (im != NULL) {
			cache_import_line(im, s, size - 1, NULL);
			cache_import_abort(im);
		}
		break;
	}
	case 11: {
		/* A tube number: what is taken reads back as itself. */
		char t1[TUBE_MAX], t2[TUBE_MAX];
		if (tube_parse(s, NULL, 1652140800, t1, NULL) == 0 &&
		    (tube_parse(t1, NULL, 1652140800, t2, NULL) != 0 || strcmp(t1, t2) != 0))
			abort();
		break;
	}
	case 12: {
		/* The centre's reply to a batch of three records: whatever it
		 * says, only those three can be acknowledged, each once. */
		static const char *ids[] = { "3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5b",
			"3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5c", "3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5d" };
		cJSON *batch = cJSON_CreateArray();
		struct sync_ack ack[3];
		long unknown;
		for (int i = 0; i < 3; i++) {
			cJSON *rec = cJSON_CreateObject();
			cJSON_AddStringToObject(rec, "uuid", ids[i]);
			cJSON_AddItemToArray(batch, rec);
		}
		if (sync_read_ack(s, size - 1, batch, ack, &unknown) == 0)
			for (int i = 0; i < 3; i++)
				if (ack[i].state > SYNC_ACK_REFUSED || unknown < 0 ||
				    (ack[i].state == SYNC_ACK_REFUSED && ack[i].why[0] == '\0'))
					abort();
		cJSON_Delete(batch);
		break;
	}
	case 13: {
		/* POST /v1/events: the batch, then each record as the centre
		 * checks it before holding it. */
		gl_msg err;
		cJSON *arr = central_read_batch(s, size - 1, &err), *ev;
		cJSON_ArrayForEach(ev, arr) {
			const char *body = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "body"));
			struct event_head h;
			char uuid[37];
			central_event_uuid(body, uuid);
			if (body != NULL && event_check(body, strlen(body), &h, &err) == 0 &&
			    (strcmp(h.uuid, uuid) != 0 || h.seq < 1 || !event_terminal_valid(h.terminal)))
				abort();	/* what is held has the uuid the reply names */
		}
		cJSON_Delete(arr);
		/* The input as a record body itself. */
		{
			struct event_head h;
			event_check(s, size - 1, &h, &err);
		}
		break;
	}
	case 14: {
		/* One county CSV row of each kind, merged into a record that is
		 * then checked as every published record is. */
		static const char *const heads[] = { "id,name,sector,region,whitelisted,status",
			"plate,enterprise_id,relation,type,trailer_plate",
			"id_no,name,phone,transport_whitelist,health_code,itinerary" };
		static const char *const kinds[] = { "enterprise", "vehicle", "driver" };
		int k = (data[0] >> 4) % 3;
		char head[128], rkey[RECORD_KEY_MAX], *text;
		struct bureau_head h;
		struct record_refs refs;
		gl_msg err;
		cJSON *rec = cJSON_CreateObject();
		snprintf(head, sizeof head, "%s", heads[k]);
		if (bureau_header(kinds[k], head, &h, &err) != 0)
			abort();
		if (bureau_row(&h, s, rec, rkey, &err) == 0) {
			char canon[RECORD_KEY_MAX];
			text = cJSON_PrintUnformatted(rec);
			if (text != NULL && record_key(record_kind(kinds[k]), rkey, canon, &err) == 0) {
				if (strcmp(canon, rkey) != 0)
					abort();	/* the row's key is already canonical */
				record_check(record_kind(kinds[k]), canon, text, strlen(text), &refs, &err);
			}
			cJSON_free(text);
		}
		cJSON_Delete(rec);
		break;
	}
	case 15: {
		/* Query strings and the access log's text. */
		int64_t since;
		int limit;
		char kind[32], rkey[RECORD_KEY_MAX], line[1024];
		gl_msg err;
		const char *amp = strchr(s, '&');
		if (central_changes_args(s, amp != NULL ? amp + 1 : NULL, &since, &limit, &err) == 0 &&
		    (since < 0 || limit < 1 || limit > CENTRAL_PAGE_MAX))
			abort();
		central_after_arg(s, kind, rkey, &err);
		central_log_text(s, line, sizeof line);
		for (const char *ch = line; *ch != '\0'; ch++)
			if ((unsigned char)*ch < 0x20)
				abort();	/* no line can be forged */
		break;
	}
	}
	free(s);
	return 0;
}
