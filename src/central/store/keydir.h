/* keydir.h — signing keys kept outside the database (admin --keys DIR):
 * one file per key, DIR/KID.key, holding the Ed25519 secret key as
 * base64url text.  The directory and its files must belong to the user
 * running the command and be closed to everyone else, as ssh asks of
 * ~/.ssh: a database reader or a replica then holds the public halves and
 * the key ids, and cannot sign a pass. */
#ifndef GL_CENTRAL_KEYDIR_H
#define GL_CENTRAL_KEYDIR_H
#include <stddef.h>
#include "glmsg.h"

/* 0 if dir is a directory of this user's closed to others; -1 with err. */
int keydir_check(const char *dir, gl_msg *err);
/* Writes kid's secret (a new file, synced with its directory); 0, or -1
 * with err and no file left. */
int keydir_write(const char *dir, const char *kid, const char *sk_b64, gl_msg *err);
/* Reads kid's secret into sk_b64 (cap bytes); 0, or -1 with err when the
 * file is missing, open to others, not this user's or not a key. */
int keydir_read(const char *dir, const char *kid, char *sk_b64, size_t cap, gl_msg *err);

#endif
