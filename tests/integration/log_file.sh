#!/bin/sh
# The log file: memaudit.<progname>.<pid>.log, mode 0600 whatever the umask, a header first line
# (format memaudit-log, version 2, the process's pid), every line a JSON record ending in a
# newline; a relative MEMAUDIT_LOG_DIR is taken from the working directory.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

L=$T/logs
mkdir "$L"
(umask 000 && exec env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$L" sh -c \
	'echo $$ >"$0"; exec "$1" 3' "$T/pid" "$PROGS/lock_loop") >"$T/out" 2>&1
is "$?" 0 "lock_loop 3 runs under the shim (umask 000)"
pid=$(cat "$T/pid")
# sh itself is audited too (it is a process under the shim); the exec'd lock_loop keeps its pid.
log=$(logs_in "$L" | grep "/memaudit\.lock_loop\.$pid\.")
if [ -n "$log" ]; then
	pass "the log is named memaudit.lock_loop.<pid>[.n].log"
	is "$(stat -c %a "$log")" 600 "its mode is 0600 under umask 000"
	is "$(stat -c %u "$log")" "$(id -u)" "it belongs to the user"
	ok "every line is a JSON record" valid_jsonl "$log"
	is "$(tail -c 1 "$log" | od -An -c | tr -d ' ')" '\n' "the file ends with a newline"
	is "$(log_jq "$log" '.[0] | "\(.type) \(.format) \(.version) \(.pid) \(.progname) \(.policy)"')" \
		"header memaudit-log 3 $pid lock_loop audit" "the first line is the header"
	is "$(log_jq "$log" '.[0].argv | join(" ")')" "$PROGS/lock_loop 3" "the header has argv"
	is "$(log_jq "$log" '[.[] | select(.type == "event")] | length')" 3 "three events"
else
	fail "the log is named memaudit.lock_loop.<pid>[.n].log" "$(ls -la "$L")"
fi

# Names and arguments from the system are escaped: a program name with a space and a quote gives
# a file name of safe characters; argv with quotes, backslashes, control characters and a byte that
# is not UTF-8 (written as the byte code point U+10FFFF, docs/log-format.md) is still valid JSON,
# and reads back.
mkdir "$T/odd" "$T/oddlogs"
ln -s "$PROGS/lock_loop" "$T/odd/we ird\"name"
arg2=$(printf 'q"b\\s\tt')
arg3=$(printf 'x\377y')
run_shimmed "$T/oddlogs" "$T/odd/we ird\"name" 1 "$arg2" "$arg3" >/dev/null 2>&1
log=$(logs_in "$T/oddlogs")
case $(basename "${log:-none}") in
memaudit.we_ird_name.[0-9]*.log) pass "an odd program name: the log is memaudit.we_ird_name.<pid>.log" ;;
*) fail "an odd program name: the log is memaudit.we_ird_name.<pid>.log" "$(ls "$T/oddlogs")" ;;
esac
if [ -n "$log" ]; then
	ok "its every line is a JSON record" valid_jsonl "$log"
	is "$(log_jq "$log" '.[0].argv[2]')" "$arg2" "argv with a quote, a backslash and a tab reads back"
	is "$(log_jq "$log" '.[0].argv[3] | explode | map(tostring) | join(" ")')" "120 1114111 121" \
		"the byte 0xff reads back as U+10FFFF (U+10FF00 + 0xff)"
	is "$(log_jq "$log" '.[0].progname')" 'we ird"name' "progname in the header is the real name"
fi

# A relative log directory is relative to the working directory.
mkdir "$T/cwd" "$T/cwd/rel"
(cd "$T/cwd" && run_shimmed rel "$PROGS/lock_loop" 1) >/dev/null 2>&1
is "$(count_logs "$T/cwd/rel")" 1 "MEMAUDIT_LOG_DIR=rel: the log is in ./rel"
done_testing
