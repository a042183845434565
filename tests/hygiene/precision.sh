#!/bin/sh
# Issue 9's precision cases (tests/progs/precision.c): a rule speaks of what the program named,
# never of a neighbour that shares a page with it. Each case that does nothing wrong must get no
# finding of its rule; each true twin must still get it, at the marked line.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
tmpdir
src=$top_srcdir/tests/progs/precision.c

# run MODE [VAR=VALUE...]: run precision MODE under the shim into $T/MODE, report to $T/MODE.json.
# Returns 1 (after a skip) when the allocator did not lay the blocks out as the case needs.
run() {
	mode=$1
	shift
	mkdir -p "$T/$mode"
	run_shimmed "$T/$mode" "$@" "$PROGS/precision" "$mode" >"$T/$mode.out" 2>&1
	is "$?" 0 "$mode: the program runs"
	if grep -q "not on one page" "$T/$mode.out"; then
		skip "$mode: the case itself" "malloc did not put the two blocks on one page"
		return 1
	fi
	make_report "$T/$mode" "$T/$mode.json" "$mode: report"
}

findings() { # MODE RULE: the number of RULE findings (occurrences) of MODE
	"$JQ" "[.processes[].findings[] | select(.rule == \"$2\") | .count] | add // 0" "$T/$1.json"
}

none() { # MODE RULE
	is "$(findings "$1" "$2")" 0 "$1: no $2 finding"
}

# found MODE RULE SEVERITY COUNT: COUNT findings of RULE, the first at the line marked MODE.
found() {
	line=$(marker_line "$src" "precision: $1")
	is "$(findings "$1" "$2")" "$4" "$1: $4 $2 finding(s)"
	jq_is "$T/$1.json" "[.processes[].findings[] | select(.rule == \"$2\")][0] |
		\"\(.severity) \(.frames | map(select(.function == \"main\"))[0].line)\"" "$3 $line" \
		"$1: $2 is a $3 at precision.c:$line"
}

# 1. lock-freed only for the bytes a live lock named: not for a neighbour on the page.
if run lock-freed-neighbour; then
	none lock-freed-neighbour lock-freed
	none lock-freed-neighbour release-unwiped
	is "$(findings lock-freed-neighbour lock-heap)" 1 "lock-freed-neighbour: the lock itself gets its lock-heap warning"
fi
run lock-freed-self && found lock-freed-self lock-freed error 1

# 2. realloc-protected only for a block that is itself protected.
run realloc-neighbour && none realloc-neighbour realloc-protected
run realloc-stale-advice && none realloc-stale-advice realloc-protected
run realloc-self && found realloc-self realloc-protected error 1

# 3. Freeing heap memory under mlockall is normal.
if run lockall-free MEMAUDIT_MEMLOCK_LIMIT=unlimited; then
	none lockall-free lock-freed
	jq_is "$T/lockall-free.json" '[.processes[].findings[] | select(.severity == "error")] | length' 0 \
		"lockall-free: no error finding at all"
fi

# 4. The rest of the same lock is no neighbour: a note of its own, never unlock-collateral.
if run unlock-self; then
	none unlock-self unlock-collateral
	none unlock-self lock-heap # a page-aligned block of a page: its page holds nothing else
	found unlock-self unlock-partial note 1
	jq_is "$T/unlock-self.json" '[.processes[].findings[] | select(.rule == "unlock-partial")][0] |
		.related_frames | map(select(.function == "main"))[0].line' \
		"$(marker_line "$src" "precision: the lock unlock-self cuts short")" "unlock-self: the note names the lock it cut short"
	jq_ok "$T/unlock-self.json" '[.processes[].findings[] | select(.rule == "unlock-partial")][0].message |
		test("names only part of the 4096 bytes locked at .*3996 more bytes")' \
		"unlock-self: the note says how much more it unlocked"
fi
if run unlock-other; then
	found unlock-other unlock-collateral error 1
	jq_is "$T/unlock-other.json" '[.processes[].findings[] | select(.rule == "unlock-collateral")][0] |
		.related_frames | map(select(.function == "main"))[0].line' \
		"$(marker_line "$src" "precision: the lock unlock-other hits")" "unlock-other: it names the other region's lock"
fi

# 5. A refused mlockall sets no MCL_FUTURE: one lock-limit error, not one per heap growth.
if run lockall-refused MEMAUDIT_MEMLOCK_LIMIT=64K; then
	found lockall-refused lock-limit error 1
fi

# 7. release-unwiped reads only the bytes a call named.
if run free-wiped; then
	none free-wiped release-unwiped
	none free-wiped lock-freed
fi

# 8. align-waste only for aligned blocks that are then locked or advised, with the site's totals.
run align-io && none align-io align-waste
if run align-locked; then
	found align-locked align-waste warning 1
	jq_ok "$T/align-locked.json" '[.processes[].findings[] | select(.rule == "align-waste")][0].message |
		test("10 page-aligned allocations here, 10 of them then locked or advised: those reserve 40960 bytes for 5120 requested")' \
		"align-locked: the message has the site's totals"
fi
done_testing
