#!/bin/sh
# Exit statuses: strict turns a clean exit of a process with a finding at or above
# MEMAUDIT_FAIL_ON into MEMAUDIT_EXITCODE (default 99), keeps a non-zero status of the program's
# own, and leaves a process without findings alone; audit never changes the status.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
tmpdir
mkdir "$T/logs"

# madvise_unaligned: an advise-unaligned error finding, and the program exits 0.
run_shimmed "$T/logs" MEMAUDIT_POLICY=audit "$PROGS/madvise_unaligned" >/dev/null 2>&1
is "$?" 0 "audit, error finding: status 0 unchanged"
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict "$PROGS/madvise_unaligned" >"$T/out" 2>"$T/err"
is "$?" 99 "strict, error finding: status 99 (default MEMAUDIT_EXITCODE)"
ok "strict: the program's output still reached stdout" test -s "$T/out"
ok "strict: the finding was printed" grep -q 'error: advise-unaligned' "$T/err"
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict MEMAUDIT_EXITCODE=7 "$PROGS/madvise_unaligned" >/dev/null 2>&1
is "$?" 7 "strict, MEMAUDIT_EXITCODE=7: status 7"
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict MEMAUDIT_FAIL_ON=warning "$PROGS/madvise_unaligned" >/dev/null 2>&1
is "$?" 99 "strict, FAIL_ON=warning, error finding: status 99"

# A program with no finding at all: lock_loop 10 under an unlimited target.
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict MEMAUDIT_MEMLOCK_LIMIT=unlimited "$PROGS/lock_loop" 10 >/dev/null 2>&1
is "$?" 0 "strict, no finding: status 0"

# Only a warning (call-failed, from a refused mlock2 flag) with FAIL_ON=error: no change.
# lock_loop at limit 64K under strict fails by itself (status 1): its own status is kept.
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lock_loop" 10000 >/dev/null 2>&1
is "$?" 1 "strict, error finding, the program exits 1 by itself: its status 1 is kept"

# _exit(0) takes the same path: exit_how exits with _exit.
if [ -x "$PROGS/exit_how" ]; then
	run_shimmed "$T/logs" MEMAUDIT_POLICY=strict MEMAUDIT_MEMLOCK_LIMIT=unlimited "$PROGS/exit_how" _exit 0 >/dev/null 2>&1
	is "$?" 0 "strict, no finding, _exit(0): status 0"
fi

# The exit record carries the status the process really ended with.
rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict "$PROGS/madvise_unaligned" >/dev/null 2>&1
if the_log "$T/logs"; then
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.status)"')" "exit 99" "the exit record says 99"
	is "$(log_jq "$log" '.[-1].program_status')" 0 \
		"...and program_status 0: the status the program asked for, which strict replaced"
	if [ -x "$MEMAUDIT_REPORT" ]; then
		is "$("$MEMAUDIT_REPORT" --format json --fail-on none "$log" | "$JQ" -c \
			'.processes[0] | [.exit_status, .program_exit_status]')" "[99,0]" \
			"the report's JSON has both: exit_status 99, program_exit_status 0"
	fi
fi
# A status the program chose itself is not replaced: no program_status.
rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=strict MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lock_loop" 10000 >/dev/null 2>&1
if the_log "$T/logs"; then
	is "$(log_jq "$log" '.[-1] | "\(.status) \(has("program_status"))"')" "1 false" \
		"the program's own status 1, kept: the exit record has no program_status"
	if [ -x "$MEMAUDIT_REPORT" ]; then
		is "$("$MEMAUDIT_REPORT" --format json --fail-on none "$log" | "$JQ" -c \
			'.processes[0] | has("program_exit_status")')" false \
			"...nor has the report's JSON program_exit_status"
	fi
fi
done_testing
