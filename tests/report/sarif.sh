#!/bin/sh
# memaudit-report --format sarif: the document is valid SARIF 2.1.0 (checked against the OASIS
# schema, tests/report/sarif-schema-2.1.0.json, with python3-jsonschema), and what code scanning
# relies on is right: rules, rule indices, levels, source lines and URIs relative to the source
# root, related locations, fingerprints, suppressions. The logs come from a real run of the rules
# test program under the shim, so the source lines are those of tests/progs/rules.c.
. "$top_srcdir/tests/report/report-lib.sh"

plan 45

prog=$PROGS/rules
src=$top_srcdir/tests/progs/rules.c
[ -x "$prog" ] || bail_out "tests/progs/rules not built: $prog"
[ -r "${MEMAUDIT_SHIM:-}" ] || bail_out "the shim is not built: $MEMAUDIT_SHIM"
root=$(cd "$top_srcdir" && pwd -P)
schema=$top_srcdir/tests/report/sarif-schema-2.1.0.json

# validate NAME FILE: a test that FILE is valid against the SARIF 2.1.0 schema (skipped, never
# passed, without python3's jsonschema module).
validate() {
	python3 "$top_srcdir/tests/report/sarif-validate.py" "$schema" "$2" >"$tmp/valid" 2>&1
	case $? in
	0) ok 0 "$1" ;;
	3 | 127) skip "python3 or its jsonschema module missing: $1" ;;
	*) ok 1 "$1"; sed 's/^/#   /' "$tmp/valid" | head -20 ;;
	esac
}

# line_of TEXT: the line number of the first line of rules.c that contains TEXT
line_of() {
	grep -n -F -- "$1" "$src" | head -1 | cut -d: -f1
}

# Two secrets on one heap page; munlock of the first unlocks the second (unlock-collateral, with
# the second mlock as the related call site), both mlocks are lock-heap.
mkdir "$tmp/logs"
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/logs" "$prog" unlock-collateral \
	>/dev/null 2>&1 || bail_out "rules unlock-collateral failed under the shim"
unlock_line=$(line_of "munlock(h, 64); /* rules: unlock-collateral */")
# the second mlock of that branch: two lines after its malloc (rules.c keeps a call per line)
related_line=$(($(line_of "q = malloc(64); /* two secrets on one heap page, each locked */") + 2))
sed -n "${related_line}p" "$src" | grep -q -F "mlock(q, 64);" ||
	bail_out "rules.c: line $related_line is not the unlock-collateral branch's mlock(q, 64)"
[ -n "$unlock_line" ] || bail_out "marker lines not found in $src"

# From the top of the source tree: the default source root is the current directory.
(cd "$top_srcdir" && "$report" --format sarif "$tmp/logs") >"$tmp/out" 2>"$tmp/err"
rc=$?
cp "$tmp/out" "$tmp/r.sarif"
"$report" --format json "$tmp/logs" >"$tmp/r.json" 2>/dev/null
is "$rc" 1 "an error finding: exit status 1, as for the other formats"
validate "valid against the SARIF 2.1.0 schema" "$tmp/r.sarif"
jq_ok "$tmp/r.sarif" '.version == "2.1.0" and
	(."$schema" | test("^https://.*sarif-schema-2\\.1\\.0\\.json$"))' "version 2.1.0 and \$schema"
jq_ok "$tmp/r.sarif" '.runs | length == 1' "one run"
jq_ok "$tmp/r.sarif" '.runs[0].tool.driver | .name == "memaudit" and (.version | length > 0)' \
	"tool.driver is memaudit with a version"
jq_ok "$tmp/r.sarif" '.runs[0].tool.driver.rules | length >= 17 and all(.id != "" and
	.name != "" and .shortDescription.text != "" and .fullDescription.text != "" and
	(.help.text | test("Fix: ")) and
	(.defaultConfiguration.level | IN("error", "warning", "note")))' \
	"every rule has id, name, descriptions, help with the fix, a default level"
jq_ok "$tmp/r.sarif" '.runs[0].tool.driver.rules | map(.id) | (unique | length) == length' \
	"rule ids are unique"
jq_ok "$tmp/r.sarif" '.runs[0].tool.driver.rules | all(.properties["security-severity"] |
	type == "string" and test("^[0-9]+\\.[0-9]$") and tonumber >= 0 and tonumber <= 10)' \
	"every rule has a security-severity: a number from 0.0 to 10.0, as a string"
