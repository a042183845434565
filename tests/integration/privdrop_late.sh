#!/bin/sh
# A process that gives up root after it started keeps its whole log: the log grows by opening the
# file by path, which the new user may do because the library gives the log to it first
# (shim/creds.c). 3000 pairs of madvise calls after setresuid(65534) write some 6000 records, far
# past the log's first window.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
is_root || skip_all "needs root, to give root up"
tmpdir
mkdir "$T/logs"
chmod 755 "$T"
chmod 777 "$T/logs"
run_shimmed "$T/logs" "$PROGS/late_drop" 3000 >"$T/out" 2>"$T/err"
is "$?" 0 "the program drops to uid 65534 and runs to its end"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "madvise")] | length')" 6000 \
		"the log holds all 6000 madvise events"
	is "$(log_jq "$log" '[.[] | select(.type == "exit")][0].lost_records')" 0 "no record was lost"
	is "$(stat -c %u "$log")" 65534 "the log belongs to the user the process became"
fi
ok "nothing was said about lost records" test ! -s "$T/err"
done_testing
