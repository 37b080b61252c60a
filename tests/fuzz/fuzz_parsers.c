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
#include "cache.h"
#include "gltime.h"
#include "idno.h"
#include "jscan.h"
#include "jws.h"
#include "logic.h"
#include "policy.h"
#include "query.h"
#include "sync.h"
#include "tube.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How many parsers the first byte picks from (the driver tries each seed
 * with every one). */
const int fuzz_targets = 13;

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
	}
	free(s);
	return 0;
}
