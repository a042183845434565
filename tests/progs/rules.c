/* rules MODE: one way to trigger one of memaudit's misuse rules at main(), or (MODE-ok) its
 * negative twin that does the same job correctly. Every protected call is on its own line so the
 * report can name it, and no two branches end in the same calls with the same arguments (the
 * compiler would merge them, and their lines with them). Exit status 0 unless a call fails
 * unexpectedly. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static char *region(size_t pages)
{
	char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(2);
	return p;
}

static void child_exits(void)
{
	pid_t c = fork();

	if (c == 0)
		_exit(0);
	waitpid(c, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	char *h = malloc(64), *r = region(4), *q;

	if (!h)
		return 2;
	if (!strcmp(m, "lock-heap")) {
		mlock(h, 64); /* rules: lock-heap */
		munlock(h, 64);
	} else if (!strcmp(m, "lock-heap-ok")) {
		mlock(r, 4096);
		munlock(r, 4096);
	} else if (!strcmp(m, "advise-heap")) {
		madvise((void *)((unsigned long)h & ~4095ul), 4096, MADV_DONTDUMP); /* rules: advise-heap */
	} else if (!strcmp(m, "advise-heap-ok")) {
		madvise(r, 4096, MADV_DONTDUMP);
	} else if (!strcmp(m, "fork-advise-heap")) {
		madvise((void *)((unsigned long)h & ~4095ul), 4096, MADV_DONTFORK); /* rules: fork-advise-heap */
		madvise((void *)((unsigned long)h & ~4095ul), 4096, MADV_DOFORK);
	} else if (!strcmp(m, "fork-advise-heap-ok")) {
		madvise(r, 4096, MADV_DONTFORK);
	} else if (!strcmp(m, "lock-freed")) {
		q = malloc(64);
		mlock(q, 64);
		free(q); /* rules: lock-freed */
		munlock(h, 4096);
	} else if (!strcmp(m, "lock-freed-ok")) {
		q = malloc(64);
		mlock(q, 64);
		munlock(q, 64);
		free(q);
	} else if (!strcmp(m, "realloc-protected")) {
		q = malloc(64);
		mlock(q, 64);
		q = realloc(q, 100000); /* rules: realloc-protected */
		munlock(h, 4096);
		free(q);
	} else if (!strcmp(m, "realloc-protected-ok")) {
		q = malloc(64);
		q = realloc(q, 100000);
		free(q);
	} else if (!strcmp(m, "unlock-collateral")) {
		q = malloc(64); /* two secrets on one heap page, each locked */
		mlock(h, 64);
		mlock(q, 64);
		munlock(h, 64); /* rules: unlock-collateral */
		munlock(q, 64);
	} else if (!strcmp(m, "unlock-collateral-ok")) {
		mlock(r, 4096); /* two secrets on pages of their own */
		mlock(r + 4096, 4096);
		munlock(r, 4096);
		munlock(r + 4096, 4096);
	} else if (!strcmp(m, "unlock-unlocked")) {
		munlock(r + 8192, 4096); /* rules: unlock-unlocked */
	} else if (!strcmp(m, "unlock-unlocked-ok")) {
		mlock(r, 4096);
		munlock(r, 4096);
	} else if (!strcmp(m, "lock-leak")) {
		mlock(h, 64); /* rules: lock-leak */
	} else if (!strcmp(m, "lock-leak-ok")) {
		mlock(h, 48);
		munlock(h, 48);
	} else if (!strcmp(m, "fork-unlocked-copy")) {
		mlock(r, 4096);
		child_exits(); /* rules: fork-unlocked-copy */
		munlock(r, 4096);
	} else if (!strcmp(m, "fork-unlocked-copy-ok")) {
		mlock(r, 4096);
		madvise(r, 4096, MADV_DONTFORK);
		child_exits();
		munlock(r, 4096);
	} else {
		fprintf(stderr, "rules: unknown mode %s\n", m);
		return 2;
	}
	printf("%s done\n", m);
	return 0;
}
