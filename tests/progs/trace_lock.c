/* trace_lock [N]: the per-allocation mlock loop (lock_loop.c) and an MADV_DONTDUMP of a malloc
 * pointer (unaligned: EINVAL), built both as a normal program and with gcc -static, where the
 * preload library sees nothing (tests/trace). Prints how far it got and the madvise result; exits
 * 1 at the first failing mlock. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_DONTDUMP
#define MADV_DONTDUMP 16
#endif

static int dontdump(char *p)
{
	return madvise(p + 1, 64, MADV_DONTDUMP); /* trace_lock: madvise site */
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	char *q = malloc(256);
	long i;
	int r;

	for (i = 0; i < n; i++) {
		char *p = malloc(32);

		if (!p)
			return 2;
		if (mlock(p, 32) != 0) { /* trace_lock: mlock site */
			printf("mlock failed at i=%ld errno=%d %s\n", i, errno, strerror(errno));
			return 1;
		}
	}
	r = dontdump(q);
	printf("madvise ret=%d errno=%d\n", r, r ? errno : 0);
	printf("locked %ld\n", n);
	return 0;
}
