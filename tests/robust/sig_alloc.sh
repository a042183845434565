#!/bin/sh
# A SIGALRM handler at 10 kHz mallocs and frees while the main thread loops on malloc + mlock +
# munlock + free for 0.2 s: the handler often interrupts an audited call, sometimes inside the shim's
# own allocator, and must never wait on what the interrupted code holds (signal-safety(7); issue 10
# item 1: 68 of 100 runs hung). The program's own malloc and free run with SIGALRM blocked (glibc's
# malloc is not reentrant: about 1 run in 100 aborted in it, shim or not). 100 runs, each bounded in
# time.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_shim
require_timeout
tmpdir

runs_under_shim 100 done "$PROGS/sig_alloc" 200
is "$hung" 0 "sig_alloc: none of $runs runs hangs"
is "$failed" 0 "sig_alloc: every run exits 0 and finishes its loop"
is "$incomplete" 0 "sig_alloc: every log ends with its exit record"
done_testing
