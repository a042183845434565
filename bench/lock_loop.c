/* lock_loop.c: the audited calls of a program that locks or advises per allocation (issue 13).
 *
 * Usage: lock_loop lock|advise [N]   (default 20000)
 *   lock    N times: malloc(32); mlock; munlock; free   (a TLS server locking each key)
 *   advise  N times: posix_memalign(4096, 4096); madvise(MADV_DONTDUMP); free
 * Prints "lock_loop: <ns> ns/op", one op being one iteration (two audited calls for lock, one for
 * advise). Exits 77 when RLIMIT_MEMLOCK does not allow the one page that mlock locks.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "now_ns.h"

int main(int argc, char **argv)
{
	int lock = argc > 1 && strcmp(argv[1], "lock") == 0;
	unsigned long long n = argc > 2 ? strtoull(argv[2], NULL, 10) : 20000ull, i;
	uint64_t t0, t1;
	void *p;

	if (argc < 2 || (!lock && strcmp(argv[1], "advise") != 0) || n == 0) {
		fprintf(stderr, "usage: lock_loop lock|advise [N]\n");
		return 2;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (lock) {
			if (!(p = malloc(32)))
				return 1;
			*(volatile char *)p = (char)i;
			if (mlock(p, 32) != 0) {
				perror("lock_loop: mlock");
				return errno == ENOMEM || errno == EPERM ? 77 : 1;
			}
			if (munlock(p, 32) != 0) {
				perror("lock_loop: munlock");
				return 1;
			}
		} else {
			if (posix_memalign(&p, 4096, 4096) != 0)
				return 1;
			*(volatile char *)p = (char)i;
			if (madvise(p, 4096, MADV_DONTDUMP) != 0) {
				perror("lock_loop: madvise");
				return 1;
			}
		}
		free(p);
	}
	t1 = now_ns();
	printf("lock_loop: %.1f ns/op (%llu iterations, %s)\n", (double)(t1 - t0) / (double)n, n,
	       lock ? "malloc(32); mlock; munlock; free" :
		      "posix_memalign(4096, 4096); madvise(MADV_DONTDUMP); free");
	return 0;
}
