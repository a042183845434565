#!/bin/sh
# memaudit-trace works unprivileged (uid 65534, no capabilities: no_new_privs lets it install the
# filter), and under `ulimit -l 64` the traced program's failing mlock is the kernel's: the same
# index and ENOMEM as the same program without the supervisor, with the result in the dump.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
if ! can_run_as_user "unprivileged run"; then
	done_testing
fi
chmod 711 "$T"
mkdir "$T/u" && chmod 777 "$T/u"
as_user 64 $bound "$MEMAUDIT_TRACE" --dump "$T/u/dump" -- "$PROGS/trace_lock" 100000 >"$T/out" 2>"$T/err"
is "$?" 1 "exit status 1 passes through (the program's failing mlock)"
as_user 64 "$PROGS/trace_lock" 100000 >"$T/plain" 2>&1
same_file "$T/out" "$T/plain" "the same failure as without the supervisor"
ok "it is ENOMEM" grep -q 'errno=12' "$T/out"
djq_is "$T/u/dump" '[.[] | select(.call == "mlock")] | last | "\(.ret) \(.errno)"' "-12 12" \
	"the dump's last mlock: ENOMEM"
djq_is "$T/u/dump" '[.[] | select(.call == "mlock" and .ret == 0)] | length' \
	"$(sed -n 's/^mlock failed at i=\([0-9]*\) .*/\1/p' "$T/plain")" "as many successful mlocks as the kernel allowed"
ok "no error on stderr" test ! -s "$T/err"
done_testing
