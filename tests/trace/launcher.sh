#!/bin/sh
# The launcher's choice of trace mode (issue 12, item 6): a static and a Go program are audited in
# trace mode by themselves, with one line saying so; --preload refuses the static one with the
# preload path's message; --trace on a dynamic program traces it; strict's replaced status comes
# from the supervisor; under another tracer trace mode cannot start: one line from the supervisor
# and exit status 2.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
require_launcher
static=$PROGS/trace_lock_static
if [ -x "$static" ]; then
	launch --format json -o "$T/s.json" -- "$static" 5
	is "$st" 0 "a static program: exit status 0"
	is "$(head -n 1 "$T/err")" "memaudit: $static is statically linked: auditing it in trace mode (--preload to refuse; limits in memaudit(1))" \
		"...one line says it is audited in trace mode"
	is "$(wc -l <"$T/err" | tr -d ' ')" 1 "...and only that line (the report went to the file)"
	jq_is "$T/s.json" '.processes[0] | "\(.frontend) \(.sites | map(select(.op == "mlock")) | .[0].calls)"' \
		"trace 5" "...its report: traced, its 5 mlock calls"
	launch --preload -- "$static" 5
	is "$st:$(cat "$T/err")" "126:memaudit: $static: is statically linked: the preload library cannot audit it (trace mode can: memaudit --trace)" \
		"--preload: the preload path's message, 126"
	launch --policy strict --format json -o "$T/strict.json" -- "$static" 5
	is "$st" 99 "strict: the supervisor exits with MEMAUDIT_EXITCODE for the command's findings"
	is "$(tail -n 1 "$T/err")" "memaudit: exit status 99: the strict policy replaced the command's exit status 0, for its findings at or above 'error' (MEMAUDIT_EXITCODE)" \
		"...and the launcher's last line says why"
	if command -v strace >/dev/null 2>&1; then
		(cd "$T/run" && $bound strace -f -o /dev/null env MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
			MEMAUDIT_TRACER="$MEMAUDIT_TRACE" "$MEMAUDIT_LAUNCHER" -- "$static" 5) >"$T/out" 2>"$T/err"
		st=$?
		is "$st" 2 "under strace: trace mode cannot start, exit status 2"
		ok "...the supervisor's one line says why and what to do" \
			grep -q '^memaudit-trace: the command is already being traced .*memaudit --preload$' "$T/err"
		is "$(wc -l <"$T/err" | tr -d ' ')" 2 "...after the launcher's choice, nothing else"
	else
		skip "under strace" "strace not found"
	fi
else
	skip "a static program" "no static C library (Debian libc6-dev)"
fi
launch --trace --format json -o "$T/d.json" -- "$PROGS/trace_lock" 5
is "$st:$(cat "$T/err")" "0:" "--trace on a dynamic program: no line, exit status 0"
jq_is "$T/d.json" '.processes[0].frontend' trace "...traced"
launch --format json -o "$T/p.json" -- "$PROGS/trace_lock" 5
jq_is "$T/p.json" '.processes[0].frontend' preload "without --trace, the dynamic C program is preloaded"
if command -v go >/dev/null 2>&1; then
	build_go_lock "$T/go_lock"
	launch --format json -o "$T/g.json" -- "$T/go_lock" 5
	is "$st" 0 "a Go program: exit status 0"
	is "$(head -n 1 "$T/err")" "memaudit: $T/go_lock is a Go program (its system calls bypass the C library): auditing it in trace mode (--preload to refuse; limits in memaudit(1))" \
		"...one line says it is audited in trace mode"
	jq_is "$T/g.json" '.processes[0].sites | map(select(.op == "mlock")) | .[0].calls' 5 "...its 5 mlock calls"
else
	skip "a Go program" "go not found (Debian package golang-go)"
fi
done_testing
