#!/bin/sh
# enforce against the kernel: as root, with MEMAUDIT_POLICY=enforce and a simulated
# RLIMIT_MEMLOCK, lock_loop must fail at the same iteration and print the same message as the
# real kernel makes it fail for an unprivileged user with that `ulimit -l` (64 KiB, 32 KiB, 0);
# mlockall(MCL_CURRENT) likewise. The kernel's side runs with privileges dropped by setpriv, so
# this test needs root: SKIP (never PASS) otherwise.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
is_root || skip_all "not root: cannot drop privileges to ask the kernel"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) not found"
tmpdir
chmod 755 "$T"
mkdir "$T/bin" "$T/logs"
cp "$PROGS/lock_loop" "$PROGS/lockall" "$T/bin/"
chmod 755 "$T/bin" "$T/bin/lock_loop" "$T/bin/lockall"

as_user 64 "$T/bin/lock_loop" 1 >"$T/probe" 2>&1 || skip_all "cannot run as uid 65534: $(head -c 200 "$T/probe")"

for kib in 64 32 0; do
	as_user "$kib" "$T/bin/lock_loop" 10000 >"$T/kernel.$kib" 2>&1
	kst=$?
	rm -rf "$T/logs"/*
	run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT="${kib}K" \
		"$PROGS/lock_loop" 10000 >"$T/shim.$kib" 2>"$T/shim.$kib.err"
	sst=$?
	ok "limit ${kib} KiB: the kernel refuses a lock (status 1)" test "$kst" = 1
	same_file "$T/shim.$kib" "$T/kernel.$kib" "limit ${kib} KiB: enforce fails at the kernel's iteration with its message ($(cat "$T/kernel.$kib"))"
	is "$sst" "$kst" "limit ${kib} KiB: the same exit status"
	if the_log "$T/logs"; then
		is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .injected == true)] | length')" 1 \
			"limit ${kib} KiB: exactly one refused call, marked injected, never made"
		is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-limit")] | length')" 1 \
			"limit ${kib} KiB: one lock-limit finding"
		is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "call-failed")] | length')" 1 \
			"limit ${kib} KiB: one call-failed finding"
	fi
	ok "limit ${kib} KiB: enforce prints the finding on stderr" grep -q 'error: lock-limit' "$T/shim.$kib.err"
done

# mlockall(MCL_CURRENT) is checked against the whole address space: ENOMEM at 64 KiB.
as_user 64 "$T/bin/lockall" current >"$T/kernel.all" 2>&1
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lockall" current \
	>"$T/shim.all" 2>/dev/null
same_file "$T/shim.all" "$T/kernel.all" "mlockall(MCL_CURRENT) at 64 KiB: $(cat "$T/kernel.all")"
as_user 0 "$T/bin/lockall" current >"$T/kernel.all0" 2>&1
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=0 "$PROGS/lockall" current \
	>"$T/shim.all0" 2>/dev/null
same_file "$T/shim.all0" "$T/kernel.all0" "mlockall(MCL_CURRENT) at limit 0: $(cat "$T/kernel.all0")"
as_user 64 "$T/bin/lockall" future >"$T/kernel.fut" 2>&1
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lockall" future \
	>"$T/shim.fut" 2>/dev/null
same_file "$T/shim.fut" "$T/kernel.fut" "mlockall(MCL_FUTURE) at 64 KiB: $(cat "$T/kernel.fut")"
# MCL_FUTURE charges later mappings: a 1 MiB mmap over a 64 KiB limit gets EAGAIN
as_user 64 "$T/bin/lockall" future-map >"$T/kernel.fmap" 2>&1
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lockall" future-map \
	>"$T/shim.fmap" 2>/dev/null
same_file "$T/shim.fmap" "$T/kernel.fmap" "mlockall(MCL_FUTURE), then mmap at 64 KiB: $(cat "$T/kernel.fmap")"
# ... and the heap's growth: malloc returns NULL where the kernel refuses brk and mmap
as_user 64 "$T/bin/lockall" future-malloc >"$T/kernel.fmal" 2>&1
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lockall" future-malloc \
	>"$T/shim.fmal" 2>/dev/null
same_file "$T/shim.fmal" "$T/kernel.fmal" "mlockall(MCL_FUTURE), then malloc at 64 KiB: $(cat "$T/kernel.fmal")"
as_user 8192 "$T/bin/lockall" future-malloc >"$T/kernel.fmal8" 2>&1
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=8M "$PROGS/lockall" future-malloc \
	>"$T/shim.fmal8" 2>/dev/null
same_file "$T/shim.fmal8" "$T/kernel.fmal8" "mlockall(MCL_FUTURE), then malloc at 8 MiB: $(cat "$T/kernel.fmal8")"

# audit passes the calls through: as root every lock succeeds, and the log says where the
# 64 KiB target would have failed.
rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_MEMLOCK_LIMIT=64K "$PROGS/lock_loop" 10000 >"$T/audit.out" 2>&1
is "$(cat "$T/audit.out")" "locked 10000" "audit: all 10000 locks succeed as root"
n=$(sed -n 's/^mlock failed at i=\([0-9]*\).*/\1/p' "$T/kernel.64")
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "whatif" and .limit == 65536)][0].call')" $((n + 1)) \
		"audit: the log's what-if names call $((n + 1)) at 64 KiB, the kernel's"
	n32=$(sed -n 's/^mlock failed at i=\([0-9]*\).*/\1/p' "$T/kernel.32")
	is "$(log_jq "$log" '[.[] | select(.type == "whatif" and .limit == 32768)][0].call')" $((n32 + 1)) \
		"audit: and call $((n32 + 1)) at 32 KiB"
	is "$(log_jq "$log" '[.[] | select(.type == "whatif" and .limit == 8388608)] | length')" 0 \
		"audit: and none at 8 MiB"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .injected == true)] | length')" 0 \
		"audit: no call refused"
fi
done_testing
