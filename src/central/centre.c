/* centre.c — the command centre's side of greenlane-central: the page (its
 * files embedded at build time: every byte the page uses is served here)
 * and its staff's sessions.  A member signs in with a name and password
 * (POST /v1/centre/session) and gets a session cookie (HttpOnly,
 * SameSite=Strict, Secure over HTTPS) and a CSRF token that every change
 * must carry back (X-CSRF-Token).  Sign-ins are limited by address on each
 * central and by account in the database (central_db.h), and only a few
 * passwords are checked at once: each check takes 64 MiB. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "assets.h"
#include "decide.h"
#include "dynbuf.h"
#include "gltime.h"
#include "http.h"
#include "query.h"
#include "tube.h"

#define COOKIE "gl_staff"
#define SESSION_IDLE_S (30 * 60)	/* a session unused this long ends */
#define SESSION_MAX_S (12 * 3600)	/* and any, a shift after it began */
#define SIGNIN_PER_ADDR 20		/* sign-in attempts from one address … */
#define SIGNIN_WINDOW_S 300		/* … in this many seconds, on one central */
#define VERIFY_AT_ONCE 2		/* passwords checked at once */

const struct asset *centre_asset(const char *name);	/* build/gen/centre_assets.c */

int centre_path(const char *url)
{
	return strcmp(url, "/") == 0 || strncmp(url, "/centre/", 8) == 0 || strncmp(url, "/v1/centre/", 11) == 0;
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* ---- the page's files ---- */

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "text/html; charset=utf-8";
}

enum MHD_Result centre_file(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			    const char *rest)
{
	char name[128];
	const struct asset *a;

	(void)sv;
	/* "/" is the page; /centre/NAME its other files, by name alone. */
	if (strcmp(r->url, "/") == 0)
		rest = "index.html";
	if (rest[0] == '\0' || strchr(rest, '/') != NULL || rest[0] == '.' || strlen(rest) > 64)
		return http_error(c, r, 404, "not_found", "no such file");
	snprintf(name, sizeof name, "assets/centre/%s", rest);
	a = centre_asset(name);
	if (a == NULL)
		return http_error(c, r, 404, "not_found", "no such file");
	return http_send(c, r, 200, type_of(name), a->data, a->size);
}

/* ---- sessions ---- */

static void sha256_hex(const char *s, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, d, sizeof d);
}

/* The session r's cookie names: 1 live (the member in r->staff), 0 none
 * or over, -1 the database failed. */
static int session_of(struct http_server *sv, struct MHD_Connection *c, struct http_request *r, char csrf[65])
{
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE);
	char id[65];
	int k;

	if (cookie == NULL || strlen(cookie) > 128)
		return 0;
	if (http_db(sv, r) == NULL)
		return -1;
	sha256_hex(cookie, id);
	k = cdb_session_get(r->db, id, now_s(), SESSION_IDLE_S, SESSION_MAX_S, r->staff, csrf);
	if (k != 1)
		r->staff[0] = '\0';
	return k;
}

/* The member signed in on r, into r->staff: 1.  For a change (change),
 * the CSRF token must come back too.  Else 0, the refusal queued in *sent. */
static int signed_in(struct http_server *sv, struct MHD_Connection *c, struct http_request *r, int change,
		     char csrf[65], enum MHD_Result *sent)
{
	const char *token = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	int k = session_of(sv, c, r, csrf);

	if (k != 1) {
		*sent = k < 0 ? http_unavailable(c, r) : http_error(c, r, 401, "signin", "sign in first");
		return 0;
	}
	if (change && (token == NULL || strlen(token) != 64 || sodium_memcmp(token, csrf, 64) != 0)) {
		*sent = http_error(c, r, 403, "csrf", "the request does not carry this session's CSRF token");
		return 0;
	}
	return 1;
}

/* One more sign-in attempt from addr: 1 if it may go on, else 0 with the
 * seconds to wait. */
