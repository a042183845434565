#!/bin/sh
# syscall(2): lock, advise and map numbers are audited (via "syscall" in the log) and behave as
# without the shim; unrelated numbers (getpid, write) are forwarded with their arguments and
# result intact, and not logged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

compare_runs "syscall_check" "$PROGS/syscall_check"
is "$shim_status" 0 "exit status 0 under the shim"
ok "syscall(SYS_getpid) returns getpid() under the shim" grep -q '^getpid  *same=1$' "$T/shim.out"
ok "syscall(SYS_write, 1, ...) writes under the shim" grep -q '^write via syscall$' "$T/shim.out"
ok "syscall(SYS_mlock2, ..., 0) succeeds under the shim" grep -q '^mlock2 0  *ret=0 errno=0$' "$T/shim.out"
ok "syscall(SYS_mlock2, ..., 0x80) fails with EINVAL under the shim" \
	grep -q '^mlock2 bad flags  *ret=-1 errno=22$' "$T/shim.out"

if the_log "$T/cmp.logs"; then
	E='[.[] | select(.type == "event")]'
	is "$(log_jq "$log" "$E | map(.op) | join(\" \")")" "mmap mlock2 mlock2 mlock2 munlock mmap munmap munmap" \
		"the audited calls, in order (getpid and write are not logged)"
	is "$(log_jq "$log" "$E | map(select(.op == \"mlock2\") | \"\(.via) \(.ok) \(.errno) \(.flags)\") | join(\",\")")" \
		"syscall true 0 0,syscall true 0 1,syscall false 22 128" \
		"the three mlock2 calls: via syscall, flags 0, MLOCK_ONFAULT, bad flags (EINVAL)"
	is "$(log_jq "$log" "$E | map(select(.op == \"munlock\") | .via) | join(\" \")")" syscall \
		"munlock via syscall"
	is "$(log_jq "$log" "$E | map(select(.op == \"mmap\") | .via // \"libc\") | join(\" \")")" "libc syscall" \
		"one mmap through libc, one via syscall"
	is "$(log_jq "$log" "$E | map(select(.op == \"mmap\" and .via == \"syscall\"))[0] as \$m | $E | map(select(.op == \"munmap\" and .via == \"syscall\"))[0].addr == \$m.result")" true \
		"the syscall munmap unmaps what the syscall mmap returned"
	is "$(log_jq "$log" "$E | map(select(.op == \"mlock2\" and .ok)) | map(.charged) | join(\" \")")" "1 1" \
		"each successful mlock2 charged one page"
fi
done_testing
