#!/bin/sh
# Four threads lock and unlock one shared page in a random order (trace_threads): the engine gets
# each process's calls in the kernel's order from the supervisor, so after every round the model's
# locked bytes in the log (the last lock or unlock event before the round's marker madvise) are
# the VmLck the program read at that point, and at exit its exit record's locked bytes are VmLck.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup lockable
run_logged "$T/logs" "$PROGS/trace_threads" 50 4 >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
the_log "$T/logs"
sed -n 's/^vmlck //p' "$T/out" >"$T/kernel"
is "$(wc -l <"$T/kernel" | tr -d ' ')" 50 "50 rounds, VmLck read after each"
log_jq "$log" 'reduce (.[] | select(.type == "event")) as $e ({b: 0, out: []};
	if $e.op == "madvise" and $e.advice == 0 then .out += [.b]
	elif $e.locked_bytes != null then .b = $e.locked_bytes else . end) | .out[]' >"$T/model"
same_file "$T/model" "$T/kernel" "after every round the model's locked bytes are VmLck"
is "$(log_jq "$log" '.[] | select(.type == "exit") | "\(.locked_bytes) \(.vmlck_bytes)"')" \
	"$(tail -n 1 "$T/kernel") $(tail -n 1 "$T/kernel")" "at exit too"
is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "protection-lost")] | length')" 0 \
	"no protection-lost"
done_testing
