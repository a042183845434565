/* util.h: small helpers shared by memaudit-report: checked allocation, saturating arithmetic,
 * growable arrays, path names.
 *
 * Allocation failure is not recoverable in a report tool: the x* functions print one line and exit
 * with status 2 (the status for "could not produce a report").
 */
#ifndef MEMAUDIT_TOOLS_UTIL_H
#define MEMAUDIT_TOOLS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifndef MA_PROG /* the supervisor of trace mode, which links util.c and suppress.c, names itself */
#define MA_PROG "memaudit-report"
#endif

/* Return a block of n bytes (never NULL; exits on failure). */
void *xmalloc(size_t n);
/* Return n zeroed elements of size bytes (never NULL; exits on failure or overflow). */
void *xcalloc(size_t n, size_t size);
/* Resize p to n elements of size bytes (never NULL; exits on failure or overflow). */
void *xreallocarray(void *p, size_t n, size_t size);
/* Return a copy of s, or NULL when s is NULL. */
char *xstrdup(const char *s);
/* Return a NUL-terminated copy of the n bytes at s. */
char *xstrndup(const char *s, size_t n);

/* Make room for one more element in the array *v of *cap elements of size bytes that holds n. */
void grow(void *v, size_t *cap, size_t n, size_t size);
#define GROW(v, cap, n) grow(&(v), &(cap), (n), sizeof *(v))

/* Return a + b, or INT64_MAX when the sum is larger (every count and size in a report stays a
 * valid JSON integer). */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t max = INT64_MAX;

	return a > max || b > max - a ? max : a + b;
}

/* Return v clamped to what a JSON integer (long long) can hold. */
static inline long long json_int_clamp(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (long long)v;
}

/* qsort(3) that accepts an empty (possibly NULL) array. */
static inline void sort_array(void *base, size_t n, size_t size,
			      int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* The start value of hash_add. */
#define MA_HASH_INIT UINT64_C(0xcbf29ce484222325)
/* Return hash h with the n bytes at p folded in (64-bit FNV-1a). */
uint64_t hash_add(uint64_t h, const void *p, size_t n);

/* Return the part of path after its last '/' (path itself when it has none; "" for NULL). */
const char *base_name(const char *path);

/* Return dir/file with "." and ".." components removed lexically (malloc'd); dir is absolute. */
char *join_path(const char *dir, const char *file);

/* Strings from a log are bytes: the log carries a byte that is not UTF-8 as a "byte code point"
 * (U+10FF00 + byte; policy/utf8.h). Turn every byte code point in s back into its byte, in place. */
void ma_bytes_decode(char *s);
/* Return s as valid UTF-8 (malloc'd) with its bytes kept the same way: a byte that is not part of
 * valid UTF-8, and each byte of a byte code point, becomes a byte code point. */
char *ma_bytes_encode(const char *s);

/* Return whether the module at path is the C library, the dynamic loader or memaudit (by its base
 * name): not the program's own code. */
bool ma_is_system_module(const char *path);

#endif
