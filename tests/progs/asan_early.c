/* asan_early: built with -fsanitize=address by tests/integration/asan.sh (not by make). Advises
 * the second page of a mapping of its own and prints what madvise returned, so that the test can
 * see the policy act. (Not mlock: ASan's own interceptor makes mlock a no-op that returns 0.) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (p == MAP_FAILED)
		return 2;
	r = madvise(p + 4096, 4096, MADV_DONTDUMP);
	printf("madvise %d %s\n", r, r ? strerrorname_np(errno) : "ok");
	return 0;
}
