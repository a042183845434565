#!/bin/sh
# 10000 x (malloc(32) + mlock), never unlocked: what runs fine as root (CAP_IPC_LOCK, no limit).
# Under the shim the program's stdout and exit status are unchanged, and the report has exactly
# one mlock site, main() at the mlock line of lock_loop.c, with 10000 calls.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
tmpdir

src=$top_srcdir/tests/progs/lock_loop.c
line=$(marker_line "$src" "lock_loop: mlock site")

# The program itself must succeed here: as root, or with RLIMIT_MEMLOCK large enough (8 MiB).
if ! run_plain "$PROGS/lock_loop" 10000 >"$T/probe.out" 2>&1; then
	skip_all "10000 mlock calls fail without the shim here (not root, RLIMIT_MEMLOCK $(ulimit -l) KiB): $(cat "$T/probe.out")"
fi

compare_runs "lock_loop 10000" "$PROGS/lock_loop" 10000
is "$shim_status" 0 "exit status 0 under the shim"
same_file "$T/shim.err" "$T/plain.err" "stderr is the same with and without the shim (policy audit prints nothing)"

if the_log "$T/cmp.logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 10000 \
		"the log has 10000 mlock events"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .ok == true)] | length')" 10000 \
		"all of them successful"
	is "$(log_jq "$log" '.[-1].type + " " + (.[-1].status | tostring)')" "exit 0" \
		"the last record is the exit record, status 0"
fi

if make_report "$T/cmp.logs" "$T/r.json" "memaudit-report --format json reads the log"; then
	jq_is "$T/r.json" '.processes | length' 1 "one process"
	jq_is "$T/r.json" '.processes[0].complete' true "the process is complete"
	jq_is "$T/r.json" '.processes[0].exit_status' 0 "exit_status 0"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")] | length' 1 "exactly one mlock site"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].calls' 10000 "the site has 10000 calls"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].bytes' 320000 \
		"the site has 320000 bytes requested"
	jq_ok "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0] | (.failures // {}) == {}' \
		"the site has no failures"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].frames[0].function' main \
		"the innermost frame is main()"
	jq_ok "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].frames[0].file | endswith("lock_loop.c")' \
		"the innermost frame's file is lock_loop.c"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].frames[0].line' "$line" \
		"the innermost frame's line is the mlock call (line $line)"
	jq_ok "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].frames[0].module | endswith("lock_loop")' \
		"the innermost frame's module is the program"
	jq_ok "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")][0].frames | all(.[]; (.module // "") | test("libmemaudit") | not)' \
		"no frame of the shim is shown"
fi
done_testing
