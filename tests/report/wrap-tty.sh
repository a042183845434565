#!/bin/sh
# On a terminal the text report wraps long lines at the terminal's width (TIOCGWINSZ on its
# output; COLUMNS, when set to a number, overrides it; 80 for a terminal without a size; never
# below 20) with a hanging indent, breaking only at spaces and never inside a path, a file:line or
# a function name: a token wider than the terminal stays whole on a line of its own. The report
# of a real program (longpath: a source path of more than 150 characters with spaces, long
# function names) on pseudo-terminals of set sizes (pty-run.py) is checked line by line against
# the same report in a pipe (wrap-check.py).
. "$top_srcdir/tests/report/report-lib.sh"

plan 18

command -v python3 >/dev/null 2>&1 || skip_all "python3 missing"
longpath_run || skip_all "longpath or the shim is not built"
is "$lp_status" 0 "longpath runs under the shim"
unset COLUMNS
pty_run="python3 $top_srcdir/tests/report/pty-run.py"
check="python3 $top_srcdir/tests/report/wrap-check.py"
func=lock_the_secret_key_material_of_the_session_with_a_name_long_enough_for_any_terminal
log=$(ls "$lp_dir"/memaudit.longpath.*.log)

run_report "$lp_dir"
cp "$tmp/out" "$tmp/pipe"
run_report --format json "$lp_dir"
# the texts that must never be broken
"$JQ" -r '.processes[0] | "(pid \(.pid), ppid \(.ppid))", (.findings[].frames[] |
	(.function // empty), (select(.file) | "\(.file):\(.line)",
	"\(.file | split("/") | last):\(.line)"))' "$tmp/out" | sort -u >"$tmp/tokens"
printf '%s\n' "$lp_prog" "$log" >>"$tmp/tokens"
file=$("$JQ" -r '.processes[0].findings[0].frames[0].file' "$tmp/out")

# tty WIDTH PTY_COLS NAME [VAR=VALUE...]: the report on a terminal of PTY_COLS columns (with the
# environment VAR=VALUE) into $tmp/tty, checked as wrapped at WIDTH: 2 tests
tty() {
	_w=$1 _cols=$2 _name=$3
	shift 3
	env "$@" $pty_run "$_cols" "$tmp/tty" "$report" "$lp_dir" 2>"$tmp/tty.err"
	is "$?" 0 "$_name: exit status 0"
	$check "$_w" "$tmp/tty" "$tmp/pipe" "$tmp/tokens" >"$tmp/check"
	is "$(grep -v '^wrapped ' "$tmp/check")" "" \
		"$_name: wrapped at $_w, hanging indent, no line wider unless one token, no token broken"
	wrapped=$(sed -n 's/^wrapped //p' "$tmp/check")
}

tty 72 72 "a 72-column terminal"
[ "${wrapped:-0}" -gt 10 ]
ok $? "...long lines were wrapped ($wrapped)"
cp "$tmp/tty" "$tmp/tty72"
w72=${wrapped:-0}
grep -q -x " *$(printf '%s' "$file:4" | sed 's/[].[*^$\\/]/\\&/g')" "$tmp/tty"
ok $? "...the file:line wider than the terminal stands whole on a line of its own"
grep -q -x " *$func" "$tmp/tty"
ok $? "...so does the function name"
grep -q -E '^   why: .{50,}' "$tmp/tty"
ok $((!$?)) "...the rule's explanation is wrapped"
grep -q -E '^          [a-z]' "$tmp/tty"
ok $? "...and continued under its text (hanging indent)"

tty 50 72 "COLUMNS=50 on a 72-column terminal" COLUMNS=50
[ "${wrapped:-0}" -gt "$w72" ]
ok $? "...COLUMNS overrides the terminal's width: more lines wrapped ($wrapped, not $w72)"

tty 72 72 "COLUMNS=wide (not a number) on a 72-column terminal" COLUMNS=wide
cmp -s "$tmp/tty" "$tmp/tty72"
ok $? "...the terminal's width"

tty 80 0 "a terminal without a size"

# the narrowest width: at 20 columns table cells are wider than the line, which is allowed
env COLUMNS=20 $pty_run 72 "$tmp/tty20" "$report" "$lp_dir" 2>/dev/null
env COLUMNS=5 $pty_run 72 "$tmp/tty5" "$report" "$lp_dir" 2>/dev/null
cmp -s "$tmp/tty5" "$tmp/tty20"
ok $? "COLUMNS=5 wraps as COLUMNS=20, the narrowest width"
[ "$(wc -l <"$tmp/tty20")" -gt "$(wc -l <"$tmp/tty72")" ]
ok $? "...which wraps more than 72 columns"

done_testing
