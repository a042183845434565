#!/bin/sh
# The heap rules where glibc puts blocks outside the main arena (tests/progs/heap_thread.c): a
# thread's small block (its arena's heap), a chunk mapped on its own (in a thread and in main), a
# block of a thread arena's second heap: each lock gets its lock-heap warning. The
# malloc wrappers note these heaps and chunks (shim/heapblocks.h) so that the engine reads memory
# only where one may be: a block they missed would lose the finding. A page the thread mapped
# itself gets none.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir
src=$top_srcdir/tests/progs/heap_thread.c

# case_ MODE WANT: run heap_thread MODE under the shim: WANT lock-heap findings in its log.
case_() {
	mkdir "$T/$1"
	run_shimmed "$T/$1" MEMAUDIT_POLICY=audit "$PROGS/heap_thread" "$1" >"$T/$1.out" 2>&1
	st=$?
	if [ "$st" = 77 ]; then
		skip "$1" "the blocks never left the arena's first heap"
		return
	fi
	is "$st" 0 "$1: the program runs, its lock succeeds"
	the_log "$T/$1" || return
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-heap")] | length')" "$2" \
		"$1: $2 lock-heap finding(s)"
}

for m in thread-block thread-chunk main-chunk second-heap; do
	case_ $m 1
done
case_ thread-region 0
done_testing
