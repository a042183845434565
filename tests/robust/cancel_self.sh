#!/bin/sh
# A single-threaded program cancels itself from a signal handler while it loops on audited calls
# with asynchronous cancellation (issue 13: the shim leaves cancellation alone in a process with
# one thread; its pthread_cancel wrapper turns it off for the rest of the interrupted call). 40 runs,
# the timer's delay varied so that the signal comes at different points.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_shim
require_timeout
tmpdir

h=0 f=0 inc=0 n=0
for us in 1000 1700 2300 3100; do
	runs_under_shim 10 ok "$PROGS/cancel_self" "$us"
	h=$((h + hung)) f=$((f + failed)) inc=$((inc + incomplete)) n=$((n + runs))
done
is "$h" 0 "cancel_self: none of $n runs hangs"
is "$f" 0 "cancel_self: every run ends by its cancellation, through exit(0)"
is "$inc" 0 "cancel_self: every log ends with its exit record"
done_testing
