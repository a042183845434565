#!/bin/sh
# The kill test of issue 13: the lock loop malloc(32); mlock; munlock; free (progs/kill_loop), killed
# with SIGKILL at random moments, 20 times under the preload library and 10 times in trace mode
# (the supervisor, which writes the log there, is the process killed). After every kill the log is
# a valid prefix (docs/log-format.md, "Encoding"): the header first, then whole records; only the
# last one may be cut short by the kill, and NUL bytes (the rest of the mapped window, or a record
# being copied) stand between records only. memaudit-report reads each log as incomplete, in text
# and in JSON ("complete": false), with exit status 0 under --fail-on none and, by default, 1
# exactly when a finding of severity error is there (memaudit-report(1)); it counts every whole
# record: the mlock calls and the finding occurrences of the log (read with LOG_EXPAND). Nothing is
# timed: the delays only pick the moments (ROBUST_RUNS, when set, replaces both numbers of runs).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_report
require_jq
tmpdir

# the records of LOG as lines: NUL bytes split lines, empty lines left out
records() {
	tr '\000' '\n' <"$1" | grep -v '^$'
}

# check_log RUN LOG: the log of one killed run; sets bad (a diagnosis) when it is not as it must be
check_log() {
	bad=
	_log=$2
	records "$_log" >"$T/rec"
	_n=$(wc -l <"$T/rec" | tr -d ' ')
	head -n 1 "$T/rec" | "$JQ" -e '.type == "header" and .format == "memaudit-log" and .version == 3' \
		>/dev/null 2>&1 || { bad="the first line is not the header: $(head -c 200 "$T/rec")"; return; }
	# every record but the last is whole; the last may be the part of one that the kill cut
	sed '$d' "$T/rec" >"$T/whole"
	_w=$(wc -l <"$T/whole" | tr -d ' ')
	if tail -n 1 "$T/rec" | "$JQ" -e 'type == "object"' >/dev/null 2>&1; then
		tail -n 1 "$T/rec" >>"$T/whole"
		_w=$((_w + 1))
	fi
	# one pass: whole, then the mlock calls and the finding occurrences (LOG_EXPAND) in it
	set -- $("$JQ" -r -s --argjson n "$_w" '(length == $n and all(.[]; type == "object")) as $whole
		| '"$LOG_EXPAND"' | "\($whole) \([.[] | select(.type == "event" and .op == "mlock")] | length)
		\([.[] | select(.type == "finding")] | length)"' "$T/whole" 2>/dev/null)
	[ "${1:-}" = true ] || { bad="a record before the last is not whole JSON"; return; }
	_mlock=$2 _found=$3
	[ "$_n" -ge 2 ] || { bad="only $_n records"; return; }

	"$MEMAUDIT_REPORT" --fail-on none --format json "$_log" >"$T/r.json" 2>"$T/r.err"
	_st=$?
	[ "$_st" = 0 ] || { bad="report --fail-on none --format json: status $_st $(head -c 300 "$T/r.err")"; return; }
	"$JQ" -e --argjson m "$_mlock" --argjson f "$_found" '.processes | length == 1 and
		.[0].complete == false and
		([.[0].sites[] | select(.op == "mlock") | .calls] | add // 0) == $m and
		([.[0].findings[].count] | add // 0) == $f' "$T/r.json" >/dev/null 2>&1 ||
		{ bad="report JSON: not one incomplete process with the $_mlock mlock calls and $_found findings of the log: $(head -c 600 "$T/r.json")"; return; }
	"$MEMAUDIT_REPORT" --fail-on none "$_log" >"$T/r.txt" 2>&1
	_st=$?
	[ "$_st" = 0 ] || { bad="report --fail-on none (text): status $_st"; return; }
	grep -q 'status: *INCOMPLETE' "$T/r.txt" || { bad="the text report does not say INCOMPLETE: $(head -c 600 "$T/r.txt")"; return; }
	_want=0
	"$JQ" -e '[.processes[].findings[] | select(.severity == "error")] | length > 0' "$T/r.json" \
		>/dev/null && _want=1
	"$MEMAUDIT_REPORT" --format json "$_log" >/dev/null 2>&1
	_st=$?
	[ "$_st" = "$_want" ] || bad="report with the default --fail-on: status $_st, not $_want"
}

# kill_runs MODE N: N runs of kill_loop (MODE preload or trace), each killed after a random delay
# of 0 to 150 ms once it printed "ready"; counts the runs (runs) and those that went wrong (failed)
kill_runs() {
	runs=0 failed=0
	while [ "$runs" -lt "${ROBUST_RUNS:-$2}" ]; do
		runs=$((runs + 1))
		rm -rf "$T/logs" "$T/out" "$T/pid"
		mkdir "$T/logs"
		: >"$T/out"
		if [ "$1" = preload ]; then
			env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/logs" "$PROGS/kill_loop" \
				100000000 "$T/pid" >"$T/out" 2>"$T/err" &
		else
			env MEMAUDIT_LOG_DIR="$T/logs" "$MEMAUDIT_TRACE" -- "$PROGS/kill_loop" \
				100000000 "$T/pid" >"$T/out" 2>"$T/err" &
		fi
		_pid=$! # env executes the program (or the supervisor): the process to kill
		_delay=$(awk -v s="$$$runs" 'BEGIN { srand(s); printf "%.3f", rand() * 0.15 }')
		if wait_for 20 grep -q ready "$T/out"; then
			sleep "$_delay"
		fi
		kill -KILL "$_pid"
		wait "$_pid"
		_st=$?
		_prog=$(cat "$T/pid" 2>/dev/null)
		if [ -n "$_prog" ] && ! wait_for 10 eval '! test -d "/proc/$_prog/task"'; then
			kill -KILL "$_prog" 2>/dev/null
		fi
		if [ "$_st" != 137 ] || ! grep -q ready "$T/out"; then
			bad="status $_st (not 137), output: $(head -c 200 "$T/out") $(head -c 300 "$T/err")"
		elif [ "$(count_logs "$T/logs")" != 1 ]; then
			bad="$(count_logs "$T/logs") logs, not 1: $(ls "$T/logs")"
		else
			check_log "$runs" "$T"/logs/memaudit.*.log
		fi
		if [ -n "$bad" ]; then
			failed=$((failed + 1))
			[ "$failed" -le 3 ] && diag "$1 run $runs (killed after ready + $_delay s): $bad"
		fi
	done
}

kill_runs preload 20
is "$failed" 0 "preload: $runs runs killed at random moments: every log a valid prefix, reported as incomplete with all its whole records"

if [ -x "$MEMAUDIT_TRACE" ] && env MEMAUDIT_POLICY=off "$MEMAUDIT_TRACE" -- true >/dev/null 2>&1; then
	kill_runs trace 10
	is "$failed" 0 "trace mode: $runs runs with the supervisor killed at random moments: every log a valid prefix, reported as incomplete with all its whole records"
else
	skip "trace mode: the supervisor killed at random moments" "memaudit-trace cannot trace here (not built, or ptrace not allowed)"
fi
done_testing
