#!/bin/sh
# memaudit-report: the what-if table. One entry per distinct limit of the header's whatif_limits
# (32 KiB, 64 KiB, 8 MiB, then the configured limit, which is marked and not repeated when it is a
# standard one), with the first lock call the limit refuses from the log's whatif records: call
# index, errno and the call site's frames (symbolized and filtered like a site's). Malformed
# whatif records are ignored; a log without whatif_limits (an older shim) has no what-if entries.
# Failures the policy injected count as failures of their site and are marked.
. "$top_srcdir/tests/report/report-lib.sh"

plan 43

p='.processes[0]'
w="$p.whatif"

run_report --format json "$(fixture whatif.jsonl)"
is "$rc" 1 "whatif.jsonl: exit status 1 (lock-limit errors)"
jq_ok "$tmp/out" "[$w[].limit] == [32768, 65536, 8388608]" \
	"one entry per distinct limit, in whatif_limits order (configured = 64 KiB not repeated)"
jq_ok "$tmp/out" "[$w[].configured] == [false, true, false]" "the configured limit is marked"
jq_ok "$tmp/out" "[$w[].call] == [9, 17, null]" \
	"call of the first refused lock call; null for a limit never hit"
jq_ok "$tmp/out" "[$w[].errno] == [\"ENOMEM\", \"ENOMEM\", null]" "errno by name, or null"
jq_ok "$tmp/out" "[$w[] | keys] | all(. == [\"call\", \"configured\", \"errno\", \"frames\", \"limit\"])" \
	"entry keys: limit, configured, call, errno, frames"
jq_ok "$tmp/out" "$w[0].frames | map(.offset) == [1000, 5000, 8192]" \
	"frames of the record's stack, innermost first"
jq_ok "$tmp/out" "$w[1].frames | map(.offset) == [1000, 4096, 8192]" \
	"memaudit's own frames are left out"
jq_ok "$tmp/out" "$w[1].frames == ($p.sites[] | select(.calls == 18) | .frames)" \
	"what-if frames have the same format as the site's frames"
jq_ok "$tmp/out" "$w[2].frames == []" "a limit never hit has no frames"
jq_ok "$tmp/out" "$p.sites[0] | .calls == 18 and .failures == {\"ENOMEM\": 3} and .injected == 2" \
	"injected failures count as failures, and per site as injected"
jq_ok "$tmp/out" "$p.sites[1] | .failures == {\"ENOMEM\": 1} and .injected == 1" \
	"a site whose only failure was injected"
jq_ok "$tmp/out" "$p.sites[2] | .op == \"munlock\" and has(\"injected\") == false" \
	"no injected key without injected failures"
