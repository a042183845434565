#!/bin/sh
# A simulated page size (MEMAUDIT_PAGE_SIZE=16384 on a 4 KiB machine): the program is told 16 KiB
# by all three interfaces, gets mappings aligned to it, and code that asks keeps working while
# code that hard-codes 4096 fails (enforce) or is reported (audit) as on a 16 KiB kernel.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
tmpdir
mkdir "$T/logs"
[ "$(getconf PAGESIZE)" = 4096 ] || skip_all "needs a 4 KiB machine to simulate 16 KiB on"

run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_PAGE_SIZE=16384 "$PROGS/pagesize" >"$T/asks" 2>&1
is "$?" 0 "asks sysconf: exit 0"
is "$(sed -n 1p "$T/asks")" "sysconf 16384 getpagesize 16384 auxv 16384" "sysconf, getpagesize and getauxval say 16384"
is "$(sed -n 2p "$T/asks")" "mapping aligned to the asked page size: yes" "mmap returns a 16 KiB-aligned address"
is "$(sed -n 3p "$T/asks")" "madvise: ok" "asks sysconf: madvise of its second page works"
is "$(sed -n 4p "$T/asks")" "munmap: ok" "asks sysconf: munmap of its second page works"

rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_PAGE_SIZE=16K "$PROGS/pagesize" hardcoded >"$T/hard" 2>"$T/hard.err"
is "$(sed -n 3p "$T/hard")" "madvise: Invalid argument" "hard-coded 4096, enforce: madvise gets EINVAL"
is "$(sed -n 4p "$T/hard")" "munmap: Invalid argument" "hard-coded 4096, enforce: munmap gets EINVAL"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '.[0] | "\(.page_size) \(.real_page_size)"')" "16384 4096" "the header records both page sizes"
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "advise-unaligned")] | length')" 1 \
		"one advise-unaligned finding"
fi

rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_PAGE_SIZE=16384 "$PROGS/pagesize" hardcoded >"$T/audit" 2>&1
is "$(sed -n 3p "$T/audit")" "madvise: ok" "hard-coded 4096, audit: the real call goes through"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "finding" and .rule == "advise-unaligned")] | length')" 1 \
		"audit: the advise-unaligned finding is still logged"
fi

# Without MEMAUDIT_PAGE_SIZE nothing changes.
run_plain "$PROGS/pagesize" >"$T/plain" 2>&1
run_shimmed "$T/logs" "$PROGS/pagesize" >"$T/shim" 2>&1
same_file "$T/shim" "$T/plain" "no simulation: the same output as without the shim"
done_testing
