#!/bin/sh
# Issue 10, item 7: under `ulimit -n 4` a program opens files until it cannot: it gets the same
# descriptors with the shim as without (the log holds none), and the log still has every event:
# the shim's momentary descriptors come from a private descriptor table (shim/logwriter/logfile.h).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

bounded 60
mkdir "$T/l"
# Descriptors 3 to 9 that the test harness may pass down (make's jobserver) are closed first.
$bound sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- && ulimit -n 4 && exec "$@"' sh "$PROGS/log_stress" fdlimit 2000 >"$T/plain.out" 2>"$T/plain.err"
is "$?" 0 "without the shim: exit status 0"
$bound sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- && ulimit -n 4 && exec env LD_PRELOAD="$0" MEMAUDIT_LOG_DIR="$1" "$2" fdlimit 2000' \
	"$MEMAUDIT_SHIM" "$T/l" "$PROGS/log_stress" >"$T/shim.out" 2>"$T/shim.err"
is "$?" 0 "with the shim: exit status 0"
diag_file "$T/shim.err"
same_file "$T/shim.out" "$T/plain.out" "the same descriptors, the same failure, with and without the shim"
n=$(sed -n 's/.*events \([0-9]*\)$/\1/p' "$T/plain.out")
if the_log "$T/l"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event")] | length')" "$n" "the log has all $n events"
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.lost_records)"')" "exit 0" "its exit record: none lost"
fi
is "$(cat "$T/shim.err")" "" "nothing said on stderr"
done_testing
