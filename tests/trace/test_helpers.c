/* test_helpers: the parts of memaudit-trace that need no tracing (tools/libtrace.la): which calls
 * the filter traces (and what its BPF program sends to the tracer, in a child without one: ENOSYS),
 * which function names are system-call wrappers trimmed from stacks, and the
 * helpers an engine front-end reads a process with (memory, status fields), on a forked
 * child of the test. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "tools/trace.h"
#include "tools/trace_wrappers.h"

static char secret[64] = "the child's copy";

static void filter(void)
{
	static const char *const names[] = {"mlock", "mlock2", "munlock", "mlockall", "munlockall",
		"madvise", "mmap", "munmap", "mremap", "mprotect", "memfd_secret", "brk"};
	size_t i, n = 0;
	long nr;

	for (nr = 0; nr < 1024; nr++)
		if (trace_filter_traces(nr))
			n++;
	is_int(n, 12, "the filter traces 12 calls");
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		int found = 0;

		for (nr = 0; nr < 1024; nr++)
			found |= trace_filter_traces(nr) && strcmp(trace_call_name(nr), names[i]) == 0;
		ok(found, names[i]);
	}
	ok(!trace_filter_traces(SYS_getpid) && !trace_filter_traces(SYS_write) &&
	   !trace_filter_traces(SYS_execve), "not getpid, write, execve");
	is_str(trace_call_name(SYS_mlock), "mlock", "the name of SYS_mlock");
	is_str(trace_call_name(SYS_getpid), "?", "an untraced number has no name");
	ok(!trace_filter_traces(SYS_prlimit64) && !trace_filter_is_rlimit(SYS_prlimit64),
	   "prlimit64 is not traced by default");
	trace_filter_rlimit(true);
	for (n = 0, nr = 0; nr < 1024; nr++)
		if (trace_filter_traces(nr))
			n++;
	is_int(n, 15, "with trace_filter_rlimit: 15 calls");
	ok(trace_filter_is_rlimit(SYS_prlimit64) && trace_filter_is_rlimit(SYS_getrlimit) &&
	   trace_filter_is_rlimit(SYS_setrlimit) && !trace_filter_is_rlimit(SYS_mlock),
	   "prlimit64, getrlimit and setrlimit are the rlimit calls");
	is_str(trace_call_name(SYS_prlimit64), "prlimit64", "the name of SYS_prlimit64");
	trace_filter_rlimit(false);
}

/* In a child: install the filter (rlimit: with the RLIMIT_MEMLOCK checks) and make calls; without
 * a tracer a SECCOMP_RET_TRACE call fails with ENOSYS. The child's exit status is a bit mask (8
 * calls): bit i set when call i was sent to the tracer. */
static int filtered_calls(bool rlimit)
{
	pid_t child = fork();
	int st;

	if (child == 0) {
		struct rlimit rl;
		int bits = 0, i = 0;

#define TRACED(call) (bits |= ((call) < 0 && errno == ENOSYS) << i++)
		trace_filter_rlimit(rlimit);
		if (trace_filter_install() != 0)
			_exit(255);
		TRACED(syscall(SYS_prlimit64, 0, RLIMIT_MEMLOCK, NULL, &rl));          /* 0 */
		TRACED(syscall(SYS_prlimit64, getppid(), RLIMIT_MEMLOCK, NULL, &rl));  /* 1 */
		TRACED(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl));           /* 2 */
		TRACED(syscall(SYS_getrlimit, RLIMIT_MEMLOCK, &rl));                   /* 3 */
		TRACED(syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl));                    /* 4 */
		TRACED(syscall(SYS_setrlimit, RLIMIT_MEMLOCK, &rl));                   /* 5 */
		TRACED(syscall(SYS_setrlimit, RLIMIT_STACK + (1L << 32) * 8, NULL));   /* 6 */
		TRACED(syscall(SYS_mlock, 0, 0));                                      /* 7 */
#undef TRACED
		_exit(bits);
	}
	if (child < 0 || waitpid(child, &st, 0) != child || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void filter_program(void)
{
	/* 7 (mlock): 0x80; 6 is RLIMIT_STACK in the low word (the kernel takes the resource as an
	 * unsigned int, and the filter compares that) */
	is_int(filtered_calls(false), 0x80, "the filter: mlock to the tracer, no rlimit call");
	is_int(filtered_calls(true), 0x80 | 0x2b,
	       "with rlimit: prlimit64 of RLIMIT_MEMLOCK (pid 0 and another), getrlimit and setrlimit "
	       "of it too; RLIMIT_NOFILE and RLIMIT_STACK not");
}

static void wrappers(void)
{
	static const char *const yes[] = {"mlock", "__GI___mmap64", "__mmap", "mmap64", "__munmap",
		"madvise", "syscall", "__brk", "__sbrk", "syscall.Syscall", "syscall.RawSyscall6",
		"syscall.Mlock", "syscall.(*mmapper).Mmap", "runtime/internal/syscall.Syscall6",
		"syscall.rawVforkSyscall", "golang.org/x/sys/unix.Mlock", "runtime.madvise.abi0",
		"runtime.sysMmap", "runtime.munmap"};
	static const char *const no[] = {"main", "sysmalloc", "alloc_new_heap", "_int_malloc",
		"malloc", "mlock_pages", "main.main", "main.lockAll", "runtime.(*mheap).grow",
		"runtime.sysAllocOS", "runtime.main", "secret_lock", "mysyscall"};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof *yes; i++)
		ok(trace_is_wrapper(yes[i]), yes[i]);
	for (i = 0; i < sizeof no / sizeof *no; i++)
		ok(!trace_is_wrapper(no[i]), no[i]);
}

static void helpers(void)
{
	int go[2];
	pid_t child;
	char buf[64] = "";

	if (pipe(go) != 0)
		exit(99);
	child = fork();
	if (child == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	strcpy(secret, "the parent's copy");
	is_int(trace_mem_read(child, (uint64_t)(uintptr_t)secret, buf, sizeof buf), sizeof buf,
	       "trace_mem_read: the whole buffer");
	is_str(buf, "the child's copy", "trace_mem_read: the child's memory, not ours");
	ok(trace_mem_read(child, 8, buf, 8) < 0, "trace_mem_read: an unmapped address fails");
	is_int(trace_status_field(child, "PPid"), getpid(), "trace_status_field: the child's PPid");
	ok(trace_status_kb(child, "VmRSS") > 4096, "trace_status_kb: VmRSS in bytes");
	is_int(trace_status_field(child, "NoSuchField"), -1, "trace_status_field: a missing field");
	close(go[1]);
	waitpid(child, NULL, 0);
}

int main(void)
{
	plan(60);
	filter();
	filter_program();
	wrappers();
	helpers();
	return done_testing();
}
