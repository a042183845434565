/* wipe_read.c: the wipe check's in-process read (policy/engine/readable.h) must never fault in
 * the program: every mode makes the bytes of a protected region unreadable, or gone, in a way the
 * library can see, then releases them (tests/robust/wipe_read.sh).
 *
 * Usage: wipe_read MODE [N]
 *   fast      N times malloc(32); mlock; munlock; free, and N times posix_memalign(4096);
 *             madvise(MADV_DONTDUMP); free: the plain case, copied in-process
 *   protnone  a locked page of a heap block made PROT_NONE by mprotect, then munlock
 *   sysprot   the same through syscall(SYS_mprotect)
 *   pkey      the same through pkey_mprotect with a key whose access is disabled
 *   guard     a MADV_DONTDUMP page of a heap block made a guard (MADV_GUARD_INSTALL), then free
 *   trim      bytes locked past a block at the top of the heap, which free() gives back to the
 *             kernel (sbrk), then munlock
 *   uaf       a locked mmapped chunk freed, then munlocked (use after free)
 *   race      two threads: one locks blocks and munlocks them, the other frees them meanwhile
 * Every byte the program locks holds 'S' (none zero). Exit 0 when done, 77 when this system cannot
 * do it (the reason on stderr), 1 on an unexpected failure.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13, include/uapi/asm-generic/mman-common.h */
#define MADV_GUARD_REMOVE 103
#endif

static long ps;

