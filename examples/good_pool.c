/* good_pool.c: the pattern memaudit recommends for holding secrets.
 *
 * One pool, set up once, the way OpenSSL's secure heap (crypto/mem_sec.c) and libsodium's
 * sodium_malloc do it, instead of protecting every heap object (see s2n_style.c):
 *
 *   1. mmap() a private anonymous pool: page-aligned, shares no page with anything else.
 *   2. mlock() it once: a fixed, known charge against RLIMIT_MEMLOCK, checked.
 *   3. madvise(MADV_DONTDUMP) it once: the start is aligned, so it works; checked.
 *   4. Sub-allocate secrets from the pool (here a bump allocator with 16-byte alignment).
 *   5. Wipe each secret when done with it, and wipe the whole pool before releasing it.
 *   6. munlock() and munmap() the pool, once.
 *
 * Failures are reported, not ignored: a program that cannot lock its pool should say so (or refuse
 * to run) rather than believe its secrets are protected. A program that forks while holding the
 * pool should also mark it MADV_WIPEONFORK or MADV_DONTFORK (the child's copy is not locked).
 *
 * memaudit reports nothing for this program.
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define POOL_PAGES 4
#define ALIGN 16

struct pool {
	unsigned char *base;
	size_t size, used;
};

/* Map, lock and exclude from core dumps a pool of npages pages. Returns 0, or -1 with a message. */
static int pool_init(struct pool *p, size_t npages)
{
	/* sysconf, not a constant: pages may be 16 or 64 KiB (and memaudit can simulate that) */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	p->size = npages * page;
	p->used = 0;
	p->base = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->base == MAP_FAILED) {
		perror("good_pool: mmap");
		return -1;
	}
	if (mlock(p->base, p->size) != 0) {
		perror("good_pool: mlock of the secret pool (raise RLIMIT_MEMLOCK, ulimit -l)");
		munmap(p->base, p->size);
		return -1;
	}
	if (madvise(p->base, p->size, MADV_DONTDUMP) != 0) {
		perror("good_pool: madvise(MADV_DONTDUMP) of the secret pool");
		munlock(p->base, p->size);
		munmap(p->base, p->size);
		return -1;
	}
	return 0;
}

/* Return len bytes from the pool, or NULL when it is full. */
static void *pool_alloc(struct pool *p, size_t len)
{
	size_t off = (p->used + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	if (len > p->size || off > p->size - len)
		return NULL;
	p->used = off + len;
	return p->base + off;
}

/* Wipe everything, then unlock and unmap: in that order, so no secret outlives its protection. */
static void pool_destroy(struct pool *p)
{
	explicit_bzero(p->base, p->size);
	if (munlock(p->base, p->size) != 0)
		perror("good_pool: munlock");
	if (munmap(p->base, p->size) != 0)
		perror("good_pool: munmap");
	p->base = NULL;
}

int main(void)
{
	struct pool pool;
	unsigned char *keys[64];
	size_t i, n = 0;

	if (pool_init(&pool, POOL_PAGES) != 0)
		return 1;
	/* The same 32-byte keys as s2n_style.c, but all in the pool: one lock however many keys. */
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (!(keys[i] = pool_alloc(&pool, 32)))
			break;
		memset(keys[i], (int)(i + 1), 32); /* stand-in for key material */
		n++;
	}
	printf("good_pool: %zu keys in one locked, dump-excluded pool of %zu bytes\n", n, pool.size);
	for (i = 0; i < n; i++) /* done with each key: wipe it */
		explicit_bzero(keys[i], 32);
	pool_destroy(&pool);
	return 0;
}
