#!/bin/sh
# A program that sizes its locking by RLIMIT_MEMLOCK, against the kernel: run for real as uid 65534
# under `ulimit -l 64`, it reads 64 KiB and locks the 16 page buffers that fit. As root under the
# shim with MEMAUDIT_MEMLOCK_LIMIT=64K (audit and enforce) it must read the same limit, lock the
# same 16 and get no lock-limit finding; root's own limit, larger, would have made it lock more.
# The twin that ignores the limit still gets its lock-limit finding, and setrlimit/prlimit of the
# limit are modelled as the kernel treats the unprivileged user (EPERM for raising the hard limit).
# The kernel's side runs with privileges dropped by setpriv, so this test needs root.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
is_root || skip_all "not root: cannot drop privileges to ask the kernel"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) not found"
tmpdir
chmod 755 "$T"
mkdir "$T/bin" "$T/logs"
cp "$PROGS/rlimit_fit" "$T/bin/"
chmod 755 "$T/bin" "$T/bin/rlimit_fit"
prog=$T/bin/rlimit_fit

as_user 64 "$prog" fit 1 >"$T/probe" 2>&1 || skip_all "cannot run as uid 65534: $(head -c 200 "$T/probe")"

# shimmed POLICY MODE...: the program as root under the shim, simulating `ulimit -l 64`; its
# stdout in $T/out, status in $st, its log in $log.
shimmed() {
	_pol=$1
	shift
	rm -rf "$T/logs"/*
	run_shimmed "$T/logs" MEMAUDIT_POLICY="$_pol" MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" "$@" \
		>"$T/out" 2>"$T/err"
	st=$?
	the_log "$T/logs"
}

findings() {
	log_jq "$log" "[.[] | select(.type == \"finding\" and .rule == \"$1\")] | length"
}

# 1. The program that fits its locking to the limit.
as_user 64 "$prog" fit >"$T/kernel.fit" 2>&1
kst=$?
is "$(cat "$T/kernel.fit")" "locked 16 buffers" "kernel, uid 65534, ulimit -l 64: the program locks the 16 pages that fit"
is "$kst" 0 "kernel: no lock refused"
sh -c 'ulimit -l 1024 && exec "$@"' sh "$prog" fit >"$T/root.fit" 2>&1
is "$(cat "$T/root.fit")" "locked 256 buffers" "root with ulimit -l 1024, no shim: the program locks more (what it would do under the shim without the wrappers)"
for pol in audit enforce; do
	# root's limit as the one the program would otherwise see: larger than the simulated one
	rm -rf "$T/logs"/*
	sh -c 'ulimit -l 1024 && exec "$@"' sh env LD_PRELOAD="$MEMAUDIT_SHIM" \
		MEMAUDIT_LOG_DIR="$T/logs" MEMAUDIT_POLICY="$pol" MEMAUDIT_MEMLOCK_LIMIT=64K \
		"$prog" fit >"$T/out" 2>"$T/err"
	st=$?
	same_file "$T/out" "$T/kernel.fit" "$pol, MEMAUDIT_MEMLOCK_LIMIT=64K: the same count as the kernel ($(cat "$T/out"))"
	is "$st" "$kst" "$pol: the same exit status"
	if the_log "$T/logs"; then
		is "$(findings lock-limit)" 0 "$pol: no lock-limit finding"
		is "$(log_jq "$log" '[.[] | select(.type == "memlock" and .read and .modelled)] | length')" 1 \
			"$pol: one memlock record says the program read its (modelled) limit"
		is "$(log_jq "$log" '[.[] | select(.type == "whatif" and .limit == 65536)] | length')" 0 \
			"$pol: no lock call fails at the configured 64 KiB"
		report_json "$log" >"$T/r.json"
		jq_is "$T/r.json" '.processes[0].memlock_read.op' getrlimit "$pol: the report says where it read its limit"
		jq_is "$T/r.json" '.processes[0].whatif_note | test("MEMAUDIT_MEMLOCK_LIMIT=32K")' true \
			"$pol: the what-if note gives the exact way to ask about 32 KiB"
		"$MEMAUDIT_REPORT" "$log" >"$T/r.txt" 2>&1
		ok "$pol: the text report has the note under the what-if table" \
			grep -q 'predicted without the program adapting' "$T/r.txt"
	fi
done

# ... and when the limit is read before fork() and the child locks by it
as_user 64 "$prog" fork >"$T/kernel.fork" 2>&1
is "$(cat "$T/kernel.fork")" "locked 16 buffers in the child" "kernel: the child locks what fits the limit its parent read"
rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" fork >"$T/out" 2>"$T/err"
same_file "$T/out" "$T/kernel.fork" "enforce, fork: the same count in the child"
child=$(grep -l '"parent_log":"memaudit' "$T/logs"/*.log 2>/dev/null | head -n 1)
if [ -n "$child" ]; then
	is "$(log_jq "$child" '[.[] | select(.type == "memlock" and .op == "fork" and .read)] | length')" 1 \
		"fork: the child's log says its parent had read the limit"
	is "$(log_jq "$child" '[.[] | select(.type == "finding" and .rule == "lock-limit")] | length')" 0 \
		"fork: no lock-limit finding in the child"
else
	fail "fork: the child has a log" "$(ls "$T/logs")"
fi

# 2. Its twin that ignores the limit: still refused at the 17th page, still a lock-limit finding.
as_user 64 "$prog" ignore 32 >"$T/kernel.ign" 2>&1
kst=$?
is "$kst" 1 "kernel: the program that ignores the limit is refused"
shimmed enforce ignore 32
same_file "$T/out" "$T/kernel.ign" "enforce: refused where the kernel refuses it ($(head -n 1 "$T/kernel.ign"))"
is "$st" "$kst" "enforce: the same exit status"
[ -n "$log" ] && is "$(findings lock-limit)" 1 "enforce: one lock-limit finding"
shimmed audit ignore 32
is "$(cat "$T/out")" "locked 32 buffers" "audit: the real calls go through as root"
if [ -n "$log" ]; then
	is "$(findings lock-limit)" 16 "audit: a lock-limit finding for each of the 16 pages over the limit"
	is "$(log_jq "$log" '[.[] | select(.type == "memlock")] | length')" 0 "audit: it never read its limit"
	report_json "$log" >"$T/r.json"
	jq_is "$T/r.json" '.processes[0].whatif_note' null "audit: so the report has no note"
	jq_is "$T/r.json" '.processes[0].memlock_read' null "audit: and no memlock_read"
fi

# 3. Reading it every way, setrlimit and prlimit: modelled as the kernel treats the user.
as_user 64 "$prog" set >"$T/kernel.set" 2>&1
kst=$?
ok "kernel: raising the hard limit is EPERM for the user" grep -q '^raise the hard limit: EPERM' "$T/kernel.set"
for pol in audit enforce; do
	shimmed "$pol" set
	same_file "$T/out" "$T/kernel.set" "$pol: getrlimit, getrlimit64, prlimit, syscall(SYS_prlimit64), setrlimit and prlimit answer as the kernel"
	is "$st" "$kst" "$pol: the same exit status"
	if [ -n "$log" ]; then
		is "$(findings lock-limit)" 0 "$pol: no lock-limit finding under the lowered limit"
		is "$(log_jq "$log" '[.[] | select(.type == "memlock" and .set != null and .ok == false) | .errno] | join(",")')" \
			"1,1,22,1" "$pol: the refused changes are logged with EPERM, EPERM, EINVAL, EPERM"
		report_json "$log" >"$T/r.json"
		jq_is "$T/r.json" '[.processes[0].whatif[] | select(.configured) | .limit] | join(",")' 16384 \
			"$pol: the configured what-if row follows the limit the program set (16 KiB)"
	fi
done

# 4. Without MEMAUDIT_MEMLOCK_LIMIT the simulated limit is the process's own soft limit: the real
# calls run (as they do without the shim), and the simulation follows what they set.
rm -rf "$T/logs"/*
sh -c 'ulimit -l 64 && exec "$@"' sh "$prog" set >"$T/root.set" 2>&1
sh -c 'ulimit -l 64 && exec "$@"' sh env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/logs" \
	"$prog" set >"$T/out" 2>"$T/err"
same_file "$T/out" "$T/root.set" "own limit: the real calls answer, as without the shim"
now=$(sed -n 's/^now: soft \([0-9]*\) .*/\1/p' "$T/out")
if the_log "$T/logs"; then
	is "$(log_jq "$log" '[.[] | select(.type == "memlock")][-1].simulated')" "$now" \
		"own limit: the simulated limit follows the real one ($now)"
	is "$(log_jq "$log" '[.[] | select(.type == "memlock") | .modelled] | any')" false \
		"own limit: nothing is answered from the model"
fi

# 5. Other processes and policy off are untouched.
rm -rf "$T/logs"/*
sh -c 'ulimit -l 1024 && "$@"; :' sh env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/logs" \
	MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" parent >"$T/out" 2>&1
is "$(cat "$T/out")" "prlimit(parent): soft 1048576 hard 1048576" "prlimit of another process passes through"
rm -rf "$T/logs"/*
run_shimmed "$T/logs" MEMAUDIT_MEMLOCK_LIMIT=64K sh -c 'ulimit -l; ulimit -n' >"$T/out" 2>&1
is "$(cat "$T/out")" "64
$(sh -c 'ulimit -n')" "a shell's ulimit -l says 64 under the shim, and other resources are the real ones"
sh -c 'ulimit -l 1024 && exec "$@"' sh env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/logs" \
	MEMAUDIT_POLICY=off MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" fit >"$T/out" 2>&1
is "$(cat "$T/out")" "locked 256 buffers" "policy off: the program sees its real limit"

done_testing
