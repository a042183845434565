# tests/trace/lib.sh: what the trace-mode tests share (sourced after tests/lib.sh).
#
#   require_trace                    skip unless memaudit-trace and jq are there
#   run_traced DUMP CMD ARGS...      CMD under memaudit-trace --dump DUMP, bounded (TRACE_TIMEOUT
#                                    seconds, default 60): a hung supervisor fails the test
#   dump_calls DUMP NAME             the calls NAME in DUMP, one JSON object a line
#   frame0 DUMP NAME                 "FUNCTION BASENAME:LINE" of the first frame of each call NAME
#   wait_for SECONDS CMD...          poll CMD until it succeeds (bounded)
#   require_lockable                 skip unless a page can be locked
#   pids_with FIELD VALUE [COMM]     pids whose /proc/PID/stat FIELD (ppid or pgrp) is VALUE
#                                    (and whose name is COMM): no procps needed
#   pids_running TEXT                pids whose command line holds TEXT
#   djq_is DUMP FILTER WANT NAME     FILTER on the array of DUMP's events prints WANT
#   build_go_lock OUT                build tests/progs/go_lock.go into OUT, or skip the script

: "${MEMAUDIT_TRACE:=$top_builddir/tools/memaudit-trace}"

require_trace() {
	[ -n "$JQ" ] && "$JQ" -n 1 >/dev/null 2>&1 || skip_all "jq not found (Debian package jq)"
	[ -x "$MEMAUDIT_TRACE" ] || skip_all "memaudit-trace is not built ($MEMAUDIT_TRACE)"
	[ -d "$PROGS" ] || skip_all "the test programs are not built (PROGS=$PROGS)"
	bounded "${TRACE_TIMEOUT:-60}"
}

run_traced() {
	_dump=$1
	shift
	$bound "$MEMAUDIT_TRACE" --dump "$_dump" -- "$@"
}

dump_calls() {
	"$JQ" -c --arg n "$2" 'select(.event == "call" and .call == $n)' "$1"
}

frame0() {
	"$JQ" -r --arg n "$2" 'select(.event == "call" and .call == $n) | .stack[0]
		| "\(.function) \(.file | split("/") | last):\(.line)"' "$1"
}

# the line of the (only) line of FILE holding TEXT, as "BASENAME:LINE"
site() {
	echo "$(basename "$1"):$(marker_line "$1" "$2")"
}

# djq_is DUMP FILTER WANT NAME: FILTER applied to the array of DUMP's events prints WANT.
djq_is() {
	_got=$("$JQ" -r -s "$2" "$1" 2>&1)
	if [ "x$_got" = "x$3" ]; then
		pass "$4"
	else
		fail "$4" "filter: $2" "got:  $_got" "want: $3"
	fi
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds, at most SECONDS; its status.
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ $_n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# require_lockable: skip unless this user can lock a page (root, or RLIMIT_MEMLOCK >= 64 KiB).
require_lockable() {
	is_root || [ "$(ulimit -l)" = unlimited ] || [ "$(ulimit -l)" -ge 64 ] ||
		skip_all "RLIMIT_MEMLOCK below 64 KiB"
}

# pids_with ppid|pgrp VALUE [COMM]: /proc/PID/stat is "PID (COMM) STATE PPID PGRP ..."
pids_with() {
	for _s in /proc/[0-9]*/stat; do
		sed -n 's/^\([0-9]*\) (\(.*\)) [A-Za-z] \([0-9]*\) \([0-9]*\) .*/\1 \2 \3 \4/p' "$_s" 2>/dev/null
	done | while read -r _pid _comm _ppid _pgrp; do
		case $1 in ppid) _v=$_ppid ;; *) _v=$_pgrp ;; esac
		[ "$_v" = "$2" ] && { [ -z "${3:-}" ] || [ "$_comm" = "$3" ]; } && echo "$_pid"
	done
}

# pids_running TEXT: processes (not zombies: they have no command line) whose argv holds TEXT
pids_running() {
	for _c in /proc/[0-9]*/cmdline; do
		_cl=$(cat "$_c" 2>/dev/null | tr '\000' ' ')
		case $_cl in *"$1"*) _p=${_c#/proc/}; echo "${_p%/cmdline}" ;; esac
	done
}

# build_go_lock OUT: go_lock.go built into OUT with Debian's golang-go, standard library only,
# offline (GOCACHE, GOPATH and HOME under the build directory); skip the script without go.
build_go_lock() {
	command -v go >/dev/null 2>&1 || skip_all "go not found (Debian package golang-go)"
	_gobase=$top_builddir/tests/trace/go
	mkdir -p "$_gobase/cache" "$_gobase/path" "$_gobase/home" || skip_all "cannot make $_gobase"
	$bound env GOCACHE="$_gobase/cache" GOPATH="$_gobase/path" HOME="$_gobase/home" GO111MODULE=off \
		GOPROXY=off GOFLAGS= CGO_ENABLED=0 go build -o "$1" "$top_srcdir/tests/progs/go_lock.go" \
		>"$1.build" 2>&1 || { cat "$1.build" >&2; skip_all "go build failed (see the log)"; }
}
