/* envparse.h: the values MEMAUDIT_* variables accept (SPEC "Environment"). Pure functions: the shim
 * reads the environment, these decide what it means; each returns 0 or -1 for a value that is not
 * accepted, and the caller reports the variable with envparse_accepts(). */
#ifndef MEMAUDIT_POLICY_ENVPARSE_H
#define MEMAUDIT_POLICY_ENVPARSE_H

#include <stddef.h>

/* "off", "audit", "warn", "enforce", "strict" -> 0..4 in that order. */
int envparse_policy(const char *s, int *out);

/* MEMAUDIT_ARGV: "full" -> 0 (every argument), "first" -> 1 (argv[0] only). */
enum { ENVPARSE_ARGV_FULL, ENVPARSE_ARGV_FIRST };
int envparse_argv(const char *s, int *out);

/* Bytes with an optional K, M or G suffix (binary: 1K = 1024), or "unlimited" (-> -1). */
int envparse_size(const char *s, long long *out);

/* A power of two >= min. */
int envparse_page_size(const char *s, size_t min, size_t *out);

/* MEMAUDIT_RUN_ID: 1 to ENVPARSE_RUN_ID_MAX characters of [A-Za-z0-9._-] (the launcher's token
 * for the logs of one run: they go into the log header as they are). */
#define ENVPARSE_RUN_ID_MAX 64
int envparse_run_id(const char *s);

/* A decimal count in [lo, hi]. */
int envparse_count(const char *s, long lo, long hi, long *out);

#endif
