#!/bin/sh
# 8 threads, each locking and unlocking its own buffers N times while churning malloc/free: the
# program finishes (no deadlock between the malloc and mman wrappers, timeout 120 s) with status
# 0, every line of the log is a whole record, and the counts are exact: 8*N mlock and 8*N munlock
# calls in the log and in the report's sites.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

N=2000
L=$T/logs
mkdir "$L"
# timeout(1) outside the preload: only the program is audited.
command -v timeout >/dev/null 2>&1 && TO="timeout 120" || TO=
$TO env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$L" "$PROGS/threads" $N >"$T/out" 2>"$T/err"
st=$?
is "$st" 0 "threads $N finishes with status 0 under the shim (124: timed out)"
is "$(cat "$T/out")" "threads=8 iterations=$N failures=0" "every call succeeded"
[ -s "$T/err" ] && diag_file "$T/err"

if the_log "$L"; then
	ok "every line of the log is a JSON record" valid_jsonl "$log"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" $((8 * N)) \
		"the log has 8*$N mlock events"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "munlock")] | length')" $((8 * N)) \
		"the log has 8*$N munlock events"
	is "$(log_jq "$log" '[.[] | select(.type == "event")] | map(.seq) | (. == [range(1; length + 1)])')" true \
		"event seq numbers are 1..n, each once, in file order"
	is "$(log_jq "$log" '[.[] | select(.type == "event") | .tid] | unique | length')" 8 \
		"the events come from 8 threads"
	is "$(log_jq "$log" '(.[-1].type == "exit") and (.[-1].events == ([.[] | select(.type == "event")] | length))')" true \
		"the exit record counts every event"
	is "$(log_jq "$log" '.[-1].lost_records // 0')" 0 "no record was lost"
fi

if [ -z "$MEMAUDIT_REPORT" ] || [ ! -x "$MEMAUDIT_REPORT" ]; then
	skip "the report's call counts" "memaudit-report is not built"
elif make_report "$L" "$T/r.json" "memaudit-report --format json reads the log"; then
	is "$(site_calls "$T/r.json" mlock)" $((8 * N)) "report: mlock calls summed over the sites = 8*$N"
	is "$(site_calls "$T/r.json" munlock)" $((8 * N)) "report: munlock calls summed over the sites = 8*$N"
	jq_is "$T/r.json" '.processes[0] | "\(.complete) \(.exit_status)"' "true 0" "report: complete, exit status 0"
fi
done_testing
