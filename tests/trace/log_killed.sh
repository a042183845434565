#!/bin/sh
# A traced program killed by SIGKILL (trace_misc sigkill): its memaudit log has its mlock and no
# exit record, and memaudit-report reads it as incomplete, with all it holds, as for a process
# killed under the preload library; the supervisor exits with 128+9.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup lockable
run_logged "$T/logs" "$PROGS/trace_misc" sigkill >"$T/out" 2>"$T/err"
is "$?" 137 "exit status 128+9"
the_log "$T/logs"
is "$(log_jq "$log" '[.[] | select(.type == "exit")] | length')" 0 "no exit record"
"$MEMAUDIT_REPORT" --format json "$T/logs" >"$T/r.json"
jq_is "$T/r.json" '.processes[0] | "\(.complete) \(.frontend)"' "false trace" "the report: incomplete, traced"
is "$(site_frame0 "$T/r.json" mlock)" "main $(site "$top_srcdir/tests/progs/trace_misc.c" 'trace_misc: sigkill mlock')" \
	"...with its mlock, at the line of the call"
done_testing
