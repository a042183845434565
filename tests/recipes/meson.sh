#!/bin/sh
# tests/recipes/meson.sh: docs/ci.md's meson recipe (add_test_setup 'memaudit' and the
# memaudit_opts option) in the sample project, when meson and ninja are here: `meson test --setup
# memaudit` fails on the test that frees a still-locked block, with the report in its log, passes
# once it is fixed, follows -Dmemaudit_opts, and plain `meson test` is unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipes/lib.sh"

require_report
require_cmd meson ninja cc
tmpdir
use_built_tools

isnt "$(recipe meson.build)" "" "docs/ci.md has the meson.build recipe"
isnt "$(recipe meson_options.txt)" "" "docs/ci.md has the meson_options.txt recipe"
# The option's default is the automake recipe's MEMAUDIT_OPTS (one edit in each switches them).
is "$(recipe meson_options.txt | tr -d '\n' | sed -n "s/.*value: \[\([^]]*\)\].*/\1/p" | tr -d "'," )" \
	"$(recipe memaudit.am | sed -n 's/^MEMAUDIT_OPTS = //p')" \
	"memaudit_opts's default is the automake recipe's MEMAUDIT_OPTS"
sample "$T/p"
cd "$T/p" || exit 1
if (meson setup build && meson compile -C build) >"$T/build.log" 2>&1; then
	pass "the sample project builds with the recipe (meson setup, meson compile)"
else
	fail "the sample project builds with the recipe (meson setup, meson compile)"
	diag_file "$T/build.log" 60
	done_testing
fi

# result SETUP TEST: meson's result for TEST in the last run of SETUP (testlog[-SETUP].json).
result() {
	"$JQ" -r --arg t "$2" 'select(.name == $t) | .result' "build/meson-logs/testlog${1:+-$1}.json" 2>/dev/null
}

meson test -C build >"$T/plain.log" 2>&1
is "$?" 0 "meson test (without the setup) passes: the recipe changes nothing there"

meson test -C build --setup memaudit >"$T/m.log" 2>&1
isnt "$?" 0 "meson test --setup memaudit fails: one test misuses mlock"
case $(result memaudit bad) in
FAIL | ERROR) pass "the bad test fails (FAIL, or ERROR for status 99)" ;;
*) fail "the bad test fails (FAIL, or ERROR for status 99)" "result: $(result memaudit bad)" ;;
esac
is "$(result memaudit good)" OK "the good test passes under memaudit"
ok "the test log holds the report: lock-freed at bad.c" \
	sh -c 'grep -q "lock-freed" build/meson-logs/testlog-memaudit.txt &&
		grep -q "bad\.c:[0-9]" build/meson-logs/testlog-memaudit.txt'

meson configure build -Dmemaudit_opts=--policy,audit >"$T/conf.log" 2>&1
meson test -C build --setup memaudit >"$T/audit.log" 2>&1
is "$?" 0 "with -Dmemaudit_opts=--policy,audit it passes (findings logged, no gate)"
ok "... and the report is still in the test log" grep -q "lock-freed" build/meson-logs/testlog-memaudit.txt
meson configure build -Dmemaudit_opts=--fail-on,error >"$T/conf.log" 2>&1

cp good.c bad.c
meson test -C build --setup memaudit >"$T/fixed.log" 2>&1
st=$?
is "$st" 0 "with the bad test fixed, meson test --setup memaudit passes"
[ "$st" = 0 ] || diag_file "$T/fixed.log" 40
is "$(result memaudit bad)" OK "the fixed test passes under memaudit"

done_testing
