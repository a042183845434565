#!/bin/sh
# In a pipe or a file the text report writes every line whole, however long: a real program's
# stack frame whose source path has more than 150 characters (and spaces) keeps its file:line, a
# long function name stays in the call site table, the header keeps the program's and the log's
# paths. COLUMNS does not make a pipe wrap. (Before issue 11 every line was cut at 100 columns,
# and the golden tests failed in a deep build directory.)
. "$top_srcdir/tests/report/report-lib.sh"

plan 13

longpath_run || skip_all "longpath or the shim is not built"
is "$lp_status" 0 "longpath runs under the shim"
func=lock_the_secret_key_material_of_the_session_with_a_name_long_enough_for_any_terminal
caller=keep_a_secret_in_memory_that_never_reaches_swap
log=$(ls "$lp_dir"/memaudit.longpath.*.log)

run_report --format json "$lp_dir"
mv "$tmp/out" "$tmp/json"
jq_ok "$tmp/json" '.processes[0].findings[0].frames[0] | (.file | length > 150 and
	contains(" ") and endswith("/tests/report/longpath.c")) and .line == 4' \
	"the frame's source path: more than 150 characters, with spaces"
file=$("$JQ" -r '.processes[0].findings[0].frames[0].file' "$tmp/json")

unset COLUMNS
run_report "$lp_dir"
is "$rc" 0 "text report: exit status 0"
cp "$tmp/out" "$tmp/text"
grep -q -F -x "      #0 $func at $file:4 (longpath+0x$(
	"$JQ" -r '.processes[0].findings[0].frames[0].offset' "$tmp/json" | awk '{ printf "%x", $1 }'))" \
	"$tmp/text"
ok $? "the frame is one line: function, the whole file:line, module+offset"
grep -q -F "      #1 $caller at $file:16 (longpath+0x" "$tmp/text"
ok $? "...and its caller's"
grep -q -E "^   mlock +1 +64 +1 +[0-9.]+ [KMG]?i?B +- +$func longpath\.c:4$" "$tmp/text"
ok $? "the call site table keeps the long function name and file:line (the where column last)"
grep -q -F -x "     at $func longpath.c:4" "$tmp/text"
ok $? "a finding's place in the program, whole"
grep -q -F -x "== $lp_prog (pid $("$JQ" -r '.processes[0].pid' "$tmp/json"), ppid $(
	"$JQ" -r '.processes[0].ppid' "$tmp/json"))" "$tmp/text"
ok $? "the header names the program by its whole path"
grep -q -F -x "   log:     $log" "$tmp/text"
ok $? "...and the log"
whole_lines "$tmp/text" "$tmp/json" "every message and file:line whole on one line"
is "$(awk 'length > m { m = length } END { print (m > 200) }' "$tmp/text")" 1 \
	"lines longer than 200 columns are written whole"

COLUMNS=40 "$report" "$lp_dir" >"$tmp/columns" 2>/dev/null
cmp -s "$tmp/columns" "$tmp/text"
ok $? "COLUMNS=40 does not wrap a pipe"
"$report" -o "$tmp/file" "$lp_dir" 2>/dev/null
cmp -s "$tmp/file" "$tmp/text"
ok $? "-o FILE: the same whole lines"

done_testing
