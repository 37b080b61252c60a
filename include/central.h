/* central.h — greenlane-central: the reference implementation of the
 * central API (DESIGN.md §4) and its administration. */
#ifndef GL_CENTRAL_H
#define GL_CENTRAL_H
#include <stdio.h>

struct central_faults {
	char path[64];		/* the endpoint they apply to ("" = none) */
	int delay_ms;		/* wait before answering */
	int status;		/* answer this status instead (0 = no) */
	int drop;		/* close the connection without an answer */
	long truncate;		/* cut the body after this many bytes (0 = no) */
};

struct central_opts {
	const char *listen;	/* ADDR:PORT */
	const char *db_path;
	const char *cert, *key;	/* PEM files for TLS */
	FILE *log;
	struct central_faults faults;
};

/* Serves until SIGINT/SIGTERM.  Returns an exit code. */
int central_serve(const struct central_opts *o);

/* greenlane-central admin …: returns an exit code. */
int central_admin(const char *db_path, int argc, char **argv);

#endif
