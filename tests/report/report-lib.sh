# report-lib.sh: sourced by the tests/report/*.sh TAP tests of memaudit-report and memaudit.
#
# The test environment (tests/Makefile.am, AM_TESTS_ENVIRONMENT) gives MEMAUDIT_REPORT,
# MEMAUDIT_LAUNCHER, JQ, top_srcdir and top_builddir. Each test: plan N, then ok/is/jq_ok lines.

fixtures=$top_srcdir/tests/report/fixtures
report=$MEMAUDIT_REPORT
tap_count=0
tap_failed=0

# Never reach out for debug info from a test.
unset DEBUGINFOD_URLS

# skip_all REASON: the whole test is skipped.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# bail_out REASON: the test cannot run at all.
bail_out() {
	echo "Bail out! $1"
	exit 1
}

[ -n "${JQ:-}" ] || skip_all "jq missing"
[ -x "$report" ] || bail_out "memaudit-report not built: $report"

# A private scratch directory, removed at exit.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-report-test.XXXXXX") || bail_out "mktemp failed"
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# plan N: announce N tests.
plan() {
	echo "1..$1"
}

# ok STATUS NAME: a test that passed when STATUS is 0.
ok() {
	tap_count=$((tap_count + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_count - $2"
	else
		echo "not ok $tap_count - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# skip REASON: a test that cannot run here.
skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count # SKIP $1"
}

# is GOT WANT NAME: a test that GOT equals WANT.
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

# jq_ok FILE EXPR NAME: a test that jq's EXPR is true on the JSON in FILE.
jq_ok() {
	if "$JQ" -e "$2" "$1" >/dev/null 2>&1; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   jq -e '$2' is not true; jq says: $("$JQ" -c "$2" "$1" 2>&1 | head -c 300)"
	fi
}

# grep_ok FILE PATTERN NAME: a test that FILE has a line matching the extended regexp PATTERN.
grep_ok() {
	if grep -E -q -- "$2" "$1"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   no line of $1 matches '$2'; it holds:"
		sed 's/^/#   | /' "$1" | head -20
	fi
}

# run_report ARGS...: run memaudit-report with ARGS; stdout in $tmp/out, stderr in $tmp/err, exit
# status in $rc.
run_report() {
	"$report" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# fixture NAME: the path of a fixture log.
fixture() {
	echo "$fixtures/$1"
}

# symprog_log OUT [SED_ARG...]: write to OUT the log of symbolize.jsonl.in for the symprog test
# program (no build id) with its stacks in symprog's functions, SED_ARGs (sed options such as
# -e EXPR) applied too. Returns 1, writing nothing, when symprog or nm is missing.
symprog_log() {
	_out=$1
	shift
	_prog=$top_builddir/tests/report/symprog
	[ -x "$_prog" ] && command -v nm >/dev/null 2>&1 || return 1
	nm "$_prog" >"$tmp/symprog.nm" || return 1
	_addr() {
		printf '%d' "0x$(awk -v f="$1" '$3 == f { print $1; exit }' "$tmp/symprog.nm")"
	}
	sed -e "s|@SYMPROG@|$_prog|g" -e "s|@BUILD_ID@|null|" \
	    -e "s|@LOCK@|$(($(_addr lock_secret) + 4))|" -e "s|@HIDE@|$(($(_addr hide_secret) + 4))|" \
	    -e "s|@HIDE_START@|$(_addr hide_secret)|" -e "s|@KEEP_START@|$(_addr keep_secret)|" \
	    -e "s|@KEEP_RET@|$(($(_addr keep_secret) + 5))|g" \
	    -e "s|@MAIN_RET@|$(($(_addr main) + 5))|g" \
	    "$@" "$fixtures/symbolize.jsonl.in" >"$_out"
}

# whole_lines TEXT JSON NAME: a test that every finding's message and every file:line of the
# frames the text report shows (the first 8 of each finding's stack) are whole on one line of the
# text report TEXT, reported as JSON in JSON: in a pipe no line is cut or wrapped.
whole_lines() {
	"$JQ" -r '.processes[].findings[] | (.message // empty),
		(.frames[:8][] | select(.file) | "\(.file):\(.line)")' "$2" | sort -u >"$tmp/whole.want"
	_missing=
	while IFS= read -r _l; do
		grep -q -F -- "$_l" "$1" || _missing="$_missing [$_l]"
	done <"$tmp/whole.want"
	if [ -s "$tmp/whole.want" ] && [ -z "$_missing" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   not whole on one line:${_missing:- (nothing to look for)}"
	fi
}

# longpath_run: run tests/report/longpath (a source path of more than 150 characters, long
# function names) as a copy in a directory of more than 150 characters with spaces in its name,
# under the shim, its log written there too. Sets lp_dir, lp_prog, lp_status; returns 1 when the
# program or the shim is missing.
longpath_run() {
	lp_dir="$tmp/a log directory with spaces/that is deep enough/to take any path/past 150 columns/in the text report"
	lp_prog=$lp_dir/longpath
	[ -x "$top_builddir/tests/report/longpath" ] && [ -r "${MEMAUDIT_SHIM:-}" ] || return 1
	mkdir -p "$lp_dir" && cp "$top_builddir/tests/report/longpath" "$lp_prog" || return 1
	env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$lp_dir" "$lp_prog" >/dev/null 2>&1
	lp_status=$?
}

# done_testing: exit with the TAP status.
done_testing() {
	[ "$tap_failed" -eq 0 ]
	exit $?
}
