#!/bin/sh
# The map-count model against the kernel: MADV_DONTDUMP on every other page of one large mapping
# splits it until vm.max_map_count stops the kernel (EAGAIN). Under the shim the log's map-count
# finding names the very call the kernel failed; enforce with a simulated MEMAUDIT_MAX_MAP_COUNT
# equal to the real limit fails the same call the same way without making it; a small simulated
# limit stops the program where the mappings reach it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
max=$(cat /proc/sys/vm/max_map_count 2>/dev/null)
[ -n "$max" ] || skip_all "cannot read /proc/sys/vm/max_map_count"
[ "$max" -le 262144 ] || skip_all "vm.max_map_count is $max: reaching it would take too long"
tmpdir
mkdir "$T/logs"
calls=$((max / 2 + 100))

run_plain "$PROGS/alternate" "$calls" >"$T/plain" 2>&1
ok "without the shim: the kernel stops the program with EAGAIN ($(cat "$T/plain"))" grep -q 'failed with EAGAIN' "$T/plain"

run_shimmed "$T/logs" "$PROGS/alternate" "$calls" >"$T/audit" 2>&1
k=$(sed -n 's/^call \([0-9]*\) failed with EAGAIN.*/\1/p' "$T/audit")
ok "under the shim (audit): the kernel stops it with EAGAIN at call $k" test -n "$k"
if the_log "$T/logs" && [ -n "$k" ]; then
	seq=$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "map-count")][0].seq')
	is "$(log_jq "$log" "[.[] | select(.type == \"event\" and .op == \"madvise\" and .seq <= $seq)] | length")" "$k" \
		"the model's map-count finding is about call $k, the one the kernel failed"
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "map-count")] | length')" 1 \
		"one map-count finding (later calls are not checked once the target is exceeded)"
	if make_report "$T/logs" "$T/r.json" "the report reads the log"; then
		jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "map-count")][0].frames[0].function' main \
			"the report's map-count finding is at main()"
	fi
fi

rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MAX_MAP_COUNT="$max" "$PROGS/alternate" "$calls" >"$T/enforce" 2>/dev/null
# The call and its errno, not the mapping count the program prints afterwards: the kernel makes the
# first of the call's two splits before it fails (README: the half-made split is not modelled),
# and the enforce run's shim maps its own memory to print the finding (which an anonymous
# neighbour may or may not absorb, as ASLR places it).
sed 's/ ([0-9]* mappings)$//' "$T/audit" >"$T/audit.call"
sed 's/ ([0-9]* mappings)$//' "$T/enforce" >"$T/enforce.call"
same_file "$T/enforce.call" "$T/audit.call" "enforce at the real limit ($max): the same call fails the same way"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "madvise" and .injected == true)] | length')" 1 \
		"enforce: the refused call was never made (injected)"
fi

# The other calls that split: the model's finding names the call the kernel failed, with its errno.
for op in mlock mprotect munmap; do
	[ "$op" = mlock ] && ! is_root && { skip "$op" "locking half of $max pages needs root"; continue; }
	rm -rf "$T/logs"/*
	# unlimited: else the lock limit (checked first, do_mlock) fails mlock long before
	run_shimmed "$T/logs" MEMAUDIT_MEMLOCK_LIMIT=unlimited "$PROGS/alternate" "$((max + 100))" "$op" >"$T/$op" 2>&1
	k=$(sed -n 's/^call \([0-9]*\) failed with ENOMEM.*/\1/p' "$T/$op")
	ok "$op: the kernel stops it with ENOMEM ($(cat "$T/$op"))" test -n "$k"
	if [ -n "$k" ] && the_log "$T/logs"; then
		seq=$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "map-count")][0].seq')
		is "$(log_jq "$log" "[.[] | select(.type == \"event\" and .op == \"$op\" and .seq <= ${seq:-0})] | length")" "$k" \
			"$op: the model's map-count finding is about call $k"
	fi
done

rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MAX_MAP_COUNT=1000 "$PROGS/alternate" "$calls" >"$T/small" 2>/dev/null
ok "enforce at a simulated 1000: EAGAIN ($(cat "$T/small"))" grep -q 'failed with EAGAIN' "$T/small"
m=$(sed -n 's/.*(\([0-9]*\) mappings).*/\1/p' "$T/small")
# the program counts /proc/self/maps lines, [vsyscall] included when the kernel shows one
grep -q '\[vsyscall\]' /proc/self/maps && m=$((m - 1))
ok "enforce at a simulated 1000: stopped with 999 or 1000 mappings (got $m)" test "${m:-0}" -ge 999 -a "${m:-0}" -le 1000
done_testing