static int skip(const char *what)
{
	fprintf(stderr, "wipe_read: %s: %s\n", what, strerror(errno));
	return 77;
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

/* Two pages of their own in the heap: P0 and P1, filled with 'S'. glibc touches neither while the
 * block is live (its chunk header is in the page before P0, the next one's after P1). */
static char *two_pages(void)
{
	char *p = memalign((size_t)ps, 2 * (size_t)ps);

	if (p)
		memset(p, 'S', 2 * (size_t)ps);
	return p;
}

static int fast(unsigned long n)
{
	unsigned long i;
	void *p;

	for (i = 0; i < n; i++) {
		if (!(p = malloc(32)))
			return die("malloc");
		memset(p, 'S', 32);
		if (mlock(p, 32) != 0)
			return skip("mlock");
		if (munlock(p, 32) != 0)
			return die("munlock");
		free(p);
	}
	for (i = 0; i < n; i++) {
		if (posix_memalign(&p, (size_t)ps, (size_t)ps) != 0)
			return die("posix_memalign");
		memset(p, 'S', (size_t)ps);
		if (madvise(p, (size_t)ps, MADV_DONTDUMP) != 0)
			return die("madvise");
		free(p);
	}
	return 0;
}

/* mprotect P1 of a locked block (how: 0 mprotect, 1 syscall), munlock both pages: P1 is not
 * readable, P0 is. */
static int protnone(int how)
{
	char *p = two_pages();
	int r;

	if (!p)
		return die("memalign");
	if (mlock(p, 2 * (size_t)ps) != 0)
		return skip("mlock");
	r = how ? (int)syscall(SYS_mprotect, p + ps, (size_t)ps, PROT_NONE)
		: mprotect(p + ps, (size_t)ps, PROT_NONE);
	if (r != 0)
		return die("mprotect");
	if (munlock(p, 2 * (size_t)ps) != 0)
		return die("munlock");
	if (mprotect(p + ps, (size_t)ps, PROT_READ | PROT_WRITE) != 0)
		return die("mprotect back");
	free(p);
	return 0;
}

static int pkey(void)
{
	char *p = two_pages();
	int key;

	if (!p)
		return die("memalign");
	key = pkey_alloc(0, PKEY_DISABLE_ACCESS);
	if (key < 0)
		return skip("pkey_alloc (no protection keys on this CPU or kernel)");
	if (mlock(p, 2 * (size_t)ps) != 0)
		return skip("mlock");
	if (pkey_mprotect(p + ps, (size_t)ps, PROT_READ | PROT_WRITE, key) != 0)
		return die("pkey_mprotect");
	if (munlock(p, 2 * (size_t)ps) != 0)
		return die("munlock");
	if (pkey_mprotect(p + ps, (size_t)ps, PROT_READ | PROT_WRITE, 0) != 0)
		return die("pkey_mprotect back");
	free(p);
	return 0;
}

/* A guard page: the kernel refuses MADV_GUARD_INSTALL on locked memory (mm/madvise.c
 * is_valid_guard_vma), so the region is a MADV_DONTDUMP one and the release free(): glibc's free
 * writes only in P0 and around the chunk, never in P1. */
static int guard(void)
{
	char *p = two_pages();

	if (!p)
		return die("memalign");
	if (madvise(p, 2 * (size_t)ps, MADV_DONTDUMP) != 0)
		return die("madvise DONTDUMP");
	if (madvise(p + ps, (size_t)ps, MADV_GUARD_INSTALL) != 0)
		return skip("madvise(MADV_GUARD_INSTALL) (Linux 6.13)");
	free(p);
	/* the page is glibc's again: nothing allocated since */
	if (madvise(p + ps, (size_t)ps, MADV_GUARD_REMOVE) != 0 && errno != ENOMEM)
		return die("madvise GUARD_REMOVE");
	return 0;
}

/* Lock a small block and 8 pages past the big block after it, free the big one: it joins the
 * top chunk, which glibc gives back (systrim: sbrk(-extra), no call the library sees). The
 * munlock then names bytes that are gone: it fails with ENOMEM, and must not fault. */
static int trim(void)
{
	char *a, *b;
	size_t len;

	mallopt(M_MMAP_THRESHOLD, 64 << 20); /* b in the heap, not mapped on its own */
	mallopt(M_TRIM_THRESHOLD, 128 << 10);
	a = malloc(32);
	b = malloc(1 << 20);
	if (!a || !b)
		return die("malloc");
	if ((uintptr_t)b < (uintptr_t)a || (uintptr_t)b - (uintptr_t)a > (size_t)ps)
		return skip("the blocks are not next to each other");
	len = (size_t)(b - a) + (1 << 20) + 8 * (size_t)ps;
	memset(a, 'S', 32);
	memset(b, 'S', 1 << 20);
	if (mlock(a, len) != 0)
		return skip("mlock");
	free(b);
	if (munlock(a, len) == 0)
		fprintf(stderr, "wipe_read: trim: the heap was not given back (munlock succeeded)\n");
	free(a);
	return 0;
}

static int uaf(void)
{
	size_t len = 1 << 20;
	char *p = malloc(len); /* above M_MMAP_THRESHOLD: a chunk of its own */

	if (!p)
		return die("malloc");
	memset(p, 'S', len);
	if (mlock(p, len) != 0)
		return skip("mlock");
	free(p);
	(void)munlock(p, len); /* ENOMEM: unmapped */
	return 0;
}

/* ---- race ---- */
#define SLOTS 64
static char *volatile slot[SLOTS];
static volatile int stop;

static void *freer(void *arg)
{
	unsigned i = 0;

	(void)arg;
	while (!stop) {
		char *p = __atomic_exchange_n(&slot[i++ % SLOTS], NULL, __ATOMIC_ACQ_REL);
		if (p)
			free(p);
	}
	return NULL;
}

static int race(unsigned long n)
{
	static const size_t sizes[] = {32, 4096, 200 << 10}; /* heap, heap, mmapped chunk */
	struct timespec t0, t;
	pthread_t th;
	unsigned long i;
	int e;

	if ((e = pthread_create(&th, NULL, freer, NULL)) != 0) {
		errno = e;
		return die("pthread_create");
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		size_t len = sizes[i % 3];
		char *p = malloc(len), *old;
		if (!p)
			return die("malloc");
		memset(p, 'S', len);
		if (mlock(p, len) != 0) {
			stop = 1;
			pthread_join(th, NULL);
			return skip("mlock");
		}
		old = __atomic_exchange_n(&slot[i % SLOTS], p, __ATOMIC_ACQ_REL);
		if (old)
			free(old);
		(void)munlock(p, len); /* the other thread may have freed p already */
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 3) /* bounded: at most a few seconds */
			break;
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("wipe_read: race: %lu iterations\n", i);
	for (i = 0; i < SLOTS; i++)
		free(slot[i]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;

	ps = sysconf(_SC_PAGESIZE);
	if (!strcmp(mode, "fast"))
		return fast(n);
	if (!strcmp(mode, "protnone"))
		return protnone(0);
	if (!strcmp(mode, "sysprot"))
		return protnone(1);
	if (!strcmp(mode, "pkey"))
		return pkey();
	if (!strcmp(mode, "guard"))
		return guard();
	if (!strcmp(mode, "trim"))
		return trim();
	if (!strcmp(mode, "uaf"))
		return uaf();
	if (!strcmp(mode, "race"))
		return race(n);
	fprintf(stderr, "usage: wipe_read fast|protnone|sysprot|pkey|guard|trim|uaf|race [N]\n");
	return 2;
}
