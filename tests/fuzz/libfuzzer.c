/* libfuzzer.c — libFuzzer's entry for one target, named at build time
 * (-DFUZZ_TARGET='"name"'): `make fuzz` builds one binary per target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_target *t;
	char *s;

	if (t == NULL && (t = fuzz_target(FUZZ_TARGET)) == NULL)
		abort();
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	t->run(s, size);
	free(s);
	return 0;
}
