#!/bin/sh
# memaudit-report --merge on a real run: fork_many forks 50 children under the shim, each locking
# a heap block from one call site and every other one also making an unaligned madvise; the parent
# does the same work from a call site of its own. 51 logs become one merged table: the children's
# mlock site in 50 processes, the madvise site in 25, the parent's site in 1.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
tmpdir
L=$T/logs
mkdir "$L"

run_shimmed "$L" "$PROGS/fork_many" 50 >"$T/out" 2>"$T/err"
is "$?" 0 "fork_many 50: exit status 0 under the shim"
is "$(cat "$T/out")" "50 children exited 0" "every child exited 0"
is "$(count_logs "$L")" 51 "51 logs"

"$MEMAUDIT_REPORT" --format json --merge "$L" >"$T/m.json" 2>"$T/m.err"
st=$?
is "$st" 1 "memaudit-report --merge: exit status 1 (advise-unaligned is an error)"
jq_is "$T/m.json" '[.merged[] | "\(.exe) \(.processes) \(.pids | length)"] | join(",")' \
	"$PROGS/fork_many 51 51" "one program, 51 processes"
jq_is "$T/m.json" '.processes | length' 51 "the 51 processes are still listed"
jq_is "$T/m.json" '[.merged[0].sites[] | "\(.op) \(.processes) \(.calls) \(.bytes) \(.failures)"] |
	sort | join(",")' \
	'madvise 25 25 1600 {"EINVAL":25},mlock 1 1 64 {},mlock 50 50 3200 {}' \
	"sites: the children's mlock in 50, madvise in 25 (EINVAL), the parent's mlock in 1"
jq_is "$T/m.json" '.merged[0].sites[] | select(.op == "mlock" and .processes == 50) |
	[.frames[0:3][] | .function] | join(" ")' "lock_one work main" \
	"the children's site is symbolized: lock_one, work, main"
jq_is "$T/m.json" '[.merged[0].findings[] | "\(.rule) \(.count) \(.processes)"] | sort |
	join(",")' "advise-unaligned 25 25,call-failed 25 25,lock-heap 1 1,lock-heap 50 50,$(
	)lock-leak 1 1,lock-leak 50 50" \
	"findings: counts summed, processes counted"
jq_is "$T/m.json" '. as $r | all($r.merged[0].sites[]; . as $m |
	[$r.processes[].sites[] | select(.op == $m.op and .frames == $m.frames) | .calls] |
	add == $m.calls)' true "each merged site is the sum of the processes' sites"

"$MEMAUDIT_REPORT" --merge "$L" >"$T/m.txt" 2>&1
is "$(grep -c '^== ' "$T/m.txt")" 1 "text: one section"
ok "text: the children's row" \
	grep -E -q "^   mlock +50 +50 +3200 +50 +[0-9.]+ [KMG]?i?B +- +lock_one fork_many.c:[0-9]+$" "$T/m.txt"
fileline=$("$JQ" -r '.merged[0].sites[] | select(.op == "mlock" and .processes == 50) |
	.frames[0] | "\(.file):\(.line)"' "$T/m.json")
ok "text: the stack names lock_one with its whole file:line, at any build-path depth (no line cut)" \
	grep -q -F "#0 lock_one at $fileline (" "$T/m.txt"
done_testing
