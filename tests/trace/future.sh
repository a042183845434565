#!/bin/sh
# mlockall(MCL_FUTURE) in trace mode against the kernel (tests/policy/enforce_kernel.sh's lockall,
# linked with gcc -static and as a normal program): run for real as uid 65534 under `ulimit -l 64`
# (and 8 MiB), then as root under memaudit-trace with MEMAUDIT_POLICY=enforce and the simulated
# limit. The heap's growth is refused at brk's seccomp stop as the kernel refuses it
# (mlock_future_ok: brk returns the old break), malloc falls back to mmap, which is refused with
# EAGAIN, and returns NULL at the kernel's allocation; a 1 MiB mmap gets EAGAIN. The log has the
# refused growth (heap-grow, injected) and its lock-limit finding. Needs root.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
log_setup
is_root || skip_all "not root: cannot drop privileges to ask the kernel"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) not found"
chmod 755 "$T"
# copies user 65534 can reach (the build tree may lie under a directory closed to it)
mkdir "$T/bin" && chmod 755 "$T/bin"
progs=lockall
[ -x "$PROGS/lockall_static" ] && progs="lockall_static lockall"
for p in $progs; do
	cp "$PROGS/$p" "$T/bin/" && chmod 755 "$T/bin/$p"
done
as_user 64 "$T/bin/lockall" future >"$T/probe" 2>&1 || skip_all "cannot run as uid 65534: $(head -c 200 "$T/probe")"

for p in $progs; do
	for case in 64:future-malloc 8192:future-malloc 64:future-map 8192:future-map; do
		kib=${case%%:*} what=${case#*:}
		as_user "$kib" "$T/bin/$p" "$what" >"$T/kernel" 2>&1
		kst=$?
		rm -rf "$T/logs"/*
		run_logged "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT="${kib}K" "$T/bin/$p" "$what" \
			>"$T/sim" 2>/dev/null
		sst=$?
		same_file "$T/sim" "$T/kernel" "$p $what at $kib KiB: as the kernel ($(cat "$T/kernel"))"
		is "$sst" "$kst" "$p $what at $kib KiB: the kernel's status"
		[ "$what" = future-malloc ] && [ "$kib" = 64 ] || continue
		log=$(grep -l "\"progname\":\"$p\"" "$T/logs"/*.log 2>/dev/null | head -n 1)
		if [ -n "$log" ]; then
			ok "$p: the heap's growth refused (heap-grow, injected)" \
				test "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "heap-grow" and .injected == true)] | length')" -ge 1
			ok "$p: its lock-limit finding names brk" \
				test "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "lock-limit") | .message | startswith("brk: the heap grows")] | any')" = true
		else
			fail "$p: a log in $T/logs"
		fi
	done
done
done_testing
