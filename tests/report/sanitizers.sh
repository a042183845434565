#!/bin/sh
# Every input case of the report tests, run through memaudit-report built with AddressSanitizer
# (leaks included) and UBSan (tools/memaudit-report-san, when configure found them): each
# tests/report/*.sh script runs again with MEMAUDIT_REPORT pointing to the sanitized tool, and
# must pass as it does with the normal one; any sanitizer report, even from a run whose result the
# script does not look at, fails. Then logs cut at many points, which the scripts do not try.
# Suppressions (tests/fuzz/lsan.supp) name only third-party frames.
. "$top_srcdir/tests/report/report-lib.sh"

san=$top_builddir/tools/memaudit-report-san
[ -x "$san" ] || skip_all "no sanitizer build of memaudit-report (configure: SAN_CFLAGS)"

# every test script; the libraries and golden-update.sh (which rewrites the expected outputs in
# the source tree) are not tests
scripts=$(cd "$top_srcdir/tests" && ls report/*.sh | grep -v -e report-lib.sh -e sanitizers.sh -e golden-lib.sh -e golden-update.sh)
plan $(($(echo "$scripts" | wc -l) + 2))

# The wrapper the scripts run as memaudit-report: the sanitized tool, its stderr passed on and
# also kept in $tmp/reports when it holds a sanitizer report. halt_on_error and the exit codes
# make an error visible even to a script that only looks at the output.
reports=$tmp/reports
: >"$reports"
cat >"$tmp/memaudit-report" <<EOF
#!/bin/sh
err=\$(mktemp "$tmp/err.XXXXXX") || exit 99
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86 \\
LSAN_OPTIONS=suppressions=$top_srcdir/tests/fuzz/lsan.supp:print_suppressions=0:exitcode=87 \\
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=88 \\
	"$san" "\$@" 2>"\$err"
st=\$?
cat "\$err" >&2
if grep -q -E 'Sanitizer|runtime error:' "\$err"; then
	{ echo "=== memaudit-report \$*"; cat "\$err"; } >>"$reports"
fi
rm -f "\$err"
exit \$st
EOF
chmod +x "$tmp/memaudit-report"

# sanitizer_reports NAME: one test, no sanitizer report since the last one.
sanitizer_reports() {
	if [ -s "$reports" ]; then
		ok 1 "$1"
		head -40 "$reports" | sed 's/^/#   /'
		: >"$reports"
	else
		ok 0 "$1"
	fi
}

for script in $scripts; do
	MEMAUDIT_REPORT=$tmp/memaudit-report sh "$top_srcdir/tests/$script" >"$tmp/tap" 2>&1
	st=$?
	failed=$(grep -c '^not ok' "$tmp/tap")
	if [ -s "$reports" ]; then
		sanitizer_reports "$script: no sanitizer report"
	elif [ "$st" -ne 0 ] || [ "$failed" -ne 0 ]; then
		ok 1 "$script: passes with the sanitized tool"
		grep -A3 '^not ok' "$tmp/tap" | head -20 | sed 's/^/#   /'
	else
		ok 0 "$script: passes with the sanitized tool, no sanitizer report"
	fi
done

# Logs cut at 25 places each (and one record corrupted at the same place): the reader stops in
# the middle of every kind of record.
for f in basic.jsonl whatif.jsonl hostile.jsonl; do
	size=$(wc -c <"$fixtures/$f")
	step=$((size / 25 + 1))
	cut=1
	while [ "$cut" -lt "$size" ]; do
		head -c "$cut" "$fixtures/$f" >"$tmp/cut.log"
		"$tmp/memaudit-report" --format json "$tmp/cut.log" >/dev/null 2>&1
		{ head -c "$cut" "$fixtures/$f"; printf '\001"}\n'; tail -c +"$((cut + 1))" "$fixtures/$f"; } \
			>"$tmp/cut.log"
		"$tmp/memaudit-report" "$tmp/cut.log" >/dev/null 2>&1
		cut=$((cut + step))
	done
done
sanitizer_reports "logs cut and corrupted at 25 places each: no sanitizer report"

# All fixtures at once, and the fuzzer's regression inputs, in both formats.
"$tmp/memaudit-report" --format json "$fixtures"/*.jsonl "$top_srcdir"/tests/fuzz/corpus/* \
	>/dev/null 2>&1
"$tmp/memaudit-report" "$fixtures"/*.jsonl "$top_srcdir"/tests/fuzz/corpus/* >/dev/null 2>&1
sanitizer_reports "all fixtures and fuzzer regression inputs together: no sanitizer report"

done_testing
