/* mremap_hint: mremap(MREMAP_MAYMOVE | MREMAP_DONTUNMAP) with a new-address hint (its fifth
 * argument, mremap(2)) at a free address: the kernel places the move there. Prints "at hint" or
 * "elsewhere" (or "unsupported" before Linux 5.7). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

int main(void)
{
	size_t len = 4096;
	char *old = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *res = mmap(NULL, 64 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hint, *got;

	if (old == MAP_FAILED || res == MAP_FAILED)
		return 2;
	old[0] = 1;
	/* a free address well away from the usual placement: the middle of a reservation given back */
	hint = res + 32 * len;
	munmap(res, 64 * len);
	got = mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, hint);
	if (got == MAP_FAILED) {
		printf(errno == EINVAL ? "unsupported\n" : "failed\n");
		return 0;
	}
	printf(got == hint ? "at hint\n" : "elsewhere\n");
	return 0;
}
