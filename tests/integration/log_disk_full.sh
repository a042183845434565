#!/bin/sh
# Issue 10, item 8: a full disk. A real one: a tmpfs of 8 MiB mounted in a private mount namespace
# (unshare -m as root, unshare -rm, a user namespace, otherwise; skipped when neither is allowed).
# RLIMIT_FSIZE was the other way to make writes fail, but it fails them with EFBIG and SIGXFSZ
# for the program too, and no file system ever gets space back: a tmpfs gives the kernel's real
# ENOSPC, and space that comes back.
#   1. The disk fills while the program runs: the shim says so once on stderr, counts the records
#      it lost in the exit record, and the log goes on, readable, once there is space again.
#   2. The disk is full when the program starts: the log exists, empty; once there is space it
#      starts with its header, then a lost record.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
tmpdir

ns=
if unshare -m true 2>/dev/null; then
	ns="unshare -m"
elif unshare -rm true 2>/dev/null; then
	ns="unshare -rm"
else
	skip_all "no private mount namespace (unshare -m or -rm) for a small tmpfs"
fi
bounded 120
pairs=1500

# Inside the namespace: mount, run both cases, copy logs and output out to $T.
$bound $ns sh -c '
	T=$1 shim=$2 prog=$3 pairs=$4 m=$1/mnt
	mkdir -p "$m" && mount -t tmpfs -o size=8m tmpfs "$m" || exit 3
	mkdir "$m/l" "$T/l1" "$T/l2"
	env LD_PRELOAD="$shim" MEMAUDIT_LOG_DIR="$m/l" "$prog" fill "$m/filler" "$pairs" \
		>"$T/out1" 2>"$T/err1"
	echo $? >"$T/st1"
	cp "$m"/l/* "$T/l1/"
	rm -f "$m"/l/* "$m/filler"
	dd if=/dev/zero of="$m/filler" bs=64k 2>/dev/null
	env LD_PRELOAD="$shim" MEMAUDIT_LOG_DIR="$m/l" "$prog" unfill "$m/filler" "$pairs" \
		>"$T/out2" 2>"$T/err2"
	echo $? >"$T/st2"
	cp "$m"/l/* "$T/l2/"
	umount "$m"' sh "$T" "$MEMAUDIT_SHIM" "$PROGS/log_stress" $pairs
st=$?
if [ $st = 3 ]; then
	skip_all "cannot mount a tmpfs in a private mount namespace"
fi
is "$st" 0 "both runs finished (124: timed out)"

n=$((2 * pairs))
# 1. full during the run
is "$(cat "$T/st1") $(cat "$T/out1")" "0 events $((3 * n))" "disk full during the run: the program runs to its end"
is "$(grep -c '^memaudit: log .*No space left on device' "$T/err1")" 1 "...the shim says so once on stderr"
is "$(grep -c '' "$T/err1")" 1 "...and nothing else"
if the_log "$T/l1"; then
	ok "...every record in the log is whole" valid_jsonl "$log"
	is "$(log_jq "$log" '.[0].type')" header "...the header first"
	is "$(log_jq "$log" '[.[] | select(.type == "event") | .seq] | map(select(. <= '$n')) | length')" \
		$n "...the events from before the disk was full are there"
	is "$(log_jq "$log" '[.[] | select(.type == "event") | .seq] | map(select(. > '$((2 * n))')) | length')" \
		$n "...and those from after space came back"
	is "$(log_jq "$log" '[.[] | select(.type == "lost")] | length > 0')" true "...lost records mark the gap"
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.lost_records > 0) \(.events)"')" "exit true $((3 * n))" \
		"...the exit record counts the lost records"
	is "$(log_jq "$log" '([.[] | select(.type == "lost") | .records] | add) == .[-1].lost_records')" true \
		"...as many as the lost records say"
	if [ -n "$MEMAUDIT_REPORT" ] && [ -x "$MEMAUDIT_REPORT" ]; then
		make_report "$T/l1" "$T/r1.json" "...memaudit-report reads it" &&
		jq_is "$T/r1.json" '.processes[0].complete' true "...a complete log"
	fi
fi

# 2. full at the start
is "$(cat "$T/st2") $(cat "$T/out2")" "0 events $((2 * n))" "disk full at the start: the program runs to its end"
is "$(grep -c '^memaudit: log .*No space left on device' "$T/err2")" 1 "...the shim says so once on stderr"
if the_log "$T/l2"; then
	ok "...every record in the log is whole" valid_jsonl "$log"
	is "$(log_jq "$log" '"\(.[0].type) \(.[1].type)"')" "header lost" "...the header first, then a lost record"
	is "$(log_jq "$log" '[.[] | select(.type == "event") | .seq] | map(select(. > '$n')) | length')" \
		$n "...the events from after space came back are there"
	is "$(log_jq "$log" '.[-1] | "\(.type) \(.lost_records > 0)"')" "exit true" \
		"...the exit record counts the lost records"
fi
done_testing
