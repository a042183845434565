/* alternate [N]: MADV_DONTDUMP on every other page of one large mapping until a call fails (each
 * call splits the mapping: vm.max_map_count stops it). Prints the 1-based index of the failing
 * call, its errno, and how many mappings the process had then. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	while (f && (c = fgetc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 40000, i;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * (size_t)n * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 2;
	for (i = 0; i < n; i++) {
		if (madvise(p + 2 * (size_t)i * ps, ps, MADV_DONTDUMP) != 0) { /* alternate: madvise site */
			int e = errno;
			printf("call %ld failed with %s (%ld mappings)\n", i + 1, strerrorname_np(e), mappings());
			return 1;
		}
	}
	printf("all %ld calls succeeded (%ld mappings)\n", n, mappings());
	return 0;
}
