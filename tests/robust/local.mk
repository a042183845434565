# tests/robust: the shim never hangs a program and never changes what it sees, whatever the program
# does around it (issue 10): signal handlers that allocate or fork while the shim is at work,
# asynchronous cancellation (cancel_self.sh: from a signal handler, in a process with one thread), clone(2) children sharing its memory, the arguments it passes on.
# sigkill_loop.sh kills a lock loop at random moments (issue 13): every log a valid prefix.
# wipe_read.sh: the wipe check's in-process read never faults (pages made unreadable, given
# back, freed by another thread meanwhile), and the plain case makes no process_vm_readv.
# The racy ones run a program many times, each run bounded by timeout(1) (ROBUST_TIMEOUT seconds,
# default 20); ROBUST_RUNS, when set, replaces each script's number of runs. No timing is
# asserted: a run fails when it hangs, crashes, or its output or log is not what it would be.
check_PROGRAMS += progs/sig_alloc progs/cancel_async progs/cancel_self progs/clone_vm progs/sig_fork progs/mremap_hint \
	progs/fd_numbers progs/kill_loop progs/wipe_read
progs_sig_alloc_SOURCES = progs/sig_alloc.c
progs_sig_alloc_CFLAGS = $(PROGS_CFLAGS)
progs_cancel_async_SOURCES = progs/cancel_async.c
progs_cancel_async_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_cancel_async_LDFLAGS = -pthread
progs_cancel_self_SOURCES = progs/cancel_self.c
progs_cancel_self_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_cancel_self_LDFLAGS = -pthread
progs_clone_vm_SOURCES = progs/clone_vm.c
progs_clone_vm_CFLAGS = $(PROGS_CFLAGS)
progs_sig_fork_SOURCES = progs/sig_fork.c
progs_sig_fork_CFLAGS = $(PROGS_CFLAGS)
progs_mremap_hint_SOURCES = progs/mremap_hint.c
progs_mremap_hint_CFLAGS = $(PROGS_CFLAGS)
progs_fd_numbers_SOURCES = progs/fd_numbers.c
progs_fd_numbers_CFLAGS = $(PROGS_CFLAGS)
progs_kill_loop_SOURCES = progs/kill_loop.c
progs_kill_loop_CFLAGS = $(PROGS_CFLAGS)
progs_wipe_read_SOURCES = progs/wipe_read.c
progs_wipe_read_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_wipe_read_LDFLAGS = -pthread

ROBUST_TESTS = \
	robust/sig_alloc.sh \
	robust/cancel_async.sh \
	robust/cancel_self.sh \
	robust/clone_vm.sh \
	robust/sig_fork.sh \
	robust/mremap_hint.sh \
	robust/unwinder.sh \
	robust/tcmalloc.sh \
	robust/sigkill_loop.sh \
	robust/wipe_read.sh
TESTS += $(ROBUST_TESTS)
EXTRA_DIST += $(ROBUST_TESTS) robust/lib-runs.sh
