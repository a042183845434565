/* pagesize [hardcoded]: asks the page size (or assumes 4096 with "hardcoded"), maps three pages,
 * advises DONTDUMP on the second and unmaps it. Prints what each step returned. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long ps = argc > 1 ? 4096 : sysconf(_SC_PAGESIZE);
	char *p;
	int r;

	printf("sysconf %ld getpagesize %d auxv %lu\n", sysconf(_SC_PAGESIZE), getpagesize(),
	       getauxval(AT_PAGESZ));
	p = mmap(NULL, 3 * (size_t)ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	printf("mapping aligned to the asked page size: %s\n",
	       (uintptr_t)p % (uintptr_t)sysconf(_SC_PAGESIZE) == 0 ? "yes" : "no");
	r = madvise(p + ps, (size_t)ps, MADV_DONTDUMP); /* pagesize: madvise site */
	printf("madvise: %s\n", r ? strerror(errno) : "ok");
	r = munmap(p + ps, (size_t)ps);
	printf("munmap: %s\n", r ? strerror(errno) : "ok");
	return 0;
}
