#!/bin/sh
# The stack of a warn-policy line on stderr names the functions that only the executable's symbol
# table knows (a static function, main), as the report does; a stripped copy of the program gets
# module+offset frames and runs as before.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
tmpdir
mkdir "$T/logs"

# "    at F (static_lock+0x..) <- main (static_lock+0x..) <- ...": F may carry a suffix of gcc's
# (lock_secret.constprop.0 at -O2): the symbol table's name is the clone's.
hex='\(static_lock\+0x[0-9a-f]+\)'
run_shimmed "$T/logs" MEMAUDIT_POLICY=warn "$PROGS/static_lock" >"$T/out" 2>"$T/err"
is "$?" 0 "warn: exit status 0"
is "$(grep -c '^memaudit\[[0-9]*\]: warning: lock-heap: ' "$T/err")" 1 "warn: one lock-heap line"
grep -A1 'warning: lock-heap' "$T/err" | sed -n 2p >"$T/at"
# at_ok FILE ERE NAME: the stack line in FILE matches ERE.
at_ok() {
	ok "$3" grep -Eq "$2" "$1" || diag_file "$T/err"
}
at_ok "$T/at" "^    at lock_secret(\.[a-z]+\.[0-9]+)* $hex <- main $hex( <- |$)" \
	"warn: the stack names the static function and main, with module and offset"

if [ -n "$MEMAUDIT_REPORT" ] && [ -x "$MEMAUDIT_REPORT" ]; then
	report_json "$T/logs" >"$T/r.json" 2>"$T/r.err"
	fn_off=$(sed -n 's/^    at \([^ ]*\) (static_lock+\(0x[0-9a-f]*\)).*/\1 \2/p' "$T/at")
	jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "lock-heap") | .frames[0] |
		"\(.function) \(.offset)"][0]' "${fn_off% *} $((${fn_off#* }))" \
		"the report names the same function at the same offset"
else
	skip "the report names the same frame" "memaudit-report is not built"
fi

if command -v strip >/dev/null 2>&1 && cp "$PROGS/static_lock" "$T/stripped" &&
	strip "$T/stripped"; then
	rm -rf "$T/logs"/*
	run_shimmed "$T/logs" MEMAUDIT_POLICY=warn "$T/stripped" >"$T/out" 2>"$T/err"
	is "$?" 0 "stripped: exit status 0"
	grep -A1 'warning: lock-heap' "$T/err" | sed -n 2p >"$T/at"
	at_ok "$T/at" '^    at \(stripped\+0x[0-9a-f]+\) <- \(stripped\+0x[0-9a-f]+\)' \
		"stripped: module and offset only"
else
	skip "a stripped copy" "strip(1) is not installed"
fi
done_testing
