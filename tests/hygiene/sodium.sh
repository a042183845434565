#!/bin/sh
# libsodium under the shim (KERNEL.md section 4): a library that locks memory correctly must come
# out clean. progs/sodium_use keeps 200 sodium_malloc(64) buffers (one locked data page each) plus
# one sodium_allocarray live at once, then sodium_frees them all. Under the shim it behaves as
# without it; the report has no error finding, 201 mlock and 201 munlock calls made from
# sodium_malloc and sodium_free in libsodium, and the log holds none of the secret the buffers
# contain. As root, the strict policy finds nothing to refuse; and as a user under
# RLIMIT_MEMLOCK 64 KiB the kernel refuses all but the first 64 KiB of locks, which libsodium
# ignores (the program still works) and the report counts as ENOMEM failures.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
[ -x "$PROGS/sodium_use" ] || skip_all "progs/sodium_use is not built (configure did not find libsodium)"
tmpdir

SECRET='correct horse battery staple'
NCALLS=201 # 200 x sodium_malloc(64) + 1 sodium_allocarray(4, 64): one data page each
PAGE=$(getconf PAGESIZE)
# the frames of a site or finding include FUNCTION in libsodium
in_sodium() {
	printf 'any(.frames[]; .function == "%s" and ((.module // "") | test("libsodium")))' "$1"
}

# ---------------------------------------------------------------------------------------------
# audit policy, default limit
compare_runs "sodium_use" "$PROGS/sodium_use"
is "$shim_status" 0 "exit status 0 under the shim"
ok "every buffer read back its secret under the shim" \
	grep -q "^sodium: 200 buffers of 64 bytes and 1 array, 0 bad\$" "$T/shim.out"
[ -s "$T/shim.err" ] && diag_file "$T/shim.err"

if the_log "$T/cmp.logs"; then
	is "$(log_jq "$log" '.[0].policy')" audit "the log says policy audit"
	# no memory contents in the log: the secret the program wrote 204 times is nowhere in it
	# (grep does find it where it is, e.g. in the program itself)
	ok "the secret is in the program (grep finds it where it is)" grep -q -F "$SECRET" "$PROGS/sodium_use"
	is "$(grep -c -F "$SECRET" "$log")" 0 "the log does not contain the secret"
	M='[.[] | select(.type == "event" and .op == "mlock")]'
	is "$(log_jq "$log" "$M | length")" $NCALLS "the log has $NCALLS mlock events"
	is "$(log_jq "$log" "$M | map(select(.ok)) | length")" $NCALLS "all of them succeeded"
fi

if make_report "$T/cmp.logs" "$T/r.json" "memaudit-report --format json reads the log"; then
	no_errors "$T/r.json" "no finding of severity error"
	jq_is "$T/r.json" '.processes[0].exit_status' 0 "the report's exit status is 0"
	S='[.processes[0].sites[] | select(.op == "mlock")]'
	jq_is "$T/r.json" "$S | map(.calls) | add" $NCALLS "$NCALLS mlock calls in all"
	jq_is "$T/r.json" "$S | map(select($(in_sodium sodium_malloc)) | .calls) | add" $NCALLS \
		"all $NCALLS mlock calls are made from sodium_malloc in libsodium"
	jq_ok "$T/r.json" "$S | map(select($(in_sodium sodium_malloc))) | any(.calls >= 200)" \
		"one mlock site (the loop's) has 200 calls or more"
	jq_is "$T/r.json" "$S | map(.pages) | add" $NCALLS "one page locked per call"
	jq_is "$T/r.json" "$S | map(.failures | length) | add" 0 "no mlock failed"
	U='[.processes[0].sites[] | select(.op == "munlock")]'
	jq_is "$T/r.json" "$U | map(.calls) | add" $NCALLS "$NCALLS munlock calls in all"
	jq_is "$T/r.json" "$U | map(select($(in_sodium sodium_free)) | .calls) | add" $NCALLS \
		"all $NCALLS munlock calls are made from sodium_free in libsodium"
	jq_ok "$T/r.json" "$U | map(select($(in_sodium sodium_free))) | any(.calls >= 200)" \
		"one munlock site (the loop's) has 200 calls or more"
	jq_is "$T/r.json" '.processes[0].peak_locked_bytes' $((NCALLS * PAGE)) \
		"peak locked: all $NCALLS pages at once"
	jq_is "$T/r.json" '.processes[0].locked_bytes_at_exit' 0 "nothing locked at exit"
	jq_ok "$T/r.json" "[.processes[0].sites[] | select(.op == \"madvise\" and (.advice | index(\"MADV_DONTDUMP\")) and $(in_sodium sodium_malloc)) | .calls] | add == $NCALLS" \
		"sodium_malloc excludes each buffer from core dumps (MADV_DONTDUMP, $NCALLS calls)"
