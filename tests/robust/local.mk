# tests/robust: the shim never hangs a program and never changes what it sees, whatever the program
# does around it (issue 10): signal handlers that allocate or fork while the shim is at work,
# asynchronous cancellation, clone(2) children sharing its memory, the arguments it passes on.
# The racy ones run a program many times, each run bounded by timeout(1) (ROBUST_TIMEOUT seconds,
# default 20); ROBUST_RUNS scales the number of runs (default: each script's own). No timing is
# asserted: a run fails when it hangs, crashes, or its output or log is not what it would be.
check_PROGRAMS += progs/mremap_hint
progs_mremap_hint_SOURCES = progs/mremap_hint.c
progs_mremap_hint_CFLAGS = $(PROGS_CFLAGS)

ROBUST_TESTS = \
	robust/mremap_hint.sh
TESTS += $(ROBUST_TESTS)
EXTRA_DIST += $(ROBUST_TESTS) robust/lib-runs.sh
