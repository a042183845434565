/* heap_mix.c: a malloc-heavy program, the cost every audited program pays (issue 13).
 *
 * Usage: heap_mix [PAIRS [THREADS [LOCKED[,spread]]]]   (default 2000000 1 0)
 * Each of THREADS threads keeps 1,024 live blocks of 16 to 4,096 bytes and replaces one per step
 * (free, then malloc of another size), PAIRS times; before that, LOCKED one-page regions are locked
 * and stay locked (live_locks.h), so that an auditor's model is not empty. ",spread" locks two
 * pages more, one below the heaps (in .bss) and one above them (on the stack): every heap block
 * then lies between tracked pages (issue 13: shim/freegap.h).
 * Prints "heap_mix: <ns> ns/op": wall time over PAIRS, one op being one free+malloc pair of each
 * thread. Exits 77 when RLIMIT_MEMLOCK does not allow LOCKED pages.
 */
#define _GNU_SOURCE

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "live_locks.h"
#include "now_ns.h"

#define SLOTS 1024 /* live blocks per thread: a power of two */
#define MAX_THREADS 64

/* Mostly the small objects programs make most; 1 in 4 is larger than 256 bytes. */
static const size_t sizes[16] = {16, 16, 24, 32, 32, 48, 64, 64, 96, 128, 200, 256,
				 512, 1000, 2048, 4096};

static unsigned long long pairs = 2000000ull;
static char low_page[4096] __attribute__((aligned(4096)));

static void *run(void *arg)
{
	uint64_t x = 88172645463325252ull + (uintptr_t)arg; /* xorshift64: the same every run */
	void **slot = calloc(SLOTS, sizeof *slot);
	unsigned long long i;
	size_t k;

	if (!slot)
		return (void *)1;
	for (i = 0; i < pairs; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (x >> 20) & (SLOTS - 1);
		free(slot[k]);
		if (!(slot[k] = malloc(sizes[x & 15])))
			return (void *)1;
		*(volatile char *)slot[k] = (char)i; /* touched: no elision */
	}
	for (k = 0; k < SLOTS; k++)
		free(slot[k]);
	free(slot);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long threads = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
	char *end = NULL, stack_pages[8192];
	size_t locked = argc > 3 ? strtoul(argv[3], &end, 10) : 0;
	int spread = end && strcmp(end, ",spread") == 0;
	pthread_t tid[MAX_THREADS];
	unsigned long t;
	uint64_t t0, t1;
	void *ret;
	int bad = 0;

	if (argc > 1)
		pairs = strtoull(argv[1], NULL, 10);
	if (pairs == 0 || threads == 0 || threads > MAX_THREADS || (end && *end && !spread)) {
		fprintf(stderr, "usage: heap_mix [PAIRS [THREADS (1-%d) [LOCKED[,spread]]]]\n", MAX_THREADS);
		return 2;
	}
	if (lock_live_regions("heap_mix", locked) != 0)
		return 77;
	if (spread) {
		char *high = (char *)(((uintptr_t)stack_pages + 4095) & ~(uintptr_t)4095);

		*(volatile char *)high = 0;
		if (mlock(low_page, sizeof low_page) != 0 || mlock(high, 4096) != 0) {
			fprintf(stderr, "heap_mix: spread: mlock failed (RLIMIT_MEMLOCK?)\n");
			return 77;
		}
	}
	t0 = now_ns();
	for (t = 0; t < threads; t++)
		if (pthread_create(&tid[t], NULL, run, (void *)(uintptr_t)t) != 0) {
			fprintf(stderr, "heap_mix: pthread_create failed\n");
			return 1;
		}
	for (t = 0; t < threads; t++)
		if (pthread_join(tid[t], &ret) != 0 || ret != NULL)
			bad = 1;
	t1 = now_ns();
	if (bad) {
		fprintf(stderr, "heap_mix: malloc failed\n");
		return 1;
	}
	printf("heap_mix: %.1f ns/op (%llu free+malloc pairs in each of %lu threads, %d live blocks "
	       "each, 16 B..4 KiB, %zu live locked regions%s)\n", (double)(t1 - t0) / (double)pairs,
	       pairs, threads, SLOTS, locked, spread ? ", 2 more below and above the heaps" : "");
	return 0;
}
