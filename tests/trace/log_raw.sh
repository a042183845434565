#!/bin/sh
# A dynamically linked program that unlocks one page and locks another with inline `syscall`
# instructions (trace_raw): the preload library sees only its libc calls and at exit believes the
# wrong page is locked (protection-lost for a page it never unlocked); memaudit-trace's log has
# every call, raw ones included, and its model at exit is the kernel's: the same locked bytes as
# VmLck, and no protection-lost.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup lockable
src=$top_srcdir/tests/progs/trace_raw.c
mkdir "$T/plogs"
run_logged "$T/logs" "$PROGS/trace_raw" >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
is "$(sed -n 's/^vmlck //p' "$T/out" | tr '\n' ' ')" "8192 8192 " "the program sees two pages locked after each step"
the_log "$T/logs"
"$MEMAUDIT_REPORT" --format json "$T/logs" >"$T/r.json"
is "$(site_frame0 "$T/r.json" munlock)" "raw2 $(site "$src" 'trace_raw: syscall instruction')" \
	"the raw munlock is in the log, its stack at the syscall instruction in raw2"
jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock") | .calls] | add' 3 \
	"three mlock calls: two through libc, one raw"
is "$(log_jq "$log" '[.[] | select(.type == "event" and (.op == "munlock" or .op == "mlock")) | .addr] | (.[2] - .[0]) / 4096, (.[3] - .[0]) / 4096' | tr '\n' ' ')" \
	"0 2 " "the raw munlock named the first page, the raw mlock the third"
is "$(log_jq "$log" '.[] | select(.type == "exit") | "\(.locked_bytes) \(.vmlck_bytes)"')" "8192 8192" \
	"at exit the model's locked bytes are VmLck's"
jq_is "$T/r.json" '[.processes[0].findings[].rule] | index("protection-lost")' null \
	"no protection-lost: the model knows the first page was unlocked"
if [ -n "${MEMAUDIT_SHIM:-}" ] && [ -f "$MEMAUDIT_SHIM" ]; then
	run_shimmed "$T/plogs" "$PROGS/trace_raw" >/dev/null 2>&1
	"$MEMAUDIT_REPORT" --format json "$T/plogs" >"$T/p.json"
	jq_is "$T/p.json" '[.processes[0].findings[].rule] | index("protection-lost") != null' true \
		"(the preload library, which misses the raw calls, reports protection-lost there)"
else
	skip "the preload library's protection-lost" "the library is not built"
fi
done_testing
