/* trace_filter.c: the seccomp-bpf filter of trace mode: SECCOMP_RET_TRACE for the audited calls
 * of x86_64 (issue 12, item 2), SECCOMP_RET_ALLOW for everything else, other architectures (int
 * 0x80 from a 32-bit program) and the x32 numbers included. Untraced calls pay the filter only
 * (10-15 ns, TRACE-NOTES). */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif

#include "tools/trace.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif
#ifndef SYS_mlock2
#define SYS_mlock2 325
#endif

static const struct {
	long nr;
	const char *name;
} traced[] = {
	{SYS_mlock, "mlock"},       {SYS_mlock2, "mlock2"},         {SYS_munlock, "munlock"},
	{SYS_mlockall, "mlockall"}, {SYS_munlockall, "munlockall"}, {SYS_madvise, "madvise"},
	{SYS_mmap, "mmap"},         {SYS_munmap, "munmap"},         {SYS_mremap, "mremap"},
	{SYS_mprotect, "mprotect"}, {SYS_memfd_secret, "memfd_secret"}, {SYS_brk, "brk"},
};
#define NTRACED (sizeof traced / sizeof traced[0])

bool trace_filter_traces(long nr)
{
	size_t i;

	for (i = 0; i < NTRACED; i++)
		if (traced[i].nr == nr)
			return true;
	return false;
}

const char *trace_call_name(long nr)
{
	size_t i;

	for (i = 0; i < NTRACED; i++)
		if (traced[i].nr == nr)
			return traced[i].name;
	return "?";
}

/* arch check, load nr, one jump per traced call to the TRACE return, ALLOW otherwise */
int trace_filter_install(void)
{
	struct sock_filter f[4 + NTRACED + 2];
	struct sock_fprog prog = {.filter = f};
	size_t i, n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < NTRACED; i++) /* to the TRACE return: past the rest and the ALLOW */
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)traced[i].nr,
						      (unsigned char)(NTRACED - i), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	prog.len = (unsigned short)n;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	/* SPEC_ALLOW: no Speculative Store Bypass mitigation forced on the program because it has a
	 * filter (the kernel's default for seccomp tasks), which would slow it down as a whole */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog) == 0)
		return 0;
	if (errno == EINVAL && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0; /* a kernel before 4.17 */
	return -errno;
}