jq_ok "$tmp/r.sarif" '.runs[0].tool.driver.rules | all(.defaultConfiguration.level as $l |
	.properties["security-severity"] | tonumber |
	if $l == "error" then . >= 7 and . < 9 elif $l == "warning" then . >= 4 and . < 7
	else . > 0 and . < 4 end)' \
	"...high for errors, medium for warnings, low for notes (GitHub's bands)"
jq_ok "$tmp/r.sarif" '.runs[0].tool.driver.rules | all((.properties.tags | index("security")) and
	(.help.markdown | test("\\*\\*Fix:\\*\\* ")) and
	(.helpUri | test("^file:///.*/rules\\.html#[a-z-]+$")) and
	.id as $id | (.helpUri | endswith("#" + $id)))' \
	"every rule: the security tag, help in Markdown with the fix, a helpUri at its anchor"
jq_ok "$tmp/r.sarif" '.runs[0] | .tool.driver.rules as $rules | .results | length > 0 and
	all(.ruleIndex >= 0 and .ruleIndex < ($rules | length) and $rules[.ruleIndex].id == .ruleId)' \
	"every result's ruleId is in driver.rules and ruleIndex points at it"
is "$("$JQ" -c '[.runs[0].results[] | [.ruleId, .level]] | sort' "$tmp/r.sarif")" \
   "$("$JQ" -c '[.processes[].findings[] | [.rule, .severity]] | sort' "$tmp/r.json")" \
   "one result per finding, its level the finding's severity"
jq_ok "$tmp/r.sarif" '[.runs[0].results[] | .ruleId] | sort ==
	["lock-heap", "lock-heap", "unlock-collateral", "unlock-unlocked"]' "the findings of the run"
jq_ok "$tmp/r.sarif" '[.runs[0].results[].locations[].physicalLocation.region.startLine] |
	length > 0 and all(type == "number" and . >= 1)' "startLine >= 1"
jq_ok "$tmp/r.sarif" '[.runs[0].results[].locations[].physicalLocation.artifactLocation] |
	all(.uri == "tests/progs/rules.c" and .uriBaseId == "SRCROOT")' \
	"a file under the source root: a relative uri with uriBaseId SRCROOT"
jq_ok "$tmp/r.sarif" ".runs[0].originalUriBaseIds.SRCROOT.uri == \"file://$root/\"" \
	"originalUriBaseIds maps SRCROOT to the source root"
jq_ok "$tmp/r.sarif" ".runs[0].results[] | select(.ruleId == \"unlock-collateral\") |
	.locations[0].physicalLocation.region.startLine == $unlock_line" \
	"the result is at the munlock's line of rules.c"
jq_ok "$tmp/r.sarif" '.runs[0].results[] | select(.ruleId == "unlock-collateral") |
	.locations[0].logicalLocations[0] == {"name": "main", "kind": "function"}' \
	"...and names its function"
