#!/bin/sh
# tests/policy/rlimit.sh in trace mode: rlimit_fit linked with gcc -static (the preload library
# sees nothing in it) sizes its locking by RLIMIT_MEMLOCK. Run for real as uid 65534 under
# `ulimit -l 64` it reads 64 KiB and locks 16 pages. As root (ulimit -l 1024) under memaudit-trace
# with MEMAUDIT_MEMLOCK_LIMIT=64K its getrlimit/setrlimit/prlimit are answered from the simulated
# limit (the engine's model, as the library answers them): the same output as the kernel's, the
# memlock records in its log, no lock-limit finding. The raw getrlimit and setrlimit system calls
# too, EFAULT for a bad pointer; RLIMIT_NOFILE is the real one, and without MEMAUDIT_MEMLOCK_LIMIT
# the program sees its real limit, and the calls are logged as the library logs them, the model
# following what they set. Needs root (the kernel's side drops privileges with setpriv).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
. "$top_srcdir/tests/trace/log-lib.sh"
[ -x "$PROGS/rlimit_fit_static" ] ||
	skip_all "no static C library to link rlimit_fit_static with (Debian libc6-dev)"
log_setup
is_root || skip_all "not root: cannot drop privileges to ask the kernel"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) not found"
chmod 755 "$T"
# copies user 65534 can reach (the build tree may lie under a directory closed to it)
mkdir "$T/bin" && cp "$PROGS/rlimit_fit_static" "$T/bin/" && chmod 755 "$T/bin" "$T/bin/rlimit_fit_static"
prog=$T/bin/rlimit_fit_static
as_user 64 "$prog" fit 1 >"$T/probe" 2>&1 || skip_all "cannot run as uid 65534: $(head -c 200 "$T/probe")"

# traced [VAR=VALUE...] ARGS...: the program as root (ulimit -l 1024: more than the simulated
# limit) under memaudit-trace, the variables set; stdout in $T/out, status in $st, its log in
# $T/logs.
traced() {
	_vars=
	while [ $# -gt 0 ]; do
		case $1 in *=*) _vars="$_vars $1"; shift ;; *) break ;; esac
	done
	rm -rf "$T/logs"/*
	# shellcheck disable=SC2086
	$bound env MEMAUDIT_LOG_DIR="$T/logs" $_vars sh -c 'ulimit -l 1024 && exec "$@"' sh \
		"$MEMAUDIT_TRACE" -- "$@" >"$T/out" 2>"$T/err"
	st=$?
}
findings() {
	log_jq "$log" "[.[] | select(.type == \"finding\" and .rule == \"$1\")] | length"
}

# 1. The program that fits its locking to the limit.
as_user 64 "$prog" fit >"$T/kernel.fit" 2>&1
kst=$?
is "$(cat "$T/kernel.fit")" "locked 16 buffers" "kernel, uid 65534, ulimit -l 64: it locks the 16 pages that fit"
for pol in audit enforce; do
	traced MEMAUDIT_POLICY=$pol MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" fit
	same_file "$T/out" "$T/kernel.fit" "$pol, traced, MEMAUDIT_MEMLOCK_LIMIT=64K: the same count as the kernel ($(cat "$T/out"))"
	is "$st" "$kst" "$pol: the same exit status"
	ok "$pol: nothing on stderr" test ! -s "$T/err"
	if the_log "$T/logs"; then
		is "$(findings lock-limit)" 0 "$pol: no lock-limit finding"
		is "$(log_jq "$log" '[.[] | select(.type == "memlock" and .read and .modelled) | "\(.op) \(.via) \(.simulated) \(.hard)"] | join(",")')" \
			"prlimit64 syscall 65536 65536" "$pol: one memlock record: glibc's getrlimit read the modelled 64 KiB (prlimit64)"
		is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .ok)] | length')" 16 \
			"$pol: 16 successful mlock calls in the log"
	fi
done

# 2. Reading it every way, setrlimit and prlimit: as the kernel treats the user.
as_user 64 "$prog" set >"$T/kernel.set" 2>&1
kst=$?
ok "kernel: raising the hard limit is EPERM for the user" grep -q '^raise the hard limit: EPERM' "$T/kernel.set"
traced MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" set
same_file "$T/out" "$T/kernel.set" "traced: getrlimit, getrlimit64, prlimit (pid 0 and own pid), syscall(SYS_prlimit64), setrlimit and prlimit answer as the kernel"
is "$st" "$kst" "set: the same exit status"
if the_log "$T/logs"; then
	is "$(findings lock-limit)" 0 "set: no lock-limit finding under the lowered limit"
	is "$(log_jq "$log" '[.[] | select(.type == "memlock" and .set != null and .ok == false) | .errno] | join(",")')" \
		"1,1,22,1" "set: the refused changes are logged with EPERM, EPERM, EINVAL, EPERM"
	is "$(log_jq "$log" '[.[] | select(.type == "memlock" and .set != null)] | length')" 7 \
		"set: each of the 7 attempts to set is logged"
fi

# 3. The getrlimit and setrlimit system calls themselves, bad pointers, and RLIMIT_NOFILE.
as_user 64 "$prog" raw >"$T/kernel.raw" 2>&1
ok "kernel: a bad pointer is EFAULT" grep -q '^SYS_getrlimit to a bad pointer: EFAULT' "$T/kernel.raw"
traced MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" raw
same_file "$T/out" "$T/kernel.raw" "traced: SYS_getrlimit, SYS_setrlimit and EFAULT as the kernel"
is "$(sed -n 's/^RLIMIT_NOFILE: soft \([0-9]*\) .*/\1/p' "$T/out")" "$(ulimit -n)" \
	"RLIMIT_NOFILE is the real one"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "memlock") | .op] | join(",")')" "getrlimit,setrlimit" \
		"raw: the first read and the set are logged under the calls' names (a failed read is not)"
