#!/bin/sh
# memaudit-report: a log without exit record followed by a later log of the same pid belongs to
# an image that exec'd: complete, ended_by "exec". Processes are sorted by start time.
. "$top_srcdir/tests/report/report-lib.sh"

plan 6

run_report --format json "$(fixture exec-2.jsonl)" "$(fixture exec-1.jsonl)"
is "$rc" 0 "exit status 0"
jq_ok "$tmp/out" '[.processes[].exe] == ["/nonexistent/fixture/launcher",
	"/nonexistent/fixture/worker"]' "sorted by start time, not by argument order"
jq_ok "$tmp/out" '.processes[0] | .complete == true and .ended_by == "exec" and
	.exit_status == null' "the image that exec'd is complete, ended by exec"
jq_ok "$tmp/out" '.processes[1] | .complete == true and .ended_by == "exit" and
	.exit_status == 0' "the new image ended normally"

run_report --format json "$(fixture exec-1.jsonl)"
jq_ok "$tmp/out" '.processes[0].complete == false' "without the later log it is incomplete"

run_report --format json "$(fixture fork-child.jsonl)" "$(fixture basic.jsonl)"
jq_ok "$tmp/out" '[.processes[] | [.pid, .ppid, .parent_log]] ==
	[[1000, 999, null], [1001, 1000, "memaudit.app.1000.log"]]' \
	"a fork child is its own process, after its parent"

done_testing