static int addr_may_try(struct http_server *sv, const char *addr, int *wait_s)
{
	struct http_signin_slot *s = NULL, *oldest = &sv->signin[0];
	time_t t = time(NULL);
	int ok;

	pthread_mutex_lock(&sv->signin_mu);
	for (int i = 0; i < HTTP_SIGNIN_SLOTS && s == NULL; i++) {
		if (strcmp(sv->signin[i].addr, addr) == 0)
			s = &sv->signin[i];
		else if (sv->signin[i].since < oldest->since)
			oldest = &sv->signin[i];
	}
	if (s == NULL || s->since + SIGNIN_WINDOW_S <= t) {
		if (s == NULL)
			s = oldest;
		snprintf(s->addr, sizeof s->addr, "%s", addr);
		s->since = t;
		s->n = 0;
	}
	ok = ++s->n <= SIGNIN_PER_ADDR;
	*wait_s = (int)(s->since + SIGNIN_WINDOW_S - t);
	pthread_mutex_unlock(&sv->signin_mu);
	return ok;
}

static enum MHD_Result too_many(struct MHD_Connection *c, struct http_request *r, int64_t wait_s)
{
	snprintf(r->header_value, sizeof r->header_value, "%lld", (long long)(wait_s > 0 ? wait_s : 1));
	r->header[0] = "Retry-After";
	r->header[1] = r->header_value;
	return http_error(c, r, 429, "too_many", "too many sign-in attempts: wait, then try again");
}

/* A hash of a password no one has: a name that does not exist is checked
 * against it, so that the answer takes as long as for one that does. */
static char nobody[crypto_pwhash_STRBYTES];
static pthread_once_t nobody_once = PTHREAD_ONCE_INIT;

static void make_nobody(void)
{
	unsigned char pw[32];

	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str(nobody, (const char *)pw, sizeof pw, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		nobody[0] = '\0';
}

static int password_ok(const char *hash, const char *pw)
{
	if (hash[0] != '\0')
		return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	pthread_once(&nobody_once, make_nobody);
	if (nobody[0] != '\0' && crypto_pwhash_str_verify(nobody, pw, strlen(pw)) == 0)
		return 0;	/* (never: no one has its password) */
	return 0;
}

/* The answer to a member signed in: who, and the CSRF token the page sends
 * back with every change. */
static enum MHD_Result session_json(struct MHD_Connection *c, struct http_request *r, const char *csrf)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "name", r->staff);
	cJSON_AddStringToObject(j, "csrf", csrf);
	cJSON_AddNumberToObject(j, "idle_s", SESSION_IDLE_S);
	return http_json(c, r, 200, j);
}

enum MHD_Result centre_signin(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest)
{
	cJSON *body = r->body != NULL ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	const cJSON *jn = cJSON_GetObjectItemCaseSensitive(body, "name");
	const cJSON *jp = cJSON_GetObjectItemCaseSensitive(body, "password");
	char addr[48], hash[CDB_PWHASH_MAX] = "", token[64], id[65], csrf[65];
	unsigned char rnd[32];
	int64_t locked = 0, t = now_s();
	int wait_s, k, ok;
	enum MHD_Result sent;

