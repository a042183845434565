#!/bin/sh
# memaudit-trace on the same program linked with gcc -static (no .eh_frame_hdr; the preload
# library sees nothing in it): the same calls, results and stacks as lock.sh checks.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
prog=trace_lock_static
[ -x "$PROGS/$prog" ] || skip_all "no static C library to link $prog with (Debian libc6-dev)"
. "$top_srcdir/tests/trace/lock-body.sh"
djq_is "$T/dump" '[.[] | select(.call == "brk")] | length > 0' true "its brk calls are seen"
done_testing
