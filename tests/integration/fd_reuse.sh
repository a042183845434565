#!/bin/sh
# A program that closes every descriptor above 2 and then opens its own files (they get 3 and 4)
# must find them untouched by the shim: nothing read from its read-only file A (offset still 0),
# nothing written into its file B (still empty), however deep its stack. The shim's log survives
# the close (close_fds.sh); this checks that nothing else the shim uses keeps old descriptor numbers.
#
# A regression test: with libunwind 1.6 as the unwinder, its address checks did read(2) and
# write(2) on a private pipe created at the first stack capture; once the program had closed that
# pipe's descriptors and reused the numbers, libunwind read the program's file A and wrote bytes of
# the program's stack memory into its file B (shim/stack.c).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

mkdir "$T/logs"
run_plain "$PROGS/fd_reuse" "$T/A" "$T/B" >"$T/plain.out" 2>"$T/plain.err"
is "$?" 0 "without the shim: exit status 0"
is "$(cat "$T/plain.out")" "a=3 b=4 a_offset=0 b_size=0 failed=0" \
	"without the shim: the files are descriptors 3 and 4, untouched"
run_shimmed "$T/logs" "$PROGS/fd_reuse" "$T/A" "$T/B" >"$T/shim.out" 2>"$T/shim.err"
is "$?" 0 "with the shim: exit status 0"

same_file "$T/shim.out" "$T/plain.out" \
	"with the shim: the same descriptors, nothing read from A, nothing written to B"
is "$(count_logs "$T/logs")" 1 "the shimmed run wrote its log"
done_testing
