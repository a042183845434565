#!/bin/sh
# exec from a thread that is not the leader, while two other threads are in or between traced
# calls (some held at their seccomp stops behind the call in flight): the supervisor follows the
# exec (the thread takes the leader's pid, the others die), sees the new image's calls, and the
# program ends normally; repeated, as the timing differs from run to run.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
require_lockable
tmpdir
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	run_traced "$T/dump$i" "$PROGS/trace_misc" exec-thread >"$T/out$i" 2>"$T/err$i"
	st=$?
	[ "$st" = 0 ] && [ "$(cat "$T/out$i")" = "after exec 0" ] || break
done
is "$st" 0 "10 runs: exit status 0"
is "$(cat "$T/out$i")" "after exec 0" "the new image ran"
djq_is "$T/dump$i" '.[] | select(.event == "exec") | .argv[1]' after-exec "the exec event, with the new argv"
djq_is "$T/dump$i" '(.[] | select(.event == "start") | .pid) as $p | [.[] | select(.event == "call" and .call == "mlock" and .args[1] == 1 and .pid == $p)] | last | .stack[0].function' main \
	"the new image's mlock, in main, in the same process"
djq_is "$T/dump$i" '[.[] | select(.event == "exit")] | length' 1 "one process, one exit"
done_testing
