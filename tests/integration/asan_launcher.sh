#!/bin/sh
# The launcher with a program built with AddressSanitizer (issue 10, item 10). ASan refuses to
# start when its runtime is not first in the initial library list ("ASan runtime does not come
# first"), so `memaudit -- ASAN_PROGRAM` used to fail before main. The launcher keeps the library
# first (with libasan first instead, the program's mlock binds to ASan's, which does nothing, and
# the log has none of its calls) and sets ASAN_OPTIONS=verify_asan_link_order=0 before the user's
# own. The program then runs as it does without memaudit, and its calls are logged and reported.
# (tests/integration/asan.sh: the library's configuration under ASan, with libasan first.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
[ -n "$MEMAUDIT_LAUNCHER" ] && [ -x "$MEMAUDIT_LAUNCHER" ] ||
	skip_all "the launcher is not built (MEMAUDIT_LAUNCHER=$MEMAUDIT_LAUNCHER)"
tmpdir

prog=$T/lock_asan
${CC:-cc} -fsanitize=address -g -O0 -o "$prog" "$top_srcdir/tests/progs/lock_loop.c" \
	>"$T/cc.err" 2>&1 || skip_all "cannot build with -fsanitize=address: $(head -1 "$T/cc.err")"
ASAN_OPTIONS=detect_leaks=0 "$prog" 3 >"$T/plain.out" 2>"$T/plain.err"
plain=$?
[ "$plain" = 0 ] || skip_all "an ASan program does not run here: $(head -1 "$T/plain.err")"
# lock_loop never frees its blocks: leak detection is turned off, as a user of it would.
ASAN_OPTIONS=detect_leaks=0
export ASAN_OPTIONS

mkdir "$T/run" "$T/logs"
(cd "$T/run" && env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/logs" "$prog" 3) \
	>/dev/null 2>"$T/bare.err"
st=$?
isnt "$st" 0 "without the launcher, the shim first: ASan refuses to start (status $st)"
ok "...and says why" grep -q "ASan runtime does not come first" "$T/bare.err"
rm -f "$T/run"/memaudit.* "$T/logs"/*

(cd "$T/run" && env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
	"$MEMAUDIT_LAUNCHER" --log-dir "$T/logs" --format json -- "$prog" 3) >"$T/out" 2>"$T/err"
is "$?" "$plain" "memaudit -- ASAN_PROGRAM: the program's status"
same_file "$T/out" "$T/plain.out" "...its stdout"
if grep -q "does not come first" "$T/err"; then
	fail "...and ASan does not refuse to start" "$(grep "does not come first" "$T/err")"
else
	pass "...and ASan does not refuse to start"
fi
is "$(count_logs "$T/run")" 0 "no log in the working directory"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 3 \
		"...with the program's 3 mlock calls (the library comes before ASan)"
else
	skip "...with the program's 3 mlock calls" "no log"
fi
if "$JQ" -e '[.processes[].sites[] | select(.op == "mlock") | .calls] | add == 3' "$T/err" \
	>/dev/null 2>&1; then
	pass "the launcher reports the program's mlock calls"
else
	fail "the launcher reports the program's mlock calls" "$(head -3 "$T/err")"
fi
done_testing
