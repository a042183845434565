#!/bin/sh
# warn: the real calls pass through and each (rule, call site) prints one stderr line, however
# often it fires. MEMAUDIT_ABORT=1: the first finding at or above FAIL_ON is printed with its
# stack, the log gets it and an exit record, and the process aborts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
tmpdir
mkdir "$T/logs"

run_shimmed "$T/logs" MEMAUDIT_POLICY=warn MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lock_loop" 3000 >"$T/out" 2>"$T/err"
st=$?
if is_root; then
	is "$st" 0 "warn as root: the real calls succeed (status 0)"
	is "$(grep -c 'error: lock-limit' "$T/err")" 1 "warn: one lock-limit line for 1649 refused calls at one site"
	if the_log "$T/logs"; then
		is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-limit")] | length')" 1649 \
			"warn: the log has every one of them (3000 - 1351)"
	fi
else
	skip "warn as root" "not root: the real mlock fails first"
fi

rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=audit MEMAUDIT_ABORT=1 MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lock_loop" 3000 >"$T/out" 2>"$T/err"
is "$?" 134 "MEMAUDIT_ABORT=1: killed by SIGABRT (status 134)"
ok "MEMAUDIT_ABORT=1: the finding is printed" grep -q 'error: lock-limit' "$T/err"
ok "MEMAUDIT_ABORT=1: with its stack" grep -q '^    at ' "$T/err"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 1352 \
		"MEMAUDIT_ABORT=1: stopped at the 1352nd mlock"
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.how)"')" "exit abort" "MEMAUDIT_ABORT=1: the log ends with an exit record, how=abort"
fi
done_testing
