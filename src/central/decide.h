/* decide.h — inside greenlane-central (src/central only): what changes a
 * verdict at the lanes, whoever asks — an administrator's command
 * (admin_decide.c) or a member of staff on the centre's page (centre.c).
 * Each publishes records on the change feed in the caller's transaction,
 * and returns DECIDE_OK or a code that is also the admin command's exit
 * status, with err saying why. */
#ifndef GL_CENTRAL_DECIDE_H
#define GL_CENTRAL_DECIDE_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include "central_db.h"
#include "glmsg.h"

enum decide_rc {
	DECIDE_OK = 0,
	DECIDE_REFUSED = 65,	/* not a record a lane would take, or an argument out of range */
	DECIDE_NONE = 66,	/* no such record, or no sample with that tube */
	DECIDE_FAILED = 70,
	DECIDE_UNAVAILABLE = 75,	/* the database could not be read: try again */
};

/* Publishes a cJSON object as a record.  Frees data.  0, or -1 with err. */
int decide_publish(struct cdb *db, const char *kind, const char *key, cJSON *data, gl_msg *err);

/* The pass revoked; the enterprise suspended (熔断) or active again; the
 * intercept cleared. */
int decide_pass_revoke(struct cdb *db, const char *pass_no, gl_msg *err);
int decide_enterprise(struct cdb *db, const char *id, int suspend, gl_msg *err);
int decide_intercept_clear(struct cdb *db, const char *id, gl_msg *err);

/* A medium or high risk area from now (until: 0, or when it ends); or no
 * longer one. */
int decide_risk_set(struct cdb *db, const char *region, const char *level, int64_t now, int64_t until, gl_msg *err);
int decide_risk_clear(struct cdb *db, const char *region, gl_msg *err);

/* A sample's result (tube: as a lane wrote it) follows the sampled crew; a
 * positive one intercepts them and their vehicle everywhere.  *intercepts:
 * how many intercepts were published. */
int decide_test_result(struct cdb *db, const char *tube, int positive, int64_t now, int *intercepts, gl_msg *err);

#endif
