#!/bin/sh
# memaudit-trace sees system calls made with an inline `syscall` instruction (no libc, no
# preload library sees them): a raw munlock and a raw mlock after two libc mlocks, in order,
# with their results and a stack at the asm statement; the locked pages they leave are the ones
# the kernel reports (VmLck).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
src=$top_srcdir/tests/progs/trace_raw.c
run_traced "$T/dump" "$PROGS/trace_raw" >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
pg=$(getconf PAGESIZE)
# the lock calls on the program's three pages (base: the first mlock's address), in order
djq_is "$T/dump" "[.[] | select(.call == \"mlock\" or .call == \"munlock\")] as \$c | \$c[0].args[0] as \$b
	| [\$c[] | \"\(.call) \((.args[0] - \$b) / $pg) \(.ret)\"] | join(\", \")" \
	"mlock 0 0, mlock 1 0, munlock 0 0, mlock 2 0" "the four calls in order, with their results"
djq_is "$T/dump" '[.[] | select(.call == "munlock")][0].stack[0] | "\(.function) \(.file | split("/") | last):\(.line)"' \
	"raw2 $(site "$src" 'trace_raw: syscall instruction')" "the raw munlock's stack starts at the syscall instruction"
djq_is "$T/dump" '[.[] | select(.call == "munlock")][0].stack[1].function' main "called from main"
djq_is "$T/dump" '[.[] | select(.call == "mlock")][0].stack[0] | "\(.function) \(.file | split("/") | last):\(.line)"' \
	"main $(site "$src" 'trace_raw: libc mlock 1')" "the libc mlock's stack starts at main's line"
is "$(sed -n 's/^vmlck //p' "$T/out" | tr '\n' ' ')" "$((2 * pg)) $((2 * pg)) " \
	"the kernel: two pages locked before and after (a different second page)"
done_testing
