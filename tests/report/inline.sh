#!/bin/sh
# memaudit-report on a real run of an -O2 -g program whose mlock call is inlined twice
# (inlineprog.c: lock_page into protect into setup_secret): each inlined call is a frame of its own
# with its function and file:line, marked inlined, the function they were inlined into keeps the
# address. Then the binary is replaced by a rebuild (another build id, or none): its symbols are
# not trusted, its frames keep module and offset, and a note says the binary changed.
. "$top_srcdir/tests/report/report-lib.sh"

plan 19

src=$top_srcdir/tests/report/inlineprog.c
bin=$top_builddir/tests/report
[ -x "$bin/inlineprog" ] || bail_out "inlineprog not built"
[ -r "${MEMAUDIT_SHIM:-}" ] || skip_all "the shim is not built"

# line MARKER: the line of inlineprog.c that holds MARKER
line() {
	grep -n -F "$1" "$src" | sed -n '1s/:.*//p'
}

prog=$tmp/prog
cp "$bin/inlineprog" "$prog"
mkdir "$tmp/logs"
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/logs" "$prog" >"$tmp/run.out" 2>&1
is "$?" 0 "inlineprog runs under the shim"

run_report --format json "$tmp/logs"
is "$rc" 0 "memaudit-report: exit status 0"
cp "$tmp/out" "$tmp/r.json"
f='.processes[0].sites[] | select(.op == "mlock") | .frames'
jq_ok "$tmp/r.json" "[$f[0:4][] | .function] == [\"lock_page\", \"protect\", \"setup_secret\",
	\"main\"]" "one frame per inlined call: lock_page, protect, then setup_secret and main"
jq_ok "$tmp/r.json" "[$f[0:4][] | .inlined] == [true, true, null, null]" \
	"the inlined calls are marked, the others have no \"inlined\" key"
jq_ok "$tmp/r.json" "[$f[0:4][] | .file | endswith(\"/tests/report/inlineprog.c\")] | all" \
	"each with the source file"
is "$("$JQ" -r "[$f[0:4][] | .line] | map(tostring) | join(\" \")" "$tmp/r.json")" \
	"$(line @LOCK_PAGE) $(line @PROTECT) $(line @SETUP) $(line @MAIN)" \
	"...and the line: the mlock call, the call of lock_page, of protect, of setup_secret"
jq_ok "$tmp/r.json" "($f[0:3] | map(.offset) | unique | length) == 1 and
	($f[0:3] | map(.module) | unique) == [\"$prog\"]" \
	"the inlined frames have the module and offset of the function they are in"

if command -v addr2line >/dev/null 2>&1; then
	off=$("$JQ" -r "$f[2].offset" "$tmp/r.json")
	want=$(addr2line -i -f -e "$prog" "$(printf '%x' $((off - 1)))" |
		sed -n 'n; s/.*://; s/ .*//; p' | tr '\n' ' ')
	is "$("$JQ" -r "[$f[0:3][] | .line] | map(tostring) | join(\" \")" "$tmp/r.json") " \
		"$want" "the same chain as addr2line -i"
else
	skip "addr2line missing"
fi
jq_ok "$tmp/r.json" '.processes[0].notes == []' "no note: the binary is the one that ran"

run_report "$tmp/logs"
grep_ok "$tmp/out" "#0 lock_page at .*inlineprog.c:$(line @LOCK_PAGE) \(inlined\)$" \
	"text: the inlined frame with its file:line"
grep_ok "$tmp/out" "#2 setup_secret at .*inlineprog.c:$(line @SETUP) \(prog\+0x[0-9a-f]+\)$" \
	"text: the function it was inlined into, with the address"
grep_ok "$tmp/out" "^   mlock +1 +64 +1 +[0-9.]+ [KMG]?i?B +- +lock_page inlineprog.c:$(line @LOCK_PAGE)$" \
	"text: the site's where is the inlined call"

# the binary rebuilt since the run: another build id
cp "$bin/inlineprog-rebuilt" "$prog"
run_report --format json "$tmp/logs"
is "$rc" 0 "rebuilt binary: exit status 0"
jq_ok "$tmp/out" "[$f[] | select(.module == \"$prog\") | .function == null and .file == null
	and .line == null and (has(\"inlined\") | not)] | all" \
	"its frames keep module and offset only, no inlined frames"
jq_ok "$tmp/out" "[$f[] | select(.module == \"$prog\") | .offset] ==
	[$("$JQ" -r "[$f[] | select(.module == \"$prog\" and (.inlined | not)) | .offset] |
	map(tostring) | join(\",\")" "$tmp/r.json")]" "...the offsets of the run"
jq_ok "$tmp/out" "[$f[] | select(.module | tostring | endswith(\"libc.so.6\")) |
	.function != null] | all" "other modules are still symbolized"
jq_ok "$tmp/out" ".processes[0].notes | any(startswith(\"$prog: the binary changed since the run\")
	and test(\"build id differs\"))" "a note says the binary changed"

# rebuilt without a build id
cp "$bin/inlineprog-noid" "$prog"
run_report --format json "$tmp/logs"
jq_ok "$tmp/out" "[$f[] | select(.module == \"$prog\") | .function == null] | all" \
	"a binary without build id: no symbols"
jq_ok "$tmp/out" ".processes[0].notes | any(startswith(\"$prog: the binary changed since the run\")
	and test(\"no build id\"))" "...and a note says it changed"

done_testing