	(void)rest;
	http_client_addr(c, addr);
	if (!cJSON_IsString(jn) || !cJSON_IsString(jp) || !cdb_staff_valid(jn->valuestring) ||
	    strlen(jp->valuestring) > 256) {
		cJSON_Delete(body);
		return http_error(c, r, 400, "bad_request", "a sign-in is {\"name\": …, \"password\": …}");
	}
	if (!addr_may_try(sv, addr, &wait_s)) {
		cJSON_Delete(body);
		return too_many(c, r, wait_s);
	}
	if (http_db(sv, r) == NULL) {
		cJSON_Delete(body);
		return http_unavailable(c, r);
	}
	k = cdb_staff_get(r->db, jn->valuestring, hash, &locked);
	if (k < 0 || locked > t) {
		cJSON_Delete(body);
		return k < 0 ? http_unavailable(c, r) : too_many(c, r, locked - t);
	}
	/* Not while holding a database connection: a check takes a while. */
	http_db_give(sv, r);
	if (atomic_fetch_add(&sv->verifying, 1) >= VERIFY_AT_ONCE) {
		atomic_fetch_sub(&sv->verifying, 1);
		cJSON_Delete(body);
		return http_error(c, r, 503, "busy", "too many sign-ins at once: try again");
	}
	ok = password_ok(k == 1 ? hash : "", jp->valuestring);
	atomic_fetch_sub(&sv->verifying, 1);
	snprintf(r->staff, sizeof r->staff, "%s", jn->valuestring);
	cJSON_Delete(body);
	sodium_memzero(hash, sizeof hash);
	if (http_db(sv, r) == NULL)
		return http_unavailable(c, r);
	if (k == 1 && cdb_staff_signed_in(r->db, r->staff, ok, t) != 0)
		return http_unavailable(c, r);
	cdb_audit(r->db, t, r->staff, addr, ok ? "signin" : "signin-failed", "", NULL);
	if (!ok) {
		r->staff[0] = '\0';
		return http_error(c, r, 401, "signin", "wrong name or password");
	}
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token, sizeof token, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(csrf, sizeof csrf, rnd, sizeof rnd);
	sha256_hex(token, id);
	if (cdb_session_add(r->db, id, r->staff, csrf, addr, t, NULL) != 0) {
		sodium_memzero(token, sizeof token);
		return http_unavailable(c, r);
	}
	snprintf(r->header_value, sizeof r->header_value, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
		 token, SESSION_MAX_S, sv->o->cert != NULL ? "; Secure" : "");
	sodium_memzero(token, sizeof token);
	r->header[0] = "Set-Cookie";
	r->header[1] = r->header_value;
	sent = session_json(c, r, csrf);
	sodium_memzero(r->header_value, sizeof r->header_value);
	return sent;
}

enum MHD_Result centre_signout(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *rest)
{
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE);
	char csrf[65], id[65], addr[48];
	enum MHD_Result sent;

	(void)rest;
	if (!signed_in(sv, c, r, 1, csrf, &sent))
		return sent;
	sha256_hex(cookie, id);
	http_client_addr(c, addr);
	if (cdb_session_end(r->db, id, now_s(), SESSION_IDLE_S, SESSION_MAX_S) != 0)
		return http_unavailable(c, r);
	cdb_audit(r->db, now_s(), r->staff, addr, "signout", "", NULL);
	r->header[0] = "Set-Cookie";
	r->header[1] = COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
	return http_json(c, r, 200, cJSON_CreateObject());
}

/* Who is signed in: the page asks before it shows anything, so no session
 * is an answer here ({"name": null}), not a refusal. */
enum MHD_Result centre_me(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			  const char *rest)
{
	char csrf[65];
	int k = session_of(sv, c, r, csrf);
	cJSON *j;

	(void)rest;
	if (k == 1)
		return session_json(c, r, csrf);
	if (k < 0)
		return http_unavailable(c, r);
	j = cJSON_CreateObject();
	cJSON_AddNullToObject(j, "name");
	return http_json(c, r, 200, j);
}

enum MHD_Result centre_audit(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			     const char *rest)
{
	char csrf[65];
	enum MHD_Result sent;
	cJSON *l;

	(void)rest;
	if (!signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	l = cdb_audit_list(r->db, 200);
	return l != NULL ? http_json(c, r, 200, l) : http_unavailable(c, r);
}

enum MHD_Result centre_terminals(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				 const char *rest)
{
	char csrf[65];
	enum MHD_Result sent;
	cJSON *l, *o;

	(void)rest;
	if (!signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	l = cdb_report(r->db);
	if (l == NULL)
		return http_unavailable(c, r);
	/* With the centre's clock, which the page measures ages against. */
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "now", (double)now_s());
	cJSON_AddItemToObject(o, "terminals", l);
	return http_json(c, r, 200, o);
}

/* ---- actions: what the admin commands do, from the page ---- */

/* A string member of the body, or NULL. */
static const char *member(const cJSON *body, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, name));
}

