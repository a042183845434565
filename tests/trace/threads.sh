#!/bin/sh
# 4 threads lock and unlock one shared page in random order: the supervisor hands each
# process's calls over in the kernel's order, so replaying the dump's call stream into
# policy/tracker.c (the engine's model) gives, at every quiescent point, the VmLck the program
# read there (TRACE-NOTES: without the ordering, 3-10% of such checks disagreed).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
require_lockable
tmpdir
rounds=1000
run_traced "$T/dump" "$PROGS/trace_threads" $rounds 2 >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
marker=$(sed -n 's/^shared [0-9]* marker //p' "$T/out")
"$JQ" -r 'select(.event == "call") | "\(.call) \(.args[0]) \(.args[1]) \(.ret)"' "$T/dump" |
	"$PROGS/trace_replay" "$(getconf PAGESIZE)" "$marker" >"$T/model"
grep '^vmlck' "$T/out" >"$T/kernel"
is "$(wc -l <"$T/model" | tr -d ' ')" $rounds "one model check per round"
same_file "$T/model" "$T/kernel" "the model equals VmLck at each of the $rounds quiescent points"
unlocked=$(grep -c '^vmlck 0$' "$T/kernel")
locked=$(grep -vc '^vmlck 0$' "$T/kernel")
ok "rounds ended both ways ($unlocked unlocked, $locked locked): the check can tell" \
	test "$unlocked" -gt 0 -a "$locked" -gt 0
djq_is "$T/dump" '[.[] | select(.event == "call" and (.call == "mlock" or .call == "munlock")) | .tid] | unique | length' 4 \
	"the calls come from 4 threads"
djq_is "$T/dump" '[.[] | select(.event == "call" and .call == "mlock") | .stack[0].function] | unique | join(" ")' worker \
	"their stacks start in worker"
done_testing
