#!/bin/sh
# Version 2 logs and their NUL bytes (docs/log-format.md, "Encoding"): the rest of a killed
# process's mapped window, a gap a killed writer reserved, a record a kill cut short. The reader
# skips them and keeps every whole record; in a version 1 log a NUL byte is still a corrupt line.
. "$top_srcdir/tests/report/report-lib.sh"

plan 8


header=$(head -n 1 "$(fixture killed.jsonl)" | sed 's/"version":1/"version":2/')
body=$(sed -n '2,3p' "$(fixture killed.jsonl)")
ev() {
	printf '{"type":"event","seq":%s,"t":%s000,"tid":3000,"op":"mlock","addr":94823104,"len":4096,"ok":true,"errno":0,"stack":1,"pages":1,"charged":1,"locked_bytes":4096}\n' "$1" "$1"
}
zeros() {
	head -c "$1" /dev/zero
}

# killed: whole records, then the NUL bytes of the rest of a 1 MiB window
{ echo "$header"; echo "$body"; ev 1; ev 2; zeros 1048000; } >"$tmp/tail.log"
run_report --format json "$tmp/tail.log"
is "$rc" 0 "the NUL bytes after the last record: exit status 0"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 2 and
	(.incomplete_reason | test("no exit record"))' "...both events, incomplete for want of an exit record only"

# a gap, and a record cut short before the NUL bytes of its reserved space, each before whole records
{ echo "$header"; echo "$body"; ev 1; zeros 300; ev 2; printf '{"type":"event","seq":3,"t":30'; zeros 200;
  ev 4; printf '{"type":"ev'; zeros 10; printf '"op":"mlock","len":4096}\n'; ev 5;
  printf '{"type":"exit","t":9000000,"how":"exit","status":0,"locked_bytes":0,"vmlck_bytes":0,"events":5}\n'; } \
	>"$tmp/gap.log"
run_report --format json "$tmp/gap.log"
is "$rc" 0 "gaps and records cut short in the middle: exit status 0"
jq_ok "$tmp/out" '.processes[0] | .complete == true and .events == 4' \
	"...the four whole events, and the log is complete"
is "$(grep -c . "$tmp/err")" 0 "...nothing said on stderr"

# an unterminated tail of NUL bytes only, then nothing
{ echo "$header"; echo "$body"; ev 1; printf '{"type":"event","se'; zeros 4000; } >"$tmp/torn.log"
run_report --format json "$tmp/torn.log"
jq_ok "$tmp/out" '.processes[0] | .events == 1 and (.incomplete_reason | test("no exit record"))' \
	"a record cut short at the end: the event before it, incomplete for want of an exit record"

# version 1: a NUL byte is a corrupt line
{ head -n 1 "$(fixture killed.jsonl)"; echo "$body"; ev 1; zeros 100; ev 2; } >"$tmp/v1.log"
run_report --format json "$tmp/v1.log"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .events == 1 and
	(.incomplete_reason | test("line 5: not a valid JSON record"))' "version 1: the reader stops at a NUL byte"
is "$rc" 0 "...with exit status 0"
done_testing