/* The action named, run with the body's arguments: a decide_rc, what it
 * did in detail (for the audit log) and err. */
static int act(struct cdb *db, const char *name, const cJSON *b, char detail[256], gl_msg *err)
{
	const char *a = member(b, "tube"), *res = member(b, "result"), *id = member(b, "id");
	const char *pass = member(b, "pass_no"), *region = member(b, "region"), *level = member(b, "level");
	const char *until_s = member(b, "until");
	char tube[TUBE_MAX];
	int64_t until = 0;
	int n = 0, rc;

	glmsg_set(err, "参数不全或无效", "missing or invalid arguments");
	if (strcmp(name, "test-result") == 0) {
		if (a == NULL || res == NULL || (strcmp(res, "positive") != 0 && strcmp(res, "negative") != 0) ||
		    tube_parse(a, "^[!-~]+$", now_s(), tube, err) != 0)
			return DECIDE_REFUSED;
		rc = decide_test_result(db, tube, strcmp(res, "positive") == 0, now_s(), &n, err);
		snprintf(detail, 256, "%s %s: %d intercept(s)", tube, res, n);
		return rc;
	}
	if (strcmp(name, "enterprise-suspend") == 0 || strcmp(name, "enterprise-restore") == 0) {
		if (id == NULL)
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", id);
		return decide_enterprise(db, id, strcmp(name, "enterprise-suspend") == 0, err);
	}
	if (strcmp(name, "pass-revoke") == 0) {
		if (pass == NULL)
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", pass);
		return decide_pass_revoke(db, pass, err);
	}
	if (strcmp(name, "intercept-clear") == 0) {
		if (id == NULL)
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", id);
		return decide_intercept_clear(db, id, err);
	}
	if (strcmp(name, "risk-set") == 0) {
		if (region == NULL || !region_code_valid(region) || level == NULL ||
		    (strcmp(level, "high") != 0 && strcmp(level, "medium") != 0) ||
		    (until_s != NULL && until_s[0] != '\0' && gltime_parse(until_s, &until) != 0))
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s %s%s%s", region, level, until != 0 ? " until " : "", until != 0 ? until_s : "");
		return decide_risk_set(db, region, level, now_s(), until, err);
	}
	if (strcmp(name, "risk-clear") == 0) {
		if (region == NULL || !region_code_valid(region))
			return DECIDE_REFUSED;
		snprintf(detail, 256, "%s", region);
		return decide_risk_clear(db, region, err);
	}
	glmsg_set(err, "没有这个操作", "no such action");
	return DECIDE_NONE;
}

/* POST /v1/centre/actions/NAME {arguments}: as the admin command would, in
 * one transaction with its audit entry; on the change feed at once. */
enum MHD_Result centre_action(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			      const char *rest)
{
	char csrf[65], addr[48], detail[256] = "";
	cJSON *body = NULL, *j;
	enum MHD_Result sent;
	int64_t since;
	gl_msg err;
	int rc;

	if (!signed_in(sv, c, r, 1, csrf, &sent))
		return sent;
	body = r->body != NULL ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	if (!cJSON_IsObject(body) || strlen(rest) > 32) {
		cJSON_Delete(body);
		return http_error(c, r, 400, "bad_request", "an action takes a JSON object of its arguments");
	}
	http_client_addr(c, addr);
	if (cdb_begin(r->db, &err) != 0) {
		cJSON_Delete(body);
		return http_unavailable(c, r);
	}
	since = cdb_cursor(r->db);
	rc = since < 0 ? DECIDE_UNAVAILABLE : act(r->db, rest, body, detail, &err);
	cJSON_Delete(body);
	if (rc == DECIDE_OK && cdb_refs_check(r->db, since, &err) != 0)
		rc = DECIDE_REFUSED;
	if (rc == DECIDE_OK && (cdb_audit(r->db, now_s(), r->staff, addr, rest, detail, &err) != 0 ||
				cdb_commit(r->db, &err) != 0))
		rc = DECIDE_UNAVAILABLE;
	if (rc != DECIDE_OK) {
		cdb_rollback(r->db);
		if (rc == DECIDE_UNAVAILABLE)
			return http_unavailable(c, r);
		/* Why, in both languages: the page shows its own. */
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "error", rc == DECIDE_NONE ? "not_found" : "refused");
		cJSON_AddStringToObject(j, "message", glmsg_text(&err, 0));
		cJSON_AddStringToObject(j, "message_zh", glmsg_text(&err, 1));
		return http_json(c, r, rc == DECIDE_NONE ? 404 : rc == DECIDE_REFUSED ? 422 : 500, j);
	}
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "action", rest);
	cJSON_AddStringToObject(j, "detail", detail);
	return http_json(c, r, 200, j);
}

