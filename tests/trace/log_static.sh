#!/bin/sh
# memaudit-trace's memaudit log of trace_lock linked with gcc -static (the preload library sees
# nothing in it): calls, results, stacks, findings and the kernel's failing call (log-body.sh).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
prog=$PROGS/trace_lock_static
[ -x "$prog" ] || skip_all "no static C library to link trace_lock_static with (Debian libc6-dev)"
src=$top_srcdir/tests/progs/trace_lock.c mark=trace_lock lock_fn=main advise_fn=dontdump size=
. "$top_srcdir/tests/trace/log-body.sh"
done_testing
