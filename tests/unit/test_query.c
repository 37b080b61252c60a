/* Query kind detection, pass numbers, pass tokens (JWS EdDSA). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "jws.h"
#include "query.h"

#define NOW T("2022-05-10T09:00:00+08:00")

static void kind_of(const char *in, enum query_kind k, const char *value)
{
	struct query q;
	gl_msg err;

	if (query_parse(in, "豫", NOW, &q, &err) != 0)
		fail_msg("rejected %s: %s", in, err.en);
	assert_int_equal(q.kind, k);
	if (value != NULL)
		assert_string_equal(q.value, value);
}

static void bad(const char *in, const char *frag)
{
	struct query q;
	gl_msg err;

	glmsg_clear(&err);
	if (query_parse(in, NULL, NOW, &q, &err) == 0)
		fail_msg("accepted %s", in ? in : "(null)");
	if (frag != NULL && strstr(err.en, frag) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", in, err.en, frag);
}

static void hostile(void **state)
{
	char big[600];

	(void)state;
	bad(NULL, "empty");
	bad("", "empty");
	bad(" \t\r\n", "empty");
	bad("hello", "not recognised");
	bad("12345", "5 digits");
	bad("4104020000001", "13 digits");
	bad("990000000001", "region code");
	bad("豫D1234I", "I or O");
	bad("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ", "corrupt");	/* a token cut short */
	bad("eyJhbGciOiJFZERTQSIsImtpZCI6ImsifQ.eyJ4IjoxfQ.!!!!", "corrupt");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	bad(big, "too long");
}

static void kinds(void **state)
{
	(void)state;
	kind_of("豫D12345", QUERY_PLATE, "豫D12345");
	kind_of("d12345", QUERY_PLATE, "豫D12345");
	kind_of(" 410402000001 ", QUERY_PASSNO, "410402000001");
	kind_of("4104 0200 0001", QUERY_PASSNO, "410402000001");
	kind_of("11010519491231002x", QUERY_IDNO, "11010519491231002X");
	kind_of("110105491231002", QUERY_IDNO, "11010519491231002X");
	kind_of("eyJhbGciOiJFZERTQSIsImtpZCI6ImsifQ.eyJ4IjoxfQ.c2lnbmF0dXJl", QUERY_TOKEN, NULL);
	kind_of("https://pass.example/v?t=eyJhbGciOiJFZERTQSIsImtpZCI6ImsifQ.eyJ4IjoxfQ.c2lnbmF0dXJl",
		QUERY_TOKEN, NULL);
	assert_string_equal(query_kind_name(QUERY_TOKEN), "pass_token");
}

static const char *claims =
	"{\"pass_no\":\"410402000001\",\"plate\":\"豫D·12345\",\"origin_region\":\"410102\","
	"\"dest_region\":\"410402\",\"valid_from\":\"2022-05-01T00:00:00+08:00\","
	"\"valid_to\":\"2022-06-01T00:00:00+08:00\"}";

