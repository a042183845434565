# tests/lib.sh: shared helpers for the integration tests (POSIX sh). Each test sources it:
#
#   . "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
#   require_jq; require_report          # or 1..0 # SKIP reason, and exit
#   tmpdir; logs=$T/logs; mkdir "$logs" # $T is removed at exit
#   run_shimmed "$logs" "$PROGS/prog" args >"$T/out"; st=$?
#   report_json "$logs" >"$T/r.json"
#   jq_is "$T/r.json" '.processes | length' 1 "one process"
#   done_testing                        # prints the plan and exits
#
# Environment (tests/Makefile.am, AM_TESTS_ENVIRONMENT): MEMAUDIT_SHIM, MEMAUDIT_REPORT,
# MEMAUDIT_LAUNCHER, PROGS, JQ, top_srcdir, top_builddir.
#
# Output is TAP for automake's tap-driver.sh: "ok N - name", "not ok N - name" followed by "# "
# diagnostics, "ok N # SKIP reason", and the plan at the end.

# Start from a clean configuration: a MEMAUDIT_* variable or an LD_PRELOAD from the caller's
# environment (make check run under the launcher, say) must not change what the tests see.
unset MEMAUDIT_POLICY MEMAUDIT_MEMLOCK_LIMIT MEMAUDIT_PAGE_SIZE MEMAUDIT_MAX_MAP_COUNT \
	MEMAUDIT_LOG_DIR MEMAUDIT_FAIL_ON MEMAUDIT_EXITCODE MEMAUDIT_ABORT MEMAUDIT_SUPPRESSIONS \
	MEMAUDIT_ARGV MEMAUDIT_LIBRARY MEMAUDIT_TRACER LD_PRELOAD
LC_ALL=C
export LC_ALL

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PROGS:=$(pwd)/progs}"
: "${JQ=$(command -v jq 2>/dev/null)}"

tap_n=0
tap_failed=0
# TODO=REASON marks the tests that follow as TODO (automake: XFAIL when they fail, XPASS, which
# fails the suite, when they pass); set it only while a feature is known to be missing.
TODO=

# ---------------------------------------------------------------------------------------------
# TAP

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# diag_file FILE [MAXLINES]: a file's first lines as diagnostics.
diag_file() {
	if [ -s "$1" ]; then
		echo "# --- $1"
		head -n "${2:-20}" "$1" | sed 's/^/#   /'
	else
		echo "# --- $1 (empty or missing)"
	fi
}

_todo() {
	[ -n "$TODO" ] && printf ' # TODO %s' "$TODO"
	return 0
}

pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1$(_todo)"
}

