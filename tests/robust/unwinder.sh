#!/bin/sh
# With libunwind preloaded beside the shim, in either order, the shim still unwinds with libgcc's
# unwinder (bound by handle, not by the global _Unwind_Backtrace that libunwind also defines), so
# the program's descriptors are what they are without the shim (issue 10 item 11: libunwind 1.6's
# address-check pipe moved them to 5, 6, ...), and the log still has stacks.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_jq
tmpdir

lib=$(find_lib libunwind.so.8)
[ -n "$lib" ] || skip_all "libunwind.so.8 not found (Debian package libunwind8)"

plain=$("$PROGS/fd_numbers")
# 3 4 5 from a shell; make may leave descriptors of its own open
case $plain in
[0-9]*" "[0-9]*" "[0-9]*) pass "without the shim the program gets three descriptors: $plain" ;;
*) fail "without the shim the program gets three descriptors" "got: $plain" ;;
esac
for order in "$lib $MEMAUDIT_SHIM" "$MEMAUDIT_SHIM $lib"; do
	case $order in "$lib"*) what="libunwind first" ;; *) what="the shim first" ;; esac
	rm -rf "$T/logs"
	mkdir "$T/logs"
	got=$(env LD_PRELOAD="$order" MEMAUDIT_LOG_DIR="$T/logs" "$PROGS/fd_numbers")
	is "$got" "$plain" "$what: the same descriptors as without the shim"
	log=$(logs_in "$T/logs")
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 4 \
		"$what: the log has the 4 mlock calls"
	is "$(log_jq "$log" '[.[] | select(.type == "stack") | .frames | length > 0] | all')" true \
		"$what: and their stacks"
done
done_testing
