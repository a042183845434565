#!/bin/sh
# Paths and arguments that are not UTF-8, and text that could fool a terminal (issue 10, item 16):
# a program run from a directory whose name has the byte 0xff, with an argument holding U+202E
# (RIGHT-TO-LEFT OVERRIDE) and one holding 0xff. The log keeps every byte (a byte that is not UTF-8
# is the code point U+10FF00 + byte, docs/log-format.md), the JSON report gives them back the same
# way, the report finds the program's symbols at its non-UTF-8 path, and the text and HTML reports
# show no raw control or bidirectional character.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
tmpdir

dir=$T/$(printf 'd\377ir')
mkdir "$dir" "$T/logs"
cp "$PROGS/lock_loop" "$dir/lock_loop"
rlo=$(printf '\342\200\256')   # U+202E in UTF-8
esc=$(printf '\033')
arg1="evil${rlo}txt.exe"
arg2=$(printf 'x\377y')
run_shimmed "$T/logs" "$dir/lock_loop" 2 "$arg1" "$arg2" >/dev/null 2>"$T/err"
is "$?" 0 "a program in a directory named with byte 0xff runs under the shim"
the_log "$T/logs" || { diag_file "$T/err"; done_testing; }

# cps STRING: the code points the log and the JSON report hold for STRING, one per line: its UTF-8
# characters as they are, each byte that is not UTF-8 as U+10FF00 + byte (STRING here has only
# ASCII, U+202E and lone 0xff bytes).
cps() {
	printf '%s' "$1" | od -An -v -tu1 | tr -s ' ' '\n' | sed '/^$/d' | awk '
		$1 == 226 { pending = 1; next }             # e2 80 ae: U+202E
		pending && $1 == 128 { next }
		pending && $1 == 174 { print 8238; pending = 0; next }
		$1 >= 128 { print 1113856 + $1; next }
		{ print $1 }'
}

is "$(log_jq "$log" '.[0].exe | explode[]')" "$(cps "$dir/lock_loop")" \
	"the log's exe: 0xff is U+10FFFF, the rest as it was"
is "$(log_jq "$log" '[.[] | select(.type == "module")][0].path | explode[]')" "$(cps "$dir/lock_loop")" \
	"...and so is the module path"
is "$(log_jq "$log" '.[0].argv[2] | explode[]')" "$(cps "$arg1")" "argv with U+202E is kept"
is "$(log_jq "$log" '.[0].argv[3] | explode[]')" "$(cps "$arg2")" "argv with 0xff is kept"

report_json "$T/logs" >"$T/r.json" 2>"$T/r.err"
jq_is "$T/r.json" '.processes[0].exe | explode[]' "$(cps "$dir/lock_loop")" \
	"the JSON report's exe has the same code points"
jq_is "$T/r.json" '.processes[0].argv[3] | explode[]' "$(cps "$arg2")" \
	"...and so has its argv"
jq_is "$T/r.json" '.processes[0].argv[2]' "$arg1" "...and argv with U+202E is that text exactly"
if command -v python3 >/dev/null 2>&1; then
	# The convention undone: the exact bytes of the program's path and arguments.
	python3 - "$T/r.json" "$dir/lock_loop" "$arg2" >"$T/py" 2>&1 <<'PY'
import json, os, sys
def to_bytes(s):
    return b"".join(bytes([ord(c) - 0x10FF00]) if 0x10FF80 <= ord(c) <= 0x10FFFF
                    else c.encode("utf-8") for c in s)
p = json.load(open(sys.argv[1]))["processes"][0]
assert to_bytes(p["exe"]) == os.fsencode(sys.argv[2]), p["exe"]
assert to_bytes(p["argv"][3]) == os.fsencode(sys.argv[3]), p["argv"]
print("same bytes")
PY
	is "$(cat "$T/py")" "same bytes" "decoded, the JSON report gives the exact bytes back"
else
	skip "decoded, the JSON report gives the exact bytes back" "python3 not found"
fi
jq_ok "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock") | .frames[0]
	| select(.function == "main" and (.file | endswith("lock_loop.c")))] | length == 1' \
	"the program's symbols are found at its non-UTF-8 path"

"$MEMAUDIT_REPORT" --format text --color=never "$T/logs" >"$T/r.txt" 2>&1
# no_raw FILE WHAT NAME: FILE does not hold the bytes WHAT.
no_raw() {
	if LC_ALL=C grep -q -F -e "$2" "$1"; then
		fail "$3" "$(LC_ALL=C grep -F -e "$2" "$1" | head -3 | od -c | head -5)"
	else
		pass "$3"
	fi
}
no_raw "$T/r.txt" "$rlo" "the text report has no raw U+202E"
no_raw "$T/r.txt" "$(printf '\377')" "...no raw byte 0xff"
no_raw "$T/r.txt" "$esc" "...and no escape character"
if grep -q -F "argv:    $dir/lock_loop" "$T/r.txt"; then
	fail "the text report shows ? for what it neutralised" "$(grep argv: "$T/r.txt")"
elif grep -q -F "evil?txt.exe x?y" "$T/r.txt"; then
	pass "the text report shows ? for what it neutralised"
else
	fail "the text report shows ? for what it neutralised" "$(grep argv: "$T/r.txt")"
fi

"$MEMAUDIT_REPORT" --format html -o "$T/r.html" "$T/logs" 2>/dev/null
no_raw "$T/r.html" "$rlo" "the HTML report has no raw U+202E"
no_raw "$T/r.html" "$(printf '\377')" "...and no raw byte 0xff"
done_testing
