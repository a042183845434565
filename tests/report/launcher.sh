#!/bin/sh
# memaudit (the launcher): runs the command with the preload library in LD_PRELOAD and
# MEMAUDIT_LOG_DIR set, reports the logs it wrote on stderr, cleans up, exits with its status.
# The "command" here is a shell script that writes a fixture log itself, and the "library" a
# stand-in file, so that this test does not depend on the shim.
. "$top_srcdir/tests/report/report-lib.sh"

plan 35

launcher=$MEMAUDIT_LAUNCHER
[ -x "$launcher" ] || bail_out "memaudit not built: $launcher"

# The stand-in library: the C library itself when ldd finds it (preloading it changes nothing),
# else an empty file (ld.so then complains on stderr and goes on).
lib=$(ldd /bin/sh 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3; exit }')
[ -f "$lib" ] || { lib=$tmp/libstandin.so; : >"$lib"; }
MEMAUDIT_LIBRARY=$lib
export MEMAUDIT_LIBRARY

# The command: records what it saw, writes a log, exits with status $1.
cat >"$tmp/cmd.sh" <<CMD
printf '%s\n' "\$LD_PRELOAD" >"$tmp/seen-preload"
printf '%s\n' "\$MEMAUDIT_LOG_DIR" >"$tmp/seen-dir"
printf '%s\n' "\${MEMAUDIT_POLICY-unset}" >"$tmp/seen-policy"
cp "$fixtures/warnings.jsonl" "\$MEMAUDIT_LOG_DIR/memaudit.warn.1200.log"
exit \$1
CMD

run() {
	"$launcher" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

run -- sh "$tmp/cmd.sh" 3
is "$rc" 3 "exits with the command's status"
is "$(cat "$tmp/seen-preload")" "$lib" "LD_PRELOAD is the library"
dir=$(cat "$tmp/seen-dir")
case $dir in
/*) ok 0 "MEMAUDIT_LOG_DIR is an absolute path" ;;
*) ok 1 "MEMAUDIT_LOG_DIR is an absolute path: $dir" ;;
esac
[ ! -e "$dir" ]
ok $? "the temporary log directory is removed"

# ...by the report (memaudit-report --remove-dir, no rm(1) after it): the directory and all it
# holds, a symbolic link in it removed, never what the link points to.
mkdir -p "$tmp/rmd/sub"
cp "$fixtures/warnings.jsonl" "$tmp/rmd/memaudit.warn.1200.log"
: >"$tmp/link-target"
ln -s "$tmp/link-target" "$tmp/rmd/sub/link"
"$report" --fail-on none --remove-dir "$tmp/rmd" -- "$tmp/rmd/memaudit.warn.1200.log" \
	>"$tmp/rmd.out" 2>&1
is "$?" 0 "memaudit-report --remove-dir: the status of the report, which is written"
[ ! -e "$tmp/rmd" ] && [ -f "$tmp/link-target" ] && grep -q '^== ' "$tmp/rmd.out"
ok $? "...then the directory is removed, and not the file its link points to"
grep_ok "$tmp/err" "^== /nonexistent/fixture/warn \(pid 1200, ppid 1\)" "the report is on stderr"
is "$(cat "$tmp/out")" "" "nothing on stdout"
is "$(cat "$tmp/seen-policy")" "unset" "MEMAUDIT_POLICY is left alone by default"

LD_PRELOAD=$lib run --policy strict -- sh "$tmp/cmd.sh" 0
is "$rc" 0 "status 0"
is "$(cat "$tmp/seen-preload")" "$lib $lib" "an existing LD_PRELOAD is kept after the library"
is "$(cat "$tmp/seen-policy")" "strict" "--policy sets MEMAUDIT_POLICY"

run --keep-logs -- sh "$tmp/cmd.sh" 0
dir=$(cat "$tmp/seen-dir")
[ -f "$dir/memaudit.warn.1200.log" ]
ok $? "--keep-logs keeps the logs"
grep_ok "$tmp/err" "memaudit: logs kept in $dir" "...and says where"
rm -rf "$dir"

mkdir "$tmp/logs"
cp "$fixtures/clean.jsonl" "$tmp/logs/memaudit.clean.1100.log"
run --log-dir "$tmp/logs" --format json -- sh "$tmp/cmd.sh" 0
is "$(cat "$tmp/seen-dir")" "$tmp/logs" "--log-dir sets MEMAUDIT_LOG_DIR"
[ -f "$tmp/logs/memaudit.warn.1200.log" ] && [ -f "$tmp/logs/memaudit.clean.1100.log" ]
ok $? "--log-dir: the logs stay"
jq_ok "$tmp/err" '[.processes[].pid] == [1200]' "--format json; only the logs of this run"

# A link planted in the log directory is not reported (issue 10, item 14).
cp "$fixtures/basic.jsonl" "$tmp/private.jsonl"
cat >"$tmp/plant.sh" <<CMD
ln -s "$tmp/private.jsonl" "\$MEMAUDIT_LOG_DIR/memaudit.planted.1000.log"
cp "$fixtures/warnings.jsonl" "\$MEMAUDIT_LOG_DIR/memaudit.warn.1200.log"
CMD
run --format json -o "$tmp/plant.json" -- sh "$tmp/plant.sh"
is "$rc" 0 "a link in the log directory: the command's status"
jq_ok "$tmp/plant.json" '[.processes[].pid] == [1200]' "...the link is not reported"
grep_ok "$tmp/err" "memaudit.planted.1000.log: warning: a symbolic link, not followed, skipped" \
	"...and the launcher says so"

run --format sarif -o "$tmp/report.sarif" -- sh "$tmp/cmd.sh" 0
jq_ok "$tmp/report.sarif" '.version == "2.1.0" and (.runs | length) == 1' "--format sarif -o FILE: SARIF in FILE"
grep -q 'runs' "$tmp/err"
is "$?" 1 "...and not on stderr"
run --merge --format json -- sh "$tmp/cmd.sh" 0
jq_ok "$tmp/err" '.merged | length == 1' "--merge: the report has the merged view"
run --format yaml -- true
is "$rc" 2 "an unknown format: status 2"

run -- sh -c 'kill -9 $$'
is "$rc" 137 "a command killed by SIGKILL: status 137"

run -- sh -c 'exit 0'
is "$rc" 0 "a command that writes no log: status 0"
grep_ok "$tmp/err" "wrote no log" "...and a word about it"

run sh "$tmp/cmd.sh" 0
is "$rc" 2 "no '--': usage error, status 2"
run --
is "$rc" 2 "no command: usage error, status 2"
run --policy lax -- true
is "$rc" 2 "an unknown policy: status 2"
mkdir "$tmp/tmpdir"
TMPDIR=$tmp/tmpdir MEMAUDIT_LIBRARY=$tmp/nothing.so run -- true
is "$rc" 2 "a missing library: status 2"
grep_ok "$tmp/err" "cannot find the preload library" "...says so"
# The temporary log directory is made before the library is looked for (by memaudit-report
# --exe-kind --make-temp-dir): it is removed again.
is "$(ls -A "$tmp/tmpdir")" "" "...and leaves no temporary directory behind"
run --help
grep_ok "$tmp/out" "^Usage: memaudit " "--help"
run --version
grep_ok "$tmp/out" "^memaudit [0-9]" "--version"

done_testing
