#!/bin/sh
# memaudit-trace's errors are one line each, with the exit status of a shell: a command that does
# not exist (127), one that cannot be executed (126), a command that is already being traced (run
# under strace -f: the supervisor cannot trace it, exit 1, and says what to do), ptrace or seccomp
# forbidden by a seccomp policy as in a container (exit 1, what to do), usage (2); and the
# command's own exit status or signal (128+N) passes through.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
MEMAUDIT_LOG_DIR=$T # the memaudit logs memaudit-trace writes without --dump
export MEMAUDIT_LOG_DIR
$bound "$MEMAUDIT_TRACE" -- "$T/no-such-command" >"$T/out" 2>"$T/err"
is "$?" 127 "a missing command: 127"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "one line"
ok "naming it" grep -q "no-such-command: No such file or directory" "$T/err"
printf 'not a program\n' >"$T/text"
chmod 644 "$T/text"
$bound "$MEMAUDIT_TRACE" -- "$T/text" >"$T/out" 2>"$T/err"
is "$?" 126 "a file that cannot be executed: 126"
"$MEMAUDIT_TRACE" >"$T/out" 2>"$T/err"
is "$?" 2 "no command: usage, 2"
"$MEMAUDIT_TRACE" --help >"$T/out" 2>"$T/err"
is "$?" 0 "--help: 0"
ok "--help: the usage on standard output" grep -q '^usage: memaudit-trace' "$T/out"
$bound "$MEMAUDIT_TRACE" -- sh -c 'exit 3' 2>"$T/err"
is "$?" 3 "the command's exit status 3 passes through"
ok "silently" test ! -s "$T/err"
$bound "$MEMAUDIT_TRACE" -- sh -c 'kill -TERM $$' 2>"$T/err"
is "$?" 143 "death by SIGTERM: 128+15"
ok "said in one line" grep -q 'killed by signal 15' "$T/err"
if command -v strace >/dev/null 2>&1; then
	$bound strace -f -o /dev/null "$MEMAUDIT_TRACE" -- "$PROGS/trace_lock" 1 >"$T/out" 2>"$T/err"
	is "$?" 1 "under strace -f: exit status 1"
	is "$(grep -c . "$T/err")" 1 "one line"
	ok "it says the command is already being traced, and what to do" \
		grep -q 'already being traced (by pid [0-9]*, strace).*--preload' "$T/err"
	is "$(cat "$T/out")" "" "the command did not run"
else
	skip "under strace -f" "strace not found"
fi
# denied WHAT PATTERN DESCRIPTION: memaudit-trace where a seccomp policy forbids WHAT
denied() {
	$bound "$PROGS/trace_deny" "$1" "$MEMAUDIT_TRACE" -- "$PROGS/trace_lock" 1 >"$T/out" 2>"$T/err"
	is "$?" 1 "$1 forbidden: exit status 1"
	is "$(grep -c . "$T/err")" 1 "$1 forbidden: one line"
	ok "$1 forbidden: $3" grep -q "$2" "$T/err"
	is "$(cat "$T/out")" "" "$1 forbidden: the command did not run"
}
denied ptrace 'ptrace is not permitted here (Operation not permitted): in a container, allow ptrace.*--preload' \
	"it says ptrace is not permitted, and what to do"
denied seccomp 'cannot install the seccomp filter (Invalid argument).*--preload' \
	"it says the filter cannot be installed, and what to do"
done_testing
