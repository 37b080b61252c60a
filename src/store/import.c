/* import.c — a whole NDJSON file (plain or gzip) into cache.db: the one
 * import path `greenlane import` and `greenlane sync` share.  Streaming with
 * a bounded line buffer; one transaction; a fresh file when asked or when
 * there is no cache yet. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "cache.h"

int cache_import_file(const char *cache_path, const char *file, int replace, cache_progress_fn progress,
		      void *arg, struct cache_stats *st, gl_msg *warn, gl_msg *err)
{
	struct stat sb;
	struct cache *c = NULL;
	struct cache_import *im = NULL;
	gzFile in = NULL;
	char *line = malloc(CACHE_LINE_MAX + 2);
	long lines = 0;
	int64_t total = 0;
	int fd, zerr, rc = CACHE_IMPORT_IO;

	glmsg_clear(warn);
	fd = strcmp(file, "-") == 0 ? dup(STDIN_FILENO) : open(file, O_RDONLY);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		total = (int64_t)sb.st_size;
	in = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	if (in == NULL || line == NULL) {
		glmsg_set(err, "无法读取 %s", "cannot read %s", file);
		if (in == NULL && fd >= 0)
			close(fd);
		free(line);
		return CACHE_IMPORT_NOINPUT;
	}
	gzbuffer(in, 256 * 1024);
	c = replace || access(cache_path, F_OK) != 0 ? cache_create_fresh(cache_path, err) : cache_open(cache_path, 1, err);
	if (c == NULL || (im = cache_import_begin(c, err)) == NULL)
		goto out;
	rc = CACHE_IMPORT_DATA;
	while (gzgets(in, line, CACHE_LINE_MAX + 2) != NULL) {
		size_t n = strlen(line);
		lines++;
		if (n == CACHE_LINE_MAX + 1 && line[n - 1] != '\n') {
			glmsg_set(err, "第 %ld 行过长（上限 1 MiB）", "line %ld is too long (1 MiB at most)", lines);
			goto out;
		}
		int lrc = cache_import_line(im, line, n, err);
		if (lrc != 0) {
			rc = lrc;
			goto out;
		}
		/* gzoffset asks the kernel: not for every line. */
		if (progress != NULL && lines % 1024 == 0)
			progress(arg, lines, (int64_t)gzoffset(in), total);
	}
	gzerror(in, &zerr);
	if (zerr != Z_OK && zerr != Z_STREAM_END) {
		glmsg_set(err, "输入文件损坏或不完整（%s）", "the input is damaged or cut short (%s)", gzerror(in, &zerr));
		goto out;
	}
	rc = CACHE_IMPORT_IO;
	if (cache_import_finish(im, st, warn, err) != 0) {
		im = NULL;
		goto out;
	}
	im = NULL;
	rc = cache_install(c, err) == 0 ? 0 : CACHE_IMPORT_IO;
	c = NULL;	/* closed by cache_install */
out:
	if (im != NULL)
		cache_import_abort(im);
	if (c != NULL)
		cache_discard(c);
	gzclose(in);
	free(line);
	return rc;
}
