#!/bin/sh
# fork() in a SIGALRM handler (async-signal-safe: signal-safety(7)) while the main thread loops on
# audited calls: every child's log is complete, with its header and its exit record (issue 10 item
# 9: 75% of the children's logs held only a header and were reported incomplete). 10 runs of 10
# forks each.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_jq
require_timeout
tmpdir

runs_under_shim 10 "forks=10 bad=0" "$PROGS/sig_fork" 10
is "$hung" 0 "sig_fork: none of $runs runs hangs"
is "$failed" 0 "sig_fork: each run makes 10 children that exit 0"
is "$incomplete" 0 "sig_fork: every log, the parent's and each child's, ends with its exit record"
is "$(count_logs "$T/logs")" 11 "sig_fork: a log per process: the parent and its 10 children"
bad=0
for log in "$T"/logs/memaudit.*.log; do
	valid_jsonl "$log" || bad=$((bad + 1))
done
is "$bad" 0 "sig_fork: every line of every log is a JSON object"
done_testing
