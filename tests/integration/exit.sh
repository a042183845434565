#!/bin/sh
# The exit record: "how" and the status for return from main, exit(3), _exit(2) and _Exit(2) (the
# last two run no exit handlers: the shim wraps them to write the record). A vfork child's _exit
# shares the parent's memory and must not end the parent's log.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

for how in return exit _exit _Exit vfork; do
	events=1
	case $how in
	return) status=0 want=exit ;;
	exit) status=3 want=exit ;;
	_exit) status=7 want=_exit ;;
	_Exit) status=9 want=_exit ;;
	vfork) status=4 want=exit events=2 ;; # the vfork child's _exit(5) is not the process's exit
	esac
	L=$T/$how
	mkdir "$L"
	run_shimmed "$L" "$PROGS/exit_how" "$how" "$status" >"$T/out" 2>"$T/err"
	is "$?" "$status" "$how($status): the process exits with $status"
		if the_log "$L"; then
		is "$(log_jq "$log" '[.[] | select(.type == "exit")] | length')" 1 "$how($status): one exit record"
		is "$(log_jq "$log" '.[-1] | "\(.type) \(.how) \(.status) \(.events)"')" "exit $want $status $events" \
			"$how($status): the last record is the exit record, how \"$want\", status $status, $events event(s)"
		is "$(log_jq "$log" '.[-1].locked_bytes > 0')" true "$how($status): it counts the locked page"
	fi
done
done_testing
