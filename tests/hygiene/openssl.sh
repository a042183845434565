#!/bin/sh
# OpenSSL's secure heap under the shim (KERNEL.md section 4): CRYPTO_secure_malloc_init(65536, 64)
# maps one arena, locks it with a raw syscall(SYS_mlock2, ..., MLOCK_ONFAULT) that no mlock2()
# interposer sees (the shim's syscall() wrapper must), and excludes it from core dumps with
# MADV_DONTDUMP. Under the shim the program behaves as without it and init still reports 1
# (locked and guarded); the log has the mlock2, via syscall; the report has one mlock2 call and
# one MADV_DONTDUMP call from CRYPTO_secure_malloc_init, no error finding, and the log none of
# the secret the blocks held. As root, the strict policy finds nothing to refuse; and a user
# under RLIMIT_MEMLOCK 32 KiB (smaller than the arena) gets init 2, with the raw mlock2's ENOMEM
# in the log.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
[ -x "$PROGS/openssl_secure" ] || skip_all "progs/openssl_secure is not built (configure did not find libcrypto)"
tmpdir

SECRET='correct horse battery staple'
ARENA=65536
PAGE=$(getconf PAGESIZE)
# the frames of a site or finding include FUNCTION in libcrypto
in_crypto() {
	printf 'any(.frames[]; .function == "%s" and ((.module // "") | test("libcrypto")))' "$1"
}

# ---------------------------------------------------------------------------------------------
# audit policy, default limit
compare_runs "openssl_secure" "$PROGS/openssl_secure"
is "$shim_status" 0 "exit status 0 under the shim"
ok "CRYPTO_secure_malloc_init returned 1 (locked and guarded) without the shim" \
	grep -q '^CRYPTO_secure_malloc_init: 1$' "$T/plain.out"
ok "CRYPTO_secure_malloc_init returned 1 (locked and guarded) under the shim" \
	grep -q '^CRYPTO_secure_malloc_init: 1$' "$T/shim.out"
ok "the blocks read back their secret and the arena was released" \
	grep -q '^4 blocks, 0 bad, CRYPTO_secure_malloc_done: 1$' "$T/shim.out"
[ -s "$T/shim.err" ] && diag_file "$T/shim.err"

