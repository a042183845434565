#!/bin/sh
# madvise(MADV_DONTDUMP) on a heap pointer that is not page-aligned: the kernel says EINVAL, and
# under the shim the program still gets EINVAL (audit policy passes the call through). The log has
# the failed event with errno 22, and the report's madvise site counts it: failures {"EINVAL": 1}.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

src=$top_srcdir/tests/progs/madvise_unaligned.c
line=$(marker_line "$src" "madvise_unaligned: madvise site")

compare_runs "madvise_unaligned" "$PROGS/madvise_unaligned"
is "$(cat "$T/plain.out")" "madvise returned -1 errno 22" "without the shim: EINVAL"
is "$(cat "$T/shim.out")" "madvise returned -1 errno 22" "with the shim: still EINVAL"
is "$shim_status" 0 "exit status 0 under the shim"

if the_log "$T/cmp.logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "madvise")] | length')" 1 \
		"the log has one madvise event"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "madvise")][0] | [.ok, .errno, .advice, .len] | map(tostring) | join(" ")')" \
		"false 22 16 64" "it failed with errno 22 (EINVAL), advice 16 (MADV_DONTDUMP), len 64"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "madvise")][0].addr % 4096 != 0')" true \
		"its address is not page-aligned"
fi

if [ -z "$MEMAUDIT_REPORT" ] || [ ! -x "$MEMAUDIT_REPORT" ]; then
	skip "the report's madvise site" "memaudit-report is not built"
elif make_report "$T/cmp.logs" "$T/r.json" "memaudit-report --format json reads the log"; then
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "madvise")] | length' 1 "one madvise site"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "madvise")][0].calls' 1 "with one call"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "madvise")][0].failures' \
		"$("$JQ" -n '{"EINVAL": 1}')" 'its failures are {"EINVAL": 1}'
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "madvise")][0].frames[0] | "\(.function) \(.line)"' \
		"main $line" "its innermost frame is main() at the madvise line ($line)"
fi
done_testing
