#!/bin/sh
# memaudit-report --format json: the document has the SPEC's shape, every key present.
. "$top_srcdir/tests/report/report-lib.sh"

plan 14

run_report --format json "$(fixture basic.jsonl)" "$(fixture clean.jsonl)"
is "$rc" 1 "basic.jsonl has errors: exit status 1"
jq_ok "$tmp/out" '.memaudit_report == 1' "memaudit_report is 1"
jq_ok "$tmp/out" '.tool_version | type == "string"' "tool_version is a string"
jq_ok "$tmp/out" '.processes | length == 2' "one process per log"
jq_ok "$tmp/out" '[.processes[] | keys_unsorted] | all(
	index("pid") and index("ppid") and index("exe") and index("argv") and index("log") and
	index("complete") and index("exit_status") and index("policy") and index("page_size") and
	index("memlock_limit") and index("peak_locked_bytes") and index("locked_bytes_at_exit") and
	index("whatif") and index("sites") and index("findings") and index("suppressed"))' \
	"every process has every key"
jq_ok "$tmp/out" '[.processes[].sites[] | keys] | all(
	index("op") and index("calls") and index("bytes") and index("pages") and
	index("failures") and index("frames"))' \
	"every site has op, calls, bytes, pages, failures, frames"
jq_ok "$tmp/out" '[.processes[].findings[] | keys] | all(
	index("rule") and index("severity") and index("count") and index("message") and
	index("frames"))' "every finding has rule, severity, count, message, frames"
jq_ok "$tmp/out" '[.processes[] | (.sites[], .findings[]) | .frames[] | keys] | all(
	. == ["file", "function", "line", "module", "offset"])' \
	"every frame is {function, file, line, module, offset}"
jq_ok "$tmp/out" '.processes[0] | .pid == 1000 and .ppid == 999 and
	.exe == "/nonexistent/fixture/app" and .argv == ["app", "--secret"] and
	(.log | endswith("basic.jsonl")) and .complete == true and .exit_status == 3 and
	.policy == "audit" and .page_size == 4096 and .memlock_limit == 65536 and
	.whatif == []' "header values of basic.jsonl"
jq_ok "$tmp/out" '.processes[1] | .memlock_limit == null and .exit_status == 0 and
	.findings == [] and .ended_by == "_exit"' \
	"clean.jsonl: unlimited memlock is null, no findings"
jq_ok "$tmp/out" '[.processes[] | (.sites[], .findings[]) | .frames[] |
	(.offset | type == "number") and (.module | type == "string")] | all' \
	"frames keep module and offset when the module file is missing"
jq_ok "$tmp/out" '.processes[0].notes | any(test("/nonexistent/fixture/app"))' \
	"a note says the module file could not be read"

jq_ok "$tmp/out" '([.processes[].findings[].rule] | unique) as $found |
	([.rules[].id] == $found or ([.rules[].id] | sort) == $found) and
	(.rules | all(.summary != "" and .explanation != "" and .fix != ""))' \
	"rules: one entry with explanation and fix for each rule that was found"
jq_ok "$tmp/out" '[.processes[].sites[] | .peak_locked_bytes | type == "number"] | all' \
	"every site has peak_locked_bytes"
done_testing
