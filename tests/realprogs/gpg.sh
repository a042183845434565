#!/bin/sh
# GnuPG (Debian packages gpg, gpg-agent; libgcrypt 1.10): gpg --quick-gen-key ed25519 with an empty
# passphrase (loopback pinentry, no terminal), then a detached signature, in a private GNUPGHOME.
# gpg starts gpg-agent --daemon, which generates and keeps the secret key.
#
# How they protect secrets: each initialises libgcrypt's secure memory (GCRYCTL_INIT_SECMEM, 32 KiB
# asked, rounded to a 64 KiB pool): one mmap'd pool, mlocked once, from which gcry_malloc_secure
# sub-allocates; it is never unlocked and goes away at exit. That is the right way (KERNEL.md: "a
# locked pool"), so there is no error and no warning. Two notes are true: gpg forks to exec
# gpg-agent, and gpg-agent --daemon forks after locking its pool, so the serving daemon holds an
# unlocked copy of the pool (locks are not inherited: fork-unlocked-copy).
#
# The what-if: the pool (16 pages) fits in 64 KiB, not in 32 KiB (lock call 1). As uid 65534 the
# kernel agrees: under 64 KiB both pools lock, under 32 KiB both mlocks fail with ENOMEM and gpg says
# "Warning: using insecure memory!".
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/realprogs/common.sh"
require_report
need_prog gpg gpg
need_prog gpg-agent gpg-agent
need_prog gpgconf gpgconf
tmpdir

G=$(proc /bin/gpg)
A=$(proc /bin/gpg-agent)
printf 'to be signed\n' >"$T/msg"

