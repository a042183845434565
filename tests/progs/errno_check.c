/* errno_check: sets errno to 1234 before each wrapped call and prints the call's result and the
 * errno it left, for successful and failing calls alike. The output is compared with and without
 * the shim: the shim must leave errno exactly as the C library does. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SENTINEL 1234
#define CALL(name, expr)                                                   \
	do {                                                               \
		long r_;                                                   \
		errno = SENTINEL;                                          \
		r_ = (long)(expr);                                         \
		printf("%-34s ret=%ld errno=%d\n", name, r_, errno);       \
	} while (0)
/* Calls returning a pointer: print only whether it is NULL/MAP_FAILED. */
#define PCALL(name, var, expr, bad)                                        \
	do {                                                               \
		errno = SENTINEL;                                          \
		var = (expr);                                              \
		printf("%-34s ok=%d errno=%d\n", name, var != (bad), errno); \
	} while (0)

int main(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *p, *q, *m, *m2, *big;
	void *al = NULL;

	/* Buffer all output: the lines come out together at exit, in the same order either way. */
	static char outbuf[16384];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

	PCALL("malloc", p, malloc(64), NULL);
	PCALL("calloc", q, calloc(4, 16), NULL);
	PCALL("realloc", p, realloc(p, 128), NULL);
	CALL("posix_memalign", posix_memalign(&al, 64, 100));
	CALL("mlock heap (ok)", mlock(p, 128));
	CALL("mlock heap again (ok)", mlock(p, 16));
	CALL("munlock heap (ok)", munlock(p, 128));
	CALL("mlock heap (ok) before free", mlock(q, 64));
	errno = SENTINEL;
	free(q); /* a locked block: the shim records a free event */
	printf("%-34s errno=%d\n", "free of a locked block", errno);
	errno = SENTINEL;
	free(al);
	printf("%-34s errno=%d\n", "free", errno);
	PCALL("mmap", m, mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	      MAP_FAILED);
	CALL("madvise DONTDUMP (ok)", madvise(m, pg, MADV_DONTDUMP));
	CALL("madvise DODUMP (ok)", madvise(m, pg, MADV_DODUMP));
	CALL("posix_madvise (ok)", posix_madvise(m, pg, POSIX_MADV_WILLNEED));
	CALL("mlock mapping (ok)", mlock(m, 2 * pg));
#ifdef HAVE_MLOCK2
	CALL("mlock2 ONFAULT (ok)", mlock2(m + 2 * pg, pg, MLOCK_ONFAULT));
	CALL("mlock2 bad flags (EINVAL)", mlock2(m, pg, 0x80));
#endif
	CALL("mprotect (ok)", mprotect(m + 3 * pg, pg, PROT_READ));
	/* The first two pages are one VMA (locked): mremap may move and grow it. */
	PCALL("mremap grow", m2, mremap(m, 2 * pg, 4 * pg, MREMAP_MAYMOVE), MAP_FAILED);
	CALL("munmap (ok)", munmap(m2, 4 * pg));
	CALL("munmap rest (ok)", munmap(m + 2 * pg, 2 * pg));
	CALL("mremap unmapped (EFAULT)", mremap(m2, 8 * pg, 16 * pg, MREMAP_MAYMOVE) == MAP_FAILED);
	CALL("syscall getpid", syscall(SYS_getpid) == getpid());
	PCALL("malloc big", big, malloc(1 << 20), NULL);
	CALL("syscall mlock (ok)", syscall(SYS_mlock, big, pg));
	CALL("syscall munlock (ok)", syscall(SYS_munlock, big, pg));
	errno = SENTINEL;
	free(big);
	printf("%-34s errno=%d\n", "free mmapped chunk", errno);
	/* Failing calls: the errno must be the kernel's. */
	CALL("mlock unmapped (ENOMEM)", mlock((void *)(uintptr_t)pg, pg));
	CALL("madvise unaligned (EINVAL)", madvise(p + 1, 16, MADV_DONTDUMP));
	CALL("madvise bad advice (EINVAL)", madvise(p, 16, 12345));
	CALL("posix_madvise unaligned (ret)", posix_madvise(p + 1, 16, POSIX_MADV_NORMAL));
	CALL("munlock unmapped (ENOMEM)", munlock((void *)(uintptr_t)pg, pg));
	CALL("mlockall bad flags (EINVAL)", mlockall(0));
	CALL("munmap unaligned (EINVAL)", munmap(p + 1, 16));
	CALL("mprotect unaligned (EINVAL)", mprotect(p + 1, 16, PROT_READ));
	CALL("syscall mlock2 bad (EINVAL)", syscall(SYS_mlock2, p, 16, 0x80));
	CALL("syscall madvise unaligned", syscall(SYS_madvise, p + 1, 16, MADV_DONTDUMP));
	CALL("syscall getppid", syscall(SYS_getppid) == getppid());
	PCALL("mmap bad (EINVAL)", m, mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	      MAP_FAILED);
	CALL("munlock heap (ok)", munlock(p, 128));
	errno = SENTINEL;
	free(p);
	printf("%-34s errno=%d\n", "free", errno);
	return 0;
}
