#!/bin/sh
# memcached -k (Debian package memcached): "lock down all paged memory", i.e. one
# mlockall(MCL_CURRENT | MCL_FUTURE) in main() after dropping privileges to the -u user; a failure
# is a warning on stderr ("-k invalid, mlockall() failed") and the server runs unlocked. Each run
# serves one set/get on 127.0.0.1 and is stopped with SIGTERM (and bounded by timeout(1)).
#
# A. -u nobody, RLIMIT_MEMLOCK 8 MiB (the package's way of running it): the kernel refuses the
#    mlockall with ENOMEM, because MCL_CURRENT counts the whole address space (over 2048 pages)
#    and the user has no CAP_IPC_LOCK. The one error, lock-limit at that mlockall, is true: -k
#    cannot work under that limit, and nothing is locked (call-failed, a warning, says so too).
# B. -u root with MEMAUDIT_MEMLOCK_LIMIT=unlimited: the mlockall succeeds for real and in the
#    simulation. Everything memcached frees afterwards is ordinary heap memory under mlockall,
#    which no lock call named: no error at all (SPEC "Rules": lock-freed is "not after mlockall").
# C. -u root, simulated limit 8 MiB: root's real call succeeds (CAP_IPC_LOCK), the simulated user
#    without it would be refused. One true error, lock-limit at the mlockall; the target's state
#    after a refused call is the state before it (SPEC "Environment"), so the later heap growth is
#    not charged as locked (no lock-limit at malloc) and frees are no lock-freed.
# The what-if at 64 KiB of run A names the mlockall (lock call 1); the kernel, for memcached -k run
# as uid 65534 under 64 KiB, refuses that same call with ENOMEM.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/realprogs/common.sh"
require_report
need_prog memcached memcached
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found (the test's memcached client)"
tmpdir

MC=$(proc /memcached)
PORT=$((20000 + $$ % 20000))
LL='(.rule == "lock-limit")'

# client: one set and one get on 127.0.0.1:$PORT, retried while the server starts (5 s at most)
client() {
	python3 - "$PORT" <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
for _ in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("no server on 127.0.0.1:%d" % port)
s.sendall(b"set k 0 0 6\r\nsecret\r\n")
got = b""
while not got.endswith(b"\r\n"):
    got += s.recv(1024)
s.sendall(b"get k\r\n")
while not got.endswith(b"END\r\n"):
    got += s.recv(1024)
s.close()
print(got.decode().replace("\r\n", "|"))
EOF
}

# serve NAME KIB [VAR=VALUE...] -- MEMCACHED_ARGS...: memcached under RLIMIT_MEMLOCK KIB KiB and the
# shim (logs in $T/NAME), one client exchange, SIGTERM; its report in $T/NAME.json. Sets $got.
serve() {
	_n=$1 _kib=$2
	shift 2
	_env=
	while [ "$1" != -- ]; do
		_env="$_env $1"
		shift
	done
	shift
	mkdir "$T/$_n"
	# shellcheck disable=SC2086
	sh -c 'ulimit -l "$0" && exec "$@"' "$_kib" env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/$_n" $_env \
		timeout 30 memcached -l 127.0.0.1 -p "$PORT" -U 0 -m 8 -t 1 "$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	_pid=$!
	got=$(client 2>&1)
	kill -TERM "$_pid" 2>/dev/null
	wait "$_pid"
	is "$got" "STORED|VALUE k 0 6|secret|END|" "$_n: memcached served a set and a get on 127.0.0.1"
	make_report "$T/$_n" "$T/$_n.json" "$_n: memaudit-report reads the logs"
}

# mlockall_site REPORT: the op and outcome of memcached's mlockall site
mlockall_ok() {
	"$JQ" -r "[$MC | .sites[] | select(.op == \"mlockall\") | (.failures | length == 0)] | map(tostring) | join(\",\")" "$1"
}

if ! is_root; then
	skip "runs A, B and C" "not root: memcached -u and CAP_IPC_LOCK need root"
	done_testing
fi

# A --------------------------------------------------------------------------------------------
serve A 8192 -- -u nobody -k
ok "A: memcached says mlockall failed" grep -q 'mlockall() failed' "$T/A.err"
if [ -f "$T/A.json" ]; then
	is "$(mlockall_ok "$T/A.json")" false "A: the real mlockall failed"
	jq_is "$T/A.json" "[$MC | .sites[] | select(.op == \"mlockall\") | .failures.ENOMEM] | add" 1 "A: with ENOMEM"
	errors_only "$T/A.json" "$LL" "A: no error but lock-limit"
	jq_ok "$T/A.json" "[$MC | .findings[] | select($LL)] | length == 1 and all(.count == 1 and (.message | test(\"^mlockall\")) and (.message | test(\"kernel refused\")))" \
		"A: one lock-limit error, at the mlockall the kernel refused"
	jq_is "$T/A.json" "[$MC | .findings[] | select(.rule == \"call-failed\") | .count] | add" 1 \
		"A: call-failed (warning) for it"
	wA=$(whatif_call "$T/A.json" "$MC" 65536)
	is "$wA" 1 "A: the what-if at 64 KiB: lock call 1 (the mlockall) fails"
fi

# B --------------------------------------------------------------------------------------------
serve B 8192 MEMAUDIT_MEMLOCK_LIMIT=unlimited -- -u root -k
if [ -f "$T/B.json" ]; then
	is "$(mlockall_ok "$T/B.json")" true "B: the mlockall succeeded"
	no_errors "$T/B.json" "B: no finding of severity error (frees under mlockall are not lock-freed)"
fi

# C --------------------------------------------------------------------------------------------
serve C 8192 -- -u root -k
if [ -f "$T/C.json" ]; then
	is "$(mlockall_ok "$T/C.json")" true "C: root's real mlockall succeeded"
	errors_only "$T/C.json" "$LL and (.message | test(\"^mlockall\"))" \
		"C: no error but lock-limit at the mlockall (none at malloc: the refused call set no MCL_FUTURE)"
	jq_is "$T/C.json" "[$MC | .findings[] | select($LL) | .count] | add" 1 "C: one lock-limit error"
fi

# the kernel's answer for a user under 64 KiB -----------------------------------------------------
user_stage || done_testing
as_user 64 env LD_PRELOAD="$T/bin/libmemaudit.so" MEMAUDIT_LOG_DIR="$T/ulogs" \
	timeout 30 memcached -l 127.0.0.1 -p "$PORT" -U 0 -m 8 -t 1 -k >"$T/U.out" 2>"$T/U.err" &
upid=$!
got=$(client 2>&1)
# $! is the subshell that runs as_user, not memcached: stop the server itself
pkill -TERM -u 65534 -f "memcached -l 127.0.0.1 -p $PORT " 2>/dev/null
wait "$upid"
is "$got" "STORED|VALUE k 0 6|secret|END|" "as a user under 64 KiB: memcached served a set and a get"
ulog=$(log_of "$T/ulogs" memcached)
if [ -n "$ulog" ]; then
	is "$(refused_call "$ulog")" "${wA:-1}" "as a user under 64 KiB: the kernel refuses lock call ${wA:-1}, as the what-if said"
	is "$("$JQ" -r -s '[.[] | select(.type == "event" and .op == "mlockall") | .errno] | join(",")' "$ulog")" 12 \
		"as a user under 64 KiB: the mlockall failed with ENOMEM"
else
	fail "as a user under 64 KiB: a log of memcached" "$(ls -la "$T/ulogs")"
fi
done_testing
