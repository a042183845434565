#!/bin/sh
# memaudit-trace on a normal (dynamic) C program: the per-allocation mlock loop and an unaligned
# MADV_DONTDUMP, each call with its result and a stack that starts at the program's own line;
# the command's output and exit status pass through.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
prog=trace_lock
. "$top_srcdir/tests/trace/lock-body.sh"
done_testing
