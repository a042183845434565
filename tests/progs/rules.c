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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A string the logs must never contain (tests/hygiene/release.sh looks for it). */
#define SECRET "memaudit-test-secret-7f3a9c"

/* A system call made without libc, as code that issues its own syscall instruction does: the
 * shim cannot see it (where the architecture is not known here, libc's syscall(), which it sees). */
static long raw_syscall3(long nr, long a, long b, long c)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		      x2 __asm__("x2") = c;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#else
	return syscall(nr, a, b, c);
#endif
}

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
		mlock(q, 64); /* related: unlock-collateral */
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
	} else if (!strcmp(m, "dodump-collateral")) {
		/* madvise starts on a page, so two advised regions share a page only when one lies
		 * in the other: a pool of two pages, and a secret in it advised again on its own */
		madvise(r, 8192, MADV_DONTDUMP); /* related: dodump-collateral */
		madvise(r + 4096, 64, MADV_DONTDUMP);
		madvise(r + 4096, 64, MADV_DODUMP); /* rules: dodump-collateral */
	} else if (!strcmp(m, "dodump-collateral-ok")) {
		madvise(r + 4096, 32, MADV_DONTDUMP); /* two secrets on pages of their own */
		madvise(r + 8192, 32, MADV_DONTDUMP);
		madvise(r + 4096, 32, MADV_DODUMP);
	} else if (!strcmp(m, "align-waste")) {
		for (int i = 0; i < 3; i++) {
			if (posix_memalign((void **)&q, 4096, 32) != 0) /* rules: align-waste */
				return 2;
			mlock(q, 32); /* a small secret given a page of its own */
			munlock(q, 32);
			free(q);
		}
	} else if (!strcmp(m, "align-waste-ok")) {
		if (posix_memalign((void **)&q, 4096, 3 * 4096) == 0) {
			mlock(q, 3 * 4096);
			munlock(q, 3 * 4096);
			free(q);
		}
	} else if (!strcmp(m, "release-unwiped")) {
		mlock(r, 4096);
		strcpy(r, SECRET);
		munlock(r, 4096); /* rules: release-unwiped */
	} else if (!strcmp(m, "release-unwiped-ok")) {
		mlock(r + 4096, 4096);
		strcpy(r + 4096, SECRET);
		explicit_bzero(r + 4096, 4096);
		munlock(r + 4096, 4096);
	} else if (!strcmp(m, "protection-lost")) {
		mlock(r, 4096); /* rules: protection-lost */
		raw_syscall3(SYS_munlock, (long)r, 4096, 0);
	} else if (!strcmp(m, "protection-lost-ok")) {
		mlock(r + 8192, 4096); /* still locked at exit, as the kernel confirms */
	} else if (!strcmp(m, "release-free")) { /* release.sh: the other releases */
		q = malloc(64);
		mlock(q, 64);
		strcpy(q, SECRET);
		free(q);
	} else if (!strcmp(m, "release-munmap")) { /* shared memory keeps its contents */
		q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			return 2;
		madvise(q, 4096, MADV_DONTDUMP);
		strcpy(q, SECRET);
		munmap(q, 4096);
	} else if (!strcmp(m, "release-munmap-private")) { /* the kernel zero-fills it: nothing */
		madvise(r, 4096, MADV_DONTDUMP);
		mlock(r, 4096);
		strcpy(r, SECRET);
		munmap(r, 4096);
	} else if (!strcmp(m, "release-guarded")) { /* unreadable: skipped, never a fault */
		q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			return 2;
		mlock(q, 4096);
		strcpy(q, SECRET);
		mprotect(q, 4096, PROT_NONE);
		munmap(q, 4096);
	} else if (!strcmp(m, "lost-dontdump")) {
		madvise(r + 4096, 4096, MADV_DONTDUMP);
		raw_syscall3(SYS_madvise, (long)(r + 4096), 4096, MADV_DODUMP);
	} else {
		fprintf(stderr, "rules: unknown mode %s\n", m);
		return 2;
	}
	printf("%s done\n", m);
	return 0;
}
