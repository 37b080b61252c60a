/* admin.h — inside `greenlane-central admin` (src/central only): the verbs
 * as tables of {verb, arguments, what it does, function}, one table per
 * concept, from which admin.c dispatches and prints the usage:
 * admin_access.c (signing keys, terminals' tokens), admin_staff.c (the
 * command centre's staff), admin_data.c (loading
 * records: the demo, NDJSON, a bureau's CSV), admin_decide.c (what changes
 * a verdict: passes, meltdowns, risk areas, test results, the policy),
 * admin_ops.c (the schema, bundles, compaction, the report). */
#ifndef GL_CENTRAL_ADMIN_H
#define GL_CENTRAL_ADMIN_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include "central.h"
#include "central_db.h"
#include "glmsg.h"

/* How a verb runs.  ADMIN_WRITE: in one write transaction, references
 * checked before it commits, applied whole or not at all.  ADMIN_READ: on
 * its own (a long read must not hold the write lock the lanes' events
 * need).  ADMIN_SCHEMA: before the store is opened for use (migrate). */
enum admin_tx { ADMIN_WRITE, ADMIN_READ, ADMIN_SCHEMA };

/* A verb's function: argv[0..argc) are the words after the verb.  Returns
 * an exit code; ADMIN_USAGE prints the verb's usage line. */
#define ADMIN_USAGE 64
typedef int (*admin_fn)(struct cdb *db, int argc, char **argv);

struct admin_verb {
	const char *verb;	/* one or two words: "token add" */
	const char *args;	/* what follows it, as in the usage */
	const char *zh, *en;	/* what it does */
	admin_fn run;
	enum admin_tx tx;
};

/* Each concept's verbs, ending with { NULL }. */
extern const struct admin_verb admin_access[], admin_staff[], admin_data[], admin_decide[], admin_ops[];

/* ---- shared by the verbs (admin.c) ---- */

/* "greenlane-central: " and the message, in the operator's language
 * (LC_ALL, LC_MESSAGES or LANG beginning with zh: Chinese). */
void admin_fail(const gl_msg *e);
void admin_say(const char *zh_fmt, const char *en_fmt, ...) __attribute__((format(printf, 2, 3)));
/* What a verb did, on stdout, in the operator's language. */
void admin_done(const char *zh_fmt, const char *en_fmt, ...) __attribute__((format(printf, 2, 3)));
/* The database could not be read: try again (exit 75). */
int admin_unreadable(void);
/* What a read verb found (freed), printed as JSON: 0; 75 if it is NULL
 * (the database could not be read), 70 if it cannot be printed. */
int admin_print_json(cJSON *j);

/* The --db given: a file path or a PostgreSQL URI / conninfo. */
const char *admin_target(void);
/* The --keys given, or NULL. */
const char *admin_keydir(void);
int64_t admin_now(void);
void admin_time_text(int64_t t, char out[40]);
/* The word after --name among argv, or NULL. */
const char *admin_opt(int argc, char **argv, const char *name);
/* The signing key for use (pass, policy, snapshot), made if there is
 * none: 0, or an exit code, its message printed. */
int admin_ensure_key(struct cdb *db, const char *use);
/* The signing key for use into kid and sk: 0, or an exit code, its
 * message printed (66: none yet; 75: try again; 77: its secret is out of
 * this command's reach or damaged).  The caller wipes sk. */
int admin_signing_key(struct cdb *db, const char *use, char kid[64], unsigned char sk[64]);

/* admin_data.c: one NDJSON record line (the wire format) put or deleted;
 * line n, for messages.  0, or -1 with err. */
int admin_import_line(struct cdb *db, const char *line, size_t len, long n, gl_msg *err);
/* admin_access.c: every signing key there should be (exit code). */
int admin_init_keys(struct cdb *db);

#endif
