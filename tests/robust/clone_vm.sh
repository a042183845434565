#!/bin/sh
# clone(CLONE_VM | SIGCHLD) without CLONE_THREAD: the child shares the parent's memory and its
# thread's TLS, so the shim's guard, locks and model; both lock and unlock at once (issue 10 item 4:
# 47 of 50 runs hung, one log had two records interleaved). The child is not audited (clone(2)
# children get no log); the parent's log stays whole and holds only the parent's calls. 100 runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_jq
require_timeout
tmpdir

runs_under_shim 100 ok "$PROGS/clone_vm"
is "$hung" 0 "clone_vm: none of $runs runs hangs"
is "$failed" 0 "clone_vm: the clone child and the parent exit 0"
is "$incomplete" 0 "clone_vm: the log ends with its exit record"
is "$(count_logs "$T/logs")" 1 "clone_vm: one log, the parent's"
log=$(logs_in "$T/logs")
ok "clone_vm: every line of the log is a JSON object" valid_jsonl "$log"
is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 300 \
	"clone_vm: the log has the parent's 300 mlock calls and none of the child's"
done_testing
