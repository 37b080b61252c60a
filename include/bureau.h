/* bureau.h — a county bureau's CSV, one kind per file (enterprise, vehicle,
 * driver): a header row naming the columns (any order, the key first), then
 * one record per row.  A row's cells are merged into the record the centre
 * already holds, so a file that does not name a field (or leaves its cell
 * empty) never erases it: a driver's close-contact status, test result and
 * landing test survive a county's list of names and phones.  The merged
 * record is then checked as every record is (record.h).  Pure. */
#ifndef GL_BUREAU_H
#define GL_BUREAU_H
#include <cjson/cJSON.h>
#include "glmsg.h"
#include "record.h"

#define BUREAU_COLS 8

struct bureau_head {
	int form;		/* which kind */
	int ncols;
	int col[BUREAU_COLS];	/* each column: its index in the form */
};

/* Reads the header line (changed in place) for kind: 0, or -1 with err
 * (an unknown kind or column, a column twice, the key not first). */
int bureau_header(const char *kind, char *line, struct bureau_head *h, gl_msg *err);

/* The kind the header is for (record.h's name). */
const char *bureau_kind(const struct bureau_head *h);

/* Reads one row (changed in place): its canonical key into key, and its
 * cells into rec (a JSON object: the record held, or an empty one).
 * Booleans are 1/0, yes/no, true/false or 是/否; plates and ID numbers are
 * folded.  Only the cells are set: merging with what is held, and the
 * defaults of a new record, are the caller's.  0, or -1 with err naming the
 * column. */
int bureau_row(const struct bureau_head *h, char *line, cJSON *rec, char key[RECORD_KEY_MAX], gl_msg *err);

#endif
