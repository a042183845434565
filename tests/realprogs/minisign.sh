#!/bin/sh
# minisign (Debian package minisign; libsodium 1.0.18): key generation without a password (-G -W),
# a signature (-S) and its verification (-V), each under the shim.
#
# minisign keeps its secret-key structure in sodium_malloc memory and frees it with sodium_free:
# libsodium gives each buffer its own mmap'd pages between guard pages, mlocks and MADV_DONTDUMPs
# them, and on sodium_free wipes, MADV_DODUMPs, munlocks and munmaps them (KERNEL.md section 4). That
# is correct: no finding of severity error and no warning. What it locks (5 pages at most at once)
# fits in 32 KiB: the what-if predicts no failure, and as uid 65534 under 64 KiB the kernel refuses
# no lock call.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/realprogs/common.sh"
require_report
need_prog minisign minisign
tmpdir

M=$(proc /minisign)
printf 'to be signed\n' >"$T/msg"

# ms NAME ARGS...: minisign ARGS under the shim, logs in $T/NAME, report in $T/NAME.json
ms() {
	_n=$1
	shift
	mkdir "$T/$_n"
	run_shimmed "$T/$_n" timeout 60 minisign "$@" </dev/null >"$T/$_n.out" 2>"$T/$_n.err"
	_st=$?
	is "$_st" 0 "$_n: exit status 0 under the shim"
	[ "$_st" = 0 ] || diag_file "$T/$_n.err"
	make_report "$T/$_n" "$T/$_n.json" "$_n: memaudit-report reads the logs" || return 0
	no_errors "$T/$_n.json" "$_n: no finding of severity error"
	jq_is "$T/$_n.json" '[.processes[].findings[] | select(.severity == "warning")] | length' 0 \
		"$_n: no warning either"
	jq_is "$T/$_n.json" "[$M | .whatif[] | select(.call != null)] | length" 0 \
		"$_n: the what-if: no lock call fails at 32 KiB, 64 KiB or 8 MiB"
}

ms keygen -G -W -p "$T/key.pub" -s "$T/key.sec"
jq_ok "$T/keygen.json" "[$M | .sites[] | select(.op == \"mlock\" and $(has_fn sodium_malloc))] | length > 0" \
	"keygen: the locks are made by sodium_malloc"
jq_ok "$T/keygen.json" "[$M | .sites[] | select(.op == \"munlock\" and $(has_fn sodium_free))] | length > 0" \
	"keygen: and undone by sodium_free"
ms sign -S -s "$T/key.sec" -m "$T/msg"
ms verify -V -p "$T/key.pub" -m "$T/msg"
ok "verify: minisign says the signature is valid" grep -q 'Signature and comment signature verified' "$T/verify.out"

# as uid 65534 under 64 KiB: the kernel refuses no lock call either
user_stage || done_testing
mkdir -m 1777 "$T/u"
as_user 64 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/ulogs" \
	timeout 60 minisign -G -W -p "$T/u/key.pub" -s "$T/u/key.sec" </dev/null >"$T/ukeygen.out" 2>"$T/ukeygen.err"
is "$?" 0 "as a user under 64 KiB: keygen exits 0"
ulog=$(log_of "$T/ulogs" minisign)
if [ -n "$ulog" ]; then
	is "$(refused_call "$ulog")" null "as a user under 64 KiB: the kernel refuses no lock call, as the what-if said"
	ok "as a user under 64 KiB: minisign did lock memory" grep -q '"op":"mlock"' "$ulog"
else
	fail "as a user under 64 KiB: a log of minisign" "$(ls -la "$T/ulogs")"
fi
done_testing