/* 1 if a record is in force at now: an intercept not cleared, a risk area
 * begun and not ended. */
static int in_force(const cJSON *d, int64_t now)
{
	const char *until = member(d, "until"), *since = member(d, "since");
	int64_t t;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "cleared")))
		return 0;
	if (since != NULL && gltime_parse(since, &t) == 0 && t > now)
		return 0;
	return !(until != NULL && gltime_parse(until, &t) == 0 && t <= now);
}

#define OPEN_TUBE_H 12	/* a tube with no result this long after its sample is listed */

/* What is in force now: the intercepts not cleared, the risk areas, the
 * enterprises suspended; and the tubes sampled over OPEN_TUBE_H hours ago
 * with no result recorded. */
enum MHD_Result centre_in_force(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				const char *rest)
{
	static const char *const kinds[] = { "intercept", "risk_area" };
	char csrf[65];
	enum MHD_Result sent;
	int64_t now = now_s();
	cJSON *o;

	(void)rest;
	if (!signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	o = cJSON_CreateObject();
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		cJSON *l = cdb_live(r->db, kinds[k], 1000000), *d, *next;
		if (l == NULL) {
			cJSON_Delete(o);
			return http_unavailable(c, r);
		}
		for (d = l->child; d != NULL; d = next) {
			next = d->next;
			if (!in_force(d, now))
				cJSON_Delete(cJSON_DetachItemViaPointer(l, d));
		}
		cJSON_AddItemToObject(o, kinds[k], l);
	}
	{
		cJSON *m = cdb_suspended(r->db), *t = cdb_open_tubes(r->db, now - OPEN_TUBE_H * 3600, 500);
		if (m == NULL || t == NULL) {
			cJSON_Delete(m);
			cJSON_Delete(t);
			cJSON_Delete(o);
			return http_unavailable(c, r);
		}
		cJSON_AddItemToObject(o, "meltdowns", m);
		cJSON_AddItemToObject(o, "open_tubes", t);
		cJSON_AddNumberToObject(o, "open_tube_hours", OPEN_TUBE_H);
	}
	return http_json(c, r, 200, o);
}

/* The start of a day (00:00 China Standard Time), from "YYYY-MM-DD" or, if
 * NULL, today's: 0, or -1. */
static int day_start(const char *day, int64_t *day0)
{
	char today[40], text[40];

	if (day == NULL) {
		gltime_format(now_s(), GLTIME_CST, today, sizeof today);
		today[10] = '\0';
		day = today;
	}
	if (strlen(day) != 10)
		return -1;
	snprintf(text, sizeof text, "%.10sT00:00:00+08:00", day);
	return gltime_parse(text, day0);
}

#define FIGURES_FRESH_S 4	/* the figures are made again after this long */

/* GET /v1/centre/figures[?day=YYYY-MM-DD]: the day's figures
 * (cdb_day_figures), with the day they are of and when they were made. */
