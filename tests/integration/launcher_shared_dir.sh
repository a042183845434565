#!/bin/sh
# Launchers that share one log directory (--log-dir, as under make -j): each reports, and gates on,
# only the logs of its own run (MEMAUDIT_RUN_ID in every log's header), not the logs another
# launcher's processes write there at the same time. A launcher inside another's run extends the
# outer token, so the outer launcher still reports the inner one's logs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
tmpdir
require_launcher
two=$PROGS/two_sites
logs=$T/shared
mkdir -p "$logs"
bounded 60

# wait_for FILE: until FILE exists, at most 20 s (the other launcher may be slow to start).
wait_for='i=0; while [ ! -e "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done'

# A: an error finding; waits until B's command has started (B's log exists), then ends.
# B: only a warning; waits until A's program has ended (A's logs are complete, with the error)
# before it ends, so that B's look at the directory sees A's logs whole.
(cd "$T/run" && $bound env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
	"$MEMAUDIT_LAUNCHER" --log-dir "$logs" --fail-on error -- \
	sh -c "set -- '$T/b.started'; $wait_for; /bin/true; '$two' first error; touch '$T/a.done'") \
	>"$T/a.out" 2>"$T/a.err" &
apid=$!
(cd "$T/run" && $bound env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
	"$MEMAUDIT_LAUNCHER" --log-dir "$logs" --fail-on error -- \
	sh -c "touch '$T/b.started'; '$two' first; cat </dev/null; set -- '$T/a.done'; $wait_for") \
	>"$T/b.out" 2>"$T/b.err"
bst=$?
wait "$apid"
ast=$?

ok "both commands overlapped (A's program ended before B's command did)" test -e "$T/a.done"
is "$ast" 1 "A: its own error finding makes status 1"
is "$bst" 0 "B: only its own warning: status 0, although A's error log is in the same directory"
ok "A's totals: its one error" grep -q '^memaudit: [0-9]* processes; 1 error,' "$T/a.err"
ok "B's totals: no error" grep -q '^memaudit: [0-9]* processes; 0 errors,' "$T/b.err"
# named NAME FILE: the report in FILE names NAME among the processes that made no audited call.
named() { grep -Eq "no audited call: (.*[ ,])?$1( \\([0-9]+\\))?(,|\$)" "$2"; }
ok "A's report names its own /bin/true" named true "$T/a.err"
ok "...and not B's cat" sh -c "! grep -Eq 'no audited call:.*[ ,]cat( |,|\$)' '$T/a.err'"
ok "B's report names its own cat" named cat "$T/b.err"
ok "...and not A's true" sh -c "! grep -Eq 'no audited call:.*[ ,]true( |,|\$)' '$T/b.err'"
[ "$bst" = 0 ] || diag_file "$T/b.err" 20
is "$(grep -L '"run_id":"' "$logs"/*.log | wc -l | tr -d ' ')" 0 "every log's header has a run_id"
is "$(for f in "$logs"/*.log; do head -n 1 "$f" | sed -n 's/.*"run_id":"\([^"]*\)".*/\1/p'; done |
	sort -u | wc -l | tr -d ' ')" 2 "...two distinct ones, one per launcher"

# A launcher inside another's run: the outer one reports the inner one's logs too.
rm -f "$logs"/*.log
(cd "$T/run" && $bound env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
	"$MEMAUDIT_LAUNCHER" --log-dir "$logs" --fail-on error -- \
	env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
	"$MEMAUDIT_LAUNCHER" --log-dir "$logs" -- "$two" first error) >"$T/n.out" 2>"$T/n.err"
is "$?" 1 "nested: the outer launcher counts the inner run's error"
# The inner launcher's report comes first: its run is the program alone (run by exec from a
# subshell of the inner launcher: one log, a section and no summary line); then the outer one's.
totals=$(grep '^memaudit: [0-9]* process' "$T/n.err")
is "$(head -n 1 "$T/n.err" | sed -n 's/^== .*\/\(two_sites\) (pid .*/\1/p')" two_sites \
	"the inner launcher reports its own run: the program"
is "$(printf '%s\n' "$totals" | grep -c .)" 1 "...in a report of one process (no summary line)"
is "$(grep -c '^== .*/two_sites (pid' "$T/n.err")" 2 "the outer one reports the program too"
case $totals in
*processes\;\ 1\ error,*) pass "...among the inner launcher's own processes, with its error" ;;
*) fail "...among the inner launcher's own processes, with its error" "$totals" ;;
esac
inner=$(grep -h -o '"run_id":"[^"]*"' "$logs"/memaudit.two_sites.*.log | sed 's/.*:"//; s/"$//')
case $inner in
*.*) pass "the inner run's token extends the outer one's: $inner" ;;
*) fail "the inner run's token extends the outer one's" "run_id: $inner" ;;
esac

# The library refuses a token it would have to write as it is, as for every MEMAUDIT_* variable.
env MEMAUDIT_RUN_ID='a b' LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$logs" /bin/true 2>"$T/bad.err"
is "$?" 125 "MEMAUDIT_RUN_ID with a blank: status 125 before main"
ok "...naming the variable" grep -q 'MEMAUDIT_RUN_ID: invalid value' "$T/bad.err"

done_testing
