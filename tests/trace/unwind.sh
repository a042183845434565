#!/bin/sh
# The cached unwinder of C stacks (tools/trace_cfi.c) gives libdwfl's frames: memaudit-trace
# --check-unwind unwinds every C stack of the traced calls both ways and counts the stacks that
# differ. On a PIE program built with -O2 (no frame pointers: CFI only), the same program linked
# with gcc -static (no .eh_frame_hdr), threads (start_thread's outermost frame), a fork/exec tree
# and a shell running ls (ld.so's start-up calls, whose outermost frame has no CFI). Go stacks
# take the frame-pointer walk (go.sh), not these.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
T=$(tmpdir)

# check NAME CMD...: none of CMD's C stacks differ, and the cached steps unwound most of them
check() {
	_name=$1
	shift
	$bound "$MEMAUDIT_TRACE" --check-unwind --dump "$T/dump" -- "$@" >/dev/null 2>"$T/err"
	_line=$(sed -n 's/^memaudit-trace: unwind check: \([0-9]*\) C stacks, \([0-9]*\) from cached steps, \([0-9]*\) differ$/\1 \2 \3/p' "$T/err")
	set -- $_line
	if [ $# -ne 3 ]; then
		fail "$_name: the check's report" "stderr: $(cat "$T/err")"
		return
	fi
	is "$3" 0 "$_name: no stack differs from libdwfl's ($1 stacks)"
	ok "$_name: the cached steps unwound at least half of them ($2 of $1)" test "$1" -gt 0 -a "$((2 * $2))" -ge "$1"
}

check "PIE -O2" "$PROGS/trace_lock_o2" 50
if [ -x "$PROGS/trace_lock_static" ]; then
	check "static" "$PROGS/trace_lock_static" 50
else
	skip "static: no static C library (Debian libc6-dev)"
fi
check "threads" "$PROGS/trace_threads"
check "fork/exec tree" "$PROGS/trace_tree"
check "sh running ls" /bin/sh -c 'ls / >/dev/null'
done_testing
