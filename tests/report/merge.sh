#!/bin/sh
# memaudit-report --merge: one table per executable. Sites are summed per (op, stack as shown),
# findings per (rule, stack, related stack), what-if results per limit; each merged entry says how
# many processes it covers. JSON keeps "processes" and adds "merged"; the exit status is the same.
. "$top_srcdir/tests/report/report-lib.sh"

plan 23

basic=$(fixture basic.jsonl)
set -- "$(fixture exec-2.jsonl)" "$(fixture fork-child.jsonl)" "$(fixture exec-1.jsonl)" "$basic"

run_report --format json "$@"
jq_ok "$tmp/out" 'has("merged") | not' "without --merge, no \"merged\""
cp "$tmp/out" "$tmp/plain.json"
run_report --format json --merge "$@"
is "$rc" 1 "--merge: the same exit status (errors in basic.jsonl)"
cp "$tmp/out" "$tmp/m.json"
jq -e --slurpfile plain "$tmp/plain.json" '.processes == $plain[0].processes' "$tmp/m.json" \
	>/dev/null 2>&1
ok $? "\"processes\" is the same as without --merge"
jq_ok "$tmp/m.json" '[.merged[] | "\(.exe | split("/") | last) \(.processes) \(.pids)"] ==
	["app 2 [1000,1001]", "launcher 1 [2000]", "worker 1 [2000]"]' \
	"one entry per executable, in report order, with its process count and pids"

# every merged number is the sum over the executable's processes of the entries with the same
# op (rule) and frames; "processes" counts the processes that have one
jq_ok "$tmp/m.json" '. as $r | all($r.merged[]; . as $g | all($g.sites[]; . as $m |
	[$r.processes[] | select(.exe == $g.exe) | .sites[] |
	 select(.op == $m.op and .frames == $m.frames)] as $same |
	($same | map(.calls) | add) == $m.calls and ($same | map(.bytes) | add) == $m.bytes and
	($same | map(.pages) | add) == $m.pages))' "site calls, bytes, pages are the sums"
jq_ok "$tmp/m.json" '. as $r | all($r.merged[]; . as $g | all($g.sites[]; . as $m |
	[$r.processes[] | select(.exe == $g.exe and any(.sites[];
	 .op == $m.op and .frames == $m.frames))] | length == $m.processes))' \
	"a site's processes: how many have it"
jq_ok "$tmp/m.json" '. as $r | all($r.merged[]; . as $g | all($g.findings[]; . as $m |
	[$r.processes[] | select(.exe == $g.exe) | .findings[] |
	 select(.rule == $m.rule and .frames == $m.frames)] | map(.count) | add == $m.count))' \
	"finding counts are the sums"
jq_ok "$tmp/m.json" '([.merged[].sites[] | .calls] | add) ==
	([.processes[].sites[] | .calls] | add)' "no call lost or counted twice"

# two processes of one program with the same stacks: everything doubles
sed 's/"pid":1000,/"pid":1002,/' "$basic" >"$tmp/second.log"
run_report --format json "$basic"
cp "$tmp/out" "$tmp/one.json"
run_report --format json --merge "$basic" "$tmp/second.log"
jq -e --slurpfile one "$tmp/one.json" '.merged[0] as $g | $one[0].processes[0] as $p |
	($g.sites | length) == ($p.sites | length) and
	all($g.sites[]; .processes == 2) and
	([$g.sites[] | [.op, .calls / 2, .bytes / 2, (.failures | map_values(. / 2)), .frames]]
	 | sort) == ([$p.sites[] | [.op, .calls, .bytes, .failures, .frames]] | sort)' \
	"$tmp/out" >/dev/null 2>&1
ok $? "the same program twice: each site once, in 2 processes, twice the calls and failures"
jq -e --slurpfile one "$tmp/one.json" '.merged[0].findings as $f |
	($f | length) == ($one[0].processes[0].findings | length) and
	all($f[]; .processes == 2) and
	($f | map(.count) | add) == 2 * ($one[0].processes[0].findings | map(.count) | add)' \
	"$tmp/out" >/dev/null 2>&1
ok $? "...each finding once, in 2 processes, twice the count"
jq_ok "$tmp/out" '.merged[0].findings[] | select(.rule == "unlock-collateral") |
	.related_frames | length > 0' "...the related stack kept"

# what-if across processes: how many fail at a limit, and the earliest call
sed 's/"limit":32768,"call":9,/"limit":32768,"call":5,/; s/"pid":2000,/"pid":2001,/' \
	"$(fixture whatif.jsonl)" >"$tmp/whatif2.log"
run_report --format json --merge "$(fixture whatif.jsonl)" "$tmp/whatif2.log"
jq_ok "$tmp/out" '.merged[0].whatif[] | select(.limit == 32768) |
	.processes == 2 and .failing == 2 and .call == 5 and .errno == "ENOMEM" and
	(.frames | length) > 0' "what-if: failing processes and the earliest call"

# suppressed findings are left out and counted
printf 'lock-heap:*\n' >"$tmp/supp"
run_report --format json --merge --suppressions "$tmp/supp" "$basic" "$tmp/second.log"
jq_ok "$tmp/out" '.merged[0] | .suppressed == 2 and all(.findings[]; .rule != "lock-heap")' \
	"suppressed findings: left out, counted"

# text
run_report --merge "$basic" "$tmp/second.log" "$(fixture exec-1.jsonl)"
is "$rc" 1 "text --merge: exit status 1"
grep_ok "$tmp/out" "^merged: 3 processes of 2 programs, one section per program$" \
	"it says it is merged"
is "$(grep -c '^== ' "$tmp/out")" 2 "one section per program"
grep_ok "$tmp/out" "^== /nonexistent/fixture/app: 2 processes \(merged\)$" "a program's heading"
grep_ok "$tmp/out" "^   pids: +1000 1002$" "its pids"
grep_ok "$tmp/out" "^   call site \(by pages\) +procs +calls +bytes +pages" "a procs column"
grep_ok "$tmp/out" "^ +mlock +2 +8 +10296 +2 +[0-9.]+ [KMG]?i?B +EPERM 2,ENOMEM 2 +app\+0x1000$" \
	"a merged row: processes, summed calls, bytes, pages and failures"
grep_ok "$tmp/out" "^     4x in 2 processes: mlock\(5000 bytes\) failed with ENOMEM" \
	"a merged finding: count and processes"
mv "$tmp/out" "$tmp/text"
run_report --format json "$basic" "$tmp/second.log" "$(fixture exec-1.jsonl)"
whole_lines "$tmp/text" "$tmp/out" "every message whole on one line"

run_report --merge "$(fixture hostile.jsonl)" "$(fixture killed.jsonl)"
grep_ok "$tmp/out" "^== \(unknown program\): 1 process \(merged\)$" \
	"hostile logs: a program without exe is a group of its own"

done_testing
