# tests/trace: memaudit-trace, the supervisor of trace mode (issue 12), on programs the preload
# library cannot see (a static binary, Go, inline system calls) and on the mechanism itself:
# calls and results, stacks at the program's own line, the calls of racing threads in the
# kernel's order, a fork/exec/posix_spawn tree, signals and job control, SIGKILL of the program and
# of the supervisor, an unprivileged run. Each test reads memaudit-trace --dump's JSON lines (not
# the memaudit log) and is bounded by timeout(1).
#
# The Go program is built by go.sh itself with Debian's golang-go and the standard library only
# (GOCACHE and GOPATH under the build directory, no downloads); go.sh skips when go is absent.
check_PROGRAMS += progs/trace_lock progs/trace_raw progs/trace_threads progs/trace_tree \
	progs/trace_misc progs/trace_replay progs/trace_deny progs/trace_uffd
progs_trace_lock_SOURCES = progs/trace_lock.c
progs_trace_lock_CFLAGS = $(PROGS_CFLAGS)
progs_trace_raw_SOURCES = progs/trace_raw.c progs/trace_vmlck.h
progs_trace_raw_CFLAGS = $(PROGS_CFLAGS)
progs_trace_threads_SOURCES = progs/trace_threads.c progs/trace_vmlck.h
progs_trace_threads_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_trace_threads_LDFLAGS = -pthread
progs_trace_tree_SOURCES = progs/trace_tree.c
progs_trace_tree_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_trace_tree_LDFLAGS = -pthread
progs_trace_misc_SOURCES = progs/trace_misc.c progs/trace_vmlck.h
progs_trace_misc_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_trace_misc_LDFLAGS = -pthread
progs_trace_uffd_SOURCES = progs/trace_uffd.c
progs_trace_uffd_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_trace_uffd_LDFLAGS = -pthread
progs_trace_deny_SOURCES = progs/trace_deny.c
progs_trace_deny_CFLAGS = $(PROGS_CFLAGS)
# the replay of a traced call stream into policy/tracker.c (threads.sh)
progs_trace_replay_SOURCES = progs/trace_replay.c
progs_trace_replay_LDADD = $(top_builddir)/policy/libpolicy.la

# trace_lock built as a PIE with -O2 and no frame pointers: unwind.sh's C stacks that only CFI unwinds
check_PROGRAMS += progs/trace_lock_o2
progs_trace_lock_o2_SOURCES = progs/trace_lock.c
progs_trace_lock_o2_CFLAGS = -g -O2 -fomit-frame-pointer $(WARN_CFLAGS)

# trace_lock linked with gcc -static (configure checks that the C library's static archive is
# there: Debian libc6-dev); static.sh skips without it.
if HAVE_STATIC_LIBC
check_PROGRAMS += progs/trace_lock_static
progs_trace_lock_static_SOURCES = progs/trace_lock.c
progs_trace_lock_static_CFLAGS = $(PROGS_CFLAGS)
progs_trace_lock_static_LDFLAGS = -all-static
# rlimit_fit (tests/policy/rlimit.sh's) linked so too: rlimit.sh's RLIMIT_MEMLOCK in trace mode
check_PROGRAMS += progs/rlimit_fit_static
progs_rlimit_fit_static_SOURCES = progs/rlimit_fit.c
progs_rlimit_fit_static_CFLAGS = $(PROGS_CFLAGS)
progs_rlimit_fit_static_LDFLAGS = -all-static
# lockall (tests/policy/enforce_kernel.sh's) linked so too: future.sh's heap growth under
# mlockall(MCL_FUTURE), refused at brk's seccomp stop
check_PROGRAMS += progs/lockall_static
progs_lockall_static_SOURCES = progs/lockall.c
progs_lockall_static_CFLAGS = $(PROGS_CFLAGS)
progs_lockall_static_LDFLAGS = -all-static
endif

check_PROGRAMS += trace/test_helpers.t
trace_test_helpers_t_SOURCES = trace/test_helpers.c
trace_test_helpers_t_LDADD = $(top_builddir)/tools/libtrace.la
TESTS += trace/test_helpers.t

TRACE_TESTS = \
	trace/lock.sh \
	trace/static.sh \
	trace/unwind.sh \
	trace/go.sh \
	trace/raw.sh \
	trace/threads.sh \
	trace/tree.sh \
	trace/exec_thread.sh \
	trace/dlopen.sh \
	trace/robust.sh \
	trace/uffd.sh \
	trace/sigkill.sh \
	trace/supervisor_killed.sh \
	trace/signals.sh \
	trace/refuse.sh \
	trace/errors.sh \
	trace/unprivileged.sh
# the memaudit logs of trace mode (the engine's trace front-end), the launcher's choice, and the
# simulated RLIMIT_MEMLOCK the program is told (rlimit.sh: root and setpriv, as policy/rlimit.sh)
TRACE_TESTS += \
	trace/log_static.sh \
	trace/log_go.sh \
	trace/log_raw.sh \
	trace/log_tree.sh \
	trace/log_threads.sh \
	trace/log_killed.sh \
	trace/log_robust.sh \
	trace/log_strict.sh \
	trace/future.sh \
	trace/launcher.sh \
	trace/rlimit.sh
TESTS += $(TRACE_TESTS)
EXTRA_DIST += $(TRACE_TESTS) trace/lib.sh trace/lock-body.sh trace/log-lib.sh trace/log-body.sh \
	progs/go_lock.go
# go.sh's build cache and Go program (GOCACHE, GOPATH and HOME for go build)
clean-local: clean-trace-go
clean-trace-go:
	-chmod -R u+w trace/go 2>/dev/null; rm -rf trace/go
.PHONY: clean-trace-go
