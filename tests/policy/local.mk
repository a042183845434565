# tests/policy: the simulated target (limit, page size) and the policies, against the real kernel.
check_PROGRAMS += progs/pagesize progs/lockall progs/vmlck progs/alternate progs/static_lock \
	progs/rlimit_fit
progs_pagesize_SOURCES = progs/pagesize.c
progs_pagesize_CFLAGS = $(PROGS_CFLAGS)
progs_lockall_SOURCES = progs/lockall.c
progs_lockall_CFLAGS = $(PROGS_CFLAGS)
progs_vmlck_SOURCES = progs/vmlck.c
progs_vmlck_CFLAGS = $(PROGS_CFLAGS)
progs_alternate_SOURCES = progs/alternate.c
progs_alternate_CFLAGS = $(PROGS_CFLAGS)
progs_static_lock_SOURCES = progs/static_lock.c
progs_static_lock_CFLAGS = $(PROGS_CFLAGS)
progs_rlimit_fit_SOURCES = progs/rlimit_fit.c
progs_rlimit_fit_CFLAGS = $(PROGS_CFLAGS)

POLICY_TESTS = policy/enforce_kernel.sh policy/strict_exit.sh policy/pagesize.sh \
	policy/bad_env.sh policy/warn_abort.sh policy/vmlck.sh policy/mapcount.sh \
	policy/warn_stack.sh policy/rlimit.sh
TESTS += $(POLICY_TESTS)
EXTRA_DIST += $(POLICY_TESTS)
