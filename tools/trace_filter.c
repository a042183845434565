/* trace_filter.c: the seccomp-bpf filter of trace mode: SECCOMP_RET_TRACE for the audited calls
 * of x86_64 (issue 12, item 2), SECCOMP_RET_ALLOW for everything else, other architectures (int
 * 0x80 from a 32-bit program) and the x32 numbers included. Untraced calls pay the filter only:
 * what the kernel charges for any filter (its seccomp slow path: ~45 ns a call on this VM, the same
 * for a one-instruction filter; bench-trace's floor row).
 *
 * With trace_filter_rlimit(true) (the engine's sink when it audits) the RLIMIT_MEMLOCK calls are
 * traced too, so that the sink answers the program's own from the simulated limit
 * (MEMAUDIT_MEMLOCK_LIMIT), or has the model follow what the real ones report and set: prlimit64 with resource RLIMIT_MEMLOCK (glibc's getrlimit, setrlimit and
 * prlimit on x86_64; the sink tells pid 0 and the own process from another process, which a
 * filter shared by the whole tree cannot), getrlimit and setrlimit with resource RLIMIT_MEMLOCK
 * (syscall(2), other C libraries). The filter compares the low 32 bits of the resource, the
 * kernel's unsigned int; every other resource stays untraced. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/resource.h>
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

static bool rlimit_traced, exit_traced;

void trace_filter_rlimit(bool on)
{
	rlimit_traced = on;
}

void trace_filter_exit_group(bool on)
{
	exit_traced = on;
}

bool trace_filter_is_rlimit(long nr)
{
	return rlimit_traced && (nr == SYS_prlimit64 || nr == SYS_getrlimit || nr == SYS_setrlimit);
}

bool trace_filter_traces(long nr)
{
	size_t i;

	for (i = 0; i < NTRACED; i++)
		if (traced[i].nr == nr)
			return true;
	return trace_filter_is_rlimit(nr) || (exit_traced && nr == SYS_exit_group);
}

const char *trace_call_name(long nr)
{
	size_t i;

	for (i = 0; i < NTRACED; i++)
		if (traced[i].nr == nr)
			return traced[i].name;
	switch (nr) {
	case SYS_prlimit64:
		return "prlimit64";
	case SYS_getrlimit:
		return "getrlimit";
	case SYS_setrlimit:
		return "setrlimit";
	case SYS_exit_group:
		return "exit_group";
	}
	return "?";
}

#define LD_ABS(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (unsigned)offsetof(struct seccomp_data, field))
#define ARG_LO(i) (unsigned)offsetof(struct seccomp_data, args[i]) /* little-endian: the low word */
#define JEQ(k, jt, jf) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(k), jt, jf)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, v)
#define RLIMIT_CHECKS 8 /* the instructions of the RLIMIT_MEMLOCK block below */

/* arch check, load nr, one jump per traced call (and exit_group when exit_traced) to the TRACE
 * return, then (rlimit_traced) the RLIMIT_MEMLOCK checks, ALLOW otherwise */
int trace_filter_install(void)
{
	struct sock_filter f[4 + NTRACED + 1 + RLIMIT_CHECKS + 2];
	struct sock_fprog prog = {.filter = f};
	long nrs[NTRACED + 1];
	size_t i, k = 0, n = 0, r = rlimit_traced ? RLIMIT_CHECKS : 0;

	for (i = 0; i < NTRACED; i++)
		nrs[k++] = traced[i].nr;
	if (exit_traced)
		nrs[k++] = SYS_exit_group;
	f[n++] = (struct sock_filter)LD_ABS(arch);
	f[n++] = (struct sock_filter)JEQ(AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)LD_ABS(nr);
	for (i = 0; i < k; i++) /* to the TRACE return: past the rest, the checks and the ALLOW */
		f[n++] = (struct sock_filter)JEQ(nrs[i], (unsigned char)(k - i + r), 0);
	if (rlimit_traced) {
		/* nr in A; jumps counted to the ALLOW (b+8) and TRACE (b+9) after the block at b */
		f[n++] = (struct sock_filter)JEQ(SYS_prlimit64, 3, 0);
		f[n++] = (struct sock_filter)JEQ(SYS_getrlimit, 4, 0);
		f[n++] = (struct sock_filter)JEQ(SYS_setrlimit, 3, 0);
		f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
		/* prlimit64(pid, resource, new, old) */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
		f[n++] = (struct sock_filter)JEQ(RLIMIT_MEMLOCK, 3, 2);
		/* getrlimit/setrlimit(resource, rlim) */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
		f[n++] = (struct sock_filter)JEQ(RLIMIT_MEMLOCK, 1, 0);
	}
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_TRACE);
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
