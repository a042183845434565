#!/bin/sh
# Each misuse rule fires on a small program that commits it at main(): the finding carries the
# frame of main() in rules.c at the line marked "rules: RULE", with the rule's severity. Its
# negative twin does the same job correctly and must not get that finding.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
tmpdir
src=$top_srcdir/tests/progs/rules.c

check_rule() {
	rule=$1 severity=$2
	line=$(grep -n "rules: $rule \*/" "$src" | cut -d: -f1)
	mkdir -p "$T/$rule" "$T/$rule-ok"
	run_shimmed "$T/$rule" "$PROGS/rules" "$rule" >"$T/out" 2>&1
	is "$?" 0 "$rule: the program runs"
	if make_report "$T/$rule" "$T/$rule.json" "$rule: report"; then
		F="[.processes[].findings[] | select(.rule == \"$rule\")]"
		jq_is "$T/$rule.json" "$F | length > 0" true "$rule: the finding is there"
		jq_is "$T/$rule.json" "$F[0].severity" "$severity" "$rule: severity $severity"
		jq_is "$T/$rule.json" "$F[0].frames | map(select(.function == \"main\" and (.file // \"\" | endswith(\"rules.c\")))) | .[0].line" "$line" \
			"$rule: its stack has main() at rules.c:$line"
		case $rule in *-collateral)
			related=$(grep -n "related: $rule \*/" "$src" | cut -d: -f1)
			jq_is "$T/$rule.json" "$F[0].related_frames[0] | \"\(.function) \(.line)\"" "main $related" \
				"$rule: it also names the neighbour's call, rules.c:$related"
		esac
	fi
	run_shimmed "$T/$rule-ok" "$PROGS/rules" "$rule-ok" >"$T/out" 2>&1
	is "$?" 0 "$rule-ok: the program runs"
	if make_report "$T/$rule-ok" "$T/$rule-ok.json" "$rule-ok: report"; then
		jq_is "$T/$rule-ok.json" "[.processes[].findings[] | select(.rule == \"$rule\")] | length" 0 \
			"$rule-ok: no $rule finding"
	fi
}

check_rule lock-heap warning
check_rule advise-heap warning
check_rule fork-advise-heap error
check_rule lock-freed error
check_rule realloc-protected error
check_rule unlock-collateral error
check_rule unlock-unlocked note
check_rule lock-leak note
check_rule fork-unlocked-copy note
check_rule dodump-collateral error
check_rule align-waste warning
check_rule release-unwiped warning
check_rule protection-lost warning
done_testing
