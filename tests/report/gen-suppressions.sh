#!/bin/sh
# memaudit-report --gen-suppressions: instead of the report, a suppressions file with a rule:pattern
# line (and a comment line naming the site) per distinct finding, a baseline that fed back with
# --suppressions leaves out exactly those findings; and --status-file, what decided the exit
# status, for the launcher (issue 11, item 2).
. "$top_srcdir/tests/report/report-lib.sh"

plan 27

# lines FILE: the suppression lines of FILE (not comments).
lines() {
	grep -v '^#' "$1"
}

# The fixture's frames have no symbols (its modules do not exist): the pattern is the module.
run_report --gen-suppressions "$(fixture basic.jsonl)"
is "$rc" 0 "exit status 0, although the findings include errors"
cp "$tmp/out" "$tmp/basic.supp"
is "$(cat "$tmp/err")" "" "nothing on stderr"
is "$(lines "$tmp/basic.supp" | tr '\n' ' ')" \
	"lock-freed:app lock-limit:app unlock-collateral:app call-failed:app lock-heap:app lock-leak:app " \
	"one line per distinct rule and pattern, errors first, then warnings and notes, by rule"
grep -v '^#' "$tmp/basic.supp" | grep -v -q -E '^[a-z-]+:[^ ]+$'
is "$?" 1 "every other line is rule:pattern"
is "$(grep -c '^# call-failed (warning), 3 findings at app+0x1000, app+0x10cc (no function name: by module' \
	"$tmp/basic.supp")" 1 \
	"a comment line per entry: rule, severity, count, its sites; why the pattern is the module"
is "$(grep -B1 '^call-failed:app$' "$tmp/basic.supp" | head -1 | cut -c1-14)" "# call-failed " \
	"...just above its line"

run_report --format json --fail-on note --suppressions "$tmp/basic.supp" "$(fixture basic.jsonl)"
is "$rc" 0 "fed back with --suppressions: no finding left, even with --fail-on note"
jq_ok "$tmp/out" '.processes[0] | .findings == [] and .suppressed == 8' "...all 8 records suppressed"

# A file that already suppresses some findings: lines only for the others.
printf 'lock-limit:app\ncall-failed:app\n' >"$tmp/some.supp"
run_report --gen-suppressions --suppressions "$tmp/some.supp" "$(fixture basic.jsonl)"
is "$(lines "$tmp/out" | tr '\n' ' ')" \
	"lock-freed:app unlock-collateral:app lock-heap:app lock-leak:app " \
	"with --suppressions: lines for the findings it leaves, only"
run_report --gen-suppressions -o "$tmp/o.supp" "$(fixture basic.jsonl)"
is "$rc:$(cat "$tmp/out")" "0:" "-o FILE: written to FILE, nothing on stdout"
cmp -s "$tmp/o.supp" "$tmp/basic.supp"
ok $? "...the same lines"

# A log without findings: the header, no line.
run_report --gen-suppressions "$(fixture clean.jsonl)"
is "$rc:$(lines "$tmp/out" | wc -l | tr -d ' ')" "0:0" "no findings: exit 0, no line"
grep_ok "$tmp/out" '^# \(no findings\)$' "...and a comment that says so"

# Names with fnmatch(3) wildcards are escaped; a finding without a frame gets a comment only.
sed -e 's|"path":"/nonexistent/fixture/app"|"path":"/nonexistent/fixture/a*p[p]?"|' \
	-e 's|"rule":"lock-leak","severity":"note","seq":0,"stack":2|"rule":"lock-leak","severity":"note","seq":0,"stack":77|' \
	"$(fixture basic.jsonl)" >"$tmp/wild.jsonl"
run_report --gen-suppressions "$tmp/wild.jsonl"
cp "$tmp/out" "$tmp/wild.supp"
grep_ok "$tmp/wild.supp" '^lock-heap:a\\\*p\\\[p\]\\\?$' "wildcards in a name are escaped"
grep_ok "$tmp/wild.supp" '^# lock-leak \(note\), 1 finding at no frame: no stack to name, cannot be suppressed' \
	"a finding without frames: a comment that says it cannot be suppressed"
is "$(grep -c '^lock-leak:' "$tmp/wild.supp")" 0 "...and no line"
run_report --format json --fail-on note --suppressions "$tmp/wild.supp" "$tmp/wild.jsonl"
jq_ok "$tmp/out" '.processes[0] | .suppressed == 7 and [.findings[].rule] == ["lock-leak"]' \
	"the escaped patterns match their module exactly (7 records), the frameless one is left"
sed 's|"path":"/nonexistent/fixture/app"|"path":"/nonexistent/fixture/aXpp!"|' "$(fixture basic.jsonl)" \
	>"$tmp/other.jsonl"
run_report --format json --fail-on note --suppressions "$tmp/wild.supp" "$tmp/other.jsonl"
jq_ok "$tmp/out" '.processes[0].suppressed == 0' \
	"...and not a module that the name, read as a pattern, would match (aXpp!)"

# With symbols: the pattern is the function that made the call (symprog: lock_secret, called from
# keep_secret, from main), and the comment names its file:line.
if symprog_log "$tmp/sym.jsonl"; then
	run_report --gen-suppressions "$tmp/sym.jsonl"
	cp "$tmp/out" "$tmp/sym.supp"
	is "$(lines "$tmp/sym.supp")" "call-failed:lock_secret" \
		"with symbols: the pattern is the function that made the call"
	grep_ok "$tmp/sym.supp" '^# call-failed \(warning\), 1 finding at lock_secret \(symprog\.c:[0-9]+\)$' \
		"...and the comment names it with file:line"
	run_report --format json --fail-on note --suppressions "$tmp/sym.supp" "$tmp/sym.jsonl"
	jq_ok "$tmp/out" '.processes[0] | .findings == [] and .suppressed == 1' "...which suppresses it"
else
	skip "symprog or nm missing"
	skip "symprog or nm missing"
	skip "symprog or nm missing"
fi

# --status-file: what decided the exit status.
run_report --status-file "$tmp/status" "$(fixture basic.jsonl)"
is "$rc" 1 "--status-file: the exit status is as without it"
is "$(cat "$tmp/status" | tr '\n' ' ')" "status 1 fail-on error failing 3 suppressed 0 " \
	"...status, fail-on, failing records at or above it, suppressed records"
run_report --status-file "$tmp/status" --fail-on warning --suppressions "$tmp/some.supp" \
	"$(fixture basic.jsonl)"
is "$(cat "$tmp/status" | tr '\n' ' ')" "status 1 fail-on warning failing 3 suppressed 4 " \
	"...with --fail-on warning and suppressions"
# The strict policy replaced a status 0 by 99: the exit record's program_status.
sed 's|"status":3,|"status":99,"program_status":0,|' "$(fixture basic.jsonl)" >"$tmp/strict.jsonl"
run_report --status-file "$tmp/status" --fail-on none "$tmp/strict.jsonl"
is "$(cat "$tmp/status" | tr '\n' ' ')" \
	"status 0 fail-on none failing 0 suppressed 0 replaced 1000 999 0 99 " \
	"...a process whose status strict replaced: replaced PID PPID FROM TO"
run_report --status-file "$tmp/nodir/status" "$(fixture basic.jsonl)"
is "$rc" 2 "a status file that cannot be written: exit status 2"
grep_ok "$tmp/err" "nodir/status: No such file or directory" "...and why"

done_testing
