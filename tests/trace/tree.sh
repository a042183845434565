#!/bin/sh
# A fork/exec/posix_spawn tree under memaudit-trace: every process is seen, each fork event names
# the right parent and kind (posix_spawn: vfork) before the child's first call, execs carry the
# new argv, each process's mlock is its own with a stack at the program's line, a thread's call
# belongs to its process, and every process's exit status is reported.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
src=$top_srcdir/tests/progs/trace_tree.c
run_traced "$T/dump" "$PROGS/trace_tree" >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
is "$(sed -n 's/^status //p' "$T/out")" "3 4 5" "the children's statuses, as the program saw them"
pid_of() { sed -n "s/^$1 \([0-9]*\) .*/\1/p" "$T/out"; }
ppid_of() { sed -n "s/^$1 [0-9]* \([0-9]*\)$/\1/p" "$T/out"; }
root=$(pid_of root)
djq_is "$T/dump" '.[] | select(.event == "start") | .pid' "$root" "start: the command's pid"
for r in fork:fork exec:fork spawn:vfork grandchild:fork; do
	role=${r%%:*} kind=${r#*:}
	pid=$(pid_of "$role") ppid=$(ppid_of "$role")
	djq_is "$T/dump" ".[] | select(.event == \"fork\" and .child == $pid) | \"\(.pid) \(.kind)\"" \
		"$ppid $kind" "$role: forked by its parent $ppid ($kind)"
	djq_is "$T/dump" "(map(.event == \"fork\" and .child == $pid) | index(true)) <
		(map(.event == \"call\" and .pid == $pid) | index(true))" true "$role: the fork comes before its first call"
	djq_is "$T/dump" "[.[] | select(.call == \"mlock\" and .pid == $pid)] | length" 1 "$role: its own mlock"
done
for role in exec spawn; do
	djq_is "$T/dump" ".[] | select(.event == \"exec\" and .pid == $(pid_of $role)) | .argv[1]" "$role" \
		"$role: exec event with its new argv"
done
djq_is "$T/dump" "[.[] | select(.call == \"mlock\")] | length" 6 "6 mlock calls: 5 processes and a thread"
djq_is "$T/dump" "[.[] | select(.call == \"mlock\" and .pid == $root) | .tid == $root] | sort | join(\" \")" \
	"false true" "the thread's mlock belongs to the root process, from another tid"
is "$(frame0 "$T/dump" mlock | sort -u)" "lock_one $(site "$src" 'trace_tree: mlock site')" \
	"every mlock's stack starts in lock_one, at the line of the call"
djq_is "$T/dump" "[.[] | select(.event == \"exit\") | \"\(.pid)=\(.status)\"] | sort | join(\" \")" \
	"$(printf '%s\n' "$root=0" "$(pid_of fork)=3" "$(pid_of exec)=4" "$(pid_of spawn)=5" "$(pid_of grandchild)=6" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"every process's exit status"
done_testing
