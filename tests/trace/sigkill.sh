#!/bin/sh
# A traced program killed by SIGKILL: the supervisor exits with 128+9, as the launcher does, says
# so in one line, and the dump records the call before and the death by signal 9.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
run_traced "$T/dump" "$PROGS/trace_misc" sigkill >"$T/out" 2>"$T/err"
is "$?" 137 "exit status 128+9"
is "$(cat "$T/out")" "mlock 0" "the program's output"
ok "one line on stderr says it was killed by signal 9" grep -q 'killed by signal 9' "$T/err"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "only that line"
djq_is "$T/dump" '[.[] | select(.call == "mlock")] | length' 1 "its mlock was seen"
djq_is "$T/dump" '.[] | select(.call == "mlock") | .ret' 0 "and returned 0"
is "$(frame0 "$T/dump" mlock)" "main $(site "$top_srcdir/tests/progs/trace_misc.c" 'trace_misc: sigkill mlock')" \
	"its stack starts at main, at the line of the call"
djq_is "$T/dump" '.[] | select(.event == "exit") | .signal' 9 "exit event: signal 9"
done_testing
