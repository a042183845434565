#!/bin/sh
# free() of a heap block whose page is still locked: the log has a "free" event for that block
# (the address the program printed) with attrs ["locked"], and the report has the lock-freed
# finding at the free() call.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

src=$top_srcdir/tests/progs/free_locked.c
line=$(marker_line "$src" "free_locked: free site")
L=$T/logs
mkdir "$L"
run_shimmed "$L" "$PROGS/free_locked" >"$T/out" 2>"$T/err"
is "$?" 0 "free_locked exits 0 under the shim"
addr=$(cat "$T/out")
findings=0
if the_log "$L" && [ -n "$addr" ]; then
	F='[.[] | select(.type == "event" and .op == "free")]'
	is "$(log_jq "$log" "$F | length")" 1 "the log has one free event"
	is "$(log_jq "$log" "$F[0].addr")" "$addr" "for the block the program freed"
	is "$(log_jq "$log" "$F[0].attrs | tostring")" '["locked"]' 'with attrs ["locked"]'
	is "$(log_jq "$log" "$F[0] | .locked_pages >= 1 and .len >= 64 and .ok")" true \
		"locked_pages >= 1, len = the usable size >= 64"
	findings=$(log_jq "$log" '[.[] | select(.type == "finding")] | length')
elif [ -z "$addr" ]; then
	fail "the program printed the block's address"
fi

if [ -z "$MEMAUDIT_REPORT" ] || [ ! -x "$MEMAUDIT_REPORT" ]; then
	skip "the report's lock-freed finding" "memaudit-report is not built"
elif make_report "$L" "$T/r.json" "memaudit-report --format json reads the log"; then
	# The rules are evaluated in the shim (finding records); none is written yet.
	[ "$findings" = 0 ] && TODO="the shim writes no finding records yet"
	jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "lock-freed")] | length' 1 "one lock-freed finding"
	jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "lock-freed")][0] | "\(.severity) \(.count)"' \
		"error 1" "severity error, count 1"
	jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "lock-freed")][0].frames[0] | "\(.function) \(.line)"' \
		"main $line" "at the free() call in main() (line $line)"
	TODO=
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "free")][0].frames[0] | "\(.function) \(.line)"' \
		"main $line" "the report's free site is the free() call in main() (line $line)"
fi
done_testing
