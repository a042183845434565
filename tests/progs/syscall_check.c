/* syscall_check: lock, advise and map calls made through syscall(2), as OpenSSL's secure heap does
 * (syscall(SYS_mlock2, ...)), and unrelated numbers that must be forwarded untouched. Prints each
 * result and errno. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

#define SHOW(name, r) printf("%-24s ret=%ld errno=%d\n", name, (long)(r), (r) == -1 ? errno : 0)

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE), r;
	char *buf = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static const char msg[] = "write via syscall\n";
	void *m;

	if (buf == MAP_FAILED)
		return 2;
	r = syscall(SYS_mlock2, buf, pg, 0);
	SHOW("mlock2 0", r);
	r = syscall(SYS_mlock2, buf + pg, pg, MLOCK_ONFAULT);
	SHOW("mlock2 ONFAULT", r);
	r = syscall(SYS_mlock2, buf, pg, 0x80);
	SHOW("mlock2 bad flags", r);
	r = syscall(SYS_munlock, buf, 2 * pg);
	SHOW("munlock", r);
	r = syscall(SYS_getpid);
	printf("%-24s same=%d\n", "getpid", r == (long)getpid());
	fflush(stdout);
	r = syscall(SYS_write, 1, msg, sizeof msg - 1);
	printf("%-24s ret=%ld\n", "write", r);
	m = (void *)syscall(SYS_mmap, NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("%-24s ok=%d\n", "mmap", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		memset(m, 1, (size_t)pg);
		r = syscall(SYS_munmap, m, pg);
		SHOW("munmap", r);
	}
	munmap(buf, 2 * pg);
	return 0;
}
