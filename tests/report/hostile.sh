#!/bin/sh
# memaudit-report never crashes on hostile logs: wrong types, missing keys, huge and negative
# numbers, undefined stacks and modules, module paths that are devices or FIFOs, random bytes.
. "$top_srcdir/tests/report/report-lib.sh"

plan 12

run_report --format json "$(fixture hostile.jsonl)"
is "$rc" 0 "hostile.jsonl: exit status 0 (no known severity at error)"
jq_ok "$tmp/out" '.processes[0] | .pid == null and .exe == null and .argv == ["a", "b"] and
	.page_size == null and .policy == null and .complete == false' \
	"values of the wrong type are unknown (null)"
jq_ok "$tmp/out" '.processes[0].sites[] | select(.op == "mlock") |
	.frames == [] and .bytes == 9223372036854775807 and .pages == 9223372036854775807' \
	"an undefined stack has no frames; sums saturate"
jq_ok "$tmp/out" '[.processes[0].sites[] | select(.op == "madvise") | .frames[] | .module] |
	map(select(. != null)) == ["/dev/zero", "/"]' \
	"frames of undefined modules are unknown; devices are not opened as ELF"
jq_ok "$tmp/out" '.processes[0].findings | map(.rule) | sort == ["lock-limit", "made-up-rule"]' \
	"findings without a rule are ignored, unknown rules kept"
grep_ok "$tmp/err" "hostile.jsonl:29: warning" \
	"an integer too large for JSON parsers stops the reader"

run_report "$(fixture hostile.jsonl)"
is "$rc" 0 "the text report of hostile.jsonl"
LC_ALL=C tr -d '\n' <"$tmp/out" | LC_ALL=C grep -q "$(printf '[\001-\037\177]')"
ok $((!$?)) "...no control character but newlines, although its lines are no longer cut"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then
	ok 1 "...and shows no escape character from the log"
else
	ok 0 "...and shows no escape character from the log"
fi

# a module path that is a FIFO must not block the report
if mkfifo "$tmp/fifo" 2>/dev/null; then
	sed "s|\"/dev/zero\"|\"$tmp/fifo\"|" "$(fixture hostile.jsonl)" >"$tmp/fifo.log"
	run_report --format json "$tmp/fifo.log"
	jq_ok "$tmp/out" '.processes[0].notes | any(test("not a regular file"))' \
		"a FIFO as module file is not opened"
else
	skip "mkfifo failed"
fi

# random bytes after a valid header
{ head -n 1 "$(fixture basic.jsonl)"; head -c 65536 /dev/urandom; } >"$tmp/noise.log"
run_report --format json "$tmp/noise.log"
jq_ok "$tmp/out" '.processes[0].complete == false' "random bytes after the header: incomplete"

# many records on one long line of valid JSON nesting
{ head -n 1 "$(fixture basic.jsonl)"; printf '{"type":"event","x":'
  i=0; while [ $i -lt 5000 ]; do printf '['; i=$((i + 1)); done; echo; } >"$tmp/deep.log"
run_report --format json "$tmp/deep.log"
jq_ok "$tmp/out" '.processes[0].complete == false' "deeply nested JSON is rejected, not recursed"

done_testing
