#!/bin/sh
# memaudit-report: call sites are one per (op, stack), counted, sorted by pages then calls, with
# failures by errno name; findings one per (rule, stack) with their count; peak and exit values.
. "$top_srcdir/tests/report/report-lib.sh"

plan 15

run_report --format json "$(fixture basic.jsonl)"
p='.processes[0]'
jq_ok "$tmp/out" "$p.sites | length == 5" "five sites (fork makes none)"
jq_ok "$tmp/out" "[$p.sites[].op] == [\"madvise\", \"mlock\", \"mlock\", \"munlock\", \"free\"]" \
	"sites sorted by pages, then calls"
jq_ok "$tmp/out" "$p.sites[2] | .calls == 4 and .bytes == 5148 and .pages == 1" \
	"mlock site: 4 calls, bytes summed, pages = pages charged"
jq_ok "$tmp/out" "$p.sites[2].failures == {\"ENOMEM\": 1, \"EPERM\": 1}" \
	"failures counted by errno name"
jq_ok "$tmp/out" "$p.sites[1] | .calls == 1 and .bytes == 8192 and .pages == 2 and
	.failures == {}" \
	"the same op from another stack is another site"
jq_ok "$tmp/out" "$p.sites[0] | .calls == 2 and .pages == 2 and .failures == {\"EINVAL\": 1} and
	.advice == [\"MADV_DONTDUMP\"]" "madvise site: pages summed, advice named"
jq_ok "$tmp/out" "$p.sites[3] | .op == \"munlock\" and .pages == 1" "munlock site counts its pages"
jq_ok "$tmp/out" "$p.sites[4] | .op == \"free\" and .calls == 1 and .pages == 0" "free site"
jq_ok "$tmp/out" "$p.sites[2].frames | map(.offset) == [1000, 4096, 8192]" \
	"site frames innermost first, with offsets"
jq_ok "$tmp/out" "$p | .peak_locked_bytes == 12288 and .locked_bytes_at_exit == 8192" \
	"peak and at-exit locked bytes"
jq_ok "$tmp/out" "[$p.findings[] | [.rule, .severity, .count]] == [
	[\"lock-freed\", \"error\", 1], [\"lock-limit\", \"error\", 1],
	[\"unlock-collateral\", \"error\", 1], [\"call-failed\", \"warning\", 2],
	[\"call-failed\", \"warning\", 1], [\"lock-heap\", \"warning\", 1],
	[\"lock-leak\", \"note\", 1]]" "findings per (rule, stack), by severity then rule"
jq_ok "$tmp/out" "$p.findings[3].message | startswith(\"mlock(5000 bytes) failed\")" \
	"a finding keeps the first record's message"
jq_ok "$tmp/out" "$p.findings[2].related_frames | map(.offset) == [1000, 4200, 8192]" \
	"a collateral finding shows the related stack"
jq_ok "$tmp/out" "$p.events == 10" "every event was read"

# Text: same data, every line whole.
run_report --format json "$(fixture basic.jsonl)"
mv "$tmp/out" "$tmp/json"
run_report "$(fixture basic.jsonl)"
whole_lines "$tmp/out" "$tmp/json" "text report: every message whole on one line"

done_testing
