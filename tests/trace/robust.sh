#!/bin/sh
# The preload library's stress programs under memaudit-trace (tests/robust, tests/integration):
# many forks, threads started while others fork, a signal handler that forks while the main
# thread is in traced calls, clone(CLONE_VM) children, 8 threads' lock loops. Each run's output
# and exit status are those of the plain run, it ends (bounded), and its dump holds an exit for
# every process it saw start. clone(CLONE_VM) children are reported as such (their memory is
# the parent's).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
require_lockable
tmpdir
for cmd in "fork_many 50" "fork_threads 100" "sig_fork 20" "clone_vm" "threads 200" "fork_exec"; do
	set -- $cmd
	[ -x "$PROGS/$1" ] || { skip "$cmd" "$PROGS/$1 is not built"; continue; }
	runs=3
	i=0
	while [ $i -lt $runs ]; do
		i=$((i + 1))
		"$PROGS/$1" ${2:-} >"$T/plain" 2>"$T/plain.err"
		plain=$?
		run_traced "$T/dump" "$PROGS/$1" ${2:-} >"$T/traced" 2>"$T/traced.err"
		traced=$?
		[ "$traced" = "$plain" ] && cmp -s "$T/traced" "$T/plain" || break
	done
	is "$traced" "$plain" "$cmd: $i run(s), the exit status of the plain run ($plain)"
	same_file "$T/traced" "$T/plain" "$cmd: the standard output of the plain run"
	djq_is "$T/dump" '([.[] | select(.event == "start" or .event == "fork") | .child // .pid] | sort) ==
		([.[] | select(.event == "exit") | .pid] | sort)' true "$cmd: every process seen has its exit"
	case $1 in
	clone_vm) want=clone ;;
	fork_many | fork_exec) want=fork ;;
	*) want= ;;
	esac
	[ -z "$want" ] ||
		djq_is "$T/dump" '[.[] | select(.event == "fork") | .kind] | unique | join(" ")' "$want" \
			"$cmd: its children are reported as made by $want"
done
done_testing
