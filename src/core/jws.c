/* jws.c — compact JWS with EdDSA only: "alg" must be "EdDSA" (no "none", no
 * algorithm confusion), "crit" is refused, and the key is chosen by kid and
 * use, never by anything else in the token. */
#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jws.h"

static int is_b64url(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int jws_looks_like(const char *s)
{
	int dots = 0;
	size_t part = 0;

	for (; *s; s++) {
		if (*s == '.') {
			if (part == 0)
				return 0;
			dots++;
			part = 0;
		} else if (is_b64url((unsigned char)*s)) {
			part++;
		} else {
			return 0;
		}
	}
	return dots == 2 && part > 0;
}

/* Decodes n base64url characters; returns a malloc'd NUL-terminated buffer
 * and its length, or NULL. */
static unsigned char *b64dec(const char *s, size_t n, size_t *outlen)
{
	unsigned char *out = malloc(n * 3 / 4 + 2);
	const char *end;

	if (out == NULL)
		return NULL;
	if (sodium_base642bin(out, n * 3 / 4 + 1, s, n, NULL, outlen, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != s + n) {
		free(out);
		return NULL;
	}
	out[*outlen] = '\0';
	return out;
}

int jws_b64url(const unsigned char *bin, size_t n, char *out, size_t cap)
{
	size_t need = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);

	if (cap < need)
		return -1;
	sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int jws_key_from_b64(const char *b64, unsigned char pub[32])
{
	size_t n;
	unsigned char *k;

	if (b64 == NULL)
		return -1;
	k = b64dec(b64, strlen(b64), &n);
	if (k == NULL)
		return -1;
	if (n != 32) {
		free(k);
		return -1;
	}
	memcpy(pub, k, 32);
	free(k);
	return 0;
}

enum jws_status jws_verify(const char *tok, const struct jws_key *keys, size_t nkeys,
			   const char *use, char **payload, char *kid_out, gl_msg *err)
{
	const char *d1, *d2;
	unsigned char *hdr = NULL, *body = NULL, *sig = NULL;
	size_t hlen, blen, slen, toklen;
	cJSON *h = NULL;
	const cJSON *alg, *kid;
	enum jws_status st = JWS_MALFORMED;

	*payload = NULL;
	if (kid_out != NULL)
		kid_out[0] = '\0';
	toklen = strlen(tok);
	if (toklen > JWS_MAX || !jws_looks_like(tok)) {
		glmsg_set(err, "通行证二维码内容不完整或已损坏", "the pass code is incomplete or corrupt");
		return JWS_MALFORMED;
	}
	if (sodium_init() < 0)
		return JWS_MALFORMED;
	d1 = strchr(tok, '.');
	d2 = strchr(d1 + 1, '.');
	hdr = b64dec(tok, (size_t)(d1 - tok), &hlen);
	body = b64dec(d1 + 1, (size_t)(d2 - d1 - 1), &blen);
	sig = b64dec(d2 + 1, strlen(d2 + 1), &slen);
	if (hdr == NULL || body == NULL || sig == NULL) {
		glmsg_set(err, "通行证二维码编码错误", "the pass code is not valid base64url");
		goto out;
	}
	h = cJSON_ParseWithLength((const char *)hdr, hlen);
	alg = cJSON_GetObjectItemCaseSensitive(h, "alg");
	kid = cJSON_GetObjectItemCaseSensitive(h, "kid");
	if (!cJSON_IsObject(h) || !cJSON_IsString(alg) || !cJSON_IsString(kid) ||
	    strlen(kid->valuestring) >= JWS_KID_MAX) {
		glmsg_set(err, "通行证二维码头部无效", "the pass code's header is invalid");
		goto out;
	}
	if (strcmp(alg->valuestring, "EdDSA") != 0 ||
	    cJSON_GetObjectItemCaseSensitive(h, "crit") != NULL) {
		glmsg_set(err, "通行证签名算法不被接受：%s", "signature algorithm not accepted: %s",
			  alg->valuestring);
		goto out;
	}
	if (slen != crypto_sign_BYTES) {
		glmsg_set(err, "通行证签名长度错误", "the pass signature has the wrong length");
		goto out;
	}
	if (memchr(body, '\0', blen) != NULL) {
		glmsg_set(err, "通行证内容无效", "the pass payload is invalid");
		goto out;
	}
	if (kid_out != NULL)
		snprintf(kid_out, JWS_KID_MAX, "%s", kid->valuestring);
	*payload = (char *)body;
	body = NULL;
	st = JWS_UNKNOWN_KID;
	for (size_t i = 0; i < nkeys; i++) {
		if (strcmp(keys[i].kid, kid->valuestring) != 0 ||
		    (use != NULL && strcmp(keys[i].use, use) != 0))
			continue;
		if (crypto_sign_verify_detached(sig, (const unsigned char *)tok,
						(size_t)(d2 - tok), keys[i].pub) == 0) {
			st = JWS_OK;
			goto out;
		}
		st = JWS_BAD_SIGNATURE;
	}
	if (st == JWS_UNKNOWN_KID)
		glmsg_set(err, "签名密钥 %s 未知", "unknown signing key %s", kid->valuestring);
	else
		glmsg_set(err, "签名验证失败：内容被篡改或伪造", "the signature does not verify: altered or forged");
out:
	cJSON_Delete(h);
	free(hdr);
	free(body);
	free(sig);
	return st;
}

char *jws_sign(const char *payload, size_t len, const char *kid, const unsigned char sk[64])
{
	cJSON *h = cJSON_CreateObject();
	char *hjson = NULL, *out = NULL;
	size_t hl, pl, cap, o;
	unsigned char sig[crypto_sign_BYTES];

	if (h == NULL || sodium_init() < 0)
		goto out;
	cJSON_AddStringToObject(h, "alg", "EdDSA");
	cJSON_AddStringToObject(h, "kid", kid);
	hjson = cJSON_PrintUnformatted(h);
	if (hjson == NULL)
		goto out;
	hl = sodium_base64_ENCODED_LEN(strlen(hjson), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	pl = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	cap = hl + pl + 2 + sodium_base64_ENCODED_LEN(sizeof sig, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out = malloc(cap);
	if (out == NULL)
		goto out;
	jws_b64url((const unsigned char *)hjson, strlen(hjson), out, cap);
	o = strlen(out);
	out[o++] = '.';
	jws_b64url((const unsigned char *)payload, len, out + o, cap - o);
	o += strlen(out + o);
	crypto_sign_detached(sig, NULL, (const unsigned char *)out, o, sk);
	out[o++] = '.';
	jws_b64url(sig, sizeof sig, out + o, cap - o);
out:
	free(hjson);
	cJSON_Delete(h);
	return out;
}
