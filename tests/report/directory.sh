#!/bin/sh
# memaudit-report DIR reads every memaudit.*.log in DIR (not recursively), like the launcher does.
. "$top_srcdir/tests/report/report-lib.sh"

plan 8

d=$tmp/logs
mkdir -p "$d/memaudit.sub.1.log" "$d/nested"
cp "$(fixture basic.jsonl)" "$d/memaudit.app.1000.log"
cp "$(fixture exec-1.jsonl)" "$d/memaudit.launcher.2000.log"
cp "$(fixture exec-2.jsonl)" "$d/memaudit.worker.2000.1.log"
cp "$(fixture version99.jsonl)" "$d/notes.txt"
cp "$(fixture version99.jsonl)" "$d/nested/memaudit.x.1.log"
cp "$(fixture version99.jsonl)" "$d/.memaudit.hidden.1.log"

run_report --format json "$d"
is "$rc" 1 "exit status 1 (basic.jsonl has errors); other files are not read"
jq_ok "$tmp/out" '.processes | length == 3' "three logs"
jq_ok "$tmp/out" '[.processes[].pid] == [1000, 2000, 2000]' "sorted by start time"
jq_ok "$tmp/out" "[.processes[].log] == [\"$d/memaudit.app.1000.log\",
	\"$d/memaudit.launcher.2000.log\", \"$d/memaudit.worker.2000.1.log\"]" \
	"each process names its log"
jq_ok "$tmp/out" '.processes[1].ended_by == "exec"' "exec inference works across a directory"

run_report --format json "$d/" "$(fixture clean.jsonl)"
jq_ok "$tmp/out" '.processes | length == 4' "a directory and a file together"

mkdir "$tmp/empty"
run_report --format json "$tmp/empty"
is "$rc" 0 "an empty directory: exit status 0"
grep_ok "$tmp/err" "no memaudit.\*.log files" "...with a warning"

done_testing