enum MHD_Result centre_figures(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
			       const char *rest)
{
	char csrf[65], *text = NULL;
	enum MHD_Result sent;
	int64_t day0, t = now_s();
	gl_msg err;
	cJSON *f;

	(void)rest;
	if (!signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	if (day_start(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "day"), &day0) != 0)
		return http_error(c, r, 400, "bad_request", "day is YYYY-MM-DD");
	pthread_mutex_lock(&sv->figures_mu);
	if (sv->figures != NULL && sv->figures_day0 == day0 && t - sv->figures_at < FIGURES_FRESH_S)
		text = strdup(sv->figures);
	pthread_mutex_unlock(&sv->figures_mu);
	if (text == NULL) {
		f = cdb_day_figures(r->db, day0, t, &err);
		if (f == NULL)
			return http_unavailable(c, r);
		cJSON_AddNumberToObject(f, "made_at", (double)t);
		text = cJSON_PrintUnformatted(f);
		cJSON_Delete(f);
		if (text == NULL)
			return MHD_NO;
		pthread_mutex_lock(&sv->figures_mu);
		free(sv->figures);
		sv->figures = strdup(text);
		sv->figures_day0 = day0;
		sv->figures_at = t;
		pthread_mutex_unlock(&sv->figures_mu);
	}
	sent = http_send(c, r, 200, "application/json", text, strlen(text));
	free(text);
	return sent;
}

/* ---- the daily report as CSV ---- */

/* One CSV cell: quoted, quotes doubled, and a cell a spreadsheet would take
 * for a formula (=, +, -, @, a tab or a return first) made text with a
 * leading apostrophe: names and reasons come from imports and lanes. */
static int csv_cell(struct dynbuf *b, const char *s, int last)
{
	int rc = dynbuf_add(b, "\"", 1);

	if (rc == DYNBUF_OK && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		rc = dynbuf_add(b, "'", 1);
	for (; rc == DYNBUF_OK && *s != '\0'; s++)
		rc = *s == '"' ? dynbuf_add(b, "\"\"", 2) : dynbuf_add(b, s, 1);
	if (rc == DYNBUF_OK)
		rc = dynbuf_add(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
	return rc;
}

/* A row of n cells. */
static int csv_row(struct dynbuf *b, int n, const char *const *cells)
{
	int rc = DYNBUF_OK;

	for (int i = 0; i < n && rc == DYNBUF_OK; i++)
		rc = csv_cell(b, cells[i], i == n - 1);
	return rc;
}

static const char *num_text(const cJSON *o, const char *name, char out[32])
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	snprintf(out, 32, "%.0f", cJSON_IsNumber(v) ? v->valuedouble : 0);
	return out;
}

static const char *str_of(const cJSON *o, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));

	return s != NULL ? s : "";
}

