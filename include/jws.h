/* jws.h — JWS compact serialisation (RFC 7515) with EdDSA/Ed25519 (RFC 8037):
 * the signatures on pass tokens and policies, verified offline against `key`
 * records.  Pure computation (libsodium); no I/O. */
#ifndef GL_JWS_H
#define GL_JWS_H
#include <stddef.h>
#include "glmsg.h"

#define JWS_KID_MAX 64
#define JWS_MAX (64 * 1024)	/* hard cap on a token's length */

struct jws_key {
	char kid[JWS_KID_MAX];
	char use[16];			/* "pass", "policy", "snapshot" */
	unsigned char pub[32];
};

enum jws_status {
	JWS_OK,
	JWS_MALFORMED,		/* not three base64url parts, bad header, … */
	JWS_UNKNOWN_KID,	/* no key with that kid and use */
	JWS_BAD_SIGNATURE,
};

/* Verifies tok against the keys whose use matches.  On JWS_OK, *payload is
 * the decoded payload (NUL-terminated; caller frees).  On UNKNOWN_KID and
 * BAD_SIGNATURE the payload is still returned, so the caller can show what the
 * token claims; on MALFORMED *payload is NULL.  kid_out (JWS_KID_MAX bytes,
 * may be NULL) receives the header's kid. */
enum jws_status jws_verify(const char *tok, const struct jws_key *keys, size_t nkeys,
			   const char *use, char **payload, char *kid_out, gl_msg *err);

/* Signs payload as a compact JWS with header {"alg":"EdDSA","kid":kid}.
 * sk is libsodium's 64-byte secret key.  Returns a string the caller frees,
 * or NULL if out of memory. */
char *jws_sign(const char *payload, size_t len, const char *kid, const unsigned char sk[64]);

/* Decodes base64url (no padding) text into a key's 32 bytes.  Returns 0/-1. */
int jws_key_from_b64(const char *b64, unsigned char pub[32]);

/* Encodes bytes as base64url without padding into out (cap bytes). 0/-1. */
int jws_b64url(const unsigned char *bin, size_t n, char *out, size_t cap);

/* 1 if s has the shape of a compact JWS: three base64url parts. */
int jws_looks_like(const char *s);

#endif
