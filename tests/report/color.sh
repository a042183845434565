#!/bin/sh
# memaudit-report colours severities and rule names in the text report only when it is wanted:
# --color=auto (the default) when standard output is a terminal (a pty from util-linux script(1)
# here), not with -o FILE, not with NO_COLOR set to a non-empty value, not with TERM=dumb;
# --color=always and --color=never as they say (always overrides NO_COLOR). Colour changes nothing
# else: without the escape codes the text is the same (on a terminal wide enough not to wrap), and
# on a narrow one every written line that opens a style closes it.
. "$top_srcdir/tests/report/report-lib.sh"

plan 20

basic=$(fixture basic.jsonl)
child=$(fixture exec-1.jsonl)
esc=$(printf '\033')
TERM=xterm
export TERM
unset NO_COLOR

# has_esc FILE: whether FILE holds an escape character
has_esc() {
	LC_ALL=C grep -q "$esc" "$1"
}

# strip FILE: FILE without SGR codes and carriage returns
strip() {
	LC_ALL=C sed "s/$esc\[[0-9;]*m//g" "$1" | tr -d '\r'
}

# on_pty OUT CMD...: run CMD with its standard output on a pseudo-terminal, into OUT
on_pty() {
	_out=$1
	shift
	script -qec "$*" /dev/null >"$_out" 2>&1 </dev/null
}

run_report --color=never "$basic" "$child"
cp "$tmp/out" "$tmp/plain"
has_esc "$tmp/plain"
ok $((!$?)) "--color=never: no escape codes"
run_report "$basic" "$child"
has_esc "$tmp/out"
ok $((!$?)) "to a file or pipe (not a terminal): no escape codes"

if ! command -v script >/dev/null 2>&1 || ! script -qec true /dev/null >/dev/null 2>&1 </dev/null
then
	for t in 1 2 3 4 5 6 7 8 9 10 11; do skip "script(1) cannot make a terminal here"; done
else
	COLUMNS=30 on_pty "$tmp/narrow" "'$report' '$basic' '$child'"
	LC_ALL=C awk -v e="$esc" '{ n = gsub(e "\\[[0-9;]*[1-9][0-9;]*m", "&"); r = gsub(e "\\[0m", "&") }
		n != r { bad = 1 } END { exit bad }' "$tmp/narrow"
	ok $? "a 30-column terminal: every wrapped line closes the styles it opens"
	COLUMNS=1000 on_pty "$tmp/tty" "'$report' '$basic' '$child'"
	has_esc "$tmp/tty"
	ok $? "on a terminal: escape codes"
	strip "$tmp/tty" >"$tmp/tty.text"
	cmp -s "$tmp/tty.text" "$tmp/plain"
	ok $? "...and nothing else differs (a terminal wide enough not to wrap)"
	grep_ok "$tmp/tty" "^   ${esc}\[1mlock-freed${esc}\[0m \[${esc}\[1;31merror${esc}\[0m\]: 1 time" \
		"the rule name is bold, the severity red"
	grep_ok "$tmp/tty" "\[${esc}\[1;35mwarning${esc}\[0m\]" "warnings magenta"
	grep_ok "$tmp/tty" "^   1000 app --secret: ${esc}\[1;31m3 errors${esc}\[0m, ${esc}\[1;35m4 w" \
		"the process tree's counts by severity"
	# every coloured piece is a severity, a count of one, or a rule name
	LC_ALL=C grep -o "$esc\[[0-9;]*m[^$esc]*$esc\[0m" "$tmp/tty" |
		LC_ALL=C sed "s/$esc\[[0-9;]*m//g" | sort -u >"$tmp/pieces"
	LC_ALL=C grep -v -E '^(error|warning|note|[0-9]+ (error|warning|note)s?|[a-z]+(-[a-z]+)+)$' \
		"$tmp/pieces" >"$tmp/other"
	is "$(cat "$tmp/other")" "" "only severities and rule names are coloured"

	NO_COLOR=1 on_pty "$tmp/tty" "'$report' '$basic'"
	has_esc "$tmp/tty"
	ok $((!$?)) "NO_COLOR=1 on a terminal: no escape codes"
	NO_COLOR= on_pty "$tmp/tty" "'$report' '$basic'"
	has_esc "$tmp/tty"
	ok $? "an empty NO_COLOR does not count"
	TERM=dumb on_pty "$tmp/tty" "'$report' '$basic'"
	has_esc "$tmp/tty"
	ok $((!$?)) "TERM=dumb on a terminal: no escape codes"
	on_pty "$tmp/tty" "'$report' -o '$tmp/file' '$basic'"
	has_esc "$tmp/file"
	ok $((!$?)) "-o FILE from a terminal: no escape codes in FILE"
fi

NO_COLOR=1 run_report --color=always "$basic" "$child"
has_esc "$tmp/out"
ok $? "--color=always overrides NO_COLOR (an explicit request)"
NO_COLOR=1 "$report" --color "$basic" >"$tmp/out" 2>&1
has_esc "$tmp/out"
ok $? "a bare --color is always"
run_report --color=always -o "$tmp/file" "$basic"
has_esc "$tmp/file"
ok $? "--color=always -o FILE colours FILE"
run_report --color=always --format json "$basic"
has_esc "$tmp/out"
ok $((!$?)) "JSON is never coloured"

run_report --color=sometimes "$basic"
is "$rc" 2 "--color=sometimes: exit status 2"
is "$(wc -l <"$tmp/err" | tr -d ' ')" 2 "...one line and the --help hint"

# a log's own escape characters never reach the terminal, colour or not
run_report --color=always "$(fixture hostile.jsonl)"
LC_ALL=C sed "s/$esc\[[0-9;]*m//g" "$tmp/out" >"$tmp/hostile"
has_esc "$tmp/hostile"
ok $((!$?)) "no escape character from a hostile log"

done_testing
