#!/bin/sh
# memaudit-report --format text (the default): a readable table per process; in a pipe every line
# whole, however long.
. "$top_srcdir/tests/report/report-lib.sh"

plan 17

run_report "$(fixture basic.jsonl)" "$(fixture killed.jsonl)" "$(fixture exec-1.jsonl)" \
	"$(fixture exec-2.jsonl)"
is "$rc" 1 "exit status 1"
out=$tmp/text
mv "$tmp/out" "$out"
run_report --format json "$(fixture basic.jsonl)" "$(fixture killed.jsonl)" \
	"$(fixture exec-1.jsonl)" "$(fixture exec-2.jsonl)"
whole_lines "$out" "$tmp/out" "every finding's message is whole on one line"
grep_ok "$out" "^== /nonexistent/fixture/app \(pid 1000, ppid 999\)$" "process header line"
grep_ok "$out" "status: +complete \(exit\), exit status 3" "complete with exit status"
grep_ok "$out" "policy: +audit, page size 4 KiB, memlock limit 64 KiB$" "policy, page size, limit"
grep_ok "$out" "locked: +peak 12 KiB, at exit 8 KiB$" "peak and at-exit locked memory"
grep_ok "$out" "status: +INCOMPLETE: no exit record" "incomplete process"
grep_ok "$out" "status: +complete: replaced its image by execve" "exec'd image"
grep_ok "$out" "^ +madvise DONTDUMP +2 +8192 +2 +0 B +EINVAL 1 +app\+0x10cc$" \
	"madvise site row with advice, failures and where"
grep_ok "$out" "^ +mlock +4 +5148 +1 +8 KiB +EPERM 1,ENOMEM 1 +app\+0x1000$" \
	"mlock site row: its peak, and where is the first frame outside libc"
grep_ok "$out" "^ +call-failed \[warning\]: 3 times at 2 call sites$" "findings grouped by rule"
grep_ok "$out" "^ +why: A failed mlock leaves the memory swappable" "the rule's explanation"
grep_ok "$out" "^ +fix: Check the return value of every mlock" "the rule's fix"
grep_ok "$out" "^     at app\+0x1000$" "a finding names its place in the program's own code first"
grep_ok "$out" "^ +2x mlock\(5000 bytes\) failed with ENOMEM" "finding count and message"
grep_ok "$out" \
	"totals: 5 call sites, 9 calls, 6 pages; 3 errors, 4 warnings, 1 note; 0 suppressed" \
	"per-process totals"
grep_ok "$out" "^memaudit: 4 processes; 3 errors, 4 warnings, 1 note$" "report totals"

done_testing
