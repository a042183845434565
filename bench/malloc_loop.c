/* malloc_loop.c: what memaudit costs a program that only allocates.
 *
 * Every malloc and free goes through the preload library even when the program never locks or
 * advises anything, so this is the overhead every audited program pays. The loop keeps a working
 * set of live blocks and replaces one per step (free, then malloc of another size), with sizes
 * from 16 bytes to 64 KiB so that several of glibc's paths are exercised (tcache, fastbins,
 * small and large bins); everything stays below the mmap threshold.
 *
 * Usage: malloc_loop [PAIRS]   (default 10000000)
 * Prints: "malloc_loop: <ns> ns/op (...)", one op being one free + malloc pair.
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "now_ns.h"

#define SLOTS 4096 /* live blocks: a power of two */

/* Mostly the small objects programs make most; 1 in 4 is larger than 256 bytes. */
static const size_t sizes[16] = {16, 16, 24, 32, 32, 48, 64, 64, 96, 128, 200, 256,
				 512, 1000, 4096, 8192};
#define BIG_SIZE 65536 /* and 1 in 256 is this large */

static void *slot[SLOTS];

int main(int argc, char **argv)
{
	unsigned long long pairs = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000ull;
	uint64_t x = 88172645463325252ull; /* xorshift64 state: the same sequence every run */
	uint64_t t0, t1, big = 0;
	unsigned long long i;
	size_t n;

	if (pairs == 0)
		pairs = 1;
	t0 = now_ns();
	for (i = 0; i < pairs; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = sizes[x & 15];
		if (((x >> 4) & 255) == 0) {
			n = BIG_SIZE;
			big++;
		}
		free(slot[(x >> 20) & (SLOTS - 1)]);
		if (!(slot[(x >> 20) & (SLOTS - 1)] = malloc(n))) {
			perror("malloc_loop: malloc");
			return 1;
		}
		*(volatile char *)slot[(x >> 20) & (SLOTS - 1)] = (char)i; /* touch: no elision */
	}
	t1 = now_ns();
	for (n = 0; n < SLOTS; n++)
		free(slot[n]);
	printf("malloc_loop: %.1f ns/op (%llu free+malloc pairs, %d live blocks, 16 B..64 KiB, "
	       "%llu of 64 KiB)\n", (double)(t1 - t0) / (double)pairs, pairs, SLOTS,
	       (unsigned long long)big);
	return 0;
}
