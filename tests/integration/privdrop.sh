#!/bin/sh
# What a user sees: as root (CAP_IPC_LOCK, no limit) 10000 x (malloc(32) + mlock) succeed; a user
# under RLIMIT_MEMLOCK 64 KiB fails at the 1352nd mlock (i = 1351, /work/shared/KERNEL.md; 670th
# under 32 KiB). Privileges are dropped with setpriv (uid/gid 65534, no capabilities). Under the
# shim the unprivileged program fails at the same iteration as without it, and the log records
# the failing call with ENOMEM. The report of the privileged run predicts the same call in its
# what-if table. Needs root and setpriv: SKIP (never PASS) otherwise.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
is_root || skip_all "not root: cannot drop privileges to compare"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) not found"
tmpdir

# Everything uid 65534 needs, where it can read it: the program and the shim, copied.
chmod 755 "$T"
mkdir "$T/bin" "$T/logs" "$T/logs32"
cp "$PROGS/lock_loop" "$T/bin/"
cp "$MEMAUDIT_SHIM" "$T/bin/libmemaudit.so"
chmod 755 "$T/bin" "$T/bin/lock_loop"
chmod 644 "$T/bin/libmemaudit.so"
chmod 1777 "$T/logs" "$T/logs32"


as_user 64 "$T/bin/lock_loop" 1 >"$T/probe.out" 2>&1 ||
	skip_all "cannot run a program as uid 65534 here: $(head -c 300 "$T/probe.out")"
as_user 64 sh -c 'grep "^CapEff:" /proc/self/status' >"$T/caps" 2>&1
grep -q '^CapEff:[[:space:]]*0*$' "$T/caps" || skip_all "privileges were not dropped: $(cat "$T/caps")"

# Without the shim: the kernel's answer.
as_user 64 "$T/bin/lock_loop" 10000 >"$T/plain.out" 2>"$T/plain.err"
plain_status=$?
is "$plain_status" 1 "without the shim, as a user under 64 KiB: lock_loop fails (status 1)"
n=$(sed -n 's/^mlock failed at i=\([0-9]*\) errno=12 ENOMEM$/\1/p' "$T/plain.out")
if [ -n "$n" ]; then
	pass "without the shim: the failing mlock gets ENOMEM (i=$n)"
else
	fail "without the shim: the failing mlock gets ENOMEM" "output: $(cat "$T/plain.out")"
	done_testing
fi
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null)
if [ "$(getconf PAGESIZE)" = 4096 ] && [ "$glibc" = "glibc 2.36" ]; then
	is "$n" 1351 "without the shim: the 1352nd mlock fails, as measured in KERNEL.md"
else
	skip "the 1352nd mlock fails, as measured in KERNEL.md" "measured for glibc 2.36 and 4 KiB pages, not $glibc, $(getconf PAGESIZE)"
fi

# With the shim.
as_user 64 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/logs" \
	"$T/bin/lock_loop" 10000 >"$T/shim.out" 2>"$T/shim.err"
is "$?" "$plain_status" "with the shim: the same exit status"
same_file "$T/shim.out" "$T/plain.out" "with the shim: fails at the same iteration (i=$n)"
[ -s "$T/shim.err" ] && diag_file "$T/shim.err"

if the_log "$T/logs"; then
	is "$(log_jq "$log" '.[0].memlock | "\(.cap_ipc_lock) \(.soft) \(.simulated)"')" "false 65536 65536" \
		"log header: no CAP_IPC_LOCK, soft limit 65536, simulated 65536"
	M='[.[] | select(.type == "event" and .op == "mlock")]'
	is "$(log_jq "$log" "$M | length")" $((n + 1)) "the log has $((n + 1)) mlock events"
	is "$(log_jq "$log" "$M | map(select(.ok)) | length")" "$n" "the first $n succeeded"
	is "$(log_jq "$log" "$M[-1] | \"\(.ok) \(.errno)\"")" "false 12" "the last one failed with ENOMEM (12)"
	is "$(log_jq "$log" "$M[-2].locked_bytes")" 65536 "memaudit's own count before it: 64 KiB locked"
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.status)"')" "exit 1" "exit record with status 1"
fi

# 32 KiB for the what-if check below.
as_user 32 "$T/bin/lock_loop" 10000 >"$T/plain32.out" 2>&1
n32=$(sed -n 's/^mlock failed at i=\([0-9]*\) errno=12 ENOMEM$/\1/p' "$T/plain32.out")

if [ -z "$MEMAUDIT_REPORT" ] || [ ! -x "$MEMAUDIT_REPORT" ]; then
	skip "the report of the unprivileged and privileged runs" "memaudit-report is not built"
	done_testing
fi
# whatif_todo FILE: the what-if tests are TODO while the report has no what-if table at all.
whatif_todo() {
	"$JQ" -e '.processes[0].whatif | length > 0' "$1" >/dev/null 2>&1 ||
		TODO="memaudit-report has no what-if table yet"
}

if make_report "$T/logs" "$T/r.json" "memaudit-report --format json reads the unprivileged log"; then
	S='[.processes[0].sites[] | select(.op == "mlock")]'
	jq_is "$T/r.json" "$S | length" 1 "one mlock site"
	jq_is "$T/r.json" "$S[0].calls" $((n + 1)) "with $((n + 1)) calls"
	jq_is "$T/r.json" "$S[0].failures" "$("$JQ" -n '{"ENOMEM": 1}')" 'failures {"ENOMEM": 1}'
	whatif_todo "$T/r.json"
	jq_is "$T/r.json" '.processes[0].whatif[] | select(.limit == 65536) | .call' $((n + 1)) \
		"what-if 64 KiB: call $((n + 1)), where the kernel failed it"
	TODO=
fi

# The privileged run never fails; its what-if table must predict where a user's would.
mkdir "$T/rootlogs"
run_shimmed "$T/rootlogs" "$PROGS/lock_loop" 10000 >"$T/root.out" 2>&1
is "$(cat "$T/root.out")" "locked 10000" "as root under the shim: all 10000 locks succeed"
if [ -z "$n32" ]; then
	fail "the user's run under 32 KiB fails" "output: $(cat "$T/plain32.out")"
	n32=-2
fi
if make_report "$T/rootlogs" "$T/root.json" "memaudit-report --format json reads the privileged log"; then
	whatif_todo "$T/root.json"
	jq_is "$T/root.json" '.processes[0].whatif[] | select(.limit == 65536) | .call' $((n + 1)) \
		"privileged run, what-if 64 KiB: call $((n + 1)), the one the kernel refused the user"
	jq_is "$T/root.json" '.processes[0].whatif[] | select(.limit == 32768) | .call' $((n32 + 1)) \
		"privileged run, what-if 32 KiB: call $((n32 + 1)), the one the kernel refused the user"
	jq_is "$T/root.json" '.processes[0].whatif[] | select(.limit == 8388608) | .call' null \
		"privileged run, what-if 8 MiB: no call fails"
	jq_ok "$T/root.json" '.processes[0].whatif[] | select(.limit == 65536) | .frames[0] | .function == "main" and (.file | endswith("lock_loop.c"))' \
		"privileged run, what-if 64 KiB: the failing call's site is main() in lock_loop.c"
	TODO=
fi
done_testing
