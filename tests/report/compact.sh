#!/bin/sh
# memaudit-report on a version-3 log's compact records (docs/log-format.md): an again record is the
# last event of its stack once more (its call the next one), a finding_at counts what its
# finding_def says; a finding_at before its def, a def written again, an again record of a stack
# without an event and a finding_at of an unknown def change nothing; full finding records still
# count; an event without ok and errno succeeded.
. "$top_srcdir/tests/report/report-lib.sh"

plan 6

run_report --fail-on none --format json "$(fixture compact-v3.jsonl)"
p='.processes[0]'
jq_ok "$tmp/out" "$p.complete and $p.peak_locked_bytes == 4096" "a complete log, peak 4 KiB"
jq_ok "$tmp/out" "[$p.sites[] | [.op, .calls, .bytes, .pages, .failures]] == [
	[\"mlock\", 4, 10064, 2, {\"ENOMEM\": 2}], [\"munlock\", 2, 64, 2, {}]]" \
	"again records are their stacks' last events: 4 mlock calls (2 failed), 2 munlock calls"
jq_ok "$tmp/out" "[$p.findings[] | [.rule, .count, .message]] == [
	[\"call-failed\", 2, \"mlock(5000 bytes) failed with ENOMEM\"],
	[\"call-failed\", 1, \"full record\"], [\"lock-heap\", 2, \"lock heap\"]]" \
	"finding_at records count under their defs; a full finding record counts too"
run_report --fail-on none "$(fixture compact-v3.jsonl)"
grep_ok "$tmp/out" "^ +mlock +4 +10064 +2 +4 KiB +ENOMEM 2 +app\+0x1000$" "text: the mlock site row"
grep_ok "$tmp/out" "^ +2x lock heap$" "text: the lock-heap finding twice"
run_report --format json "$(fixture compact-v3.jsonl)"
is "$rc" 0 "no error finding: exit status 0"
done_testing
