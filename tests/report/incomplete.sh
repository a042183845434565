#!/bin/sh
# memaudit-report: a log without exit record, with a cut last line, with a corrupt or an overlong
# line in the middle is reported as incomplete with everything before that point.
. "$top_srcdir/tests/report/report-lib.sh"

plan 17

# killed: no exit record
run_report --format json "$(fixture killed.jsonl)"
is "$rc" 0 "killed.jsonl: exit status 0 (no findings)"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .exit_status == null and
	.locked_bytes_at_exit == null and .ended_by == null' "no exit record: incomplete, nulls"
jq_ok "$tmp/out" '.processes[0] | .sites[0].calls == 3 and .peak_locked_bytes == 12288' \
	"all events of the killed process are counted"
jq_ok "$tmp/out" '.processes[0].incomplete_reason | test("no exit record")' "the reason is given"

# truncated: basic.jsonl without its exit record, and half of a record with no newline
head -n 18 "$(fixture basic.jsonl)" >"$tmp/truncated.log"
sed -n 19p "$(fixture basic.jsonl)" | head -c 40 >>"$tmp/truncated.log"
run_report --format json "$tmp/truncated.log"
is "$rc" 0 "truncated log: exit status 0 (the findings are after the cut)"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 9 and
	(.sites | map(.calls) | add) == 9' "truncated log: incomplete, the 9 events before the cut"
grep_ok "$tmp/err" "truncated.log:19: warning: last line not terminated" \
	"a one-line warning names file:line"
is "$(wc -l <"$tmp/err" | tr -d ' ')" 1 "exactly one line on stderr"

# a complete log whose last line lost its newline is incomplete too
head -c -1 "$(fixture clean.jsonl)" >"$tmp/nonl.log"
run_report --format json "$tmp/nonl.log"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .exit_status == null' \
	"an exit record without newline is not trusted"

# corrupt line in the middle: stop there
{ head -n 12 "$(fixture basic.jsonl)"; echo '{"type":"event",garbage'
  tail -n +13 "$(fixture basic.jsonl)"; } >"$tmp/corrupt.log"
run_report --format json "$tmp/corrupt.log"
is "$rc" 0 "corrupt line: exit status 0 (the error findings are after it)"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 3 and
	(.incomplete_reason | test("line 13"))' "corrupt line: the 3 events before it are kept"
grep_ok "$tmp/err" "corrupt.log:13: warning: not a valid JSON record" "warning names file:13"

# a line that is not a JSON object counts as corrupt
{ head -n 10 "$(fixture basic.jsonl)"; echo '[1, 2, 3]'; tail -n +11 "$(fixture basic.jsonl)"; } \
	>"$tmp/array.log"
run_report --format json "$tmp/array.log"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 1' \
	"a JSON array line stops the reader"

# an overlong line (2 MiB) stops the reader without using unbounded memory
{ head -n 10 "$(fixture basic.jsonl)"
  printf '{"type":"event","op":"mlock","pad":"'
  head -c 2097152 /dev/zero | tr '\0' 'a'
  echo '"}'
  tail -n +11 "$(fixture basic.jsonl)"; } >"$tmp/long.log"
run_report --format json "$tmp/long.log"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 1' \
	"an overlong line stops the reader"
grep_ok "$tmp/err" "long.log:11: warning: line longer than 1 MiB" "warning names the long line"

# the same with a 1.5 MiB line (caught by length, not by the buffer limit), ending the file
{ head -n 10 "$(fixture basic.jsonl)"
  printf '{"type":"event","op":"mlock","pad":"'
  head -c 1572864 /dev/zero | tr '\0' 'a'
  echo '"}'; } >"$tmp/long2.log"
run_report --format json "$tmp/long2.log"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 1' \
	"a 1.5 MiB line is corrupt too"

# text says so
run_report "$(fixture killed.jsonl)"
grep_ok "$tmp/out" "status: +INCOMPLETE" "the text report says INCOMPLETE"

done_testing