# keygen HOME LOGS [RUN_AS...]: key generation and a signature in GNUPGHOME=HOME; the agent is
# stopped at the end and its logs are waited for (5 s at most). Output in LOGS.out/.err, status $st.
keygen() {
	_h=$1 _l=$2
	shift 2
	"$@" env GNUPGHOME="$_h" LD_PRELOAD="$_lib" MEMAUDIT_LOG_DIR="$_l" sh -c '
		timeout 60 gpg --batch --pinentry-mode loopback --passphrase "" \
			--quick-gen-key "Memaudit Test <test@example.org>" ed25519 default never &&
		timeout 60 gpg --batch --pinentry-mode loopback --passphrase "" -o "$1" --detach-sign "$0"' \
		"$_msg" "$_h/msg.sig" >"$_l.out" 2>"$_l.err"
	st=$?
	"$@" env GNUPGHOME="$_h" gpgconf --kill gpg-agent >/dev/null 2>&1
	_i=0
	while [ $_i -lt 50 ] && grep -L '"type":"exit"' "$_l"/memaudit.gpg-agent.* 2>/dev/null | grep -q .; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# ---------------------------------------------------------------------------------------------
# as root
mkdir -m 700 "$T/home"
mkdir "$T/logs"
_lib=$MEMAUDIT_SHIM _msg=$T/msg keygen "$T/home" "$T/logs"
is "$st" 0 "key generation and signature: exit status 0 under the shim"
[ "$st" = 0 ] || diag_file "$T/logs.err"
ok "the signature verifies" env GNUPGHOME="$T/home" gpg --batch --verify "$T/home/msg.sig" "$T/msg"
env GNUPGHOME="$T/home" gpgconf --kill gpg-agent >/dev/null 2>&1
if make_report "$T/logs" "$T/r.json" "memaudit-report reads the logs"; then
	no_errors "$T/r.json" "no finding of severity error"
	jq_is "$T/r.json" '[.processes[].findings[] | select(.severity == "warning")] | length' 0 \
		"no warning either"
	jq_is "$T/r.json" '[.processes[] | select(.complete | not)] | length' 0 "every process's log is complete"
	for p in gpg gpg-agent; do
		P=$(proc "/bin/$p")
		jq_ok "$T/r.json" "[$P | .sites[] | select(.op == \"mlock\")] | length > 0 and all(.bytes == 65536 and .calls == 1 and (.failures | length == 0) and any(.frames[]; (.module // \"\") | test(\"libgcrypt\")))" \
			"$p: libgcrypt locks its 64 KiB secure-memory pool, once per process"
		jq_is "$T/r.json" "[$P | .sites[] | select(.op == \"munlock\" or .op == \"munlockall\")] | length" 0 \
			"$p: and never unlocks it (the pool lives as long as the process)"
	done
	jq_ok "$T/r.json" "[$A | .findings[] | select(.rule == \"fork-unlocked-copy\")] | length >= 1" \
		"gpg-agent: fork-unlocked-copy (note): the daemon child serves with an unlocked copy of the pool"
	w64=$("$JQ" -r "[$G | select(any(.sites[]; .op == \"mlock\")) | .whatif[] | select(.limit == 65536) | .call] | map(tostring) | unique | join(\",\")" "$T/r.json")
	w32=$("$JQ" -r "[$G | select(any(.sites[]; .op == \"mlock\")) | .whatif[] | select(.limit == 32768) | .call] | map(tostring) | unique | join(\",\")" "$T/r.json")
	is "$w64" null "what-if: under 64 KiB no lock call of gpg fails"
	is "$w32" 1 "what-if: under 32 KiB gpg's lock call 1 (the pool) fails"
fi

# ---------------------------------------------------------------------------------------------
# the enforce policy at 32 KiB, as root: memaudit refuses each pool's lock (call 1) and gpg reacts
# as it does to the kernel's refusal below
mkdir -m 700 "$T/ehome"
mkdir "$T/elogs"
_lib=$MEMAUDIT_SHIM _msg=$T/msg keygen "$T/ehome" "$T/elogs" env MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=32K
is "$st" 0 "enforce at 32 KiB: exit status 0"
ok "enforce at 32 KiB: gpg warns that it uses insecure memory" grep -q 'insecure memory' "$T/elogs.err"
for p in gpg gpg-agent; do
	_got=$(for _log in "$T/elogs"/memaudit.$p.*.log; do
		grep -q '"op":"mlock"' "$_log" && "$JQ" -r -s '[.[] | select(.type == "event" and .injected == true) | .call] | map(tostring) | join(",")' "$_log"
	done | sort -u | tr '\n' ' ')
	is "$_got" "1 " "enforce at 32 KiB: $p: memaudit refuses lock call 1 (the pool) alone, the what-if's"
done

# ---------------------------------------------------------------------------------------------
# as uid 65534: the kernel's answer under 64 KiB and 32 KiB
user_stage || done_testing
chmod 644 "$T/msg"
for kib in 64 32; do
	mkdir -m 700 "$T/uhome$kib"
	mkdir -m 1777 "$T/ulogs$kib"
	chown 65534:65534 "$T/uhome$kib"
	mkdir -m 1777 "$T/umsg$kib"
	cp "$T/msg" "$T/umsg$kib/msg"
	chmod 644 "$T/umsg$kib/msg"
	_lib=$T/bin/libmemaudit.so _msg=$T/umsg$kib/msg keygen "$T/uhome$kib" "$T/ulogs$kib" as_user $kib
	is "$st" 0 "as a user under $kib KiB: exit status 0"
	[ "$st" = 0 ] || diag_file "$T/ulogs$kib.err"
	# every process that locked a pool: gpg (keygen, sign), gpg-agent before --daemon's fork
	_want=null
	[ $kib = 32 ] && _want=1
	for p in gpg gpg-agent; do
		_got=$(for _log in "$T/ulogs$kib"/memaudit.$p.*.log; do
			grep -q '"op":"mlock"' "$_log" && refused_call "$_log"
		done | sort -u | tr '\n' ' ')
		is "$_got" "$_want " "as a user under $kib KiB: $p: the kernel refuses lock call $_want, as the what-if said"
	done
done
ok "as a user under 64 KiB: gpg does not warn about insecure memory" \
	sh -c "! grep -q 'insecure memory' '$T/ulogs64.err'"
ok "as a user under 32 KiB: gpg warns that it uses insecure memory" grep -q 'insecure memory' "$T/ulogs32.err"
done_testing
