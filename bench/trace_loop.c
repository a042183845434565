/* trace_loop.c: what trace mode costs per system call (make bench-trace).
 *
 * Usage: trace_loop lock|none|floor|io [N]   (default 20000)
 *   lock  N mlock + munlock pairs of one populated page: every call is traced
 *   none  N getppid calls, which the filter lets through: the cost of the filter alone
 *   floor the same after installing a seccomp filter of one instruction (SECCOMP_RET_ALLOW, with
 *         no_new_privs) and no tracer: what the kernel charges any filtered call, the floor of
 *         `none` under memaudit-trace
 *   io    N read(2)s of 64 KiB from /dev/zero and write(2)s of them to /dev/null: a program that
 *         makes no audited call after start-up
 * Prints "trace_loop: <ns> ns/call" (per system call, not per pair).
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "now_ns.h"

static void lock_pair(char *p, size_t page)
{
	if (mlock(p, page) != 0 || munlock(p, page) != 0) { /* trace_loop: the traced calls */
		perror("trace_loop: mlock");
		exit(1);
	}
}

static int allow_all(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {1, &allow};

	/* SPEC_ALLOW (1 << 2) as memaudit-trace's filter (tools/trace_filter.c): no Speculative Store
	 * Bypass mitigation forced on the loop; 0 where the kernel does not know the flag */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 1UL << 2, &prog) != 0 &&
	     syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)) {
		perror("trace_loop: seccomp");
		return -1;
	}
	return 0;
}

static char io_buf[65536];

static void io_pair(int in, int out)
{
	if (read(in, io_buf, sizeof io_buf) != (ssize_t)sizeof io_buf ||
	    write(out, io_buf, sizeof io_buf) != (ssize_t)sizeof io_buf) {
		perror("trace_loop: io");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "none";
	int lock = strcmp(mode, "lock") == 0, io = strcmp(mode, "io") == 0;
	int in = io ? open("/dev/zero", O_RDONLY) : -1, out = io ? open("/dev/null", O_WRONLY) : -1;
	unsigned long long n = argc > 2 ? strtoull(argv[2], NULL, 10) : 20000ull, i;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;

	if (p == MAP_FAILED || n == 0 || (io && (in < 0 || out < 0)))
		return 1;
	if (strcmp(mode, "floor") == 0 && allow_all() != 0)
		return 1;
	p[0] = 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (lock)
			lock_pair(p, page);
		else if (io)
			io_pair(in, out);
		else
			syscall(SYS_getppid);
	}
	t1 = now_ns();
	printf("trace_loop: %.1f ns/call\n", (double)(t1 - t0) / (double)(lock || io ? 2 * n : n));
	return 0;
}
