#!/bin/sh
# The supervisor killed with SIGKILL: the traced program dies too (PTRACE_O_EXITKILL; without a
# tracer its traced calls would fail with ENOSYS), within a bounded time, and no process is left.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
# alive PID: PID exists and is not a zombie
alive() {
	[ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^Z'
}
$bound "$MEMAUDIT_TRACE" --dump "$T/dump" -- "$PROGS/trace_misc" hang "$T/pid" >"$T/out" 2>"$T/err" &
sup=$!
# the supervisor itself (timeout(1) runs it as a child when bounded)
wait_for 20 test -s "$T/pid"
tracee=$(cat "$T/pid" 2>/dev/null)
isnt "$tracee" "" "the traced program started"
supervisor=$(pgrep -P "$sup" -x memaudit-trace 2>/dev/null || echo "$sup")
[ -n "$bound" ] || supervisor=$sup
ok "the traced program runs" alive "$tracee"
kill -KILL "$supervisor"
if wait_for 10 eval '! alive "$tracee"'; then
	pass "the traced program is gone within 10 s of the supervisor's SIGKILL"
else
	fail "the traced program is gone within 10 s of the supervisor's SIGKILL" "$(cat "/proc/$tracee/status" 2>&1 | head -5)"
	kill -KILL "$tracee" 2>/dev/null
fi
wait "$sup" 2>/dev/null
is "$(pgrep -f "$T/pid" | wc -l | tr -d ' ')" 0 "no process of the test left"
done_testing
