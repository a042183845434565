#!/bin/sh
# A library loaded with dlopen after the first traced call: the supervisor reads the process's
# modules again (its cached libdwfl view is invalidated when code may have been mapped), so the
# library's mlock has a stack that starts in the library's function, at its line.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
require_lockable
tmpdir
lib=$PROGS/.libs/libsecret.so
[ -r "$lib" ] || skip_all "$lib is not built"
run_traced "$T/dump" "$PROGS/dlopen_secret" "$lib" >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
is "$(frame0 "$T/dump" mlock)" "secret_lock $(site "$top_srcdir/tests/progs/libsecret.c" 'libsecret: mlock site')" \
	"the library's mlock: secret_lock, at the line of the call"
djq_is "$T/dump" '.[] | select(.call == "mlock") | .stack[1].function' main "called from main"
done_testing
