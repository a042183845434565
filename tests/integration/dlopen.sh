#!/bin/sh
# A dlopen'd module (progs/libsecret.so, dlclose'd before exit) whose function locks memory: the
# report's mlock site names that function, its file (libsecret.c) and line, and the module; the
# next frame is main() in dlopen_secret.c.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
tmpdir

lib=$PROGS/.libs/libsecret.so
[ -f "$lib" ] || skip_all "$lib is not built"
src=$top_srcdir/tests/progs/libsecret.c
line=$(marker_line "$src" "libsecret: mlock site")

compare_runs "dlopen_secret" "$PROGS/dlopen_secret" "$lib"
is "$(cat "$T/shim.out")" "secret_lock returned 0" "secret_lock succeeded under the shim"

L=$T/cmp.logs
if the_log "$L"; then
	is "$(log_jq "$log" '[.[] | select(.type == "module" and (.path | endswith("/libsecret.so")))] | length')" 1 \
		"the log names the module libsecret.so"
fi

if make_report "$L" "$T/r.json" "memaudit-report --format json reads the log"; then
	S='[.processes[0].sites[] | select(.op == "mlock")]'
	jq_is "$T/r.json" "$S | length" 1 "one mlock site"
	jq_is "$T/r.json" "$S[0].calls" 1 "with one call"
	jq_is "$T/r.json" "$S[0].frames[0].function" secret_lock "the innermost frame is secret_lock()"
	jq_ok "$T/r.json" "$S[0].frames[0].file | endswith(\"libsecret.c\")" "in libsecret.c"
	jq_is "$T/r.json" "$S[0].frames[0].line" "$line" "at the mlock line ($line)"
	jq_ok "$T/r.json" "$S[0].frames[0].module | endswith(\"libsecret.so\")" "in the module libsecret.so"
	jq_is "$T/r.json" "$S[0].frames[1].function" main "the next frame is main()"
	jq_ok "$T/r.json" "$S[0].frames[1].file | endswith(\"dlopen_secret.c\")" "in dlopen_secret.c"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "munlock")][0].frames[0].function' secret_lock \
		"the munlock site is in secret_lock() too"
fi
done_testing
