/* tap.h: a minimal TAP producer for the C unit tests (automake's tap-driver.sh reads it).
 *
 *   plan(3); ok(x == 1, "x is one"); is_int(got, want, "name"); return done_testing();
 */
#ifndef MEMAUDIT_TESTS_TAP_H
#define MEMAUDIT_TESTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline void plan(int n) { printf("1..%d\n", n); fflush(stdout); }

static inline int ok_at(int cond, const char *file, int line, const char *name)
{
	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, name);
	if (!cond)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	return cond;
}
#define ok(cond, name) ok_at(!!(cond), __FILE__, __LINE__, (name))

#define is_int(got, want, name)                                                       \
	do {                                                                          \
		long long g_ = (long long)(got), w_ = (long long)(want);              \
		if (!ok_at(g_ == w_, __FILE__, __LINE__, (name)))                     \
			printf("#   got %lld, want %lld\n", g_, w_);                  \
	} while (0)

#define is_str(got, want, name)                                                       \
	do {                                                                          \
		const char *g_ = (got), *w_ = (want);                                  \
		int c_ = g_ && w_ && strcmp(g_, w_) == 0;                             \
		if (!ok_at(c_, __FILE__, __LINE__, (name)))                           \
			printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_); \
	} while (0)

static inline int done_testing(void)
{
	if (tap_count == 0)
		printf("1..0 # no tests ran\n");
	return tap_failed ? 1 : 0;
}

#endif
