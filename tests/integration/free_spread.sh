#!/bin/sh
# free() with tracked pages spread below and above the heaps (shim/freegap.h, issue 13): every
# heap block lies inside the span of tracked pages, and each thread caches the untracked pages
# around the blocks it frees. A block locked after that cache filled (by the thread itself or by
# another) still gets its free event and lock-freed finding; untracked blocks get none. Then
# threads churn free/malloc while another locks, unlocks and frees blocks (every 100th while still
# locked): exactly those frees are recorded, and the program ends normally.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir
bounded 120

L=$T/findings
mkdir "$L"
$bound env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$L" "$PROGS/free_spread" findings >"$T/out" 2>"$T/err"
is "$?" 0 "free_spread findings exits 0 under the shim"
mine=$(sed -n 1p "$T/out")
theirs=$(sed -n 2p "$T/out")
if the_log "$L" && [ -n "$theirs" ]; then
	F='[.[] | select(.type == "event" and .op == "free")]'
	is "$(log_jq "$log" "$F | map(.addr) | sort | map(tostring) | join(\" \")")" \
		"$(printf '%s\n%s\n' "$mine" "$theirs" | sort -n | tr '\n' ' ' | sed 's/ $//')" \
		"two free events: the blocks locked after the cache filled, none for the untracked ones"
	is "$(log_jq "$log" "$F | map(.attrs | tostring) | unique | join(\" \")")" '["locked"]' \
		'both with attrs ["locked"]'
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-freed")] | length')" 2 \
		"two lock-freed findings: locked by this thread and by another"
	is "$(log_jq "$log" "[$F[].seq] as \$s | [.[] | select(.type == \"finding\" and .rule == \"lock-freed\") | .seq] | sort == (\$s | sort)")" \
		true "each at its free event"
elif [ -z "$theirs" ]; then
	fail "the program printed the blocks' addresses"
fi

L=$T/hammer
mkdir "$L"
$bound env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$L" "$PROGS/free_spread" hammer 3 200000 3000 >"$T/out" 2>"$T/err"
is "$?" 0 "free_spread hammer exits 0 under the shim (3 threads churn, one locks)"
if the_log "$L"; then
	F='[.[] | select(.type == "event" and .op == "free")]'
	is "$(log_jq "$log" "$F | length")" "$(cat "$T/out")" \
		"one free event per block freed while locked, none for the churned blocks"
	is "$(log_jq "$log" "$F | map(.attrs | tostring) | unique | join(\" \")")" '["locked"]' \
		'all with attrs ["locked"]'
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-freed")] | length')" \
		"$(cat "$T/out")" "one lock-freed finding per block freed while locked"
fi
# A block that starts below the only tracked page and reaches it: free()'s filter must go by the
# block's extent, not its start (an arena chunk of 3 pages, and a chunk glibc maps on its own,
# whose free unmaps the locked page: the model must forget that lock).
for size in 12288 1048576; do
	L=$T/below$size
	mkdir "$L"
	$bound env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$L" "$PROGS/free_spread" below "$size" >"$T/out" 2>"$T/err"
	is "$?" 0 "free_spread below $size exits 0 under the shim"
	if the_log "$L"; then
		F='[.[] | select(.type == "event" and .op == "free")]'
		is "$(log_jq "$log" "$F | map(.addr | tostring) | join(\" \")")" "$(cat "$T/out")" \
			"below $size: the free of the block that reaches the locked page is recorded"
		is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-freed")] | length')" 1 \
			"below $size: its lock-freed finding"
		if [ "$size" = 1048576 ]; then
			is "$(log_jq "$log" '[.[] | select(.type == "exit")][0].locked_bytes')" 0 \
				"below $size: free unmapped the chunk, and the model forgot its locked page"
		fi
	fi
done
done_testing
