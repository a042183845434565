/* s2n_style.c: per-allocation locking, the misuse memaudit exists to catch.
 *
 * Every secret is protected on its own, the way early s2n did it (and much code since): allocate a
 * small heap buffer, mlock() it, madvise(MADV_DONTDUMP) it, later wipe and free() it. Each step
 * looks right on its own; together they fail as memaudit(7) describes:
 *
 *   - Every mlock() charges whole pages against RLIMIT_MEMLOCK. With a 64 KiB limit and no
 *     CAP_IPC_LOCK (any user; root in a default container) mlock fails with ENOMEM after about
 *     1350 keys of 32 bytes. As root in CI it never fails.                 memaudit: lock-limit
 *   - madvise() needs a page-aligned start. A malloc() pointer almost never is one, so every
 *     MADV_DONTDUMP fails with EINVAL, and nobody looks.   memaudit: advise-unaligned, call-failed
 *   - mlock() of heap memory locks the allocator's pages, shared with other objects and with
 *     the allocator's own metadata.                                          memaudit: lock-heap
 *   - free() does not unlock: the pages stay locked, and charged, after the keys are gone.
 *                                                                memaudit: lock-freed, lock-leak
 *
 * An mlock() failure is fatal here, as in code that refuses to hold a key it cannot lock: the
 * program exits with status 1 at the key that hit the limit. That is the production failure.
 *
 * Usage: s2n_style [COUNT]   (default 2000 keys of 32 bytes, all live at the same time)
 */
#define _GNU_SOURCE /* MADV_DONTDUMP is hidden without it: s2n #110 compiled the madvise out */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define KEY_LEN 32

/* Allocate a "protected" key buffer the s2n way. Returns NULL (errno set) when mlock fails. */
static unsigned char *secret_alloc(size_t len)
{
	unsigned char *p = calloc(1, len);

	if (!p)
		return NULL;
	if (mlock(p, len) != 0) {
		int e = errno;
		free(p);
		errno = e;
		return NULL;
	}
	/* Keep the key out of core dumps. p is not page-aligned, so this is EINVAL every time;
	 * the result is ignored, as in the code this imitates. */
	(void)madvise(p, len, MADV_DONTDUMP);
	return p;
}

/* Wipe and release a key. There is no munlock(): free() is assumed to be enough. */
static void secret_free(unsigned char *p, size_t len)
{
	explicit_bzero(p, len);
	free(p);
}

int main(int argc, char **argv)
{
	size_t count = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
	unsigned char **keys = calloc(count ? count : 1, sizeof *keys);
	size_t i, j;

	if (!keys) {
		perror("s2n_style: calloc");
		return 2;
	}
	for (i = 0; i < count; i++) {
		keys[i] = secret_alloc(KEY_LEN);
		if (!keys[i]) {
			fprintf(stderr, "s2n_style: key %zu of %zu: mlock failed: %s\n", i + 1, count,
				strerror(errno));
			for (j = 0; j < i; j++)
				secret_free(keys[j], KEY_LEN);
			free(keys);
			return 1;
		}
		for (j = 0; j < KEY_LEN; j++) /* stand-in for key material */
			keys[i][j] = (unsigned char)(i * 31 + j + 1);
	}
	printf("s2n_style: %zu keys of %d bytes allocated, locked and \"excluded from core dumps\"\n",
	       count, KEY_LEN);
	for (i = 0; i < count; i++)
		secret_free(keys[i], KEY_LEN);
	free(keys);
	return 0;
}
