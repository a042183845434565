#!/bin/sh
# memaudit-report: usage errors, unreadable files, input that is not a memaudit log and unknown
# versions exit with status 2 and one clear line naming the file.
. "$top_srcdir/tests/report/report-lib.sh"

plan 31

other=$(fixture other-format.jsonl)
run_report "$other"
is "$rc" 2 "another format: exit status 2"
is "$(cat "$tmp/err")" "memaudit-report: $other: not a memaudit log" "...with one clear line"
is "$(cat "$tmp/out")" "" "...and no report"

printf 'hello, world\n' >"$tmp/text.log"
run_report "$tmp/text.log"
is "$rc" 2 "a text file: exit status 2"
grep_ok "$tmp/err" "text.log: not a memaudit log$" "...not a memaudit log"

: >"$tmp/empty.log"
run_report "$tmp/empty.log"
is "$rc" 2 "an empty file: exit status 2"

head -c 4096 /dev/urandom >"$tmp/random.log"
run_report "$tmp/random.log"
is "$rc" 2 "random bytes: exit status 2"

printf '{"type":"event","op":"mlock"}\n{"type":"header","format":"memaudit-log","version":1}\n' \
	>"$tmp/noheader.log"
run_report "$tmp/noheader.log"
is "$rc" 2 "a header that is not the first line: exit status 2"

v2=$(fixture version99.jsonl)
run_report "$v2"
is "$rc" 2 "version 99: exit status 2"
is "$(cat "$tmp/err")" \
	"memaudit-report: $v2: unsupported log version 99 (this memaudit-report reads versions 1 to 3)" \
	"...names the version"

run_report "$tmp/does-not-exist.log"
is "$rc" 2 "a missing file: exit status 2"
is "$(cat "$tmp/err")" "memaudit-report: $tmp/does-not-exist.log: No such file or directory" \
	"...names the file and the error"

cp "$(fixture clean.jsonl)" "$tmp/secret.log"
chmod 000 "$tmp/secret.log"
if cat "$tmp/secret.log" >/dev/null 2>&1; then
	skip "an unreadable file (running as root)"
	skip "an unreadable file (running as root)"
else
	run_report "$tmp/secret.log"
	is "$rc" 2 "an unreadable file: exit status 2"
	grep_ok "$tmp/err" "secret.log: Permission denied$" "...names the file and the error"
fi

# one bad input among good ones: status 2, the good ones are still reported
run_report --format json "$(fixture clean.jsonl)" "$v2"
is "$rc" 2 "a good and a bad log: exit status 2"
jq_ok "$tmp/out" '.processes | length == 1' "...the good one is still reported"

# usage
run_report
is "$rc" 2 "no operand: exit status 2"
grep_ok "$tmp/err" "no log file or directory given" "...says what is missing"
run_report --format sarif "$(fixture clean.jsonl)"
is "$rc" 0 "--format sarif: exit status 0 for a clean log"
jq_ok "$tmp/out" '.version == "2.1.0" and .runs[0].results == []' "...and a SARIF log without results"
run_report --format html "$(fixture clean.jsonl)"
is "$rc" 0 "--format html: exit status 0 for a clean log (html.sh tests the page)"
run_report --format yaml "$(fixture clean.jsonl)"
is "$rc" 2 "an unknown format: exit status 2"
run_report --fail-on critical "$(fixture clean.jsonl)"
is "$rc" 2 "an unknown --fail-on: exit status 2"
run_report --bogus "$(fixture clean.jsonl)"
is "$rc" 2 "an unknown option: exit status 2"
grep_ok "$tmp/err" "unknown option '--bogus'" "...names the option"
run_report "$(fixture clean.jsonl)" --format
is "$rc" 2 "an option without its argument: exit status 2"
run_report --help
is "$rc" 0 "--help: exit status 0"
grep_ok "$tmp/out" "^Usage: memaudit-report" "--help prints the usage on stdout"
run_report --version
grep_ok "$tmp/out" "^memaudit-report \(memaudit\) [0-9]" "--version prints the version"

# -o FILE
run_report --format json -o "$tmp/report.json" "$(fixture clean.jsonl)"
jq_ok "$tmp/report.json" '.processes[0].pid == 1100' "-o writes the report to FILE"
run_report -o "$tmp/no/such/dir/report" "$(fixture clean.jsonl)"
is "$rc" 2 "-o into a missing directory: exit status 2"

done_testing
