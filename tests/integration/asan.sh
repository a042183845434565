#!/bin/sh
# A program built with AddressSanitizer starts ASan from its .preinit_array, before libc has set up
# the environment; ASan's first allocation enters the shim that early. The MEMAUDIT_* variables
# must still apply (shim/environ.c reads /proc/self/environ then), and the log must have the
# program's name. Here libasan goes first in LD_PRELOAD, the order ASan requires by default
# (integration/asan_launcher.sh runs the launcher's order: the library first).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir
cc=${CC:-cc}
asan=$("$cc" -print-file-name=libasan.so 2>/dev/null)
if ! "$cc" -g -fsanitize=address -o "$T/asan_early" "$top_srcdir/tests/progs/asan_early.c" 2>"$T/cc.err" ||
   [ ! -f "$asan" ]; then
	skip_all "no AddressSanitizer with $cc ($(head -1 "$T/cc.err"))"
fi
run() { # VAR=VALUE...: run the ASan program under the shim, logs in $T/logs
	rm -rf "$T/logs"
	mkdir "$T/logs"
	$bound env LD_PRELOAD="$asan $MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/logs" ASAN_OPTIONS=detect_leaks=0 \
		"$@" "$T/asan_early" >"$T/out" 2>"$T/err"
}
# Bounded: the shim once spun for ever here, in ASan's dlopen interceptor (shim/dynsym.h).
bounded 60

run
is "$?" 0 "the ASan program runs under the shim"
is "$(cat "$T/out")" "madvise 0 ok" "... and its madvise succeeds"
is "$(ls "$T/logs" | sed 's/\.[0-9]*\.log$//')" "memaudit.asan_early" \
	"its log is in MEMAUDIT_LOG_DIR, named after the program"

run MEMAUDIT_POLICY=bogus
is "$?" 125 "a bad MEMAUDIT_POLICY stops it before main (exit 125)"
ok "... with the line naming the variable" grep -q "MEMAUDIT_POLICY: invalid value" "$T/err"
is "$(cat "$T/out")" "" "... and the program did not run"

# 16 KiB pages: the second 4 KiB page is not aligned to one, which enforce refuses as the kernel
# of such a system would (madvise(2): EINVAL)
run MEMAUDIT_POLICY=enforce MEMAUDIT_PAGE_SIZE=16K
is "$(cat "$T/out")" "madvise -1 EINVAL" "enforce with 16 KiB pages: the shim refuses the madvise with EINVAL"
if [ -n "$JQ" ] && the_log "$T/logs"; then
	is "$(log_jq "$log" '.[0] | "\(.policy) \(.page_size)"')" "enforce 16384" \
		"the log's header has the policy and page size from the environment"
	is "$(log_jq "$log" '[.[] | select(.type == "finding") | .rule] | index("advise-unaligned") != null')" true \
		"and an advise-unaligned finding"
fi
done_testing
