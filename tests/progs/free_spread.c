/* free_spread: free() with tracked pages spread around the heaps, so that every heap block lies
 * between the lowest and the highest tracked page (shim/freegap.h: each thread's cache of the
 * untracked pages around the blocks it frees).
 *
 *   free_spread findings: frees untracked blocks (the cache fills), then frees two blocks that
 *     were locked after it filled: one locked by this thread, one by another thread (joined
 *     first). Prints the two blocks' addresses in decimal, one a line: each must have its free
 *     event and lock-freed finding; no other free is recorded.
 *   free_spread hammer THREADS PAIRS LOCKS: THREADS threads each do PAIRS free+malloc pairs of
 *     16-4096 bytes over 256 live blocks (and go on until the locker is done), while one more thread does LOCKS rounds of malloc,
 *     mlock, wipe, munlock, free, of which every 100th frees the block still locked (and wiped):
 *     LOCKS/100 free events, nothing else recorded about free. Prints LOCKS/100.
 *   free_spread below SIZE: nothing else tracked, a block of SIZE bytes (3 pages: an arena chunk;
 *     1 MiB: a chunk glibc maps on its own) gets 64 bytes locked on a page after its first (its
 *     second page, or 500,000 bytes in), then is freed: the block starts below the only tracked
 *     page, and its free event and lock-freed finding must still be there. Prints its address.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static char low_page[4096] __attribute__((aligned(4096))); /* .bss: below the program break */
static long pairs, locks;
static int locker_done;

/* A page below the heaps and one above them locked: the tracked span covers every heap. */
static int spread(void)
{
	char *high = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return high == MAP_FAILED || mlock(low_page, 4096) != 0 || mlock(high, 4096) != 0;
}

static void *lock_it(void *b)
{
	return (void *)(intptr_t)mlock(b, 64);
}

static int findings(void)
{
	void *junk[64], *mine, *theirs, *rc;
	pthread_t t;
	int i;

	for (i = 0; i < 64; i++)
		junk[i] = malloc(64);
	mine = malloc(64);
	theirs = malloc(64);
	for (i = 0; i < 64; i += 2)
		free(junk[i]); /* untracked: the cache fills around them */
	if (!mine || !theirs || mlock(mine, 64) != 0)
		return 1;
	if (pthread_create(&t, NULL, lock_it, theirs) != 0 || pthread_join(t, &rc) != 0 || rc)
		return 1;
	for (i = 1; i < 64; i += 2)
		free(junk[i]); /* untracked still (or only sharing a page with mine or theirs) */
	printf("%lu\n%lu\n", (unsigned long)(uintptr_t)mine, (unsigned long)(uintptr_t)theirs);
	fflush(stdout);
	free(mine);
	free(theirs);
	return 0;
}

static void *churn(void *arg)
{
	uint64_t x = 88172645463325252ull + (uintptr_t)arg;
	void *slot[256] = {0};
	long i;

	for (i = 0; i < pairs || !__atomic_load_n(&locker_done, __ATOMIC_RELAXED); i++) {
		size_t k;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (x >> 20) & 255;
		free(slot[k]);
		slot[k] = malloc(16 + (x & 4095) % 4081);
	}
	for (i = 0; i < 256; i++)
		free(slot[i]);
	return NULL;
}

static void *locker(void *arg)
{
	long i;

	(void)arg;
	for (i = 1; i <= locks; i++) {
		char *b = malloc(64 + (size_t)(i & 511));

		if (!b || mlock(b, 64) != 0)
			return (void *)1;
		memset(b, 0, 64);
		if (i % 100 == 0) {
			free(b); /* still locked: lock-freed */
			continue;
		}
		munlock(b, 64);
		free(b);
	}
	return NULL;
}

static int hammer(int n)
{
	pthread_t t[16], l;
	void *rc;
	int i, bad = 0;

	if (n < 1 || n > 16)
		return 1;
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)i) != 0)
			return 1;
	if (pthread_create(&l, NULL, locker, NULL) != 0)
		return 1;
	pthread_join(l, &rc);
	__atomic_store_n(&locker_done, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	bad = rc != NULL;
	printf("%ld\n", locks / 100);
	return bad;
}

static int below(size_t size)
{
	char *p = malloc(size);
	uintptr_t at;

	if (!p)
		return 1;
	memset(p, 0, size); /* wiped: lock-freed is the finding looked for, not release-unwiped */
	at = size > 65536 ? 500000 : (((uintptr_t)p + 4096) & ~(uintptr_t)4095) - (uintptr_t)p + 16;
	if (mlock(p + at, 64) != 0) {
		perror("free_spread: mlock");
		return 1;
	}
	printf("%lu\n", (unsigned long)(uintptr_t)p);
	fflush(stdout);
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "below") == 0)
		return below(strtoul(argv[2], NULL, 10));
	if (spread() != 0)
		return 2;
	if (argc == 2 && strcmp(argv[1], "findings") == 0)
		return findings();
	if (argc == 5 && strcmp(argv[1], "hammer") == 0) {
		pairs = atol(argv[3]);
		locks = atol(argv[4]);
		return hammer(atoi(argv[2]));
	}
	return 2;
}
