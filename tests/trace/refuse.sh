#!/bin/sh
# Refusing a call (the mechanics of the enforce policy): with --refuse munlock=EPERM the program's
# munlock fails with EPERM without running (its page stays locked, VmLck says so), and the dump
# marks the call refused.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
require_lockable
tmpdir
$bound "$MEMAUDIT_TRACE" --dump "$T/dump" --refuse munlock=EPERM -- "$PROGS/trace_misc" refused >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0"
pg=$(getconf PAGESIZE)
is "$(cat "$T/out")" "mlock 0
munlock -1 errno 1
vmlck $pg" "munlock failed with EPERM and the page is still locked"
djq_is "$T/dump" '.[] | select(.call == "munlock") | "\(.ret) \(.errno) \(.refused)"' "-1 1 true" \
	"the dump: refused, -EPERM"
djq_is "$T/dump" '.[] | select(.call == "mlock") | "\(.ret) \(.refused)"' "0 false" "mlock ran"
"$MEMAUDIT_TRACE" --refuse munlock=ESOMETHING -- true 2>"$T/bad"
is "$?" 2 "a bad --refuse is a usage error"
done_testing
