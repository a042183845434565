#!/bin/sh
# A fork/exec/posix_spawn tree under memaudit-trace (trace_tree): one memaudit log per process
# image, and memaudit-report's process tree links them: the forks under their parents (the fork
# child's log names its parent's), the exec'd image under the image it replaced, the posix_spawn'd
# program (vfork + exec) and its own fork child; each process's mlock in its own log; every exit
# status in its exit record.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup lockable
run_logged "$T/logs" "$PROGS/trace_tree" >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
pid_of() { sed -n "s/^$1 \([0-9]*\) .*/\1/p" "$T/out"; }
root=$(pid_of root) fork=$(pid_of fork) exec=$(pid_of exec) spawn=$(pid_of spawn) gc=$(pid_of grandchild)
is "$(count_logs "$T/logs")" 6 "six logs: five processes, one of them in two images"
"$MEMAUDIT_REPORT" --format json "$T/logs" >"$T/r.json"
jq_is "$T/r.json" '[.processes[] | .frontend] | unique | join(" ")' trace "all written by the supervisor"
jq_is "$T/r.json" '[.processes[] | .complete] | all' true "all complete"
jq_is "$T/r.json" ".processes[] | select(.pid == $root) | [.tree.children[] | \"\(.pid):\(.relation)\"] | sort | join(\" \")" \
	"$(printf '%s\n' "$fork:fork" "$exec:fork" "$spawn:fork" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" \
	"the root's children: the fork, the child that execs, the posix_spawn'd program"
jq_is "$T/r.json" "[.processes[] | select(.pid == $exec) | .tree.relation] | sort | join(\" \")" "exec fork" \
	"the exec'd child: two images, the second linked to the first by exec"
jq_is "$T/r.json" ".processes[] | select(.pid == $gc) | .tree.parent | test(\"\\\\.$spawn\\\\.log\$\")" true \
	"the grandchild under the posix_spawn'd program"
jq_is "$T/r.json" ".processes[] | select(.pid == $fork) | .parent_log | test(\"\\\\.$root\\\\.log\$\")" true \
	"the fork child's log names its parent's"
for p in "$fork:3" "$gc:6"; do
	jq_is "$T/r.json" ".processes[] | select(.pid == ${p%%:*}) | .exit_status" "${p#*:}" \
		"pid ${p%%:*}: exit status ${p#*:} in its exit record"
done
jq_is "$T/r.json" "[.processes[] | select(.pid == $exec) | .exit_status] | map(tostring) | join(\" \")" "null 4" \
	"the exec'd child: the first image ends at exec, the second with status 4"
jq_is "$T/r.json" "[.processes[] | select(.pid == $root) | .sites[] | select(.op == \"mlock\") | .calls] | add" 2 \
	"the root's log: its mlock and its thread's"
for p in $fork $gc; do
	jq_is "$T/r.json" "[.processes[] | select(.pid == $p) | .sites[] | select(.op == \"mlock\") | .calls] | add" 1 \
		"pid $p: its own mlock in its own log"
done
done_testing
