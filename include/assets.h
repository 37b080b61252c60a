/* assets.h — files from assets/ embedded in the binary at build time, so the
 * default policy works with no installed files and no network. */
#ifndef GL_ASSETS_H
#define GL_ASSETS_H
#include <stddef.h>

struct asset {
	const char *name;	/* path relative to the source tree */
	const char *data;	/* NUL-terminated; static */
	size_t size;		/* without the NUL */
};

/* Returns the embedded asset, or NULL.  Static storage. */
const struct asset *assets_get(const char *name);

#endif
