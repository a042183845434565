/* live_locks.h: the benchmarks' live locked regions, made before the timed loop. */
#ifndef MEMAUDIT_BENCH_LIVE_LOCKS_H
#define MEMAUDIT_BENCH_LIVE_LOCKS_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* Make n live locked regions, each its own one-page mapping: 2n pages are mapped at once and every
 * other one unmapped again, so the kernel keeps n mappings (and the auditor n regions) whatever it
 * merges. The soft RLIMIT_MEMLOCK is raised to the hard one first. Returns 0; -1 with errno
 * (ENOMEM or EPERM: the limit is below n pages) after a message naming who. The regions stay until
 * the process exits. */
static inline int lock_live_regions(const char *who, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;
	struct rlimit rl;
	char *p;

	if (n == 0)
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_MEMLOCK, &rl);
	}
	p = mmap(NULL, 2 * n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "%s: mmap of %zu pages: %s\n", who, 2 * n, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (munmap(p + (2 * i + 1) * page, page) != 0 || mlock(p + 2 * i * page, page) != 0) {
			int e = errno;

			fprintf(stderr, "%s: %zu live locked regions: %s (RLIMIT_MEMLOCK?)\n", who, n,
				strerror(e));
			errno = e;
			return -1;
		}
	}
	return 0;
}

#endif
