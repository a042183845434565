/* precision MODE: the smallest programs of issue 9, each doing something that is NOT a misuse of
 * what it named (a neighbour on a shared page, heap frees under mlockall, the tail of its own lock,
 * memory the kernel zero-fills, I/O buffers), and their true twins, which must still be found.
 * Every call the test looks for is on a line marked "precision: MODE". Prints "MODE done" and
 * exits 0, or exits 2 when a call fails unexpectedly; prints "MODE: not on one page" when the
 * allocator did not put two blocks where the case needs them (the test then says so). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int same_page(const void *a, const void *b)
{
	return (uintptr_t)a / 4096 == (uintptr_t)b / 4096;
}

static const char *mode;

static void need_same_page(const void *a, const void *b)
{
	if (!same_page(a, b)) {
		printf("%s: not on one page\n", mode);
		exit(0);
	}
}

/* Frees under mlockall: blocks of several sizes, some from their own mapping. */
static void churn(int n)
{
	for (int i = 0; i < n; i++) {
		char *p = malloc(16 + (size_t)(i % 7) * 100);
		char *big = malloc(200000);

		if (!p || !big)
			exit(2);
		memset(p, 1, 16);
		free(big);
		free(p);
	}
}

int main(int argc, char **argv)
{
	char *a, *b, *c, *p;

	mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "lock-freed-neighbour")) {
		a = malloc(32);
		b = malloc(32);
		need_same_page(a, b);
		mlock(a, 32);
		free(b); /* precision: lock-freed-neighbour */
		munlock(a, 32);
		free(a);
	} else if (!strcmp(mode, "lock-freed-self")) { /* the true twin */
		a = malloc(32);
		mlock(a, 32);
		free(a); /* precision: lock-freed-self */
	} else if (!strcmp(mode, "realloc-neighbour")) {
		a = malloc(32);
		c = malloc(32);
		need_same_page(a, c);
		mlock(a, 32);
		c = realloc(c, 64); /* precision: realloc-neighbour */
		munlock(a, 32);
		free(a);
		free(c);
	} else if (!strcmp(mode, "realloc-stale-advice")) {
		/* a freed page-aligned block leaves its DONTDUMP advice on the page; a new block there
		 * is not the program's protected memory */
		if (posix_memalign((void **)&p, 4096, 4096) != 0)
			return 2;
		madvise(p, 4096, MADV_DONTDUMP);
		free(p);
		for (int i = 0; i < 200; i++) { /* until malloc reuses the page (the others leak) */
			c = malloc(32);
			if (same_page(p, c))
				break;
		}
		need_same_page(p, c);
		c = realloc(c, 64); /* precision: realloc-stale-advice */
		free(c);
	} else if (!strcmp(mode, "realloc-self")) { /* the true twin */
		a = malloc(32);
		mlock(a, 32);
		a = realloc(a, 100000); /* precision: realloc-self */
		free(a);
	} else if (!strcmp(mode, "lockall-free")) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
			return 2;
		churn(200); /* precision: lockall-free */
		munlockall();
	} else if (!strcmp(mode, "lockall-refused")) {
		/* run with a limit that refuses it: the target then has no MCL_FUTURE, so the heap's
		 * growth below is charged to nothing */
		mlockall(MCL_CURRENT | MCL_FUTURE); /* precision: lockall-refused */
		for (int i = 0; i < 300; i++)
			if (!malloc(4000))
				return 2;
		munlockall();
	} else if (!strcmp(mode, "unlock-self")) {
		if (posix_memalign((void **)&p, 4096, 4096) != 0)
			return 2;
		mlock(p, 4096); /* precision: the lock unlock-self cuts short */
		munlock(p, 100); /* precision: unlock-self */
		free(p);
	} else if (!strcmp(mode, "unlock-other")) { /* the true twin: a different live region */
		if (posix_memalign((void **)&p, 4096, 4096) != 0)
			return 2;
		mlock(p, 2048); /* precision: the lock unlock-other hits */
		mlock(p + 2048, 2048);
		munlock(p + 2048, 100); /* precision: unlock-other */
		free(p);
	} else if (!strcmp(mode, "free-wiped")) {
		/* the freed block was wiped; its neighbour holds data, the allocator's header too */
		a = malloc(32);
		b = malloc(32);
		need_same_page(a, b);
		strcpy(b, "neighbour data, not locked");
		mlock(a, 32);
		strcpy(a, "secret");
		explicit_bzero(a, 32);
		munlock(a, 32);
		free(a); /* precision: free-wiped */
		free(b);
	} else if (!strcmp(mode, "align-io")) {
		/* page-aligned buffers for O_DIRECT-style I/O, never locked: correct code */
		int fd = open("/dev/null", O_WRONLY);

		for (int i = 0; i < 10; i++) {
			if (posix_memalign((void **)&p, 4096, 512) != 0) /* precision: align-io */
				return 2;
			memset(p, 'x', 512);
			if (write(fd, p, 512) != 512)
				return 2;
			free(p);
		}
		close(fd);
	} else if (!strcmp(mode, "align-locked")) { /* the true twin: the same, each one locked */
		for (int i = 0; i < 10; i++) {
			if (posix_memalign((void **)&p, 4096, 512) != 0) /* precision: align-locked */
				return 2;
			mlock(p, 512);
			explicit_bzero(p, 512);
			munlock(p, 512);
			free(p);
		}
	} else {
		fprintf(stderr, "precision: unknown mode %s\n", mode);
		return 2;
	}
	printf("%s done\n", mode);
	return 0;
}
