#!/bin/sh
# Issue 10, item 13: 10,000 files planted at the predictable log names of a process (its pid, the
# suffixes .1 to .9999) do not stop it: after a few taken names the shim takes an unpredictable one
# (memaudit.<progname>.<pid>.<10 of [a-z0-9]>.log), and the planted files stay as they were.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

bounded 120
L=$T/l
mkdir "$L"
$bound sh -c '
	echo $$ >"$0/pid"
	: >"$1/memaudit.lock_loop.$$.log"
	i=1
	while [ $i -lt 10000 ]; do
		: >"$1/memaudit.lock_loop.$$.$i.log"
		i=$((i + 1))
	done
	exec env LD_PRELOAD="$2" MEMAUDIT_LOG_DIR="$1" "$3" 1' "$T" "$L" "$MEMAUDIT_SHIM" "$PROGS/lock_loop" \
	>"$T/out" 2>"$T/err"
is "$?" 0 "the program runs (125: it could not create a log)"
is "$(cat "$T/out")" "locked 1" "and makes its call"
pid=$(cat "$T/pid")
is "$(count_logs "$L")" 10001 "one log more than the 10,000 planted names"
log=$(find "$L" -type f -size +0 -name 'memaudit.*.log')
case $(basename "${log:-none}") in
memaudit.lock_loop.$pid.[a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9].log)
	pass "it has an unpredictable name: memaudit.lock_loop.$pid.<10 characters>.log" ;;
*) fail "it has an unpredictable name: memaudit.lock_loop.$pid.<10 characters>.log" "$log" ;;
esac
if [ -n "$log" ] && [ -f "$log" ]; then
	is "$(log_jq "$log" '"\(.[0].type) \(.[0].pid) \(.[-1].type)"')" "header $pid exit" \
		"it is the program's whole log"
fi
done_testing
