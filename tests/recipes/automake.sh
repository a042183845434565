#!/bin/sh
# tests/recipes/automake.sh: docs/ci.md's automake recipe (memaudit.am, `make check-memaudit`) in
# the sample project: the gate fails on the test that frees a still-locked block, with the report
# in that test's log, passes once it is fixed, follows MEMAUDIT_OPTS, and leaves `make check` as
# it was.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipes/lib.sh"

require_report
require_cmd autoreconf automake make cc
tmpdir
use_built_tools

isnt "$(recipe memaudit.am)" "" "docs/ci.md has the memaudit.am recipe"
sample "$T/p"
ok "the recipe reads MEMAUDIT_OPTS" grep -q '^MEMAUDIT_OPTS = ' "$T/p/memaudit.am"
cd "$T/p" || exit 1

if (autoreconf -fi && ./configure && make) >"$T/build.log" 2>&1; then
	pass "the sample project builds with the recipe included (autoreconf, configure, make)"
else
	fail "the sample project builds with the recipe included (autoreconf, configure, make)"
	diag_file "$T/build.log" 60
	done_testing
fi

# result TEST: automake's result for the sample's TEST in the last run.
result() { sed -n 's/^:test-result: *//p' "$1.trs" 2>/dev/null; }

make check >"$T/check.log" 2>&1
is "$?" 0 "make check (without the recipe's target) passes: the recipe changes nothing there"

make check-memaudit >"$T/cm.log" 2>&1
st=$?
isnt "$st" 0 "make check-memaudit fails: one test misuses mlock"
case $(result bad) in
FAIL | ERROR) pass "the bad test fails (FAIL, or ERROR for status 99)" ;;
*) fail "the bad test fails (FAIL, or ERROR for status 99)" "result: $(result bad)" ;;
esac
is "$(result good)" PASS "the good test passes under memaudit"
ok "the bad test's log holds the report: lock-freed at bad.c" \
	sh -c 'grep -q "lock-freed" bad.log && grep -q "bad\.c:[0-9]" bad.log'
ok "test-suite.log names the bad test" grep -Eq '^(FAIL|ERROR): bad' test-suite.log

make check-memaudit MEMAUDIT_OPTS='--policy audit' >"$T/audit.log" 2>&1
is "$?" 0 "make check-memaudit MEMAUDIT_OPTS='--policy audit' passes (findings logged, no gate)"
ok "... and the report is still in the bad test's log" grep -q "lock-freed" bad.log

cp good.c bad.c
make check-memaudit >"$T/fixed.log" 2>&1
st=$?
is "$st" 0 "with the bad test fixed, make check-memaudit passes"
[ "$st" = 0 ] || diag_file "$T/p/test-suite.log" 40
is "$(result bad)" PASS "the fixed test passes under memaudit"

done_testing
