#!/bin/sh
# A program that closes every descriptor above 2 between its locks (close_range(3, ~0U, 0), a
# close() loop to 1024, dup2 of /dev/null over 3..1023 and closing those again), as daemons and
# sandboxes do, and keeps locking: the shim must keep logging into the same file. Every lock call
# is in the log and in the report, and the exit record is there.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

compare_runs "close_fds" "$PROGS/close_fds"
is "$(cat "$T/shim.out")" "locked 25" "25 locks succeeded under the shim"
is "$shim_status" 0 "exit status 0 under the shim"

L=$T/cmp.logs
if the_log "$L"; then
	ok "every line of the log is a JSON record" valid_jsonl "$log"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 25 \
		"the log has all 25 mlock events"
	is "$(log_jq "$log" '[.[] | select(.type == "event")] | map(.seq) | (. == [range(1; 26)])')" true \
		"numbered 1..25, none lost"
	is "$(log_jq "$log" '[.[] | select(.type == "exit")] | length')" 1 "the log has its exit record"
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.how) \(.status) \(.events)"')" "exit exit 0 25" \
		"it is the last record: exit, status 0, 25 events"
	is "$(log_jq "$log" '.[-1].lost_records // 0')" 0 "no record was lost"
	is "$(log_jq "$log" '.[0].type')" header "the header is still the first line"
fi
ok "nothing but logs in the log directory" test "$(find "$L" -type f | wc -l)" -eq "$(count_logs "$L")"

if [ -z "$MEMAUDIT_REPORT" ] || [ ! -x "$MEMAUDIT_REPORT" ]; then
	skip "the report's call count" "memaudit-report is not built"
elif make_report "$L" "$T/r.json" "memaudit-report --format json reads the log"; then
	is "$(site_calls "$T/r.json" mlock)" 25 "report: all 25 mlock calls"
	jq_is "$T/r.json" '.processes[0] | "\(.complete) \(.exit_status)"' "true 0" "report: complete, exit status 0"
fi
done_testing
