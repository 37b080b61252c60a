/* arena.h — one block of memory for the short-lived things of one check:
 * the records a check reads, the facts built from them and what is shown.
 * Allocation is a pointer bump and the whole lot goes at once, so a check
 * makes a handful of mallocs instead of hundreds.
 *
 * The JSON trees built here are ordinary cJSON nodes, read with the cJSON
 * API (and copied out with cJSON_Duplicate), but they belong to the arena:
 * never cJSON_Delete them or a tree holding them, and never add a node made
 * by cJSON's own constructors to them.  Pure: no I/O. */
#ifndef GL_ARENA_H
#define GL_ARENA_H
#include <cjson/cJSON.h>
#include <stddef.h>

struct arena;

/* A new, empty arena, or NULL if out of memory.  Free with arena_free. */
struct arena *arena_new(void);
/* Frees the arena and everything allocated in it.  NULL is a no-op. */
void arena_free(struct arena *a);

/* Parses s[0..n), one JSON object or array (white space around it allowed,
 * nothing else), into the arena: what jscan_object / jscan_array accept
 * (I-JSON, UTF-8, at most 64 deep), no more.  NULL if they refuse it or out
 * of memory. */
cJSON *arena_json_parse(struct arena *a, const char *s, size_t n);

/* Nodes; NULL if out of memory.  _object/_array are empty containers. */
cJSON *arena_json_object(struct arena *a);
cJSON *arena_json_array(struct arena *a);
cJSON *arena_json_null(struct arena *a);
cJSON *arena_json_bool(struct arena *a, int b);
cJSON *arena_json_number(struct arena *a, double d);
/* A string node holding a copy of s (s NULL: a null node). */
cJSON *arena_json_string(struct arena *a, const char *s);
/* A string node borrowing s, which must outlive the arena's use of it. */
cJSON *arena_json_string_ref(struct arena *a, const char *s);
/* A node standing for item (borrowed: its contents are not copied), to put
 * one record's value into another tree. */
cJSON *arena_json_ref(struct arena *a, const cJSON *item);

/* Appends item to an array (name NULL) or, under name, to an object.  name
 * is borrowed (a constant or arena text).  0, or -1 if item is NULL (so a
 * failed constructor can be passed straight in). */
int arena_json_add(cJSON *container, const char *name, cJSON *item);

#endif
