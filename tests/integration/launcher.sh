#!/bin/sh
# The launcher: `memaudit -- CMD ARGS...` runs CMD with the library preloaded (MEMAUDIT_LIBRARY
# names the built one, MEMAUDIT_REPORT the built report tool), exits with CMD's status, leaves
# CMD's stdout alone and prints the report of the run to stderr.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
[ -n "$MEMAUDIT_LAUNCHER" ] && [ -x "$MEMAUDIT_LAUNCHER" ] ||
	skip_all "the launcher is not built (MEMAUDIT_LAUNCHER=$MEMAUDIT_LAUNCHER)"
[ -n "$MEMAUDIT_REPORT" ] && [ -x "$MEMAUDIT_REPORT" ] ||
	skip_all "memaudit-report is not built (MEMAUDIT_REPORT=$MEMAUDIT_REPORT)"
tmpdir

mkdir "$T/run"
for status in 0 3 42; do
	(cd "$T/run" && env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
		"$MEMAUDIT_LAUNCHER" -- "$PROGS/exit_how" exit $status) >"$T/out" 2>"$T/err"
	is "$?" $status "memaudit -- exit_how exit $status: exits with $status"
	is "$(cat "$T/out")" "leaving by exit with $status" "stdout is the program's own"
	if grep -q mlock "$T/err"; then
		pass "a report naming the mlock call is on stderr"
	else
		fail "a report naming the mlock call is on stderr"
		diag_file "$T/err"
	fi
done

# Killed by a signal: the launcher's status says so the shell's way (128 + signal).
(cd "$T/run" && env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
	"$MEMAUDIT_LAUNCHER" -- "$PROGS/sigkill") >"$T/out" 2>"$T/err"
st=$?
ok "memaudit -- sigkill: a non-zero status (got $st)" test "$st" -ne 0
done_testing
