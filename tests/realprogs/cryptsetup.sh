#!/bin/sh
# cryptsetup (Debian package cryptsetup-bin; libcryptsetup 12 with its OpenSSL backend) on a LUKS2
# file image: luksFormat, open --test-passphrase, luksAddKey, luksDump, each under the shim; then
# the what-if at 64 KiB against the enforce policy and against the kernel (uid 65534, 64 KiB).
#
# How libcryptsetup protects keys (lib/utils_safe_memory.c): crypt_safe_alloc(n) mallocs a 16-byte
# header {size, locked} plus n bytes and mlocks the whole block; crypt_safe_free wipes the n bytes,
# munlocks the whole block and frees it. So every key buffer is locked on the malloc heap (lock-heap,
# a warning, is true), and locks do not nest: munlock of one buffer unlocks every page it shares with
# another live buffer.
#
# The one error that is true here is unlock-collateral, in crypt_keyfile_device_read: reading a key
# file, crypt_safe_realloc allocates and locks the bigger buffer, copies the passphrase into it, then
# crypt_safe_free()s the old one, whose munlock unlocks the page it shares with the new buffer: the
# start of the passphrase copy is no longer locked. Whether the two blocks share a page depends on
# the heap layout, so the test computes it from the log's own mlock/munlock addresses (the kernel's
# rule: collateral_oracle in common.sh) and wants exactly that many unlock-collateral errors, all in
# crypt_safe_free. Nothing else is an error: libcrypto's and libdevmapper's own blocks that happen to
# share a page with a locked key buffer were never named by a lock call (SPEC "Rules": no lock-freed
# or realloc-protected for a neighbour), and the page-aligned 512-byte buffers libcryptsetup
# allocates for O_DIRECT device I/O are never locked (no align-waste... which is a warning anyway).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/realprogs/common.sh"
require_report
need_prog cryptsetup cryptsetup-bin
tmpdir

truncate -s 20M "$T/img" || skip_all "cannot make a 20 MiB image file in $T"
# 1000-byte key files: with these sizes the heap layout of this cryptsetup puts the old and the new
# key-file buffer on a shared page (the collateral below); other sizes may not, which is no error
head -c 1000 /dev/zero | tr '\0' 'k' >"$T/k1"
head -c 1000 /dev/zero | tr '\0' 'l' >"$T/k2"
# pbkdf2 with a fixed iteration count: fast and without argon2's memory (PBKDF benchmarks vary)
KDF='--pbkdf pbkdf2 --pbkdf-force-iterations 1000'
CS=$(proc /cryptsetup)
UC='(.rule == "unlock-collateral")'
TRUE_ERR="($UC and $(has_fn crypt_safe_free))"
total_oracle=0

# cs NAME ARGS...: cryptsetup ARGS under the shim (logs in $T/NAME), its report in $T/NAME.json, and
# the assertions every run shares. Sets $st.
cs() {
	_n=$1
	shift
	mkdir "$T/$_n"
	run_shimmed "$T/$_n" timeout 60 cryptsetup "$@" >"$T/$_n.out" 2>"$T/$_n.err"
	st=$?
	is "$st" 0 "$_n: exit status 0 under the shim"
	[ "$st" = 0 ] || diag_file "$T/$_n.err"
	make_report "$T/$_n" "$T/$_n.json" "$_n: memaudit-report reads the logs" || return 0
	errors_only "$T/$_n.json" "$TRUE_ERR" "$_n: no error but unlock-collateral in crypt_safe_free"
	_log=$(log_of "$T/$_n" cryptsetup)
	if [ -z "$_log" ]; then
		fail "$_n: a log of cryptsetup" "$(ls "$T/$_n")"
		return 0
	fi
	_want=$(collateral_oracle "$_log")
	total_oracle=$((total_oracle + _want))
	is "$(error_count "$T/$_n.json" "$UC")" "$_want" \
		"$_n: unlock-collateral errors: $_want, one per munlock that unlocked another live key buffer's page"
}

