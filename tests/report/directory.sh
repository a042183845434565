#!/bin/sh
# memaudit-report DIR reads every memaudit.*.log in DIR (not recursively), like the launcher does.
. "$top_srcdir/tests/report/report-lib.sh"

plan 20

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

# Symbolic links in a log directory are not followed (issue 10, item 14): one planted to a file
# elsewhere (another user's private log, say) is not read, nor is one to a log in the directory
# (the library never makes links), nor a link to a directory; a log named on the command line
# may be a link: the user chose it.
d=$tmp/links
mkdir -p "$d" "$tmp/elsewhere/sub"
cp "$(fixture clean.jsonl)" "$d/memaudit.own.1100.log"
cp "$(fixture warnings.jsonl)" "$tmp/elsewhere/private.log"
cp "$(fixture basic.jsonl)" "$tmp/elsewhere/sub/memaudit.app.1000.log"
ln -s "$tmp/elsewhere/private.log" "$d/memaudit.planted.1200.log"
ln -s memaudit.own.1100.log "$d/memaudit.inside.1100.1.log"
ln -s "$tmp/elsewhere/sub" "$d/memaudit.dir.1.log"
run_report --format json "$d"
is "$rc" 0 "a directory with links: exit status 0"
jq_ok "$tmp/out" '[.processes[].pid] == [1100]' "only the regular file in it is read"
grep_ok "$tmp/err" "memaudit.planted.1200.log: warning: a symbolic link, not followed, skipped$" \
	"a link to a file outside: skipped with a warning"
grep_ok "$tmp/err" "memaudit.inside.1100.1.log: warning: a symbolic link, not followed, skipped$" \
	"a link to a log inside: skipped too"
grep_ok "$tmp/err" "memaudit.dir.1.log: warning: a symbolic link, not followed, skipped$" \
	"a link to a directory: skipped"
run_report --format text "$d"
grep -q "/nonexistent/fixture/warn" "$tmp/out"
is "$?" 1 "the text report has nothing of the linked file"
run_report --format json "$d/memaudit.planted.1200.log"
jq_ok "$tmp/out" '[.processes[].pid] == [1200]' "a link named on the command line is read"
ln -s "$d" "$tmp/linkdir"
run_report --format json "$tmp/linkdir"
jq_ok "$tmp/out" '[.processes[].pid] == [1100]' "a directory named through a link is read, its links are not"
rm "$d/memaudit.planted.1200.log" "$d/memaudit.inside.1100.1.log" "$d/memaudit.dir.1.log"
ln -s "$(fixture version2.jsonl)" "$d/memaudit.v2.1.log"
run_report --format json "$d"
is "$rc" 0 "a link to a log of an unknown version is not read: exit status 0"

# A directory without logs is what a broken preload leaves: an error, never a clean run (SPEC).
mkdir "$tmp/empty"
run_report --format json "$tmp/empty"
is "$rc" 2 "an empty directory: exit status 2"
is "$(cat "$tmp/err")" "memaudit-report: $tmp/empty: no memaudit logs in this directory (memaudit.*.log)" \
	"...with one line saying so"
: >"$tmp/empty/notes.txt"
: >"$tmp/empty/memaudit.txt"
run_report --format json "$tmp/empty"
is "$rc" 2 "a directory of files that are not logs: exit status 2"
run_report --format json "$tmp/empty" "$(fixture basic.jsonl)"
is "$rc" 2 "...also beside a log that is reported"
jq_ok "$tmp/out" '.processes | length == 1' "...which is still reported"

done_testing
