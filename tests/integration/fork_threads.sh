#!/bin/sh
# fork() in a multi-threaded program while other threads are inside the shim (new threads locking,
# unlocking and freeing: their stack captures hold the unwinder's locks and glibc's
# dl_iterate_phdr lock): every child must be able to use the shim (no lock inherited in a held state) and
# gets a log of its own, with its own events and an _exit record. A child that hangs is killed by
# the program after 20 s and counted. The race is timing-dependent: a regression shows up in some
# runs, not necessarily in each.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

F=100
L=$T/logs
mkdir "$L"
command -v timeout >/dev/null 2>&1 && TO="timeout 120" || TO=
$TO env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$L" "$PROGS/fork_threads" $F >"$T/out" 2>"$T/err"
is "$?" 0 "fork_threads $F finishes with status 0 under the shim (124: timed out)"
is "$(cat "$T/out")" "forks=$F bad=0" "every child exited 0"
[ -s "$T/err" ] && diag_file "$T/err"
is "$(count_logs "$L")" $((F + 1)) "one log per process: the parent and $F children"

parent_log=$(grep -L '"parent_log":"' "$L"/memaudit.*.log 2>/dev/null)
is "$(echo "$parent_log" | grep -c .)" 1 "one log without a parent_log: the parent's"
bad=0
for log in "$L"/memaudit.*.log; do
	[ "$log" = "$parent_log" ] && continue
	got=$(log_jq "$log" '[(.[0].parent_log), ([.[] | select(.type == "event") | .op] | join(" ")), (.[-1] | "\(.type) \(.how) \(.status)")] | join(" | ")')
	want="$(basename "$parent_log") | mlock munlock | exit _exit 0"
	if [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && diag "$(basename "$log"): got: $got" "want: $want"
	fi
done
is "$bad" 0 "each child's log: the parent's log as parent_log, its own mlock and munlock only, an _exit record"
ok "the parent's log is whole" valid_jsonl "$parent_log"
is "$(log_jq "$parent_log" '[.[] | select(.type == "event" and .op == "fork")] | length')" $F \
	"the parent's log has the $F fork events"
is "$(log_jq "$parent_log" '.[-1] | "\(.type) \(.status)"')" "exit 0" "and its exit record"
done_testing
