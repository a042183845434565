#!/bin/sh
# The shim never allocates from the application's heap: 20 allocations (with frees, a realloc,
# posix_memalign, two mlocks, and the free and the realloc of locked blocks between them, which
# make the shim capture stacks and write records) land at the same distances from the first one,
# and the heap ends (sbrk(0)) at the same distance, with and without the shim.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

compare_runs "heap_layout" "$PROGS/heap_layout"
is "$shim_status" 0 "exit status 0 under the shim"
is "$(wc -l <"$T/shim.out" | tr -d ' ')" 23 "23 offsets printed"
if the_log "$T/cmp.logs" && [ -n "$JQ" ]; then
	is "$(log_jq "$log" '[.[] | select(.type == "event") | .op] | join(" ")')" "mlock free mlock realloc" \
		"the shim recorded the mlocks, the free of the locked block and the realloc of the other"
fi
done_testing
