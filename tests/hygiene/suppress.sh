#!/bin/sh
# MEMAUDIT_SUPPRESSIONS in the shim: a suppressed finding is logged as suppressed and nothing more
# (no stderr line, no strict exit status, no abort); the report leaves it out and counts it. A
# file that cannot be used stops the process before main with one line naming the variable.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
tmpdir

# supp NAME MODE LINES [VAR=VALUE...]: rules MODE under the shim with LINES as the suppressions
# file; logs in $T/NAME, stderr in $T/NAME.err, exit status in $st, report in $T/NAME.json.
supp() {
	_name=$1 _mode=$2
	printf '%s\n' "$3" >"$T/$_name.supp"
	shift 3
	mkdir -p "$T/$_name"
	run_shimmed "$T/$_name" MEMAUDIT_SUPPRESSIONS="$T/$_name.supp" "$@" "$PROGS/rules" "$_mode" \
		>/dev/null 2>"$T/$_name.err"
	st=$?
	report_json "$T/$_name" >"$T/$_name.json" 2>/dev/null
}

supp by-function lock-heap '# a comment, then a blank line

lock-heap:main' MEMAUDIT_POLICY=warn
is "$st" 0 "suppressed by function (main, from the executable's .symtab): the program runs"
grep -q 'lock-heap' "$T/by-function.err"
is "$?" 1 "no stderr line under MEMAUDIT_POLICY=warn"
is "$(cat "$T"/by-function/memaudit.*.log | "$JQ" -r -s "$LOG_EXPAND"' | .[] | select(.type == "finding" and .rule == "lock-heap") | .suppressed')" \
	true "the log keeps the finding, marked suppressed"
jq_is "$T/by-function.json" '[.processes[0].findings[] | select(.rule == "lock-heap")] | length' 0 \
	"the report leaves it out"
jq_is "$T/by-function.json" '.processes[0].suppressed' 1 "... and counts it"

supp by-module unlock-unlocked 'unlock-unlocked:rule?'
jq_is "$T/by-module.json" '[.processes[0].findings[] | select(.rule == "unlock-unlocked")] | length' 0 \
	"suppressed by the module's base name, with a wildcard"

supp no-match lock-heap 'lock-heap:no_such_function' MEMAUDIT_POLICY=warn
grep -q 'lock-heap' "$T/no-match.err"
is "$?" 0 "a pattern that matches no frame suppresses nothing: the warning is printed"
jq_is "$T/no-match.json" '[.processes[0].findings[] | select(.rule == "lock-heap")] | length' 1 \
	"... and reported"

supp other-rule lock-heap 'lock-leak:main'
jq_is "$T/other-rule.json" '[.processes[0].findings[] | select(.rule == "lock-heap")] | length' 1 \
	"a suppression of another rule does not apply"

supp strict lock-freed 'lock-freed:main' MEMAUDIT_POLICY=strict
is "$st" 0 "strict: a suppressed error does not make the exit status"
supp strict-all lock-freed '*:main' MEMAUDIT_POLICY=strict
is "$st" 0 "strict: '*' suppresses every rule"
supp strict-none lock-freed 'lock-heap:main' MEMAUDIT_POLICY=strict
is "$st" 99 "strict: the same error unsuppressed exits 99"

supp abort lock-freed 'lock-freed:main' MEMAUDIT_ABORT=1
is "$st" 0 "MEMAUDIT_ABORT=1: a suppressed finding does not abort"

# bad files: exit 125 before main, one line on stderr naming the variable
bad() {
	_what=$1 _file=$2 _want=$3
	mkdir -p "$T/bad"
	run_shimmed "$T/bad" MEMAUDIT_SUPPRESSIONS="$_file" "$PROGS/rules" lock-heap >"$T/bad.out" 2>"$T/bad.err"
	is "$?" 125 "$_what: exit status 125"
	if grep -q "^memaudit: MEMAUDIT_SUPPRESSIONS: $_want" "$T/bad.err" && [ "$(wc -l <"$T/bad.err")" -eq 1 ]; then
		pass "$_what: one line saying why"
	else
		fail "$_what: one line saying why" "want: memaudit: MEMAUDIT_SUPPRESSIONS: $_want" "got: $(cat "$T/bad.err")"
	fi
	is "$(cat "$T/bad.out")" "" "$_what: the program did not run"
}
bad "a missing file" "$T/none" "$T/none: No such file or directory"
bad "a directory" "$T" "$T: not a regular file"
printf 'lock-heap:main\nno-such-rule:main\n' >"$T/unknown.supp"
bad "an unknown rule" "$T/unknown.supp" "$T/unknown.supp:2: unknown rule 'no-such-rule'"
printf 'lock-heap main\n' >"$T/nocolon.supp"
bad "a line without a colon" "$T/nocolon.supp" "$T/nocolon.supp:1: expected rule:pattern"
printf 'lock-heap:\n' >"$T/nopattern.supp"
bad "an empty pattern" "$T/nopattern.supp" "$T/nopattern.supp:1: expected rule:pattern"
done_testing