jq_ok "$tmp/r.sarif" ".runs[0].results[] | select(.ruleId == \"unlock-collateral\") |
	.relatedLocations[0] | .id == 1 and
	.physicalLocation.region.startLine == $related_line and
	(.message.text | test(\"rules.c:$related_line\"))" \
	"the collateral finding's related location is the other region's mlock"
jq_ok "$tmp/r.sarif" '.runs[0].results[] | select(.ruleId == "unlock-collateral") |
	.stacks | length == 2 and all(.frames | length > 0)' \
	"its stack and the related call's stack"
jq_ok "$tmp/r.sarif" '.runs[0].results[] | select(.ruleId == "unlock-collateral") |
	(.message.text | test("\\(1 time in rules\\)$")) and (.properties.pid | type == "number")' \
	"the message has the count and the program; the pid is in the properties"
jq_ok "$tmp/r.sarif" '.runs[0].results[] | select(.ruleId == "unlock-collateral") |
	(.message.text | test("region of 64 bytes, locked by another call")) and
	(.properties.logMessage | test("region of 64 bytes at 0x[0-9a-f]+, locked by another call"))' \
	"the message has no address; the log's message, with it, is in the properties"
jq_ok "$tmp/r.sarif" '[.runs[0].results[].partialFingerprints["memaudit/v1"]] |
	all(test("^[0-9a-f]{16}:[0-9]+$")) and (unique | length) == length' \
	"each result has its own partial fingerprint"
jq_ok "$tmp/r.sarif" '[.runs[0].results[] | select(.ruleId == "lock-heap") |
	.partialFingerprints["memaudit/v1"] | split(":")] |
	.[0][0] == .[1][0] and ([.[][1]] | sort) == ["1", "2"]' \
	"two findings of one rule in one function: same hash, occurrences 1 and 2"
jq_ok "$tmp/r.sarif" '.runs[0].invocations[0].executionSuccessful == true' \
	"executionSuccessful when every input was read"
run_report --format sarif "$tmp/logs" "$tmp/no-such.log"
jq_ok "$tmp/out" '.runs[0] | .invocations[0].executionSuccessful == false and
	(.results | length == 4)' "an input that cannot be read: not successful, the rest reported"

# Another source root, and none that holds the file.
"$report" --format sarif --source-root "$top_srcdir/tests" "$tmp/logs" >"$tmp/out" 2>/dev/null
jq_ok "$tmp/out" '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] |
	all(. == "progs/rules.c")' "--source-root DIR: uris relative to DIR"
(cd "$tmp" && "$report" --format sarif "$tmp/logs") >"$tmp/out" 2>/dev/null
jq_ok "$tmp/out" "[.runs[0].results[].locations[0].physicalLocation.artifactLocation] |
	all(.uri == \"file://$root/tests/progs/rules.c\" and .uriBaseId == null)" \
	"a file outside the source root: an absolute file: uri"
jq_ok "$tmp/out" '.runs[0].originalUriBaseIds == null' "...and no SRCROOT to resolve"
run_report --format sarif --source-root "$tmp/nonexistent" "$tmp/logs"
is "$rc $(wc -l <"$tmp/err")" "2 2" "a --source-root that does not exist: usage error"

# Suppressed findings stay, marked, and do not count for --fail-on.
printf 'unlock-collateral:main\nunlock-unlocked:*\n' >"$tmp/supp"
run_report --format sarif --suppressions "$tmp/supp" "$tmp/logs"
is "$rc" 0 "suppressed errors do not fail the run"
jq_ok "$tmp/out" '[.runs[0].results[] | select(.ruleId | IN("unlock-collateral",
	"unlock-unlocked")) | .suppressions == [{"kind": "external", "status": "accepted",
	"justification": .suppressions[0].justification}]] | length == 2 and all' \
	"suppressed findings carry suppressions of kind external"
jq_ok "$tmp/out" '[.runs[0].results[] | select(.ruleId == "lock-heap") | has("suppressions")] |
	length == 2 and all(. == false)' "the others do not"

# Fixture logs: modules that cannot be read (no source lines), a rule this tool does not know.
run_report --format sarif "$(fixture basic.jsonl)" "$(fixture hostile.jsonl)"
cp "$tmp/out" "$tmp/fixtures.sarif"
validate "fixture logs: valid against the schema" "$tmp/fixtures.sarif"
jq_ok "$tmp/fixtures.sarif" '[.runs[0].results[] | select(.properties.pid == 1000)] |
	length > 0 and all(.locations[0].physicalLocation == {"artifactLocation":
		{"uri": "file:///nonexistent/fixture/app"}}) and
	all(.locations[0].logicalLocations[0].name | test("^app\\+0x[0-9a-f]+$")) and
	all(.message.text | test("; at app\\+0x[0-9a-f]+\\)$"))' \
	"no source line: the module file, a logical location and module+offset in the message"
jq_ok "$tmp/r.sarif" '[.runs[0].results[] | (.locations, .relatedLocations // [],
	[.stacks[].frames[].location])[] | .physicalLocation.artifactLocation.uri] |
	all(type == "string" and length > 0)' \
	"every location of a real run names a file (code scanning needs one)"
eacute=$(printf '\303\251') # U+00E9 in UTF-8
sed "s|/nonexistent/fixture/app|/nonexistent/a dir/100%/$eacute|" "$(fixture basic.jsonl)" \
	>"$tmp/encoded.log"
run_report --format sarif "$tmp/encoded.log"
jq_ok "$tmp/out" '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] |
	unique == ["file:///nonexistent/a%20dir/100%25/%C3%A9"]' \
	"file names are percent-encoded in uris (space, %, UTF-8)"
jq_ok "$tmp/fixtures.sarif" '.runs[0] | .tool.driver.rules as $r | .results[] |
	select(.ruleId == "made-up-rule") | $r[.ruleIndex].id == "made-up-rule"' \
	"a rule this tool does not know is added to driver.rules"

