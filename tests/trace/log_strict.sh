#!/bin/sh
# strict and MEMAUDIT_SUPPRESSIONS in trace mode, as the preload library applies them
# (tests/policy/strict_exit.sh, tests/policy/suppressions*.sh): every process of the tree whose
# findings reach MEMAUDIT_FAIL_ON exits with MEMAUDIT_EXITCODE instead of 0 (exit_group is rewritten
# at its seccomp stop), its parent sees that status; a suppressed finding is logged as suppressed,
# neither printed nor counted; a suppressions file that cannot be used ends the run with 125.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup lockable
prog=$PROGS/trace_lock
[ -x "$PROGS/trace_lock_static" ] && prog=$PROGS/trace_lock_static

# the child's status as its parent, sh, sees it; sh's own status is the supervisor's
child() {
	_d=$1
	shift
	run_logged "$_d" MEMAUDIT_POLICY=strict "$@" sh -c "\"$prog\" 5 >/dev/null; echo child=\$?" 2>"$T/err"
}

# 1. strict, nothing suppressed: trace_lock's unaligned MADV_DONTDUMP is an error
out=$(child "$T/logs" 2>/dev/null); st=$?
is "$out" "child=99" "strict: a child with an error exits 99 (MEMAUDIT_EXITCODE), as its parent sees"
is "$st" 0 "strict: the parent, with no finding, keeps its status 0"
mkdir "$T/logs2" "$T/logs3"
out=$(run_logged "$T/logs2" MEMAUDIT_POLICY=strict MEMAUDIT_EXITCODE=42 sh -c "\"$prog\" 5 >/dev/null; echo child=\$?" 2>/dev/null)
is "$out" "child=42" "strict: MEMAUDIT_EXITCODE is the child's status"
log=$(grep -l '"progname":"trace_lock' "$T/logs"/*.log | head -n 1)
ok "the child has a log" test -n "$log"
if [ -n "$log" ]; then
	is "$(log_jq "$log" '[.[] | select(.type == "exit")][0] | "\(.status) \(.program_status)"')" "99 0" \
		"its exit record: status 99, program_status 0"
	is "$(log_jq "$log" '[.[] | select(.type == "exit")] | length')" 1 "one exit record (exit_group, then the exit stop, record it once)"
fi
out=$(run_logged "$T/logs3" MEMAUDIT_POLICY=strict sh -c "\"$prog\" 5 >/dev/null; exit 7" 2>/dev/null; echo "st=$?")
is "$out" "st=7" "strict: a non-zero status of the program's own is kept"

# 2. MEMAUDIT_SUPPRESSIONS: both findings at the madvise site, by function name
printf '# the madvise site\nadvise-unaligned:dontdump\ncall-failed:dontd*\n' >"$T/supp"
mkdir "$T/s"
out=$(child "$T/s" MEMAUDIT_SUPPRESSIONS="$T/supp" 2>/dev/null)
is "$out" "child=0" "strict with the error suppressed: the child keeps its status 0"
log=$(grep -l '"progname":"trace_lock' "$T/s"/*.log | head -n 1)
if [ -n "$log" ]; then
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "advise-unaligned")] | map(.suppressed) | unique | tostring')" \
		'[true]' "the suppressed finding is still logged, marked suppressed"
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-heap")] | map(.suppressed // false) | unique | tostring')" \
		'[false]' "a finding elsewhere is not suppressed"
else
	fail "the child has a log in $T/s"
fi
run_logged "$T/s" MEMAUDIT_POLICY=warn MEMAUDIT_SUPPRESSIONS="$T/supp" "$prog" 5 >/dev/null 2>"$T/warn.err"
ok "warn: an unsuppressed finding is printed" grep -q 'warning: lock-heap' "$T/warn.err"
ok "warn: the suppressed ones are not" sh -c "! grep -q 'advise-unaligned\|call-failed' '$T/warn.err'"
printf 'advise-unaligned:no_such_function\n' >"$T/other"
out=$(child "$T/s" MEMAUDIT_SUPPRESSIONS="$T/other" 2>/dev/null)
is "$out" "child=99" "a suppression that matches no frame suppresses nothing"
printf 'advise-unaligned:*trace_lock.c\n' >"$T/file"
out=$(child "$T/s" MEMAUDIT_SUPPRESSIONS="$T/file" 2>/dev/null)
is "$out" "child=0" "a source file pattern matches, as in the report"

# 3. a file that cannot be used: one line, 125, the program does not run
printf 'no-such-rule:main\n' >"$T/bad"
out=$(run_logged "$T/s" MEMAUDIT_SUPPRESSIONS="$T/bad" "$prog" 5 2>"$T/bad.err"); st=$?
is "$st" 125 "an unknown rule: exit 125"
is "$out" "" "the program did not run"
is "$(cat "$T/bad.err")" "memaudit: MEMAUDIT_SUPPRESSIONS: $T/bad:1: unknown rule 'no-such-rule'" "one line says why"
run_logged "$T/s" MEMAUDIT_SUPPRESSIONS="$T/missing" "$prog" 5 >/dev/null 2>"$T/miss.err"; st=$?
is "$st" 125 "a missing file: exit 125"
ok "one line says why" grep -q "MEMAUDIT_SUPPRESSIONS: $T/missing: No such file or directory" "$T/miss.err"
done_testing
