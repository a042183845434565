/* alternate [N [OP]]: OP (dontdump, the default; mlock; mprotect; munmap) on every other page of
 * one large mapping until a call fails (each call splits the mapping: vm.max_map_count stops it).
 * Prints the 1-based index of the failing call, its errno, and how many mappings the process had
 * then. */
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
	const char *op = argc > 2 ? argv[2] : "dontdump";
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * (size_t)n * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 2;
	for (i = 0; i < n; i++) {
		char *page = p + 2 * (size_t)i * ps;
		int r = strcmp(op, "mlock") == 0      ? mlock(page, ps)
			: strcmp(op, "mprotect") == 0 ? mprotect(page, ps, PROT_READ)
			: strcmp(op, "munmap") == 0   ? munmap(page, ps)
						      : madvise(page, ps, MADV_DONTDUMP);
		if (r != 0) {
			int e = errno;
			printf("call %ld failed with %s (%ld mappings)\n", i + 1, strerrorname_np(e), mappings());
			return 1;
		}
	}
	printf("all %ld calls succeeded (%ld mappings)\n", n, mappings());
	return 0;
}
