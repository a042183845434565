/* mlock_cost.c: what memaudit adds to each lock call.
 *
 * Every mlock and munlock is audited: a stack is captured, the page tracker updated and an event
 * written to the log. This measures that cost on the cheapest real call there is: mlock and munlock
 * of one page of a private anonymous mapping, repeated.
 *
 * Usage: mlock_cost [PAIRS]   (default 100000)
 * Prints: "mlock_cost: <ns> ns/op (...)", one op being one mlock + munlock pair.
 * Needs RLIMIT_MEMLOCK of at least one page (or CAP_IPC_LOCK).
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "now_ns.h"

int main(int argc, char **argv)
{
	unsigned long long pairs = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000ull;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned long long i;
	uint64_t t0, t1;
	char *p;

	if (pairs == 0)
		pairs = 1;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mlock_cost: mmap");
		return 1;
	}
	p[0] = 1; /* populated once: the loop measures the calls, not page faults */
	t0 = now_ns();
	for (i = 0; i < pairs; i++) {
		if (mlock(p, page) != 0) {
			perror("mlock_cost: mlock (ulimit -l must allow one page)");
			return 1;
		}
		if (munlock(p, page) != 0) {
			perror("mlock_cost: munlock");
			return 1;
		}
	}
	t1 = now_ns();
	munmap(p, page);
	printf("mlock_cost: %.1f ns/op (%llu mlock+munlock pairs of one %zu-byte page)\n",
	       (double)(t1 - t0) / (double)pairs, pairs, page);
	return 0;
}
