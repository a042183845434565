#!/bin/sh
# A traced call that waits for another thread of its process (an mlock faulting in a userfaultfd
# page whose handler thread first makes a traced mmap): holding that thread behind the call in
# flight, to keep the kernel's order, would wait for ever; after the hold's time limit the
# supervisor lets it go, and the program completes with both calls in the dump.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
require_lockable
tmpdir
"$PROGS/trace_uffd" >"$T/plain" 2>&1
[ $? = 77 ] && skip_all "userfaultfd is not available here"
run_traced "$T/dump" "$PROGS/trace_uffd" >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0 (no deadlock)"
is "$(cat "$T/out")" "mlock 0" "the mlock succeeded"
src=$top_srcdir/tests/progs/trace_uffd.c
is "$(frame0 "$T/dump" mlock)" "main $(site "$src" 'trace_uffd: mlock that waits for the handler')" \
	"the mlock, with its stack"
djq_is "$T/dump" '[.[] | select(.event == "call")] | (map(.call == "mlock") | index(true)) as $m
	| [.[$m + 1:][] | select(.call == "mmap" and .stack[0].function == "handler")] | length' 0 \
	"the handler's mmap entered before the mlock's exit (it was let go), so it is listed first"
djq_is "$T/dump" '[.[] | select(.call == "mmap" and .stack[0].function == "handler" and .ret > 0)] | length' 1 \
	"the handler's mmap, with its stack and result"
done_testing