fi

# ---------------------------------------------------------------------------------------------
# strict policy as root (tests/lib.sh)
strict_is_clean "$T/plain.out" "$PROGS/sodium_use"

# ---------------------------------------------------------------------------------------------
# a user under RLIMIT_MEMLOCK 64 KiB (needs root and setpriv to drop privileges)
can_run_as_user "as a user under 64 KiB" || done_testing
chmod 755 "$T"
mkdir "$T/bin" "$T/ulogs"
cp "$PROGS/sodium_use" "$T/bin/"
cp "$MEMAUDIT_SHIM" "$T/bin/libmemaudit.so"
chmod 755 "$T/bin" "$T/bin/sodium_use"
chmod 644 "$T/bin/libmemaudit.so"
chmod 1777 "$T/ulogs"
as_user 64 sh -c 'grep "^CapEff:" /proc/self/status' >"$T/caps" 2>&1
if ! grep -q '^CapEff:[[:space:]]*0*$' "$T/caps"; then
	skip "as a user under 64 KiB" "cannot run as uid 65534 without privileges: $(head -c 200 "$T/caps")"
	done_testing
fi

as_user 64 "$T/bin/sodium_use" >"$T/uplain.out" 2>"$T/uplain.err"
is "$?" 0 "as a user under 64 KiB, without the shim: exit status 0 (sodium ignores failed locks)"
as_user 64 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/ulogs" \
	"$T/bin/sodium_use" >"$T/ushim.out" 2>"$T/ushim.err"
is "$?" 0 "as a user under 64 KiB, with the shim: exit status 0"
same_file "$T/ushim.out" "$T/uplain.out" "as a user under 64 KiB: the same stdout with and without the shim"
same_file "$T/ushim.out" "$T/plain.out" "as a user under 64 KiB: the same stdout as root's"
# 64 KiB hold 65536/PAGE one-page buffers; the kernel refuses every later lock with ENOMEM
nok=$((65536 / PAGE))
nfail=$((NCALLS - nok))
if the_log "$T/ulogs"; then
	is "$(log_jq "$log" '.[0].memlock | "\(.cap_ipc_lock) \(.soft)"')" "false 65536" \
		"the log header: no CAP_IPC_LOCK, soft limit 64 KiB"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .ok)] | length')" $nok \
		"the first $nok mlock calls succeeded"
	is "$(grep -c -F "$SECRET" "$log")" 0 "as a user: the log does not contain the secret"
fi
if make_report "$T/ulogs" "$T/u.json" "as a user: memaudit-report reads the log"; then
	S='[.processes[0].sites[] | select(.op == "mlock")]'
	jq_is "$T/u.json" "$S | map(.calls) | add" $NCALLS "as a user: still $NCALLS mlock calls"
	jq_is "$T/u.json" "$S | map(.failures.ENOMEM // 0) | add" $nfail \
		"as a user: $nfail of them failed with ENOMEM (all but the $nok that fit in 64 KiB)"
	jq_is "$T/u.json" "$S | map(.failures | del(.ENOMEM) | length) | add" 0 \
		"as a user: no failure with another errno"
	jq_is "$T/u.json" "$S | map(select($(in_sodium sodium_malloc)) | .failures.ENOMEM // 0) | add" $nfail \
		"as a user: the failures are at sodium_malloc's sites"
	jq_is "$T/u.json" '.processes[0].peak_locked_bytes' 65536 "as a user: peak locked 64 KiB"
	jq_is "$T/u.json" '[.processes[0].findings[] | select(.rule == "call-failed") | .count] | add' $nfail \
		"as a user: $nfail call-failed findings (the ignored failures are reported)"
fi
done_testing
