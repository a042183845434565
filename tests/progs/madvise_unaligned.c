/* madvise_unaligned: MADV_DONTDUMP on a heap pointer that is not page-aligned. The kernel
 * refuses it with EINVAL (madvise(2)); the program prints what it got and exits 0 when that was
 * EINVAL, 1 otherwise. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	char *p = malloc(100);
	char *q = p;
	int r, e;

	if (!p)
		return 2;
	if (((uintptr_t)q & (pg - 1)) == 0)
		q += 16;
	errno = 0;
	r = madvise(q, 64, MADV_DONTDUMP); /* madvise_unaligned: madvise site */
	e = errno;
	printf("madvise returned %d errno %d\n", r, e);
	free(p);
	return r == -1 && e == EINVAL ? 0 : 1;
}
