#!/bin/sh
# The examples as a whole: the recommended pattern (examples/good_pool.c: one guarded mmap pool,
# locked and marked DONTDUMP once, sub-allocated, wiped, unlocked, unmapped) gives no finding of
# any severity; the s2n-style misuse (examples/s2n_style.c) gives the findings it deserves.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
ex=$top_builddir/examples
[ -x "$ex/good_pool" ] && [ -x "$ex/s2n_style" ] || skip_all "the examples are not built"
tmpdir
mkdir "$T/good" "$T/bad"

run_shimmed "$T/good" "$ex/good_pool" >"$T/out" 2>&1
is "$?" 0 "good_pool runs"
if make_report "$T/good" "$T/good.json" "good_pool: report"; then
	jq_is "$T/good.json" '[.processes[].findings[]] | length' 0 "good_pool: no finding of any severity"
	jq_is "$T/good.json" '[.processes[].sites[] | select(.op == "mlock")] | length > 0' true \
		"good_pool: its lock is seen"
fi

run_shimmed "$T/bad" MEMAUDIT_MEMLOCK_LIMIT=unlimited "$ex/s2n_style" >"$T/out" 2>&1
if make_report "$T/bad" "$T/bad.json" "s2n_style: report"; then
	for rule in advise-unaligned lock-freed lock-heap call-failed; do
		jq_is "$T/bad.json" "[.processes[].findings[] | select(.rule == \"$rule\")] | length > 0" true \
			"s2n_style: $rule"
	done
fi
done_testing
