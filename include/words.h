/* words.h — how the wire format's values read to a person (green → 绿码 /
 * green code), shared by the command line and the lane screen.  Pure. */
#ifndef GL_WORDS_H
#define GL_WORDS_H

/* The label of a record value in Chinese (zh) or English; an unknown value
 * is returned as it is, NULL as "-".  Static or borrowed from v. */
const char *words_label(const char *v, int zh);

#endif
