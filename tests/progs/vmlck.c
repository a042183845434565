/* vmlck: lock accounting cases whose result the kernel shows in VmLck (/proc/self/status).
 * After each step it prints the kernel's VmLck in bytes, one per line, so that a test can compare
 * them with memaudit's own count (locked_bytes) after the same calls. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void vmlck(const char *step)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	printf("%s %ld\n", step, kb * 1024);
}

int main(void)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	char *r = mmap(NULL, 16 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *big, *small;

	if (r == MAP_FAILED)
		return 2;
	mlock(r + 100, ps + 1000);                 /* unaligned, straddles pages 0 and 1 */
	vmlck("unaligned");
	mlock(r + ps, 2 * ps);                     /* overlaps page 1, adds page 2 */
	vmlck("overlap");
	munlock(r + ps, 1);                        /* one byte unlocks all of page 1 */
	vmlck("partial-unlock");
	munmap(r + 2 * ps, ps);                    /* unmapping a locked page unlocks it */
	vmlck("munmap");
	mlock2(r + 8 * ps, 4 * ps, MLOCK_ONFAULT); /* ONFAULT: charged in full at once */
	vmlck("onfault");
	big = malloc(300 * 1024);                  /* above M_MMAP_THRESHOLD: a chunk of its own */
	mlock(big, 300 * 1024);
	vmlck("chunk-locked");
	free(big);                                 /* glibc munmaps it: its lock goes with it */
	vmlck("chunk-freed");
	small = malloc(32);                        /* a heap page */
	mlock(small, 32);
	vmlck("heap");
	munlockall();
	vmlck("munlockall");
	mlockall(MCL_CURRENT);                     /* every mapping, whoever made it */
	vmlck("mlockall-current");
	munlockall();
	vmlck("munlockall-again");
	return 0;
}
