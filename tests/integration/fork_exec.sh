#!/bin/sh
# fork, then exec in the child: one log per process image (the parent, the fork child, the image
# the child exec'd, whose log name takes the .1 suffix since it has the fork child's pid and
# program name). In the report the fork child's ppid is the parent's pid and the exec'd image has
# the fork child's pid; each image counts only its own mlock call.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

compare_runs "fork_exec" "$PROGS/fork_exec"
is "$shim_status" 0 "exit status 0 under the shim"
is "$(cat "$T/shim.out")" "child status=0" "the exec'd image exited 0"
parent=$(sed -n 's/^parent=\([0-9]*\) .*/\1/p' "$T/shim.err")
child=$(sed -n 's/.* child=\([0-9]*\)$/\1/p' "$T/shim.err")
if [ -z "$parent" ] || [ -z "$child" ]; then
	fail "the program printed its pids" "stderr: $(cat "$T/shim.err")"
	done_testing
fi
L=$T/cmp.logs

is "$(count_logs "$L")" 3 "three logs"
ok "the parent's log is memaudit.fork_exec.$parent.log" test -f "$L/memaudit.fork_exec.$parent.log"
ok "the fork child's log is memaudit.fork_exec.$child.log" test -f "$L/memaudit.fork_exec.$child.log"
ok "the exec'd image's log is memaudit.fork_exec.$child.1.log" test -f "$L/memaudit.fork_exec.$child.1.log"

plog=$L/memaudit.fork_exec.$parent.log
clog=$L/memaudit.fork_exec.$child.log
ilog=$L/memaudit.fork_exec.$child.1.log
if [ -f "$plog" ] && [ -f "$clog" ] && [ -f "$ilog" ]; then
	is "$(log_jq "$plog" '.[0] | "\(.pid) \(.parent_log)"')" "$parent null" "parent log header: pid, no parent_log"
	is "$(log_jq "$plog" '[.[] | select(.type == "event" and .op == "fork")] | map(.child) | join(" ")')" \
		"$child" "the parent's log has the fork event with the child's pid"
	is "$(log_jq "$plog" '.[-1] | "\(.type) \(.status)"')" "exit 0" "the parent's log ends with its exit record"
	is "$(log_jq "$clog" '.[0] | "\(.pid) \(.ppid) \(.parent_log)"')" \
		"$child $parent memaudit.fork_exec.$parent.log" \
		"fork child log header: its pid, the parent's pid as ppid, the parent's log as parent_log"
	is "$(log_jq "$clog" '[.[] | select(.type == "exit")] | length')" 0 \
		"the fork child's log has no exit record (the image was replaced)"
	is "$(log_jq "$clog" '[.[] | select(.type == "event")] | map("\(.seq):\(.op)") | join(" ")')" "1:mlock" \
		"the fork child's log has its own mlock only, numbered from 1"
	is "$(log_jq "$ilog" '.[0] | "\(.pid) \(.ppid) \(.argv[-1])"')" "$child $parent image" \
		"exec'd image log header: the fork child's pid, the parent as ppid, its own argv"
	is "$(log_jq "$ilog" '.[-1] | "\(.type) \(.status)"')" "exit 0" "the exec'd image's log ends with its exit record"
fi

if [ -z "$MEMAUDIT_REPORT" ] || [ ! -x "$MEMAUDIT_REPORT" ]; then
	skip "the report's process tree" "memaudit-report is not built"
elif make_report "$L" "$T/r.json" "memaudit-report --format json reads the three logs"; then
	jq_is "$T/r.json" '.processes | length' 3 "three processes"
	jq_is "$T/r.json" "[.processes[] | select(.pid == $parent)] | length" 1 "one process with the parent's pid"
	jq_is "$T/r.json" "[.processes[] | select(.pid == $child)] | length" 2 \
		"two process images with the fork child's pid (before and after exec)"
	jq_is "$T/r.json" "[.processes[] | select(.pid == $child) | .ppid] | unique | map(tostring) | join(\" \")" \
		"$parent" "the fork child's ppid is the parent's pid"
	jq_is "$T/r.json" "[.processes[] | select(.pid == $child and (.argv[-1] == \"image\"))] | length" 1 \
		"the exec'd image has the fork child's pid"
	jq_is "$T/r.json" "[.processes[] | select(.pid == $parent)][0] | \"\(.complete) \(.exit_status)\"" \
		"true 0" "the parent is complete, exit status 0"
	jq_is "$T/r.json" "[.processes[] | select(.pid == $child and .argv[-1] == \"image\")][0] | \"\(.complete) \(.exit_status)\"" \
		"true 0" "the exec'd image is complete, exit status 0"
	jq_is "$T/r.json" '[.processes[] | "\(.pid) \(.tree.relation) \(.tree.depth)"] | join(" ")' \
		"$parent root 0 $child fork 1 $child exec 2" \
		"the tree: the parent, its fork child, the image the child exec'd, in that order"
	jq_is "$T/r.json" '.processes[1].tree.parent == .processes[0].log and
		.processes[2].tree.parent == .processes[1].log' true "...each linked to its parent's log"
	"$MEMAUDIT_REPORT" "$L" >"$T/r.txt" 2>&1
	# each tree line reduced to its indentation, pid and relation
	is "$(sed -n -E '2,4{s/^( *[0-9]+) .* (\((fork|exec)\)).*$/\1 \2/p; t; s/^( *[0-9]+) .*/\1/p; }' "$T/r.txt")" \
		"$(printf '   %s\n     %s (fork)\n       %s (exec)' "$parent" "$child" "$child")" \
		"the text report starts with the process tree"
	for who in "$parent" "$child"; do
		jq_is "$T/r.json" "[.processes[] | select(.pid == $who) | [.sites[] | select(.op == \"mlock\") | .calls] | add] | map(tostring) | join(\" \")" \
			"$( [ "$who" = "$parent" ] && echo 1 || echo '1 1')" \
			"pid $who: each image counts only its own mlock call"
	done
fi
done_testing