/* The figures as CSV: one section after another, each with its header. */
static int report_csv(struct dynbuf *b, const char *day, const cJSON *f)
{
	char a[32], bb[32], c2[32], d[32], when[40];
	const cJSON *x;
	int rc = DYNBUF_OK;

	{
		const char *h[] = { "greenlane 日报告 / daily report", day };
		rc = csv_row(b, 2, h);
	}
	{
		const char *h[] = { "section", "checkpoint", "hour", "today", "yesterday" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 5, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "hours")) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(x, "today"), *y = cJSON_GetObjectItemCaseSensitive(x, "yesterday");
		for (int h = 0; h < 24 && rc == DYNBUF_OK; h++) {
			const char *row[5] = { "transits", str_of(x, "checkpoint"), a, bb, c2 };
			snprintf(a, sizeof a, "%d", h);
			snprintf(bb, sizeof bb, "%.0f", cJSON_GetNumberValue(cJSON_GetArrayItem(t, h)));
			snprintf(c2, sizeof c2, "%.0f", cJSON_GetNumberValue(cJSON_GetArrayItem(y, h)));
			rc = csv_row(b, 5, row);
		}
	}
	{
		const char *h[] = { "section", "verdict", "decision", "count" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 4, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "mix")) {
		const char *row[4] = { "mix", str_of(x, "verdict"), str_of(x, "decision"), num_text(x, "n", a) };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 4, row);
	}
	{
		const char *h[] = { "section", "checkpoint", "hour", "p50_s", "p90_s", "p90_yesterday_s", "grown" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 7, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "lane_time")) {
		const char *row[7] = { "lane_time", str_of(x, "checkpoint"), num_text(x, "hour", a), num_text(x, "p50", bb),
				       num_text(x, "p90", c2), num_text(x, "p90_yesterday", d),
				       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "grown")) ? "yes" : "no" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 7, row);
	}
	{
		const char *h[] = { "section", "time", "terminal", "checkpoint", "plate", "verdict", "decision", "reason" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 8, h);
	}
	for (int k = 0; k < 2; k++)
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, k == 0 ? "overrides" : "held")) {
			char why[256] = "";
			const cJSON *w;
			const char *row[8] = { k == 0 ? "override" : "held", when, str_of(x, "terminal"),
					       str_of(x, "checkpoint"), str_of(x, "plate"), str_of(x, "verdict"),
					       str_of(x, "decision"), why };
			gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "at")), GLTIME_CST,
				      when, sizeof when);
			if (k == 0)
				snprintf(why, sizeof why, "%s", str_of(x, "reason"));
			else
				cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(x, "why"))
					snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s", why[0] ? " " : "",
						 cJSON_GetStringValue(w));
			if (rc == DYNBUF_OK)
				rc = csv_row(b, 8, row);
		}
	{
		const char *h[] = { "section", "trip", "plate", "status", "eta", "destination", "last_seen", "last_checkpoint" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 8, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "overdue")) {
		const cJSON *dest = cJSON_GetObjectItemCaseSensitive(x, "destination");
		char eta[40], seen[40] = "", where[96];
		const char *row[8] = { "overdue", str_of(x, "trip"), str_of(x, "plate"), str_of(x, "status"), eta, where,
				       seen, str_of(x, "seen_checkpoint") };
		gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "eta")), GLTIME_CST, eta,
			      sizeof eta);
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "seen_at")))
			gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "seen_at")),
				      GLTIME_CST, seen, sizeof seen);
		snprintf(where, sizeof where, "%s %s", str_of(dest, "region"), str_of(dest, "reception_point"));
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 8, row);
	}
	{
		const char *h[] = { "section", "time", "terminal", "checkpoint", "plate" };
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 5, h);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "off_route")) {
		const char *row[5] = { "off_route", when, str_of(x, "terminal"), str_of(x, "checkpoint"), str_of(x, "plate") };
		gltime_format((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "at")), GLTIME_CST, when,
			      sizeof when);
		if (rc == DYNBUF_OK)
			rc = csv_row(b, 5, row);
	}
	return rc;
}

/* GET /v1/centre/report.csv[?day=YYYY-MM-DD]: the daily report's figures,
 * for a spreadsheet. */
enum MHD_Result centre_report_csv(struct http_server *sv, struct MHD_Connection *c, struct http_request *r,
				  const char *rest)
{
	const char *day = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "day");
	char csrf[65], today[40];
	enum MHD_Result sent;
	struct dynbuf b;
	int64_t day0;
	gl_msg err;
	cJSON *f;
	int rc;

	(void)rest;
	if (!signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	if (day_start(day, &day0) != 0)
		return http_error(c, r, 400, "bad_request", "day is YYYY-MM-DD");
	gltime_format(day0, GLTIME_CST, today, sizeof today);
	today[10] = '\0';
	f = cdb_day_figures(r->db, day0, now_s(), &err);
	if (f == NULL)
		return http_unavailable(c, r);
	dynbuf_init(&b, 16 * 1024 * 1024);
	rc = dynbuf_add(&b, "\xEF\xBB\xBF", 3);	/* a BOM: spreadsheets then read UTF-8 as such */
	if (rc == DYNBUF_OK)
		rc = report_csv(&b, today, f);
	cJSON_Delete(f);
	if (rc != DYNBUF_OK) {
		dynbuf_free(&b);
		return http_error(c, r, 500, "internal", "the report could not be made");
	}
	snprintf(r->header_value, sizeof r->header_value, "attachment; filename=\"greenlane-%s.csv\"", today);
	r->header[0] = "Content-Disposition";
	r->header[1] = r->header_value;
	sent = http_send(c, r, 200, "text/csv; charset=utf-8", b.p, b.len);
	dynbuf_free(&b);
	return sent;
}
