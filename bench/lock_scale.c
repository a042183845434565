/* lock_scale.c: the cost of one audited lock call with many live locked regions (issue 13).
 *
 * Usage: lock_scale [LIVE [PAIRS]]   (default 1000 2000)
 * Makes LIVE one-page mappings, each locked (live_locks.h), then times PAIRS mlock + munlock pairs
 * of one more page: an auditor whose model or map reading grows with the live regions shows it here.
 * Prints "lock_scale: <ns> ns/op", one op being one mlock + munlock pair. Exits 77 when
 * RLIMIT_MEMLOCK does not allow LIVE + 1 pages.
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "live_locks.h"
#include "now_ns.h"

int main(int argc, char **argv)
{
	size_t live = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	unsigned long long pairs = argc > 2 ? strtoull(argv[2], NULL, 10) : 2000ull, i;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t t0, t1;
	char *p;

	if (pairs == 0)
		pairs = 1;
	if (lock_live_regions("lock_scale", live) != 0)
		return 77;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("lock_scale: mmap");
		return 1;
	}
	p[0] = 1; /* populated once: the loop measures the calls, not page faults */
	t0 = now_ns();
	for (i = 0; i < pairs; i++) {
		if (mlock(p, page) != 0) {
			perror("lock_scale: mlock");
			return 77;
		}
		if (munlock(p, page) != 0) {
			perror("lock_scale: munlock");
			return 1;
		}
	}
	t1 = now_ns();
	printf("lock_scale: %.1f ns/op (%llu mlock+munlock pairs, %zu live locked regions)\n",
	       (double)(t1 - t0) / (double)pairs, pairs, live);
	return 0;
}
