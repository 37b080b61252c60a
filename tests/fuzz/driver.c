/* A deterministic driver for the fuzz target, for the test suite (where
 * libFuzzer may not exist): it feeds the seed inputs, then a fixed number of
 * mutations of them (byte flips, insertions, truncations, splices), the same
 * every run.  Prints "fuzz: N passed, 0 failed"; a crash is a failure.
 *   fuzz_driver [ITERATIONS] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const int fuzz_targets;

static const char *const seeds[] = {
	"豫D12345", "豫D·12345", "豫DD12345", "豫D1234挂", "使014578", "豫D1234应急", "ｄ１２３４５",
	"11010519491231002X", "110105491231002", "410402000001",
	"eyJhbGciOiJFZERTQSIsImtpZCI6ImsifQ.eyJ4IjoxfQ.c2lnbmF0dXJl",
	"{\"seq\":1,\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D12345\",\"data\":{\"plate\":\"豫D12345\",\"a\":[1,2.5e3,-0,true,false,null,\"\\u4e2d\\ud83d\\ude00\"]}}",
	"{\"and\":[{\"==\":[{\"var\":\"a.b\"},1]},{\"some\":[{\"var\":\"crew\"},{\"within\":[{\"var\":\"t\"},{\"hours\":48}]}]}]}",
	"{\"id\":\"x\",\"version\":\"1\",\"params\":{\"n\":1},\"defs\":{\"d\":true},\"green_requires\":{\"def\":\"d\"},"
	"\"rules\":[{\"id\":\"a\",\"level\":\"hold\",\"for_each\":\"crew\",\"when\":{\"var\":\"x\"},\"reason\":{\"code\":\"X\",\"zh\":\"x\",\"en\":\"x\"}}]}",
	"{\"pass_no\":\"410402000001\",\"plate\":\"豫D12345\",\"origin_region\":\"410102\",\"dest_region\":\"410402\","
	"\"valid_from\":\"2022-05-01T00:00:00+08:00\",\"valid_to\":\"2022-06-01T00:00:00+08:00\"}",
	"2022-05-10T08:00:00+08:00", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]", "\"\\ud800\"",
	"{\"cursor\":12,\"more\":true,\"as_of\":\"2022-05-10T08:00:00+08:00\"}", "PDS-0001",
	"{\"kind\":\"pass\",\"op\":\"del\",\"key\":\"410402000001\"}",
	"{\"events\":[{\"body\":\"{\\\"uuid\\\":\\\"0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e01\\\",\\\"terminal\\\":\\\"PDS-01-A\\\","
	"\\\"seq\\\":1,\\\"kind\\\":\\\"transit\\\",\\\"at\\\":\\\"2022-05-10T08:00:00+08:00\\\",\\\"plate\\\":\\\"豫D10001\\\","
	"\\\"crew\\\":[\\\"410402196501010003\\\"],\\\"decision\\\":\\\"sample\\\",\\\"tube\\\":\\\"PDS-T1\\\",\\\"prev_hash\\\":"
	"\\\"0000000000000000000000000000000000000000000000000000000000000000\\\"}\",\"hash\":\"ab\"}]}",
	"410402196501010003,张三,13800000000,是,green,normal", "\"豫D·88888\",E000001,own,重型厢式货车,豫D1234挂",
	"E000001,\"某某物流, 有限公司\",transport,410402,1,active", "since=12&limit=99999", "drivers/410402196501010003\n",
	"{\"held\":[\"3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5b\",\"3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5b\",7],"
	"\"refused\":[{\"uuid\":\"3f2a7d6e-0b1c-4e5f-8a9b-0c1d2e3f4a5c\",\"error\":\"HASH_MISMATCH\"},{\"uuid\":null}]}",
};

/* Bytes that matter to the parsers, inserted by mutation. */
static const char tokens[] = "{}[]\",:\\.0eE-+u\xe8\xb1\xab";

static uint64_t rng = 0x243F6A8885A308D3ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 200000, runs = 0;
	uint8_t buf[1024];
	size_t nseeds = sizeof seeds / sizeof seeds[0];

	for (size_t s = 0; s < nseeds; s++) {
		for (int sel = 0; sel < fuzz_targets; sel++) {
			size_t n = strlen(seeds[s]);
			buf[0] = (uint8_t)sel;
			memcpy(buf + 1, seeds[s], n);
			LLVMFuzzerTestOneInput(buf, n + 1);
			runs++;
		}
	}
	for (long i = 0; i < iters; i++) {
		const char *seed = seeds[next() % nseeds];
		size_t n = strlen(seed), muts = 1 + next() % 4;
		if (n + 1 > sizeof buf - 16)
			n = sizeof buf - 17;
		buf[0] = (uint8_t)(next() % 256);
		memcpy(buf + 1, seed, n);
		n++;
		for (size_t k = 0; k < muts; k++) {
			size_t at = 1 + next() % (n > 1 ? n - 1 : 1);
			switch (next() % 5) {
			case 0: buf[at] ^= (uint8_t)(1u << (next() % 8)); break;
			case 1: buf[at] = (uint8_t)next(); break;
			case 2: n = at; break;
			case 3:
				if (n < sizeof buf - 1) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = (uint8_t)tokens[next() % (sizeof tokens - 1)];
					n++;
				}
				break;
			default: {
				const char *other = seeds[next() % nseeds];
				size_t m = strlen(other), from = next() % (m ? m : 1), len = next() % 32;
				if (from + len > m)
					len = m - from;
				if (at + len < sizeof buf) {
					memcpy(buf + at, other + from, len);
					if (at + len > n)
						n = at + len;
				}
			}
			}
		}
		LLVMFuzzerTestOneInput(buf, n);
		runs++;
	}
	printf("fuzz: %ld passed, 0 failed\n", runs);
	return 0;
}
