/* two_sites WHICH...: for each argument, "first", "second" or "error", one finding made by a
 * function of its own: first_site and second_site each mlock a heap block (lock-heap, a warning)
 * and unlock it, each with calls of its own; error_site madvises a heap pointer that is not page-aligned (advise-unaligned, an
 * error). The blocks are zeroed before they are released (no release-unwiped). For the launcher's
 * --gen-suppressions and --suppressions (tests/integration/launcher_suppress.sh): a baseline made
 * from "first" must leave "second" counted. Exits 0 (2 when malloc fails). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Two functions that make the same calls, each its own call site (with sizes of their own: the
 * optimizer would fold identical functions into one, and their stacks with them). */
int first_site(void)
{
	char *p = calloc(1, 64);

	if (!p)
		return 2;
	mlock(p, 64); /* two_sites: first lock-heap */
	munlock(p, 64);
	free(p);
	return 0;
}

int second_site(void)
{
	char *p = calloc(1, 96);

	if (!p)
		return 2;
	mlock(p, 96); /* two_sites: second lock-heap */
	munlock(p, 96);
	free(p);
	return 0;
}

int error_site(void)
{
	char *p = calloc(1, 8192);

	if (!p)
		return 2;
	madvise(p + 1, 4096, MADV_DONTDUMP); /* two_sites: advise-unaligned */
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	int st = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "first"))
			st |= first_site();
		else if (!strcmp(argv[i], "second"))
			st |= second_site();
		else if (!strcmp(argv[i], "error"))
			st |= error_site();
	}
	return st;
}
