/* trace_loop.c: what trace mode costs per system call (make bench-trace).
 *
 * Usage: trace_loop lock|none [N]   (default 20000)
 *   lock  N mlock + munlock pairs of one populated page: every call is traced
 *   none  N getppid calls, which the filter lets through: the cost of the filter alone
 * Prints "trace_loop: <ns> ns/call" (per system call, not per pair).
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "now_ns.h"

static void lock_pair(char *p, size_t page)
{
	if (mlock(p, page) != 0 || munlock(p, page) != 0) { /* trace_loop: the traced calls */
		perror("trace_loop: mlock");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int lock = argc > 1 && strcmp(argv[1], "lock") == 0;
	unsigned long long n = argc > 2 ? strtoull(argv[2], NULL, 10) : 20000ull, i;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;

	if (p == MAP_FAILED || n == 0)
		return 1;
	p[0] = 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (lock)
			lock_pair(p, page);
		else
			syscall(SYS_getppid);
	}
	t1 = now_ns();
	printf("trace_loop: %.1f ns/call\n", (double)(t1 - t0) / (double)(lock ? 2 * n : n));
	return 0;
}
