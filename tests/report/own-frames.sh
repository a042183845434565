#!/bin/sh
# The text report symbolizes a call site's stack only up to the frame its "where" column shows
# (the program's own; issue 13: a make -j2 under the launcher spent most of its report loading the
# C library's compressed DWARF for frames nobody printed). The modules of the other frames are
# still checked: a C library whose build id differs from the log's still gets its note, the same
# notes as the JSON report (which symbolizes every frame), and the rows are unchanged.
. "$top_srcdir/tests/report/report-lib.sh"

plan 6

bin=$top_builddir/tests/report
[ -x "$bin/inlineprog" ] || bail_out "inlineprog not built"
[ -r "${MEMAUDIT_SHIM:-}" ] || skip_all "the shim is not built"

prog=$tmp/prog
cp "$bin/inlineprog" "$prog"
mkdir "$tmp/logs"
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/logs" "$prog" >"$tmp/run.out" 2>&1
is "$?" 0 "inlineprog runs under the shim"
# its findings left out: the site's stack is then only the call site table's
grep -v '"type":"finding_' "$(ls "$tmp"/logs/*.log | head -n 1)" >"$tmp/sites.log"
log=$tmp/sites.log

# notes LOG: the notes of the JSON report of LOG, one a line
notes() {
	run_report --format json "$1"
	"$JQ" -r '.processes[0].notes[]' "$tmp/out"
}

# the C library (only in the frames after the program's own: __libc_start_call_main) changed
sed 's/\("path":"[^"]*libc\.so\.6","base":[0-9]*,"build_id":"\)[0-9a-f]*"/\1feedfacefeedfacefeedfacefeedfacefeedface"/' \
	"$log" >"$tmp/changed.log"
notes "$tmp/changed.log" >"$tmp/json.notes"
grep_ok "$tmp/json.notes" "libc\.so\.6: the binary changed since the run" \
	"the log's C library has another build id: the JSON report says so"
run_report "$tmp/changed.log"
is "$rc" 0 "text report: exit status 0"
cp "$tmp/out" "$tmp/changed.txt"
grep_ok "$tmp/changed.txt" "libc\.so\.6: the binary changed since the run" \
	"...and so does the text report, which does not symbolize that frame"
n=0
while IFS= read -r note; do
	grep -qF -- "$note" "$tmp/changed.txt" || n=$((n + 1))
done <"$tmp/json.notes"
is "$n" 0 "every note of the JSON report is in the text report"

# the site rows: the same as with the log's own C library
run_report "$log"
grep '^   mlock ' "$tmp/out" >"$tmp/a.rows"
grep '^   mlock ' "$tmp/changed.txt" >"$tmp/b.rows"
test -s "$tmp/a.rows" && cmp -s "$tmp/a.rows" "$tmp/b.rows"
ok "$?" "the site rows do not depend on the frames after the program's own"

done_testing
