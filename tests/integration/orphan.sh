#!/bin/sh
# Fork children whose parent exits first (tests/progs/orphan.c) stay in their parent's tree: the
# child's header has the parent's pid as ppid (not getppid(), which is 1 or a subreaper by then)
# and the report links it by the parent's fork event and the child's parent_log. Run with
# tests/progs/forkdelay.c preloaded after the shim, the child's header is written only after its
# parent exited (the race of the issue, made certain); without it, as the race falls. Double-fork
# daemonization (fork, setsid, fork, exit) stays one tree of three.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
tmpdir

delay=$PROGS/.libs/forkdelay.so

# orphan_run DIR PRELOAD ARGS...: run orphan under PRELOAD with its logs in DIR, stdout in
# DIR.out; wait (10 seconds at most) until its orphans have written their exit records.
orphan_run() {
	_d=$1 _pre=$2
	shift 2
	mkdir "$_d"
	env LD_PRELOAD="$_pre" MEMAUDIT_LOG_DIR="$_d" "$PROGS/orphan" "$@" >"$_d.out" 2>"$_d.err"
	_want=$([ "$1" = daemon ] && echo 3 || echo 2)
	_i=0
	while [ "$(grep -l '"type":"exit"' "$_d"/memaudit.*.log 2>/dev/null | wc -l)" -lt "$_want" ] &&
		[ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# header_of DIR PID FILTER: FILTER on the header of PID's log in DIR.
header_of() {
	log_jq "$1/memaudit.orphan.$2.log" ".[0] | $3"
}

# check_orphan DIR WHAT: the child of a parent that exited at once, in the logs and the report.
check_orphan() {
	parent=$(sed -n 's/^parent=\([0-9]*\) .*/\1/p' "$1.out")
	child=$(sed -n 's/^parent=.* child=\([0-9]*\)$/\1/p' "$1.out")
	if [ -z "$parent" ] || [ -z "$child" ] || [ ! -f "$1/memaudit.orphan.$child.log" ]; then
		fail "$2: the program printed its pids and the child has a log" "$(cat "$1.out" "$1.err")"
		return
	fi
	is "$(header_of "$1" "$child" '"\(.ppid) \(.parent_log)"')" \
		"$parent memaudit.orphan.$parent.log" "$2: the child's ppid and parent_log name its parent"
	is "$(log_jq "$1/memaudit.orphan.$child.log" '[.[] | select(.type == "exit")][0].status')" 0 \
		"$2: the child saw its parent exit, then locked (exit status 0, not 9)"
	make_report "$1" "$1.json" "$2: memaudit-report reads the logs" || return
	jq_is "$1.json" '[.processes[] | "\(.pid) \(.ppid) \(.tree.relation) \(.tree.depth)"] | join(",")' \
		"$parent $(header_of "$1" "$parent" .ppid) root 0,$child $parent fork 1" \
		"$2: the tree is the parent, then the child forked under it"
	jq_is "$1.json" '.processes[1].tree.parent == .processes[0].log and
		.processes[0].tree.children == [{pid: .processes[1].pid, log: .processes[1].log,
		relation: "fork"}]' true "$2: the parent lists the child; the child names the parent's log"
}

orphan_run "$T/delayed" "$MEMAUDIT_SHIM $delay"
check_orphan "$T/delayed" "header written after the parent exited"
# The race really was lost: the child's header started after the parent's exit record (the
# parent's start plus its exit time since load: a little late, so the check is conservative).
if [ -n "$child" ] && [ -f "$T/delayed/memaudit.orphan.$child.log" ]; then
	pend=$(log_jq "$T/delayed/memaudit.orphan.$parent.log" \
		'.[0].start.sec * 1000000 + ((.[0].start.nsec + .[-1].t) / 1000 | floor)')
	cstart=$(header_of "$T/delayed" "$child" '.start.sec * 1000000 + (.start.nsec / 1000 | floor)')
	ok "the child's header is later than the parent's exit ($cstart > $pend us)" \
		test "$cstart" -gt "$pend"
fi

orphan_run "$T/plain" "$MEMAUDIT_SHIM"
check_orphan "$T/plain" "header written at fork"

orphan_run "$T/daemon" "$MEMAUDIT_SHIM $delay" daemon
parent=$(sed -n 's/^parent=\([0-9]*\) .*/\1/p' "$T/daemon.out")
daemon=$(sed -n 's/^daemon=\([0-9]*\) .*/\1/p' "$T/daemon.out")
grandchild=$(sed -n 's/^daemon=.* grandchild=\([0-9]*\)$/\1/p' "$T/daemon.out")
if [ -z "$parent" ] || [ -z "$daemon" ] || [ -z "$grandchild" ]; then
	fail "double fork: the program printed its pids" "$(cat "$T/daemon.out" "$T/daemon.err")"
elif make_report "$T/daemon" "$T/daemon.json" "double fork: memaudit-report reads the logs"; then
	jq_is "$T/daemon.json" \
		'[.processes[] | "\(.pid) \(.tree.relation) \(.tree.depth) \(.complete)"] | join(",")' \
		"$parent root 0 true,$daemon fork 1 true,$grandchild fork 2 true" \
		"double fork: one tree, parent, session leader, daemon, each complete"
	jq_is "$T/daemon.json" '[.processes[1:][] | .ppid] | map(tostring) | join(" ")' \
		"$parent $daemon" "double fork: each ppid is the pid that forked it"
	is "$(header_of "$T/daemon" "$grandchild" '"\(.parent_log)"')" \
		"memaudit.orphan.$daemon.log" "double fork: the daemon's parent_log is the session leader's"
fi
done_testing
