#!/bin/sh
# memaudit-report --fail-on: exit status 1 when a finding is at or above the level (error by
# default; note < warning < error; none never fails), 0 otherwise.
. "$top_srcdir/tests/report/report-lib.sh"

plan 17

# check LOG LEVEL WANT: the exit status with --fail-on LEVEL ("" = default)
check() {
	if [ -n "$2" ]; then
		run_report --fail-on "$2" "$(fixture "$1")"
	else
		run_report "$(fixture "$1")"
	fi
	is "$rc" "$3" "$1 --fail-on ${2:-(default)}: exit status $3"
}

check basic.jsonl "" 1
check basic.jsonl error 1
check basic.jsonl warning 1
check basic.jsonl note 1
check basic.jsonl none 0
check warnings.jsonl "" 0
check warnings.jsonl error 0
check warnings.jsonl warning 1
check warnings.jsonl note 1
check notes.jsonl warning 0
check notes.jsonl note 1
check notes.jsonl none 0
check clean.jsonl note 0
check killed.jsonl note 0

# any process of several decides
run_report --fail-on warning "$(fixture clean.jsonl)" "$(fixture warnings.jsonl)"
is "$rc" 1 "one failing process among several: exit status 1"

# the report is written whatever the status
run_report --format json --fail-on note "$(fixture notes.jsonl)"
jq_ok "$tmp/out" '.processes[0].findings[0].rule == "unlock-unlocked"' \
	"the report is written when the status is 1"
run_report --fail-on none "$(fixture version99.jsonl)"
is "$rc" 2 "--fail-on none does not hide input errors"

done_testing
