/* targets.h — one fuzz target per parser greenlane has.  Each takes its
 * input as it would arrive (a scanned text, a record line, a reply, a file)
 * and may refuse anything; it may not crash, leak, read out of bounds, loop
 * or break the property its comment states (then it aborts).  The input is
 * given NUL-terminated, as the text readers take it, with its length.
 *
 * Each target has a seed corpus, tests/fuzz/corpus/NAME/, and a dictionary,
 * tests/fuzz/dict/NAME.dict (libFuzzer's format).  `make fuzz` runs
 * libFuzzer on each; tests/fuzz/driver.c runs a fixed number of mutations
 * of each in the test suite, the same every run. */
#ifndef GL_FUZZ_TARGETS_H
#define GL_FUZZ_TARGETS_H
#include <stddef.h>

struct fuzz_target {
	const char *name;
	void (*run)(const char *s, size_t n);
};

extern const struct fuzz_target fuzz_targets[];
extern const size_t fuzz_ntargets;

/* The target named name, or NULL. */
const struct fuzz_target *fuzz_target(const char *name);

#endif
