#!/bin/sh
# memaudit-report --suppressions FILE: rule:pattern lines; a suppressed finding leaves the output
# and the exit status, and the process counts it in "suppressed".
. "$top_srcdir/tests/report/report-lib.sh"

plan 16

cat >"$tmp/supp" <<'SUPP'
# errors we know about

lock-limit:app
  lock-freed : libc.so.6
unlock-collateral:/nonexistent/*
SUPP
run_report --format json --suppressions "$tmp/supp" "$(fixture basic.jsonl)"
is "$rc" 0 "every error suppressed: exit status 0"
jq_ok "$tmp/out" '.processes[0] | .suppressed == 3 and
	([.findings[].rule] | index("lock-limit") == null and index("lock-freed") == null and
	 index("unlock-collateral") == null)' "suppressed findings are left out and counted"
jq_ok "$tmp/out" '.processes[0].findings | length == 4' "the other findings stay"
jq_ok "$tmp/out" '.processes[0].sites | length == 5' "sites are not suppressed"

run_report --fail-on warning --suppressions "$tmp/supp" "$(fixture basic.jsonl)"
is "$rc" 1 "warnings still fail --fail-on warning"
grep_ok "$tmp/out" "3 suppressed" "the text report counts suppressed findings"

printf '*:app\n' >"$tmp/all"
run_report --format json --fail-on note --suppressions "$tmp/all" "$(fixture basic.jsonl)"
is "$rc" 0 "a wildcard rule suppresses everything"
jq_ok "$tmp/out" '.processes[0] | .suppressed == 8 and .findings == []' "...8 records"

printf 'call-failed:no-such-frame*\n' >"$tmp/none"
run_report --format json --suppressions "$tmp/none" "$(fixture basic.jsonl)"
jq_ok "$tmp/out" '.processes[0].suppressed == 0' \
	"a pattern that matches no frame suppresses nothing"

printf 'lock-limit:app\nthis line is wrong\n' >"$tmp/bad"
run_report --suppressions "$tmp/bad" "$(fixture basic.jsonl)"
is "$rc" 2 "a malformed line: exit status 2"
is "$(cat "$tmp/err")" "memaudit-report: $tmp/bad:2: expected rule:pattern" "...names file:line"
is "$(cat "$tmp/out")" "" "...and no report"

printf 'lock-limt:app\n' >"$tmp/typo"
run_report --suppressions "$tmp/typo" "$(fixture basic.jsonl)"
is "$rc" 2 "an unknown rule: exit status 2"
grep_ok "$tmp/err" "typo:1: unknown rule 'lock-limt'" "...names the rule"

printf 'lock-limit:\n' >"$tmp/empty-pattern"
run_report --suppressions "$tmp/empty-pattern" "$(fixture basic.jsonl)"
is "$rc" 2 "an empty pattern: exit status 2"

run_report --suppressions "$tmp/missing" "$(fixture basic.jsonl)"
is "$rc" 2 "a missing suppressions file: exit status 2"

done_testing
