#!/bin/sh
# LD_PRELOAD="libtcmalloc.so.4 libmemaudit.so" (and the other order): tcmalloc takes stacks with
# libunwind while it grows its heap, libunwind calls sysconf (a wrapper), and the shim starts there;
# its first unwind must not wait on libunwind's lock, held by that same thread (issue 10 item 2:
# every program, /bin/true too, hung before main). Each run bounded in time.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/robust/lib-runs.sh"
require_jq
require_timeout
tmpdir

lib=$(find_lib libtcmalloc.so.4)
[ -n "$lib" ] || skip_all "libtcmalloc.so.4 not found (Debian package libgoogle-perftools4)"

plain=$(env LD_PRELOAD="$lib" "$PROGS/fd_numbers")
for order in "$lib $MEMAUDIT_SHIM" "$MEMAUDIT_SHIM $lib"; do
	case $order in "$lib"*) what="tcmalloc first" ;; *) what="the shim first" ;; esac
	rm -rf "$T/logs"
	mkdir "$T/logs"
	timeout -k 5 "${ROBUST_TIMEOUT:-20}" env LD_PRELOAD="$order" MEMAUDIT_LOG_DIR="$T/logs" true
	is "$?" 0 "$what: true exits 0 (124 or 137: it hung)"
	rm -rf "$T/logs"
	mkdir "$T/logs"
	got=$(timeout -k 5 "${ROBUST_TIMEOUT:-20}" env LD_PRELOAD="$order" MEMAUDIT_LOG_DIR="$T/logs" \
		"$PROGS/fd_numbers")
	is "$got" "$plain" "$what: fd_numbers runs and prints what it prints under tcmalloc alone"
	log=$(logs_in "$T/logs")
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 4 \
		"$what: the log has the 4 mlock calls"
	is "$(log_jq "$log" '.[-1].type')" exit "$what: and its exit record"
done
done_testing