static void tokens(void **state)
{
	unsigned char pk[32], sk[64], pk2[32], sk2[64];
	struct jws_key keys[2];
	struct pass_claims c;
	char *tok, *payload, kid[JWS_KID_MAX], *bad_tok;
	gl_msg err;

	(void)state;
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	memset(keys, 0, sizeof keys);
	snprintf(keys[0].kid, sizeof keys[0].kid, "k1");
	snprintf(keys[0].use, sizeof keys[0].use, "pass");
	memcpy(keys[0].pub, pk, 32);
	snprintf(keys[1].kid, sizeof keys[1].kid, "k1");
	snprintf(keys[1].use, sizeof keys[1].use, "policy");
	memcpy(keys[1].pub, pk2, 32);

	tok = jws_sign(claims, strlen(claims), "k1", sk);
	assert_non_null(tok);
	assert_true(jws_looks_like(tok));
	assert_int_equal(jws_verify(tok, keys, 2, "pass", &payload, kid, &err), JWS_OK);
	assert_string_equal(kid, "k1");
	assert_int_equal(pass_claims_parse(payload, &c, &err), 0);
	assert_string_equal(c.plate, "豫D12345");
	assert_string_equal(c.pass_no, "410402000001");
	assert_int_equal(c.valid_from, T("2022-05-01T00:00:00+08:00"));
	free(payload);

	/* Only a key of the right use verifies. */
	assert_int_equal(jws_verify(tok, keys + 1, 1, "pass", &payload, NULL, &err), JWS_UNKNOWN_KID);
	free(payload);
	assert_int_equal(jws_verify(tok, keys + 1, 1, "policy", &payload, NULL, &err), JWS_BAD_SIGNATURE);
	free(payload);
	assert_int_equal(jws_verify(tok, keys, 0, "pass", &payload, NULL, &err), JWS_UNKNOWN_KID);
	assert_non_null(payload);	/* the claims are still readable */
	free(payload);

	/* Tampering anywhere breaks it. */
	bad_tok = strdup(tok);
	bad_tok[strchr(tok, '.') - tok + 5] ^= 1;
	assert_int_not_equal(jws_verify(bad_tok, keys, 2, "pass", &payload, NULL, &err), JWS_OK);
	free(payload);
	memcpy(bad_tok, tok, strlen(tok));
	bad_tok[strlen(tok) - 3] = bad_tok[strlen(tok) - 3] == 'A' ? 'B' : 'A';
	assert_int_not_equal(jws_verify(bad_tok, keys, 2, "pass", &payload, NULL, &err), JWS_OK);
	free(payload);
	bad_tok[strlen(tok) - 10] = '\0';
	assert_int_equal(jws_verify(bad_tok, keys, 2, "pass", &payload, NULL, &err), JWS_MALFORMED);
	assert_null(payload);
	free(bad_tok);
	free(tok);

	/* alg none and other algorithms are refused, whatever the signature. */
	assert_int_equal(jws_verify("eyJhbGciOiJub25lIiwia2lkIjoiazEifQ.eyJ4IjoxfQ.c2ln", keys, 2, "pass",
				    &payload, NULL, &err), JWS_MALFORMED);
	assert_int_equal(jws_verify("eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJ4IjoxfQ.c2ln", keys, 2, "pass",
				    &payload, NULL, &err), JWS_MALFORMED);
	/* A header that is not JSON. */
	assert_int_equal(jws_verify("bm90anNvbg.eyJ4IjoxfQ.c2ln", keys, 2, "pass", &payload, NULL, &err),
			 JWS_MALFORMED);
	/* Missing claims. */
	assert_int_not_equal(pass_claims_parse("{\"pass_no\":\"410402000001\"}", &c, &err), 0);
	assert_int_not_equal(pass_claims_parse("not json", &c, &err), 0);
	assert_int_not_equal(pass_claims_parse("{\"pass_no\":\"410402000001\",\"plate\":\"X\","
					       "\"origin_region\":\"410102\",\"dest_region\":\"410402\","
					       "\"valid_from\":\"2022-05-01T00:00:00+08:00\","
					       "\"valid_to\":\"2022-06-01T00:00:00+08:00\"}", &c, &err), 0);
}

static void keys_b64(void **state)
{
	unsigned char pub[32];
	char b64[64];

	(void)state;
	memset(pub, 7, sizeof pub);
	assert_int_equal(jws_b64url(pub, 32, b64, sizeof b64), 0);
	memset(pub, 0, sizeof pub);
	assert_int_equal(jws_key_from_b64(b64, pub), 0);
	assert_int_equal(pub[31], 7);
	assert_int_not_equal(jws_key_from_b64("AAAA", pub), 0);
	assert_int_not_equal(jws_key_from_b64("!!", pub), 0);
	assert_int_not_equal(jws_key_from_b64(NULL, pub), 0);
	assert_int_not_equal(jws_b64url(pub, 32, b64, 10), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(kinds), cmocka_unit_test(tokens),
		cmocka_unit_test(keys_b64),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