fi
traced MEMAUDIT_MEMLOCK_LIMIT=64K sh -c 'ulimit -l; ulimit -n'
is "$(cat "$T/out")" "64
$(ulimit -n)" "a traced shell's ulimit -l says 64, its ulimit -n is the real one"

# 4. Without MEMAUDIT_MEMLOCK_LIMIT: the real limit, the calls run.
traced "$prog" fit
is "$(cat "$T/out")" "locked 256 buffers" "no MEMAUDIT_MEMLOCK_LIMIT: root's real 1 MiB, 256 buffers"
sh -c 'ulimit -l 64 && exec "$@"' sh "$prog" raw >"$T/root.raw" 2>&1
rm -rf "$T/logs"/*
$bound env MEMAUDIT_LOG_DIR="$T/logs" sh -c 'ulimit -l 64 && exec "$@"' sh "$MEMAUDIT_TRACE" -- \
	"$prog" raw >"$T/out" 2>"$T/err"
same_file "$T/out" "$T/root.raw" "no MEMAUDIT_MEMLOCK_LIMIT: the real calls answer, as without the supervisor"
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "memlock") | "\(.op) \(.read) \(.ok) \(.simulated)"] | join(",")')" \
		"getrlimit true true 65536,setrlimit false true 32768" \
		"no MEMAUDIT_MEMLOCK_LIMIT: the first read and the set are logged, the model follows the set"
fi
# ... and glibc's prlimit64 every way (shim/rlimit.c's section 4 in tests/policy/rlimit.sh)
sh -c 'ulimit -l 64 && exec "$@"' sh "$prog" set >"$T/root.set" 2>&1
rm -rf "$T/logs"/*
$bound env MEMAUDIT_LOG_DIR="$T/logs" sh -c 'ulimit -l 64 && exec "$@"' sh "$MEMAUDIT_TRACE" -- \
	"$prog" set >"$T/out" 2>"$T/err"
same_file "$T/out" "$T/root.set" "own limit: the real calls answer, as without the supervisor"
now=$(sed -n 's/^now: soft \([0-9]*\) .*/\1/p' "$T/out")
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "memlock")][-1].simulated')" "$now" \
		"own limit: the simulated limit follows the real one ($now)"
	is "$(log_jq "$log" '[.[] | select(.type == "memlock" and .ok == false)] | length')" \
		"$(grep -c ': E[A-Z]*$' "$T/out")" "own limit: each refused change is logged as refused"
	is "$(log_jq "$log" '[.[] | select(.type == "memlock") | .modelled] | any')" false \
		"own limit: nothing is answered from the model"
fi
done_testing
