# tests/integration: real programs (tests/progs) run under the real shim (see tests/Makefile.am).
# Each script sources tests/lib.sh and prints TAP; it skips itself (1..0 # SKIP) when jq, the shim
# or the report tool it needs is missing.
#
# The programs are built with debug information and without optimization, so that the report's
# symbolized frames (function, file, line of each call) can be checked against the sources. A
# CFLAGS given to configure comes after these flags; -fno-builtin, -fno-inline and
# -fno-optimize-sibling-calls keep the checked properties (calls not elided, frames not merged)
# even then.
PROGS_CFLAGS = -g -O0 -fno-builtin -fno-inline -fno-optimize-sibling-calls -fno-omit-frame-pointer \
	$(WARN_CFLAGS)

check_PROGRAMS += progs/lock_loop progs/madvise_unaligned progs/fork_exec progs/threads \
	progs/sigkill progs/close_fds progs/dlopen_secret progs/errno_check progs/heap_layout \
	progs/syscall_check progs/exit_how progs/free_locked progs/fork_threads \
	progs/fd_reuse progs/log_stress progs/late_drop progs/free_spread
progs_lock_loop_SOURCES = progs/lock_loop.c
progs_lock_loop_CFLAGS = $(PROGS_CFLAGS)
progs_madvise_unaligned_SOURCES = progs/madvise_unaligned.c
progs_madvise_unaligned_CFLAGS = $(PROGS_CFLAGS)
progs_fork_exec_SOURCES = progs/fork_exec.c
progs_fork_exec_CFLAGS = $(PROGS_CFLAGS)
progs_threads_SOURCES = progs/threads.c
progs_threads_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_threads_LDFLAGS = -pthread
progs_sigkill_SOURCES = progs/sigkill.c
progs_sigkill_CFLAGS = $(PROGS_CFLAGS)
progs_close_fds_SOURCES = progs/close_fds.c
progs_close_fds_CFLAGS = $(PROGS_CFLAGS)
progs_dlopen_secret_SOURCES = progs/dlopen_secret.c
progs_dlopen_secret_CFLAGS = $(PROGS_CFLAGS)
progs_errno_check_SOURCES = progs/errno_check.c
progs_errno_check_CFLAGS = $(PROGS_CFLAGS)
progs_heap_layout_SOURCES = progs/heap_layout.c
progs_heap_layout_CFLAGS = $(PROGS_CFLAGS)
progs_syscall_check_SOURCES = progs/syscall_check.c
progs_syscall_check_CFLAGS = $(PROGS_CFLAGS)
progs_exit_how_SOURCES = progs/exit_how.c
progs_exit_how_CFLAGS = $(PROGS_CFLAGS)
progs_free_locked_SOURCES = progs/free_locked.c
progs_free_locked_CFLAGS = $(PROGS_CFLAGS)
progs_free_spread_SOURCES = progs/free_spread.c
progs_free_spread_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_free_spread_LDFLAGS = -pthread
progs_fork_threads_SOURCES = progs/fork_threads.c
progs_fork_threads_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_fork_threads_LDFLAGS = -pthread
progs_fd_reuse_SOURCES = progs/fd_reuse.c
progs_fd_reuse_CFLAGS = $(PROGS_CFLAGS)
progs_log_stress_SOURCES = progs/log_stress.c
progs_log_stress_CFLAGS = $(PROGS_CFLAGS) -pthread
progs_log_stress_LDFLAGS = -pthread

# The module dlopen_secret loads ($(PROGS)/.libs/libsecret.so): never installed, hence the rpath.
check_LTLIBRARIES = progs/libsecret.la
progs_libsecret_la_SOURCES = progs/libsecret.c
progs_libsecret_la_CFLAGS = $(PROGS_CFLAGS)
progs_libsecret_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere

INTEGRATION_TESTS = \
	integration/asan.sh \
	integration/lock_loop.sh \
	integration/compact_log.sh \
	integration/madvise_unaligned.sh \
	integration/fork_exec.sh \
	integration/threads.sh \
	integration/fork_threads.sh \
	integration/sigkill.sh \
	integration/close_fds.sh \
	integration/fd_reuse.sh \
	integration/dlopen.sh \
	integration/errno.sh \
	integration/heap_layout.sh \
	integration/syscall.sh \
	integration/exit.sh \
	integration/policy.sh \
	integration/free_locked.sh integration/free_spread.sh \
	integration/log_file.sh \
	integration/log_dup2_race.sh \
	integration/log_fd_limit.sh \
	integration/log_fifo.sh \
	integration/log_disk_full.sh \
	integration/log_names.sh \
	integration/argv.sh \
	integration/bytes.sh \
	integration/asan_launcher.sh \
	integration/launcher.sh \
	integration/privdrop.sh \
	integration/privdrop_late.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS)

# A parent that exits at once: its fork children stay in its tree (tests/integration/orphan.sh).
# forkdelay is preloaded after the shim to make each fork child wait for its parent's exit.
check_PROGRAMS += progs/orphan
progs_orphan_SOURCES = progs/orphan.c
progs_orphan_CFLAGS = $(PROGS_CFLAGS)
check_LTLIBRARIES += progs/forkdelay.la
progs_forkdelay_la_SOURCES = progs/forkdelay.c
progs_forkdelay_la_CFLAGS = $(PROGS_CFLAGS)
progs_forkdelay_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
INTEGRATION_TESTS += integration/orphan.sh

# --merge: one program forks many children (tests/integration/merge.sh).
check_PROGRAMS += progs/fork_many
progs_fork_many_SOURCES = progs/fork_many.c
progs_fork_many_CFLAGS = $(PROGS_CFLAGS)
INTEGRATION_TESTS += integration/merge.sh

# The launcher in CI: --fail-on, --suppressions, --gen-suppressions (tests/integration/launcher_gate.sh)
# with a finding per function of two_sites; commands it cannot run or audit
# (tests/integration/launcher_commands.sh).
check_PROGRAMS += progs/two_sites
progs_two_sites_SOURCES = progs/two_sites.c
progs_two_sites_CFLAGS = $(PROGS_CFLAGS)
INTEGRATION_TESTS += integration/launcher_gate.sh integration/launcher_commands.sh \
	integration/launcher_shared_dir.sh

# Built by integration/asan.sh itself, with -fsanitize=address.
EXTRA_DIST += progs/asan_early.c
progs_late_drop_SOURCES = progs/late_drop.c
progs_late_drop_CFLAGS = $(PROGS_CFLAGS)

# The README's tour: its commands, run as it says (as root, on the examples), print every output
# line it shows (tests/integration/tour.sh); the README is read from the source tree.
INTEGRATION_TESTS += integration/tour.sh
