/* request.c — what greenlane-central reads from a request, apart from the
 * server so that it can be fuzzed: the query arguments, the event batch,
 * and the text a request leaves in the access log.  Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central.h"
#include "jscan.h"
#include "utf8.h"

int central_whole(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int central_changes_args(const char *since_s, const char *limit_s, int64_t *since, int *limit, gl_msg *err)
{
	long long v;

	if (central_whole(since_s, 0, INT64_MAX, &v) != 0) {
		glmsg_set(err, "since 应为游标（非负整数）", "since must be a cursor (a whole number)");
		return -1;
	}
	*since = v;
	*limit = CENTRAL_PAGE_DEFAULT;
	if (limit_s != NULL) {
		if (central_whole(limit_s, 1, INT64_MAX, &v) != 0) {
			glmsg_set(err, "limit 应为正整数", "limit must be a whole number from 1");
			return -1;
		}
		*limit = v > CENTRAL_PAGE_MAX ? CENTRAL_PAGE_MAX : (int)v;
	}
	return 0;
}

int central_wait_arg(const char *wait_s, int *wait, gl_msg *err)
{
	long long v = 0;

	if (wait_s != NULL && central_whole(wait_s, 0, CENTRAL_WAIT_MAX, &v) != 0) {
		glmsg_set(err, "wait 应为 0 到 %d 的整数秒", "wait must be whole seconds from 0 to %d", CENTRAL_WAIT_MAX);
		return -1;
	}
	*wait = (int)v;
	return 0;
}

int central_after_arg(const char *after, char kind[32], char key[RECORD_KEY_MAX], gl_msg *err)
{
	const char *slash = after != NULL ? strchr(after, '/') : NULL;

	if (slash == NULL || slash == after || slash - after >= 32 || strlen(slash + 1) >= RECORD_KEY_MAX) {
		glmsg_set(err, "after 应为 KIND/KEY", "after must be KIND/KEY");
		return -1;
	}
	snprintf(kind, 32, "%.*s", (int)(slash - after), after);
	snprintf(key, RECORD_KEY_MAX, "%s", slash + 1);
	return 0;
}

cJSON *central_read_batch(const char *p, size_t n, gl_msg *err)
{
	struct jscan_member m[4];
	int k = p != NULL ? jscan_object(p, n, m, 4) : -1;
	const struct jscan_span *ev = k > 0 && k <= 4 ? jscan_get(m, k, "events") : NULL;
	cJSON *doc, *arr, *e;

	/* I-JSON: a batch with a name twice is read by no one. */
	if (ev == NULL || ev->type != JS_ARRAY || jscan_array(ev->p, ev->n, NULL, 0) > CENTRAL_BATCH_MAX) {
		glmsg_set(err, "应为 {\"events\":[{\"body\":…,\"hash\":…}, …]}（至多 %d 条）",
			  "expected {\"events\":[{\"body\":…,\"hash\":…}, …]} (%d at most)", CENTRAL_BATCH_MAX);
		return NULL;
	}
	doc = cJSON_ParseWithLength(p, n);
	arr = cJSON_DetachItemFromObjectCaseSensitive(doc, "events");
	cJSON_Delete(doc);
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsObject(e)) {
			cJSON_Delete(arr);
			glmsg_set(err, "每条记录应为 {\"body\":…,\"hash\":…}", "each event must be {\"body\":…,\"hash\":…}");
			return NULL;
		}
	}
	return arr;
}

void central_event_uuid(const char *body, char uuid[37])
{
	struct jscan_member m[64];
	int k = body != NULL ? jscan_object(body, strlen(body), m, 64) : -1;

	uuid[0] = '\0';
	if (k < 0 || k > 64 || jscan_string(jscan_get(m, k, "uuid"), uuid, 37) != 36)
		uuid[0] = '\0';
}

/* Masks every run of 15 or more ID-number characters (digits, X) but its
 * first 6 and last 4, as the lanes show ID numbers. */
static void mask_ids(char *s)
{
	for (char *p = s; *p != '\0';) {
		size_t n = strspn(p, "0123456789Xx");
		if (n >= 15)
			memset(p + 6, '*', n - 10);
		p += n > 0 ? n : 1;
	}
}

void central_log_text(const char *in, char *out, size_t cap)
{
	size_t o = 0, n = in != NULL ? strlen(in) : 0;

	if (cap == 0)
		return;
	for (size_t i = 0; i < n && o + 5 < cap;) {
		unsigned char c = (unsigned char)in[i];
		uint32_t cp;
		size_t k = c >= 0x80 ? utf8_decode(in + i, n - i, &cp) : 1;
		if (c < 0x20 || c == 0x7f || c == '\\' || c == '"' || k == 0) {
			/* A line break in a request cannot forge a log line. */
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
			i++;
		} else if (o + k < cap) {
			memcpy(out + o, in + i, k);
			o += k;
			i += k;
		} else {
			break;
		}
	}
	out[o] = '\0';
	mask_ids(out);
}