# Stable across runs: the same program run twice (other pids, other addresses under ASLR) gives
# the same result messages and fingerprints; what changed is in the properties only.
for run in 1 2; do
	mkdir "$tmp/run$run"
	for mode in unlock-collateral dodump-collateral protection-lost release-unwiped lock-freed; do
		env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/run$run" "$prog" "$mode" \
			>/dev/null 2>&1
	done
	env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/run$run" \
		"$PROGS/madvise_unaligned" >/dev/null 2>&1
	(cd "$top_srcdir" && "$report" --format sarif "$tmp/run$run") >"$tmp/run$run.sarif" 2>/dev/null
	"$JQ" -c '.runs[].results[] | [.ruleId, .message.text,
		.partialFingerprints["memaudit/v1"], [.relatedLocations[]?.message.text]]' \
		"$tmp/run$run.sarif" | LC_ALL=C sort >"$tmp/run$run.messages"
	"$JQ" -r '.runs[].results[] | .properties | "\(.pid) \(.logMessage)"' "$tmp/run$run.sarif" |
		LC_ALL=C sort >"$tmp/run$run.props"
done
is "$(wc -l <"$tmp/run1.messages" | tr -d ' ') $(grep -c -E '0x[0-9a-f]{5,}' "$tmp/run1.props")" \
	"11 4" "two runs: 11 results, 4 of whose log messages hold an address"
if cmp -s "$tmp/run1.messages" "$tmp/run2.messages"; then
	ok 0 "two runs: the same result messages, related-location messages and fingerprints"
else
	ok 1 "two runs: the same result messages, related-location messages and fingerprints"
	diff "$tmp/run1.messages" "$tmp/run2.messages" | head -10 | sed 's/^/#   /'
fi
! cmp -s "$tmp/run1.props" "$tmp/run2.props"
ok $? "...although their properties differ (pids$(
	[ "$(cat /proc/sys/kernel/randomize_va_space 2>/dev/null)" = 0 ] || echo ' and addresses'))"
absent_messages=$("$JQ" -r '.runs[].results[] | .message.text, .relatedLocations[]?.message.text' \
	"$tmp/run1.sarif" "$tmp/fixtures.sarif" | grep -E -i '0x[0-9a-f]{5,}|pid' | grep -v -E \
	'[a-z0-9_]\+0x[0-9a-f]+' | head -3)
is "$absent_messages" "" "no message names an address or a pid (module+offset is no address)"

# Fingerprints follow the findings, not the order of the processes (their start order, which
# parallel processes change from run to run): two processes with lock-heap findings in main, in
# one order and then in the other, give each finding (by its line) the same fingerprint.
mkdir "$tmp/order" "$tmp/swapped"
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/order" "$prog" lock-heap >/dev/null 2>&1
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/order" "$prog" unlock-collateral \
	>/dev/null 2>&1
for f in "$tmp/order"/memaudit.*.log; do # lock-heap's process now starts a minute after the other
	if [ "$("$JQ" -r 'select(.type == "header") | .argv[1]' "$f" 2>/dev/null)" = lock-heap ]; then
		awk 'NR == 1 && match($0, /"start":[{]"sec":[0-9]+/) {
			$0 = substr($0, 1, RSTART + 14) (substr($0, RSTART + 15, RLENGTH - 15) + 60) \
			     substr($0, RSTART + RLENGTH) } 1' "$f" >"$tmp/swapped/${f##*/}"
	else
		cp "$f" "$tmp/swapped/"
	fi
done
lockheap='[.runs[0].results[] | select(.ruleId == "lock-heap") |
	"\(.locations[0].physicalLocation.region.startLine) \(.partialFingerprints["memaudit/v1"])"] |
	sort | join(",")'
order=$( (cd "$top_srcdir" && "$report" --format sarif "$tmp/order") 2>/dev/null |
	"$JQ" -r "$lockheap")
swapped=$( (cd "$top_srcdir" && "$report" --format sarif "$tmp/swapped") 2>/dev/null |
	"$JQ" -r "$lockheap")
firstexe=$( (cd "$top_srcdir" && "$report" --format json "$tmp/swapped") 2>/dev/null |
	"$JQ" -r '.processes[0].argv[1]')
is "$firstexe" "unlock-collateral" "(the edited start time puts the other process first)"
is "$swapped" "$order" "the same fingerprint for each lock-heap finding in either order ($order)"

# The validator rejects what the schema forbids (it is not a no-op).
"$JQ" '.runs[0].results[0].level = "fatal"' "$tmp/r.sarif" >"$tmp/bad.sarif"
python3 "$top_srcdir/tests/report/sarif-validate.py" "$schema" "$tmp/bad.sarif" >/dev/null 2>&1
case $? in
1) ok 0 "the schema check rejects a result with level \"fatal\"" ;;
3 | 127) skip "python3 or its jsonschema module missing: the check of a bad level" ;;
*) ok 1 "the schema check rejects a result with level \"fatal\"" ;;
esac

done_testing
