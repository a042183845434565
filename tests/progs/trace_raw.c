/* trace_raw: locks two pages with libc's mlock, then unlocks the first and locks a third with
 * inline `syscall` instructions, which no preload library sees (TRACE-NOTES: the preload model
 * then believes the wrong page is locked). Prints VmLck after each step. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "trace_vmlck.h"

static long raw2(long nr, void *a, long len)
{
	long ret;

	__asm__ volatile("syscall" /* trace_raw: syscall instruction */
			 : "=a"(ret)
			 : "0"(nr), "D"(a), "S"(len)
			 : "rcx", "r11", "memory");
	return ret;
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *buf = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		return 2;
	printf("mlock %d\n", mlock(buf, pg));          /* trace_raw: libc mlock 1 */
	printf("mlock %d\n", mlock(buf + pg, pg));     /* trace_raw: libc mlock 2 */
	printf("vmlck %ld\n", vmlck());
	printf("raw munlock %ld\n", raw2(SYS_munlock, buf, pg));
	printf("raw mlock %ld\n", raw2(SYS_mlock, buf + 2 * pg, pg));
	printf("vmlck %ld\n", vmlck());
	return 0;
}
