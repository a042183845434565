#!/bin/sh
# A process that kills itself with SIGKILL after three mlock calls: its log is a valid prefix
# (every line whole, then the NUL bytes of the rest of its mapped window) without an exit record; the report says complete=false and still counts all
# three calls.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
tmpdir

L=$T/logs
mkdir "$L"
run_shimmed "$L" "$PROGS/sigkill" >"$T/out" 2>"$T/err"
is "$?" 137 "the process died of SIGKILL (status 128+9)"
is "$(cat "$T/out")" "locked 3" "after three successful locks"

if the_log "$L"; then
	ok "every line of the log is a JSON record" valid_jsonl "$log"
	is "$(tr -d '\000' <"$log" | tail -c 1 | od -An -c | tr -d ' ')" '\n' \
		"the log's records end with a whole line"
	n=$(tr -d '\000' <"$log" | wc -c)
	is "$(head -c "$n" "$log" | tr -d '\000' | wc -c)" "$n" \
		"the records come first, then only NUL bytes (the rest of the mapped window)"
	is "$(log_jq "$log" '[.[] | select(.type == "exit")] | length')" 0 "the log has no exit record"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .ok)] | length')" 3 \
		"the log has the three mlock events"
fi

if make_report "$L" "$T/r.json" "memaudit-report --format json reads the log of a killed process"; then
	jq_is "$T/r.json" '.processes | length' 1 "one process"
	jq_is "$T/r.json" '.processes[0].complete' false "complete is false"
	is "$(site_calls "$T/r.json" mlock)" 3 "all three mlock calls are counted"
fi
done_testing
