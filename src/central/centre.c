/* centre.c — the command centre's side of greenlane-central: the page (its
 * files embedded at build time: every byte the page uses is served here),
 * its staff's sessions, the audit log and the terminals' state.  What the
 * staff do is centre_act.c, the day's figures and report centre_report.c.  A member signs in with a name and password
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
#include "http.h"

#define COOKIE "gl_staff"
/* A lane waits on the feed at most 55 s: silent much longer, it is offline. */
#define CENTRE_OFFLINE_S 120
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

int64_t centre_now(void)
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
	k = cdb_session_get(r->db, id, centre_now(), SESSION_IDLE_S, SESSION_MAX_S, r->staff, csrf);
	if (k != 1)
		r->staff[0] = '\0';
	return k;
}

int centre_signed_in(struct http_server *sv, struct MHD_Connection *c, struct http_request *r, int change,
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
	int64_t locked = 0, t = centre_now();
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
	/* The password, as sent and as parsed, not left in freed memory. */
	sodium_memzero(jp->valuestring, strlen(jp->valuestring));
	sodium_memzero(r->body, r->len);
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
	if (!centre_signed_in(sv, c, r, 1, csrf, &sent))
		return sent;
	sha256_hex(cookie, id);
	http_client_addr(c, addr);
	if (cdb_session_end(r->db, id, centre_now(), SESSION_IDLE_S, SESSION_MAX_S) != 0)
		return http_unavailable(c, r);
	cdb_audit(r->db, centre_now(), r->staff, addr, "signout", "", NULL);
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
	if (!centre_signed_in(sv, c, r, 0, csrf, &sent))
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
	if (!centre_signed_in(sv, c, r, 0, csrf, &sent))
		return sent;
	l = cdb_report(r->db);
	if (l == NULL)
		return http_unavailable(c, r);
	/* With the centre's clock, which the page measures ages against, and
	 * how long a terminal may be silent before it counts as offline. */
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "now", (double)centre_now());
	cJSON_AddNumberToObject(o, "offline_after_s", sv->o->offline_s > 0 ? sv->o->offline_s : CENTRE_OFFLINE_S);
	cJSON_AddItemToObject(o, "terminals", l);
	return http_json(c, r, 200, o);
}