cs format luksFormat -q --type luks2 $KDF --key-file "$T/k1" "$T/img"
if [ -f "$T/format.json" ]; then
	# the key buffers are locked from crypt_safe_alloc, on the malloc heap: lock-heap (warning) is true
	jq_ok "$T/format.json" "[$CS | .sites[] | select(.op == \"mlock\") | $(has_fn crypt_safe_alloc)] | (length > 0 and all)" \
		"format: every mlock is made by crypt_safe_alloc"
	jq_ok "$T/format.json" "[$CS | .findings[] | select(.rule == \"lock-heap\") | $(has_fn crypt_safe_alloc)] | (length > 0 and all)" \
		"format: lock-heap (warning) at crypt_safe_alloc"
fi
cs open open --test-passphrase --key-file "$T/k1" "$T/img"
cs addkey luksAddKey -q $KDF --key-file "$T/k1" "$T/img" "$T/k2"
cs open2 open --test-passphrase --key-file "$T/k2" "$T/img"
cs dump luksDump "$T/img"
if [ -f "$T/dump.json" ]; then
	jq_is "$T/dump.json" "[$CS | .findings[]] | length" 0 "dump: luksDump locks nothing and gets no finding"
fi
if [ "$total_oracle" -gt 0 ]; then
	diag "the log's addresses show $total_oracle munlock(s) unlocking another live key buffer's page"
	for _r in open addkey open2; do
		jq_ok "$T/$_r.json" "[.processes[].findings[] | select($UC)] | all($(has_fn crypt_keyfile_device_read) and $(has_fn crypt_safe_realloc))" \
			"$_r: each unlock-collateral is crypt_safe_realloc's free of the old key-file buffer"
	done
else
	skip "each unlock-collateral is crypt_safe_realloc's" "the heap layout put the key-file buffers on separate pages in every run"
fi

# ---------------------------------------------------------------------------------------------
# the what-if at 64 KiB against the kernel: open --test-passphrase as uid 65534 under 64 KiB
w64=$(whatif_call "$T/open.json" "$CS" 65536)
diag "open: the root run's what-if at 64 KiB: lock call $w64 fails"
isnt "$w64" none "open: the what-if at 64 KiB predicts a failing lock call (the 256 KiB key-slot buffer)"
# the enforce policy at 64 KiB refuses that same call (as root: the simulation, not the kernel)
mkdir "$T/enf"
run_shimmed "$T/enf" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K \
	timeout 60 cryptsetup open --test-passphrase --key-file "$T/k1" "$T/img" >"$T/enf.out" 2>"$T/enf.err"
is "$?" 0 "enforce at 64 KiB: exit status 0 (a failed lock is ignored)"
elog=$(log_of "$T/enf" cryptsetup)
is "$([ -n "$elog" ] && "$JQ" -r -s '[.[] | select(.type == "event" and .injected == true) | .call] | map(tostring) | join(",")' "$elog")" \
	"$w64" "enforce at 64 KiB: memaudit refuses lock call $w64 alone, the what-if's"
user_stage || done_testing
mkdir "$T/u"
cp "$T/img" "$T/k1" "$T/u/"
chmod 755 "$T/u"
chmod 644 "$T/u/img" "$T/u/k1"
as_user 64 timeout 60 cryptsetup open --test-passphrase --key-file "$T/u/k1" "$T/u/img" \
	>"$T/uplain.out" 2>"$T/uplain.err"
is "$?" 0 "as a user under 64 KiB, without the shim: exit status 0 (a failed lock is ignored)"
as_user 64 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/ulogs" \
	timeout 60 cryptsetup open --test-passphrase --key-file "$T/u/k1" "$T/u/img" >"$T/ushim.out" 2>"$T/ushim.err"
is "$?" 0 "as a user under 64 KiB, with the shim: exit status 0"
ulog=$(log_of "$T/ulogs" cryptsetup)
if [ -n "$ulog" ]; then
	is "$(refused_call "$ulog")" "$w64" "as a user under 64 KiB: the kernel refuses lock call $w64, as the what-if said"
	is "$("$JQ" -r -s '[.[] | select(.type == "event" and .ok == false) | .errno] | unique | join(",")' "$ulog")" 12 \
		"as a user under 64 KiB: with ENOMEM"
else
	fail "as a user under 64 KiB: a log of cryptsetup" "$(ls -la "$T/ulogs")"
fi
done_testing
