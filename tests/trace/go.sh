#!/bin/sh
# memaudit-trace on a Go program (raw system calls through package syscall: the preload library
# sees none): the per-allocation mlock loop, an unaligned MADV_DONTDUMP and the unlocks, with
# their results and stacks that start in the program's own functions at their lines (Go's syscall
# wrappers trimmed; the frame-pointer walk). Built here with Debian's golang-go, standard library
# only, offline; skipped when go is absent.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
src=$top_srcdir/tests/progs/go_lock.go
build_go_lock "$T/go_lock"
run_traced "$T/dump" "$T/go_lock" 100 >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0 passes through"
"$T/go_lock" 100 >"$T/plain"
same_file "$T/out" "$T/plain" "the same output as without the supervisor"
is "$(dump_calls "$T/dump" mlock | wc -l | tr -d ' ')" 100 "100 mlock calls"
is "$(dump_calls "$T/dump" mlock | "$JQ" -c 'select(.ret != 0)' | wc -l | tr -d ' ')" 0 "all of them returned 0"
is "$(frame0 "$T/dump" mlock | sort -u)" "main.lockAll $(site "$src" 'go_lock: mlock site')" \
	"every mlock's stack starts at main.lockAll, at the line of the call"
djq_is "$T/dump" '[.[] | select(.call == "mlock") | .stack[1].function] | unique | join(" ")' main.main \
	"then main.main"
djq_is "$T/dump" '.[] | select(.call == "madvise" and .args[2] == 16) | "\(.ret) \(.errno)"' "-22 22" \
	"the unaligned MADV_DONTDUMP: EINVAL"
is "$(frame0 "$T/dump" madvise | tail -n 1)" "main.main $(site "$src" 'go_lock: madvise site')" \
	"its stack starts at main.main, at the line of the call"
is "$(dump_calls "$T/dump" munlock | "$JQ" -c 'select(.ret == 0)' | wc -l | tr -d ' ')" 100 \
	"100 munlock calls returned 0"
is "$(frame0 "$T/dump" munlock | sort -u)" "main.main $(site "$src" 'go_lock: munlock site')" \
	"every munlock's stack starts at main.main, at the line of the call"
djq_is "$T/dump" '[.[] | select(.event == "call") | .stack[0].function // "" | select(startswith("syscall.") or startswith("runtime/internal/syscall."))] | length' 0 \
	"no stack starts in Go's syscall wrappers"
djq_is "$T/dump" '[.[] | select(.call == "mmap" and .ret > 0) | .stack[].function | select(startswith("runtime."))] | length > 0' true \
	"the Go runtime's own mappings have its frames"
djq_is "$T/dump" '.[] | select(.event == "exit") | .status' 0 "exit event: status 0"
done_testing
