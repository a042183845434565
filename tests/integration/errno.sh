#!/bin/sh
# errno preservation: the shim leaves errno exactly as the C library does, after successful and
# failing wrapped calls alike (errno_check sets errno to 1234 before each call and prints it after).
# Also under MEMAUDIT_POLICY=off and with the log directory's records being written.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

compare_runs "errno_check" "$PROGS/errno_check"
is "$shim_status" 0 "exit status 0 under the shim"
# The program's own expectations, so a C library that changes errno on success does not pass
# vacuously: the successful calls of glibc leave the sentinel.
is "$(grep -c 'errno=1234' "$T/plain.out")" "$(grep -c 'errno=1234' "$T/shim.out")" \
	"as many calls leave errno untouched with the shim as without"
if grep -q '(ok)' "$T/plain.out"; then
	bad=$(grep '(ok)' "$T/plain.out" | grep -v 'ret=0 errno=1234' || true)
	is "$bad" "" "without the shim, every successful call returns 0 and leaves errno alone (sanity)"
fi
the_log "$T/cmp.logs"

# The same under policy off (no auditing: the wrappers forward only).
mkdir "$T/off"
run_shimmed "$T/off" MEMAUDIT_POLICY=off "$PROGS/errno_check" >"$T/off.out" 2>"$T/off.err"
same_file "$T/off.out" "$T/plain.out" "MEMAUDIT_POLICY=off: the same output as without the shim"
done_testing
