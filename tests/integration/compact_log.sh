#!/bin/sh
# Log format version 3 (issue 13: compact records) changes the log, not the report. Programs run
# under the shim (and, where it can trace, under memaudit-trace); each version-3 log is turned back
# into a version-2 log by LOG_EXPAND (tests/lib.sh: jq, a reading of docs/log-format.md of its own),
# and memaudit-report prints the same report of both, byte for byte, in text, JSON, SARIF and HTML
# (but for the logs' directory); every again and finding_at record follows an event of its stack
# and its finding_def in the same log. The lock loop's log does use the compact records: again,
# finding_def and finding_at records, and events without the keys at their default.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_report
require_jq
tmpdir

# same_reports NAME DIR: DIR's logs (version 3) and their expansion give the same reports
same_reports() {
	rm -rf "$T/v2"
	mkdir "$T/v2"
	_bad=
	for _log in "$2"/memaudit.*.log; do
		head -n 1 "$_log" | "$JQ" -e '.version == 3' >/dev/null || _bad="$_bad $(basename "$_log"):version"
		# what a compact record refers to is before it in the same log
		tr -d '\000' <"$_log" | "$JQ" -e -s 'reduce .[] as $r ({s: {}, d: {}, ok: true};
			if $r.type == "event" then .s[$r.stack | tostring] = true
			elif $r.type == "again" then .ok = (.ok and .s[$r.stack | tostring] == true)
			elif $r.type == "finding_def" then .d[$r.id | tostring] = true
			elif $r.type == "finding_at" then .ok = (.ok and .d[$r.def | tostring] == true)
			else . end) | .ok' >/dev/null || _bad="$_bad $(basename "$_log"):a reference to no record"
		tr -d '\000' <"$_log" | "$JQ" -c -s "$LOG_EXPAND"' | .[0].version = 2 | .[]' \
			>"$T/v2/$(basename "$_log")" || _bad="$_bad $(basename "$_log"):expand"
	done
	for _f in text json sarif html; do
		"$MEMAUDIT_REPORT" --fail-on none --format "$_f" "$2" >"$T/r3.$_f" 2>&1
		"$MEMAUDIT_REPORT" --fail-on none --format "$_f" "$T/v2" 2>&1 | sed "s|$T/v2|$2|g" >"$T/r2.$_f"
		cmp -s "$T/r3.$_f" "$T/r2.$_f" || _bad="$_bad $_f:$(diff "$T/r3.$_f" "$T/r2.$_f" | head -c 400)"
	done
	if [ -z "$_bad" ] && [ "$(count_logs "$2")" -ge 1 ]; then
		pass "$1: the same report of the version-3 logs and of their version-2 expansion"
	else
		fail "$1: the same report of the version-3 logs and of their version-2 expansion" "$_bad"
	fi
}

# shimmed NAME CMD...: CMD under the shim, its logs in a fresh directory, then same_reports
shimmed() {
	_name=$1
	shift
	rm -rf "$T/logs"
	mkdir "$T/logs"
	run_shimmed "$T/logs" "$@" >"$T/out" 2>"$T/err"
	same_reports "$_name" "$T/logs"
}

shimmed "kill_loop 300" "$PROGS/kill_loop" 300
log=$(ls "$T"/logs/memaudit.*.log)
is "$(tr -d '\000' <"$log" | "$JQ" -r -s '([.[] | select(.type == "again")] | length) > 500 and
	([.[] | select(.type == "finding_def")] | length) == 2 and
	([.[] | select(.type == "finding_at")] | length) == 600 and
	all(.[] | select(.type == "event"); has("tid") or has("ok") or has("errno") | not)')" true \
	"kill_loop 300: again records, two finding_defs and 600 finding_at records; no event keys at their default"
is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .ok)] | length')" 300 \
	"...which LOG_EXPAND reads as 300 mlock events that succeeded"
shimmed "lock_loop 200" "$PROGS/lock_loop" 200
shimmed "threads 20 (8 threads: tid keys)" "$PROGS/threads" 20
shimmed "fork_exec (three logs)" "$PROGS/fork_exec"
shimmed "madvise_unaligned (failed calls)" "$PROGS/madvise_unaligned"
shimmed "free_locked" "$PROGS/free_locked"

if [ -x "$MEMAUDIT_TRACE" ] && env MEMAUDIT_POLICY=off "$MEMAUDIT_TRACE" -- true >/dev/null 2>&1; then
	rm -rf "$T/logs"
	mkdir "$T/logs"
	env MEMAUDIT_LOG_DIR="$T/logs" "$MEMAUDIT_TRACE" -- "$PROGS/kill_loop" 100 >"$T/out" 2>"$T/err"
	same_reports "trace mode: kill_loop 100" "$T/logs"
else
	skip "trace mode: kill_loop 100" "memaudit-trace cannot trace here"
fi
done_testing
