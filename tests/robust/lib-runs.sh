# tests/robust/lib-runs.sh: helpers of the robust tier, sourced after tests/lib.sh: run one program
# many times under the shim; find a system library to preload beside it.
#
#   runs_under_shim N WANT PROG ARGS...
# runs PROG N times (ROBUST_RUNS, when set, replaces N), each with its own log directory and bounded by timeout(1), and counts the runs that hung (status
# 124), the others that did not exit 0 or did not print WANT as their last line, and those whose
# log does not end with an exit record. Sets runs, hung, failed, incomplete; the first failures are
# diagnosed. The logs of the last run stay in $T/logs.
runs_under_shim() {
	_n=${ROBUST_RUNS:-$1}
	_want=$2
	shift 2
	runs=0 hung=0 failed=0 incomplete=0
	while [ "$runs" -lt "$_n" ]; do
		runs=$((runs + 1))
		rm -rf "$T/logs"
		mkdir "$T/logs"
		timeout -k 5 "${ROBUST_TIMEOUT:-20}" env LD_PRELOAD="$MEMAUDIT_SHIM" \
			MEMAUDIT_LOG_DIR="$T/logs" "$@" >"$T/out" 2>"$T/err"
		_st=$?
		if [ "$_st" = 124 ] || [ "$_st" = 137 ]; then
			hung=$((hung + 1))
			continue
		fi
		if [ "$_st" != 0 ] || [ "x$(tail -n 1 "$T/out")" != "x$_want" ]; then
			failed=$((failed + 1))
			[ "$failed" -le 3 ] && diag "run $runs: status $_st, output:" "$(head -c 500 "$T/out")" \
				"$(head -c 500 "$T/err")"
			continue
		fi
		for _log in "$T"/logs/memaudit.*.log; do
			if ! tail -n 1 "$_log" | grep -q '^{"type":"exit"'; then
				incomplete=$((incomplete + 1))
				[ "$incomplete" -le 3 ] && diag "run $runs: $(basename "$_log") has no exit record" \
					"$(tail -c 300 "$_log")"
			fi
		done
	done
}

require_timeout() {
	command -v timeout >/dev/null 2>&1 || skip_all "timeout(1) (coreutils) not found"
}

# find_lib FILE: the path of a shared library installed in the system's library directories, or
# nothing.
find_lib() {
	for _d in "/usr/lib/$(gcc -print-multiarch 2>/dev/null)" /usr/lib64 /usr/lib /lib; do
		[ -r "$_d/$1" ] && echo "$_d/$1" && return 0
	done
	return 1
}
