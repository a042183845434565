#!/bin/sh
# pinentry-curses (Debian package pinentry-curses, the passphrase prompt of gpg-agent), spoken to
# over its Assuan protocol on stdin without a terminal: GETINFO, SETDESC, BYE.
#
# pinentry keeps the passphrase in its own copy of libgcrypt's secure memory (secmem/secmem.c): one
# mmap'd 16 KiB pool, mlocked once at start, never unlocked before exit. That is correct: no finding
# at all. 16 KiB fits in 32 KiB: the what-if predicts no failure, and as uid 65534 under 64 KiB the
# kernel refuses nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/realprogs/common.sh"
require_report
need_prog pinentry-curses pinentry-curses
tmpdir

P=$(proc /pinentry-curses)
printf 'GETINFO version\nSETDESC memaudit test\nBYE\n' >"$T/in"
chmod 644 "$T/in"

compare_runs "pinentry-curses" sh -c 'exec timeout 30 pinentry-curses <"$0"' "$T/in"
ok "pinentry-curses answers the Assuan commands" grep -q '^OK closing connection' "$T/shim.out"
if make_report "$T/cmp.logs" "$T/r.json" "memaudit-report reads the logs"; then
	jq_is "$T/r.json" '[.processes[].findings[]] | length' 0 "no finding at all"
	jq_is "$T/r.json" "[$P | .sites[] | select(.op == \"mlock\") | \"\(.calls)x\(.bytes)\"] | join(\",\")" 1x16384 \
		"one mlock: the 16 KiB secure-memory pool"
	jq_is "$T/r.json" "[$P | .whatif[] | select(.call != null)] | length" 0 \
		"the what-if: no lock call fails at 32 KiB, 64 KiB or 8 MiB"
fi

user_stage || done_testing
as_user 64 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/ulogs" \
	timeout 30 pinentry-curses <"$T/in" >"$T/u.out" 2>"$T/u.err"
is "$?" 0 "as a user under 64 KiB: exit status 0"
same_file "$T/u.out" "$T/plain.out" "as a user under 64 KiB: the same answers"
ulog=$(log_of "$T/ulogs" pinentry-curses)
if [ -n "$ulog" ]; then
	is "$(refused_call "$ulog")" null "as a user under 64 KiB: the kernel refuses no lock call, as the what-if said"
else
	fail "as a user under 64 KiB: a log of pinentry-curses" "$(ls -la "$T/ulogs")"
fi
done_testing
