#!/bin/sh
# memaudit-trace's memaudit log of a Go program (package syscall's raw system calls; the preload
# library sees none): calls, results, stacks at the program's lines, findings (lock-heap from the
# Go heap's mappings) and the kernel's failing call (log-body.sh). The comparison under enforce
# locks page-sized slices: each is its own page whatever the Go heap's layout, which differs from
# run to run (32-byte slices: measured 1929..1976 under the supervisor, 2040..2048 without it).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
require_trace
tmpdir
build_go_lock "$T/go_lock"
prog=$T/go_lock
src=$top_srcdir/tests/progs/go_lock.go mark=go_lock lock_fn=main.lockAll advise_fn=main.main size=4096
. "$top_srcdir/tests/trace/log-body.sh"
done_testing
