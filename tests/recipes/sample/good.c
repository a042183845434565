/* good.c: a test of the sample project that protects its secret the right way: a page of its
 * own, locked and excluded from core dumps once, wiped, unlocked and unmapped. memaudit finds
 * nothing to report. */
#define _GNU_SOURCE /* MADV_DONTDUMP */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *key = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (key == MAP_FAILED || mlock(key, page) != 0 || madvise(key, page, MADV_DONTDUMP) != 0)
		return 1;
	memset(key, 0x5a, 32);
	explicit_bzero(key, page);
	if (munlock(key, page) != 0 || munmap(key, page) != 0)
		return 1;
	puts("good: ok");
	return 0;
}