jq_ok "$tmp/out" "[$p.findings[] | [.rule, .count]] == [[\"lock-limit\", 2], [\"lock-limit\", 1],
	[\"call-failed\", 3], [\"call-failed\", 1]]" "the shim's findings, per (rule, stack)"

run_report --format json "$(fixture whatif-unlimited.jsonl)"
jq_ok "$tmp/out" "[$w[].limit] == [32768, 65536, 8388608, null]" \
	"configured unlimited: null limit; elements of the wrong type in whatif_limits are skipped"
jq_ok "$tmp/out" "[$w[].configured] == [false, false, false, true]" "...and it is the configured one"
jq_ok "$tmp/out" "$w[0] | .call == 1 and .errno == \"ENOMEM\" and .frames == []" \
	"a record with an unknown stack: no frames"
jq_ok "$tmp/out" "$w[1] | .call == 1 and .errno == \"EPERM\" and (.frames | length) == 2" \
	"errno EPERM"

run_report --format json "$(fixture basic.jsonl)"
jq_ok "$tmp/out" "$w == []" "a log without whatif_limits (older shim): no what-if entries"

# memlock records (shim/rlimit.c): the program read its limit and set it; the configured row
# follows the limit it set until a lock call fails there
run_report --format json "$(fixture whatif-memlock.jsonl)"
jq_ok "$tmp/out" "[$w[].limit] == [32768, 65536, 8388608, 49152]" \
	"memlock: a limit the program set becomes the configured row; a refused set does not"
jq_ok "$tmp/out" "[$w[].configured] == [false, false, false, true]" \
	"memlock: the 64 KiB row is a standard one again"
jq_ok "$tmp/out" "$w[3].call == 1" "memlock: once hit, the configured row stays (a later set to 16 KiB is past it)"
jq_ok "$tmp/out" "$p.memlock_read.op == \"prlimit\" and ($p.memlock_read.frames | map(.offset)) == [4096, 8192]" \
	"memlock_read: the first read, with its frames"
jq_ok "$tmp/out" "$p.whatif_note | test(\"rows? for 32 KiB is predicted without the program adapting to it; for the exact answer run it with MEMAUDIT_MEMLOCK_LIMIT=32K[.]\")" \
	"whatif_note: the limit below the configured one and how to ask about it"
run_report --format json "$(fixture whatif.jsonl)"
jq_ok "$tmp/out" "$p.memlock_read == null and $p.whatif_note == null" \
	"a process that never read its limit: no memlock_read, no note"
run_report "$(fixture whatif-memlock.jsonl)"
grep_ok "$tmp/out" "^   RLIMIT_MEMLOCK 48 KiB \(configured, set by the program\) +fails at lock call 1" \
	"text: the row of the limit the program set"
grep_ok "$tmp/out" "^   note: the program read its RLIMIT_MEMLOCK \(prlimit\)" "text: the note under the table"

# Text
run_report --format json "$(fixture whatif.jsonl)"
mv "$tmp/out" "$tmp/json"
run_report "$(fixture whatif.jsonl)"
out=$tmp/out
whole_lines "$out" "$tmp/json" "every message whole on one line"
grep_ok "$out" "^   what-if \(RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK\)$" "what-if heading"
grep_ok "$out" "^   RLIMIT_MEMLOCK 32 KiB +fails at lock call 9 \(ENOMEM\) +app\+0x1388$" \
	"32 KiB row: call, errno and where"
grep_ok "$out" \
	"^   RLIMIT_MEMLOCK 64 KiB \(configured\) +fails at lock call 17 \(ENOMEM\) +app\+0x1000$" \
	"64 KiB row marked as the configured limit"
grep_ok "$out" "^   RLIMIT_MEMLOCK 8 MiB +no lock call fails$" "8 MiB row: no lock call fails"
is "$(grep -c '^   RLIMIT_MEMLOCK ' "$out")" 3 "three rows: the configured limit is not repeated"
sites_at=$(grep -n "call site (by pages)" "$out" | cut -d: -f1)
whatif_at=$(grep -n "^   what-if" "$out" | cut -d: -f1)
findings_at=$(grep -n "^   lock-limit \[error\]" "$out" | cut -d: -f1)
[ -n "$sites_at" ] && [ -n "$whatif_at" ] && [ -n "$findings_at" ] &&
	[ "$sites_at" -lt "$whatif_at" ] && [ "$whatif_at" -lt "$findings_at" ]
ok $? "the what-if table follows the sites, before the findings"
grep_ok "$out" "^ +mlock +18 +73728 +15 +64 KiB +ENOMEM 3 \(2 injected\) +app\+0x1000$" \
	"site row: some failures injected"
grep_ok "$out" "^ +mlock +2 +8192 +1 +64 KiB +ENOMEM 1 \(injected\) +app\+0x1388$" \
	"site row: all failures injected"

run_report "$(fixture whatif-unlimited.jsonl)"
grep_ok "$tmp/out" \
	"^   RLIMIT_MEMLOCK unlimited \(configured\) +no lock call fails \(in what was logged\)$" \
	"unlimited configured limit; an incomplete log says what it covers"
grep_ok "$tmp/out" "^   RLIMIT_MEMLOCK 32 KiB +fails at lock call 1 \(ENOMEM\) +\(no stack\)$" \
	"a row with an unknown stack"

run_report "$(fixture basic.jsonl)"
if grep -q "what-if" "$tmp/out"; then
	ok 1 "no what-if table for an older log"
else
	ok 0 "no what-if table for an older log"
fi

# Symbolized: the symprog program of symbolize.sh, with a what-if record at its mlock site.
if symprog_log "$tmp/sym.log" \
	-e 's|"shim":"0.1.0"}$|"whatif_limits":[32768,65536,8388608,65536],"shim":"0.1.0"}|' \
	-e '/"type":"exit"/i {"type":"whatif","limit":32768,"call":1,"seq":1,"stack":1,"errno":12}'
then
	run_report --format json "$tmp/sym.log"
	jq_ok "$tmp/out" "[$w[0].frames[].function] == [\"lock_secret\", \"keep_secret\", \"main\"]" \
		"what-if frames are symbolized"
	jq_ok "$tmp/out" "$w[0].frames == ($p.sites[] | select(.op == \"mlock\") | .frames)" \
		"...exactly as the site's frames"
	run_report "$tmp/sym.log"
	grep_ok "$tmp/out" \
		"^   RLIMIT_MEMLOCK 32 KiB +fails at lock call 1 \(ENOMEM\) +lock_secret symprog.c:[0-9]+$" \
		"the text row names function and file:line"
	grep_ok "$tmp/out" "^   RLIMIT_MEMLOCK 64 KiB \(configured\) +no lock call fails$" \
		"...and the configured limit"
else
	skip "symprog or nm missing"
	skip "symprog or nm missing"
	skip "symprog or nm missing"
	skip "symprog or nm missing"
fi

done_testing
