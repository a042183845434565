#!/bin/sh
# memaudit's lock count equals the kernel's VmLck after each of: an unaligned lock straddling
# two pages, an overlapping lock, a one-byte munlock, munmap of a locked page, mlock2 ONFAULT, a
# locked mmap'd malloc chunk and its free(), a heap page, munlockall, mlockall(MCL_CURRENT).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
tmpdir
mkdir "$T/logs"
run_shimmed "$T/logs" "$PROGS/vmlck" >"$T/out" 2>&1
is "$?" 0 "vmlck runs"
if the_log "$T/logs"; then
	# free() events count only where glibc unmapped the block (unlocked_pages): once everything is
	# locked, every free() of the program's stdio buffers is recorded too
	log_jq "$log" '.[] | select(.type == "event" and (.op | IN("mlock", "mlock2", "munlock", "munmap", "free", "munlockall", "mlockall"))) | select(.op != "free" or .unlocked_pages != null) | .locked_bytes' >"$T/model"
	i=0
	while read -r step kernel; do
		i=$((i + 1))
		model=$(sed -n "${i}p" "$T/model")
		is "$model" "$kernel" "$step: memaudit counts $model bytes locked, the kernel's VmLck $kernel"
	done <"$T/out"
	is "$(wc -l <"$T/model" | tr -d ' ')" "$i" "one audited call per step"
	is "$(log_jq "$log" '.[-1] | "\(.locked_bytes) \(.vmlck_bytes)"')" "0 0" "at exit both say 0"
fi
# MCL_FUTURE: the heap's growth is locked as malloc makes it (brk and malloc's own mappings)
rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_MEMLOCK_LIMIT=unlimited "$PROGS/lockall" future-malloc >"$T/fut" 2>&1
if is_root && the_log "$T/logs"; then
	is "$(log_jq "$log" '.[-1] | .locked_bytes == .vmlck_bytes and .vmlck_bytes > 8000000')" true \
		"after 10000 malloc(1024) under MCL_FUTURE: memaudit's count equals VmLck ($(log_jq "$log" '.[-1].vmlck_bytes'))"
else
	skip "MCL_FUTURE heap growth and VmLck" "needs root to lock 10 MB"
fi
done_testing
