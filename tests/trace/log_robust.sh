#!/bin/sh
# The preload library's stress programs under memaudit-trace writing memaudit logs (the engine's
# lifecycle across many processes): fork storms, threads while forking, a handler that forks,
# CLONE_VM children (no log of their own: their calls are charged to the parent), 200 threads,
# fork+exec. Each run ends (bounded) with the plain run's status, one complete log per process
# image, and the report reads them all.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup
for cmd in "fork_many 50:51" "fork_threads 100:101" "sig_fork 20:21" "clone_vm:1" "threads 200:1" "fork_exec:3"; do
	logs=${cmd#*:} cmd=${cmd%:*}
	rm -rf "$T/logs" && mkdir "$T/logs"
	# shellcheck disable=SC2086
	run_logged "$T/logs" "$PROGS/"$cmd >/dev/null 2>"$T/err"
	st=$?
	# shellcheck disable=SC2086
	"$PROGS/"$cmd >/dev/null 2>&1
	is "$st" "$?" "$cmd: the plain run's exit status"
	is "$(count_logs "$T/logs")" "$logs" "$cmd: $logs logs"
	"$MEMAUDIT_REPORT" --format json "$T/logs" >"$T/r.json" 2>"$T/r.err"
	jq_is "$T/r.json" '[.processes[] | select(.complete and .frontend == "trace")] | length' "$logs" \
		"$cmd: all complete, all traced"
done
done_testing
