#!/bin/sh
# Threads with asynchronous cancellation loop on audited calls; the main thread cancels them, joins
# them and forks (issue 10 item 3: a thread cancelled inside the shim left a lock held and the fork
# hung in 28 of 100 runs; pthread_join returned NULL instead of PTHREAD_CANCELED). 100 runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_shim
require_timeout
tmpdir

runs_under_shim 100 ok "$PROGS/cancel_async"
is "$hung" 0 "cancel_async: none of $runs runs hangs (cancel, join, fork)"
is "$failed" 0 "cancel_async: pthread_join returns PTHREAD_CANCELED for every thread, the fork child exits 0"
is "$incomplete" 0 "cancel_async: every log (the parent's, the child's) ends with its exit record"
done_testing
