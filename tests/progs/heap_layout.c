/* heap_layout: 20 allocations of various sizes (all below the mmap threshold, so all on the brk
 * heap), with frees, a realloc of a locked block, a posix_memalign, an mlock and a free of a locked
 * block in between.
 * Prints each block's distance from the first one and sbrk(0)'s: with ASLR the absolute
 * addresses change from run to run, the distances do not, unless something else (a preloaded
 * library) allocates from the same heap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define N 20

static const size_t sizes[N] = {24, 1, 100, 512, 4000, 16, 65535, 32, 1000, 10000,
				48, 200, 8, 3000, 128, 70000, 96, 2048, 7, 40};

int main(void)
{
	char *a[N];
	intptr_t off[N + 4];
	void *al = NULL;
	int i, n = 0;

	for (i = 0; i < N; i++) {
		a[i] = malloc(sizes[i]);
		if (!a[i])
			return 2;
		memset(a[i], i, sizes[i]);
		off[n++] = a[i] - a[0];
		if (i == 5)
			free(a[3]);
		if (i == 8 && mlock(a[1], sizes[1]) != 0)
			return 3;
		if (i == 10)
			free(a[1]); /* still locked */
		if (i == 12) {
			if (mlock(a[4], 16) != 0) /* a realloc of a locked block is recorded */
				return 3;
			a[4] = realloc(a[4], 9000);
			off[n++] = a[4] - a[0];
		}
		if (i == 14) {
			if (posix_memalign(&al, 256, 700) != 0)
				return 4;
			off[n++] = (char *)al - a[0];
		}
	}
	off[n++] = (char *)sbrk(0) - a[0];
	for (i = 0; i < n; i++)
		printf("%d %ld\n", i, (long)off[i]);
	return 0;
}
