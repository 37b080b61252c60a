/* event.c — the rules a journal record meets, on both sides of the wire. */
#include <stdio.h>
#include <string.h>
#include "event.h"
#include "gltime.h"
#include "idno.h"
#include "jscan.h"
#include "plate.h"
#include "query.h"

#define EVENT_CREW_MAX 16

int event_terminal_valid(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	if (n == 0 || n >= EVENT_TERMINAL_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int uuid_valid(const char *s)
{
	return strlen(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' && hex_run(s, 8) &&
	       hex_run(s + 9, 4) && hex_run(s + 14, 4) && hex_run(s + 19, 4) && hex_run(s + 24, 12);
}

static int kind_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	return 1;
}

/* A sequence number: digits only (no sign, fraction or exponent, no
 * leading zero), 1 … EVENT_SEQ_MAX. */
static int seq_value(const struct jscan_span *v, int64_t *out)
{
	int64_t x = 0;

	if (v == NULL || v->type != JS_NUMBER || v->n == 0 || v->n > 16 || v->p[0] == '0')
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return -1;
		x = x * 10 + (v->p[i] - '0');
	}
	if (x < 1 || x > EVENT_SEQ_MAX)
		return -1;
	*out = x;
	return 0;
}

/* A tube label as a lane writes it: trimmed, upper case, printable ASCII,
 * not a plate, an ID number or a pass. */
static int tube_valid(const char *t, int64_t at)
{
	size_t n = strlen(t);
	struct query q;

	if (n == 0 || n >= TUBE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] <= ' ' || t[i] > '~' || (t[i] >= 'a' && t[i] <= 'z'))
			return 0;
	return query_parse(t, NULL, at, &q, NULL) != 0;
}

static int bad(gl_msg *err, const char *field)
{
	glmsg_set(err, "记录的 %s 缺失或无效", "the record's %s is missing or invalid", field);
	return -1;
}

int event_check(const char *body, size_t len, struct event_head *h, gl_msg *err)
{
	struct jscan_member m[64];
	struct jscan_span crew[EVENT_CREW_MAX + 1];
	const struct jscan_span *v;
	char s[64], at[48], decision[16] = "";
	int n = body != NULL ? jscan_object(body, len, m, 64) : -1;

	memset(h, 0, sizeof *h);
	if (n == JSCAN_DUPLICATE) {
		glmsg_set(err, "记录中有重复的成员名", "the record has a repeated member name");
		return -1;
	}
	if (n < 0 || n > 64) {
		glmsg_set(err, "记录不是有效的 JSON 对象（UTF-8）", "the record is not a well-formed JSON object (UTF-8)");
		return -1;
	}
	if (jscan_string(jscan_get(m, n, "uuid"), h->uuid, sizeof h->uuid) < 0 || !uuid_valid(h->uuid))
		return bad(err, "uuid");
	if (jscan_string(jscan_get(m, n, "terminal"), h->terminal, sizeof h->terminal) < 0 ||
	    !event_terminal_valid(h->terminal))
		return bad(err, "terminal");
	if (seq_value(jscan_get(m, n, "seq"), &h->seq) != 0)
		return bad(err, "seq (a whole number from 1)");
	if (jscan_string(jscan_get(m, n, "kind"), h->kind, sizeof h->kind) < 0 || !kind_valid(h->kind))
		return bad(err, "kind");
	if (jscan_string(jscan_get(m, n, "at"), at, sizeof at) < 0 || gltime_parse(at, &h->at) != 0)
		return bad(err, "at");
	if (jscan_string(jscan_get(m, n, "prev_hash"), h->prev_hash, sizeof h->prev_hash) != 64 ||
	    !hex_run(h->prev_hash, 64))
		return bad(err, "prev_hash");
	v = jscan_get(m, n, "plate");
	if (v != NULL) {
		struct plate p;
		if (jscan_string(v, s, sizeof s) < 0 || plate_parse(s, NULL, &p, NULL) != 0 || strcmp(s, p.canon) != 0)
			return bad(err, "plate");
	}
	v = jscan_get(m, n, "crew");
	if (v != NULL) {
		int k = v->type == JS_ARRAY ? jscan_array(v->p, v->n, crew, EVENT_CREW_MAX + 1) : -1;
		char id[IDNO_MAX];
		if (k < 0 || k > EVENT_CREW_MAX)
			return bad(err, "crew");
		for (int i = 0; i < k; i++)
			if (jscan_string(&crew[i], s, sizeof s) < 0 || idno_parse(s, h->at, id, NULL) != 0 ||
			    strcmp(s, id) != 0)
				return bad(err, "crew");
	}
	v = jscan_get(m, n, "tube");
	if (v != NULL && (jscan_string(v, h->tube, sizeof h->tube) < 0 || !tube_valid(h->tube, h->at))) {
		h->tube[0] = '\0';
		return bad(err, "tube");
	}
	jscan_string(jscan_get(m, n, "decision"), decision, sizeof decision);
	if (h->tube[0] == '\0' && (strcmp(h->kind, "landing_test") == 0 ||
				   (strcmp(h->kind, "transit") == 0 && strcmp(decision, "sample") == 0)))
		return bad(err, "tube");
	return 0;
}