# fail NAME [DIAGNOSTIC...]
fail() {
	tap_n=$((tap_n + 1))
	[ -n "$TODO" ] || tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1$(_todo)"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# skip NAME REASON: a test that could not run here (counts as skipped, never as passed).
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# skip_all REASON: the whole script cannot run here.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# ok NAME CMD...: passes when CMD succeeds (CMD's stdout goes to stderr, i.e. the test's log).
ok() {
	_name=$1
	shift
	if "$@" >&2; then
		pass "$_name"
	else
		fail "$_name" "command failed: $*"
	fi
}

# is GOT WANT NAME
is() {
	if [ "x$1" = "x$2" ]; then
		pass "$3"
	else
		fail "$3" "got:  $1" "want: $2"
	fi
}

# isnt GOT UNWANTED NAME
isnt() {
	if [ "x$1" != "x$2" ]; then
		pass "$3"
	else
		fail "$3" "got the unwanted value: $1"
	fi
}

# same_file GOT WANT NAME: byte-identical files; a diff as diagnostics otherwise.
same_file() {
	if cmp -s "$1" "$2"; then
		pass "$3"
	else
		fail "$3"
		diff -u "$2" "$1" 2>&1 | head -n 40 | sed 's/^/#   /'
	fi
}

done_testing() {
	echo "1..$tap_n"
	exit 0
}

# ---------------------------------------------------------------------------------------------
# Preconditions

require_shim() {
	[ -n "$MEMAUDIT_SHIM" ] && [ -r "$MEMAUDIT_SHIM" ] ||
		skip_all "the shim is not built (MEMAUDIT_SHIM=$MEMAUDIT_SHIM)"
	[ -d "$PROGS" ] || skip_all "the test programs are not built (PROGS=$PROGS)"
}

require_jq() {
	require_shim
	[ -n "$JQ" ] && "$JQ" -n 1 >/dev/null 2>&1 ||
		skip_all "jq not found (Debian package jq; configure looks for it)"
}

require_report() {
	require_jq
	[ -n "$MEMAUDIT_REPORT" ] && [ -x "$MEMAUDIT_REPORT" ] ||
		skip_all "memaudit-report is not built (MEMAUDIT_REPORT=$MEMAUDIT_REPORT)"
}

is_root() {
	[ "$(id -u)" = 0 ]
}

# as_user KIB CMD...: CMD as a normal user sees the kernel: uid/gid 65534, no capabilities (so no
# CAP_IPC_LOCK), RLIMIT_MEMLOCK of KIB KiB. Needs root and setpriv (util-linux).
as_user() {
	_kib=$1
	shift
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
		sh -c 'ulimit -l "$0" && exec "$@"' "$_kib" "$@"
}

# can_run_as_user WHAT: whether as_user can run here (root, and setpriv); when not, WHAT is skipped
# with the reason and the status is non-zero.
can_run_as_user() {
	if ! is_root; then
		skip "$1" "not root: cannot drop privileges"
		return 1
	fi
	if ! command -v setpriv >/dev/null 2>&1; then
		skip "$1" "setpriv (util-linux) not found"
		return 1
	fi
}

# ---------------------------------------------------------------------------------------------
# Temporary files

T=
_cleanup() {
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ -n "$MEMAUDIT_TEST_KEEP" ]; then
			echo "# kept $T" >&2
		else
			rm -rf "$T"
		fi
	fi
}

# tmpdir: make $T, a private directory removed when the script ends (MEMAUDIT_TEST_KEEP=1 keeps it).
tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-test.XXXXXX") || {
		echo "Bail out! mktemp -d failed"
		exit 99
	}
	trap '_cleanup' EXIT
	trap '_cleanup; exit 130' INT
	trap '_cleanup; exit 143' TERM
	trap '_cleanup; exit 129' HUP
}

# ---------------------------------------------------------------------------------------------
# Running programs

# run_shimmed DIR [VAR=VALUE...] CMD ARGS...: CMD under the shim, logging into DIR. Leading
# VAR=VALUE words set more variables for CMD only (env(1) syntax).
# bounded SECONDS: $bound becomes a timeout(1) prefix that ends a command after SECONDS (and kills
# it 5 s later), or nothing where timeout(1) is missing: a test that could hang stays bounded.
bounded() {
	bound=
	command -v timeout >/dev/null 2>&1 && bound="timeout -k 5 $1"
}

run_shimmed() {
	_dir=$1
	shift
	env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$_dir" "$@"
}

# run_plain [VAR=VALUE...] CMD ARGS...: the same without the shim.
run_plain() {
	env "$@"
}

# compare_runs NAME CMD ARGS...: runs CMD without and then with the shim (logs in $T/cmp.logs),
# stdout to $T/plain.out and $T/shim.out, stderr to $T/plain.err and $T/shim.err; checks that
# stdout and exit status are identical. Sets plain_status and shim_status.
compare_runs() {
	_what=$1
	shift
	rm -rf "$T/cmp.logs"
	mkdir "$T/cmp.logs"
	run_plain "$@" >"$T/plain.out" 2>"$T/plain.err"
	plain_status=$?
	run_shimmed "$T/cmp.logs" "$@" >"$T/shim.out" 2>"$T/shim.err"
	shim_status=$?
	same_file "$T/shim.out" "$T/plain.out" "$_what: stdout is the same with and without the shim"
	is "$shim_status" "$plain_status" "$_what: exit status is the same with and without the shim"
}