if the_log "$T/cmp.logs"; then
	L='[.[] | select(.type == "event" and .op == "mlock2")]'
	is "$(log_jq "$log" "$L | length")" 1 "the log has one mlock2 event"
	is "$(log_jq "$log" "$L[0] | \"\(.via) \(.ok) \(.errno) \(.flags) \(.len)\"")" "syscall true 0 1 $ARENA" \
		"the mlock2 is via syscall, succeeded, flags MLOCK_ONFAULT, the whole $ARENA-byte arena"
	is "$(log_jq "$log" "$L[0].charged")" $((ARENA / PAGE)) \
		"MLOCK_ONFAULT: all $((ARENA / PAGE)) pages are charged at once"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock")] | length')" 0 \
		"no mlock fallback (mlock2 did not fail with ENOSYS)"
	is "$(log_jq "$log" "$L[0].addr as \$a | [.[] | select(.type == \"event\" and .op == \"madvise\" and .advice == 16 and .addr == \$a and .len == $ARENA)] | length")" 1 \
		"one MADV_DONTDUMP (16) of exactly the locked arena"
	ok "the secret is in the program (grep finds it where it is)" grep -q -F "$SECRET" "$PROGS/openssl_secure"
	is "$(grep -c -F "$SECRET" "$log")" 0 "the log does not contain the secret"
fi

if make_report "$T/cmp.logs" "$T/r.json" "memaudit-report --format json reads the log"; then
	no_errors "$T/r.json" "no finding of severity error"
	S='[.processes[0].sites[] | select(.op == "mlock2")]'
	jq_is "$T/r.json" "$S | length" 1 "one mlock2 site"
	jq_is "$T/r.json" "$S[0].calls" 1 "with 1 call"
	jq_is "$T/r.json" "$S[0] | \"\(.bytes) \(.pages)\"" "$ARENA $((ARENA / PAGE))" \
		"of $ARENA bytes, $((ARENA / PAGE)) pages"
	jq_ok "$T/r.json" "$S[0] | $(in_crypto CRYPTO_secure_malloc_init)" \
		"its frames include CRYPTO_secure_malloc_init in libcrypto"
	jq_is "$T/r.json" '[.processes[0].sites[] | select(.op == "mlock")] | length' 0 "no mlock site"
	A='[.processes[0].sites[] | select(.op == "madvise" and ((.advice // []) | index("MADV_DONTDUMP")))]'
	jq_is "$T/r.json" "$A | map(.calls) | add" 1 "one madvise call with advice MADV_DONTDUMP"
	jq_ok "$T/r.json" "$A[0] | .bytes == $ARENA and $(in_crypto CRYPTO_secure_malloc_init)" \
		"it covers the arena and comes from CRYPTO_secure_malloc_init"
	jq_is "$T/r.json" '.processes[0].peak_locked_bytes' $ARENA "peak locked: the arena"
	jq_is "$T/r.json" '.processes[0].locked_bytes_at_exit' 0 \
		"nothing locked at exit (CRYPTO_secure_malloc_done unmapped the arena)"
fi

# ---------------------------------------------------------------------------------------------
# strict policy as root (tests/lib.sh)
strict_is_clean "$T/plain.out" "$PROGS/openssl_secure"

# ---------------------------------------------------------------------------------------------
# a user under RLIMIT_MEMLOCK 32 KiB: the kernel refuses the raw mlock2 (needs root and setpriv)
can_run_as_user "as a user under 32 KiB" || done_testing
chmod 755 "$T"
mkdir "$T/bin" "$T/ulogs"
cp "$PROGS/openssl_secure" "$T/bin/"
cp "$MEMAUDIT_SHIM" "$T/bin/libmemaudit.so"
chmod 755 "$T/bin" "$T/bin/openssl_secure"
chmod 644 "$T/bin/libmemaudit.so"
chmod 1777 "$T/ulogs"
as_user 32 sh -c 'grep "^CapEff:" /proc/self/status' >"$T/caps" 2>&1
if ! grep -q '^CapEff:[[:space:]]*0*$' "$T/caps"; then
	skip "as a user under 32 KiB" "cannot run as uid 65534 without privileges: $(head -c 200 "$T/caps")"
	done_testing
fi

as_user 32 "$T/bin/openssl_secure" >"$T/uplain.out" 2>"$T/uplain.err"
is "$?" 0 "as a user under 32 KiB, without the shim: exit status 0"
ok "as a user under 32 KiB, without the shim: init returned 2 (usable, not locked)" \
	grep -q '^CRYPTO_secure_malloc_init: 2$' "$T/uplain.out"
as_user 32 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/ulogs" \
	"$T/bin/openssl_secure" >"$T/ushim.out" 2>"$T/ushim.err"
is "$?" 0 "as a user under 32 KiB, with the shim: exit status 0"
same_file "$T/ushim.out" "$T/uplain.out" "as a user under 32 KiB: the same stdout with and without the shim"
if the_log "$T/ulogs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock2")] | map("\(.via) \(.ok) \(.errno)") | join(",")')" \
		"syscall false 12" "as a user: the raw mlock2 is logged, failed with ENOMEM (12)"
fi
if make_report "$T/ulogs" "$T/u.json" "as a user: memaudit-report reads the log"; then
	jq_is "$T/u.json" '[.processes[0].sites[] | select(.op == "mlock2")] | map(.failures.ENOMEM // 0) | add' 1 \
		"as a user: the mlock2 site has one ENOMEM failure"
	jq_is "$T/u.json" '[.processes[0].findings[] | select(.rule == "call-failed") | .count] | add' 1 \
		"as a user: one call-failed finding (OpenSSL only returns 2)"
	jq_is "$T/u.json" '.processes[0].peak_locked_bytes' 0 "as a user: nothing was locked"
fi
done_testing
