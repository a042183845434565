/* inlineprog: a program whose mlock call is inlined twice, for the symbolization test
 * (tests/report/inline.sh). Built with -O2 -g: lock_page (always_inline) is inlined into protect
 * (always_inline), which is inlined into setup_secret, so the call into mlock has one return
 * address in setup_secret's code, and only the DWARF knows the two inlined calls. The volatile
 * counter after the call keeps it from becoming a tail call. The block is on the heap, so that the
 * report has a finding (lock-heap) with the call's stack. The test finds the lines by their
 * markers. Built twice more (other build id; no build id) for the rebuilt-binary checks. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static volatile int locked_pages;

static inline __attribute__((always_inline)) int lock_page(void *p, size_t len)
{
	return mlock(p, len); /* @LOCK_PAGE */
}

static inline __attribute__((always_inline)) int protect(void *p, size_t len)
{
	int r = lock_page(p, len); /* @PROTECT */

	if (r == 0)
		locked_pages++;
	return r;
}

/* Global and noinline, so that it stays a function of its own with a symbol. */
int setup_secret(void);
__attribute__((noinline)) int setup_secret(void)
{
	char *secret = malloc(64);

	return secret ? protect(secret, 64) : -1; /* @SETUP */
}

int main(void)
{
#ifdef INLINEPROG_REBUILT
	puts("rebuilt");
#endif
	if (setup_secret() != 0) /* @MAIN */
		perror("mlock");
	return 0;
}