# ---------------------------------------------------------------------------------------------
# Logs

# logs_in DIR: the log files in DIR, one per line, sorted.
logs_in() {
	find "$1" -maxdepth 1 -type f -name 'memaudit.*.log' | LC_ALL=C sort
}

count_logs() {
	logs_in "$1" | wc -l | tr -d ' '
}

# the_log DIR: one test, "one log": DIR holds exactly one log. Sets $log to its path (empty when
# the test failed) and returns non-zero when it failed.
the_log() {
	log=
	_n=$(count_logs "$1")
	if [ "$_n" = 1 ]; then
		log=$(logs_in "$1")
		pass "one log"
		return 0
	fi
	fail "one log" "found $_n in $1:" "$(ls -la "$1" 2>&1)"
	return 1
}

# LOG_EXPAND: a jq filter from the array of a log's records to the records as a reader takes them
# (docs/log-format.md, version 3), an independent reading of the compact records: an event gets the
# keys left out at their default (tid: the header's pid, ok: true, errno: 0); an again record
# becomes the last event of its stack with its seq and t (and the next call); each finding_at
# record becomes the full finding record that its finding_def says, with its seq; the finding_def
# records themselves are left out.
LOG_EXPAND='(map(select(.type == "header"))[0].pid) as $pid
	| (map(select(.type == "finding_def") | {key: (.id | tostring), value: .}) | from_entries) as $defs
	| [foreach .[] as $r ({last: {}};
		($r.stack | tostring) as $s
		| if $r.type == "event" then .out = ({tid: $pid, ok: true, errno: 0} + $r) | .last[$s] = .out
		  elif $r.type == "again" and .last[$s] != null
		  then .out = (.last[$s] + {seq: $r.seq, t: $r.t}
			       + if .last[$s].call != null then {call: (.last[$s].call + 1)} else {} end)
		       | .last[$s] = .out
		  elif $r.type == "finding_at" and $defs[$r.def | tostring] != null
		  then .out = ($defs[$r.def | tostring] + {type: "finding", seq: $r.seq} | del(.id))
		  else .out = $r end;
		.out)
	  | select(.type != "finding_def" and .type != "again")]'

# log_jq LOG FILTER: FILTER applied to the array of the log's records (-r output), expanded by
# LOG_EXPAND. NUL bytes are not part of records (the rest of a killed process's window:
# docs/log-format.md).
log_jq() {
	tr -d '\000' <"$1" | "$JQ" -r -s "$LOG_EXPAND | $2"
}

