/* driver.c — the fuzz targets in the test suite, where libFuzzer may not be:
 * each target's seed corpus, then a fixed number of mutations of its seeds
 * (bit flips, bytes, cuts, its dictionary's tokens inserted, splices of
 * another seed), the same every run.  Prints "fuzz: N passed, 0 failed";
 * a broken property aborts, and so fails the run.
 *   fuzz_driver DIR [ITERATIONS]   (DIR holds corpus/NAME/ and dict/NAME.dict) */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "targets.h"

#define FUZZ_INPUT_MAX 2048
#define MAX_SEEDS 64
#define MAX_TOKENS 128

struct bytes {
	char *p;
	size_t n;
};

static uint64_t rng = 0x243F6A8885A308D3ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int read_file(const char *path, struct bytes *b)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	b->p = malloc(FUZZ_INPUT_MAX);
	b->n = b->p != NULL ? fread(b->p, 1, FUZZ_INPUT_MAX, f) : 0;
	fclose(f);
	return b->p != NULL ? 0 : -1;
}

/* The seeds of one target: every file of DIR/corpus/NAME, by name. */
static int seeds_of(const char *dir, const char *name, struct bytes *s)
{
	char path[512], *names[MAX_SEEDS];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "%s/corpus/%s", dir, name);
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < MAX_SEEDS)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	for (int i = 0; i < n; i++)
		for (int k = i + 1; k < n; k++)
			if (strcmp(names[k], names[i]) < 0) {
				char *t = names[i];
				names[i] = names[k];
				names[k] = t;
			}
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/corpus/%s/%s", dir, name, names[i]);
		if (read_file(path, &s[i]) != 0)
			s[i].n = 0;
		free(names[i]);
	}
	return n;
}

/* A dictionary in libFuzzer's format: one "token" a line (\\xNN, \\", \\\\). */
static int tokens_of(const char *dir, const char *name, struct bytes *t)
{
	char path[512], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "%s/dict/%s.dict", dir, name);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (n < MAX_TOKENS && fgets(line, sizeof line, f) != NULL) {
		char *q = strchr(line, '"'), *end = strrchr(line, '"'), *o;
		if (line[0] == '#' || q == NULL || end == q)
			continue;
		t[n].p = o = malloc((size_t)(end - q));
		for (char *c = q + 1; c < end; c++) {
			if (*c == '\\' && c[1] == 'x' && c + 3 < end) {
				*o++ = (char)strtol((char[]){ c[2], c[3], 0 }, NULL, 16);
				c += 3;
			} else if (*c == '\\' && c + 1 < end) {
				*o++ = *++c;
			} else {
				*o++ = *c;
			}
		}
		t[n].n = (size_t)(o - t[n].p);
		n++;
	}
	fclose(f);
	return n;
}

static void run(const struct fuzz_target *t, const char *buf, size_t n)
{
	char s[FUZZ_INPUT_MAX + 1];

	memcpy(s, buf, n);
	s[n] = '\0';
	t->run(s, n);
}

int main(int argc, char **argv)
{
	long iters = argc > 2 ? strtol(argv[2], NULL, 10) : 200000, runs = 0, each;
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz";
	char buf[FUZZ_INPUT_MAX];

	each = iters / (long)fuzz_ntargets;
	for (size_t k = 0; k < fuzz_ntargets; k++) {
		const struct fuzz_target *t = &fuzz_targets[k];
		struct bytes seed[MAX_SEEDS], tok[MAX_TOKENS];
		int ns = seeds_of(dir, t->name, seed), nt = tokens_of(dir, t->name, tok);
		if (ns == 0) {
			printf("FAIL fuzz: no seeds in %s/corpus/%s\n", dir, t->name);
			printf("fuzz: %ld passed, 1 failed\n", runs);
			return 1;
		}
		for (int i = 0; i < ns; i++, runs++)
			run(t, seed[i].p, seed[i].n);
		for (long i = 0; i < each; i++, runs++) {
			const struct bytes *sd = &seed[next() % (uint64_t)ns];
			size_t n = sd->n, muts = 1 + next() % 4;
			memcpy(buf, sd->p, n);
			for (size_t m = 0; m < muts; m++) {
				size_t at = n > 0 ? next() % n : 0;
				switch (next() % 5) {
				case 0: if (n > 0) buf[at] ^= (char)(1u << (next() % 8)); break;
				case 1: if (n > 0) buf[at] = (char)next(); break;
				case 2: n = at; break;
				case 3: {
					/* A dictionary token (or a byte that matters to JSON). */
					static const char any[] = "{}[]\",:\\.0eE-+u\n";
					const char *p = any + next() % (sizeof any - 1);
					size_t len = 1;
					if (nt > 0 && next() % 2) {
						const struct bytes *tk = &tok[next() % (uint64_t)nt];
						p = tk->p;
						len = tk->n;
					}
					if (n + len <= sizeof buf) {
						memmove(buf + at + len, buf + at, n - at);
						memcpy(buf + at, p, len);
						n += len;
					}
					break;
				}
				default: {
					const struct bytes *o = &seed[next() % (uint64_t)ns];
					size_t from = o->n ? next() % o->n : 0, len = next() % 32;
					if (from + len > o->n)
						len = o->n - from;
					if (at + len <= sizeof buf) {
						memcpy(buf + at, o->p + from, len);
						if (at + len > n)
							n = at + len;
					}
				}
				}
			}
			run(t, buf, n);
		}
		for (int i = 0; i < ns; i++)
			free(seed[i].p);
		for (int i = 0; i < nt; i++)
			free(tok[i].p);
	}
	printf("fuzz: %zu targets, each its seeds and %ld mutations\n", fuzz_ntargets, each);
	printf("fuzz: %ld passed, 0 failed\n", runs);
	return 0;
}