# valid_jsonl FILE: every line is a JSON object (a record cut short would not parse); NUL bytes
# are left out as by log_jq.
valid_jsonl() {
	tr -d '\000' <"$1" | "$JQ" -e -s 'all(.[]; type == "object")' >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Report

# report_json LOG_OR_DIR...: the report as JSON on stdout. Exit status 0 or 1 (findings) is a
# good report; anything else is diagnosed on stderr.
report_json() {
	"$MEMAUDIT_REPORT" --format json "$@"
	_st=$?
	[ $_st -le 1 ] || echo "memaudit-report --format json $* exited with $_st" >&2
	return $_st
}

# make_report DIR FILE NAME: report_json DIR into FILE, one test: it exits 0 or 1 and prints JSON
# with "memaudit_report": 1. Returns non-zero when it did not.
make_report() {
	report_json "$1" >"$2" 2>"$2.err"
	_st=$?
	if [ $_st -le 1 ] && "$JQ" -e '.memaudit_report == 1' "$2" >/dev/null 2>&1; then
		pass "$3"
		return 0
	fi
	fail "$3" "memaudit-report exited with $_st"
	diag_file "$2"
	diag_file "$2.err"
	return 1
}

# jq_is FILE FILTER WANT NAME: `jq -r FILTER FILE` prints exactly WANT.
jq_is() {
	_got=$("$JQ" -r "$2" "$1" 2>&1)
	if [ "x$_got" = "x$3" ]; then
		pass "$4"
	else
		fail "$4" "filter: $2" "got:  $_got" "want: $3"
	fi
}

# jq_ok FILE FILTER NAME: FILTER's result is true (jq -e).
jq_ok() {
	if "$JQ" -e "$2" "$1" >/dev/null 2>&1; then
		pass "$3"
	else
		fail "$3" "filter is not true: $2" "it gives: $("$JQ" -c "$2" "$1" 2>&1 | head -c 2000)"
	fi
}

# marker_line FILE TEXT: the line number of the (only) line of FILE containing TEXT.
marker_line() {
	grep -n -F "$2" "$1" | sed -n '1s/:.*//p'
}

# site_calls FILE OP [PROCESS_FILTER]: the sum of `calls` over a process's sites of one op
# (PROCESS_FILTER picks the process, default .processes[0]).
site_calls() {
	"$JQ" -r --arg op "$2" "[(${3:-.processes[0]}).sites[] | select(.op == \$op) | .calls] | add // 0" "$1"
}

# no_errors REPORT_JSON NAME: passes when the report has no finding of severity error (the ones it
# has are the diagnostics otherwise).
no_errors() {
	_errs=$("$JQ" -c '[.processes[].findings[] | select(.severity == "error")
		| {rule, count, message, frames: [.frames[] | "\(.function)@\(.module)"]}] | .[]' "$1" 2>&1)
	if [ -z "$_errs" ]; then
		pass "$2"
	else
		fail "$2" "error findings:" "$_errs"
	fi
}

# strict_is_clean PLAIN_STDOUT CMD...: as root, CMD under MEMAUDIT_POLICY=strict exits 0 with the
# stdout of its plain run, no error finding and no refused call. The simulated limit is 8 MiB (the
# usual default) so that the outcome does not depend on root's own `ulimit -l`. Uses $T/strict.
strict_is_clean() {
	_plain=$1
	shift
	if ! is_root; then
		skip "strict policy: exit status 0" "not root"
		return
	fi
	mkdir "$T/strict"
	run_shimmed "$T/strict" MEMAUDIT_POLICY=strict MEMAUDIT_MEMLOCK_LIMIT=8M "$@" \
		>"$T/strict.out" 2>"$T/strict.err"
	_st=$?
	is "$_st" 0 "strict policy: exit status 0"
	same_file "$T/strict.out" "$_plain" "strict policy: the same stdout"
	[ "$_st" = 0 ] || diag_file "$T/strict.err"
	if make_report "$T/strict" "$T/strict.json" "strict policy: memaudit-report reads the log"; then
		jq_is "$T/strict.json" '.processes[0].policy' strict "strict policy: the report says so"
		no_errors "$T/strict.json" "strict policy: no finding of severity error"
		jq_is "$T/strict.json" '[.processes[0].sites[] | .injected // 0] | add' 0 \
			"strict policy: no call refused"
	fi
}

# ---------------------------------------------------------------------------------------------
# The launcher

# require_launcher: the launcher and the report tool are built, and $T/run exists (call after
# tmpdir); otherwise the whole script is skipped.
require_launcher() {
	require_report
	[ -n "$MEMAUDIT_LAUNCHER" ] && [ -x "$MEMAUDIT_LAUNCHER" ] ||
		skip_all "the launcher is not built (MEMAUDIT_LAUNCHER=$MEMAUDIT_LAUNCHER)"
	mkdir -p "$T/run"
}

# launch ARGS...: the launcher with the built library and report tool, from $T/run; stdout in
# $T/out, stderr in $T/err, exit status in $st.
launch() {
	(cd "$T/run" && env MEMAUDIT_LIBRARY="$MEMAUDIT_SHIM" MEMAUDIT_REPORT="$MEMAUDIT_REPORT" \
		MEMAUDIT_TRACER="${MEMAUDIT_TRACE:-}" \
		"$MEMAUDIT_LAUNCHER" "$@") >"$T/out" 2>"$T/err"
	st=$?
}
