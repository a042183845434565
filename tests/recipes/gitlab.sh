#!/bin/sh
# tests/recipes/gitlab.sh: docs/ci.md's GitLab CI job (.gitlab-ci.yml). It cannot run on GitLab
# from here, so: it is valid YAML of one job that keeps its reports as artifacts also when it
# fails, with a Code Quality report; its script, run as GitLab's runner runs it
# (tests/recipes/run-ci.py) in the sample meson project (when meson and ninja are here), fails
# the job on the test that frees a still-locked block and writes a Code Quality report of the
# shape GitLab reads with that finding at bad.c; with the test fixed the job passes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipes/lib.sh"

require_report
require_yaml
tmpdir
use_built_tools

recipe .gitlab-ci.yml >"$T/gitlab-ci.yml"
isnt "$(cat "$T/gitlab-ci.yml")" "" "docs/ci.md has the .gitlab-ci.yml recipe"
ci_facts gitlab "$T/gitlab-ci.yml" "one job with a script of strings"
isnt "$(fact MEMAUDIT_OPTS)" "" "the job sets MEMAUDIT_OPTS"
is "$(fact MEMAUDIT_OPTS)" "$(recipe memaudit.am | sed -n 's/^MEMAUDIT_OPTS = //p')" \
	"the job's MEMAUDIT_OPTS is the automake recipe's"
is "$(fact artifacts_when)" always "artifacts are kept also when the job fails"
cq=$(fact codequality)
isnt "$cq" "" "the job has a Code Quality report ($cq)"
ok "the SARIF report is an artifact" grep -qx 'artifact=memaudit.sarif' "$T/facts"

if ! command -v meson >/dev/null 2>&1 || ! command -v ninja >/dev/null 2>&1; then
	skip "the job's script on the sample meson project" "meson or ninja not found"
	done_testing
fi
if ! command -v cc >/dev/null 2>&1; then
	skip "the job's script on the sample meson project" "no C compiler (cc)"
	done_testing
fi

sample "$T/p"
python3 "$runci" gitlab "$T/gitlab-ci.yml" "$T/p" >"$T/run.out" 2>"$T/run.err"
is "$?" 1 "the job fails: one test misuses mlock"
[ -f "$T/p/$cq" ] || { diag_file "$T/run.out" 40; diag_file "$T/run.err" 60; }
ok "the SARIF report is written" test -s "$T/p/memaudit.sarif"
jq_ok "$T/p/$cq" 'type == "array" and length > 0 and all(.[];
	(.description | type == "string") and (.check_name | type == "string")
	and (.fingerprint | type == "string")
	and (.severity | IN("info", "minor", "major", "critical", "blocker"))
	and (.location.path | type == "string") and (.location.lines.begin | type == "number"))' \
	"$cq: an array of Code Quality issues (description, check_name, fingerprint, severity, location)"
jq_ok "$T/p/$cq" '[.[].fingerprint] | length == (unique | length)' "$cq: fingerprints are unique"
jq_ok "$T/p/$cq" 'any(.[]; .check_name == "lock-freed" and .severity == "critical"
	and (.location.path | endswith("bad.c")))' "$cq: lock-freed, critical, at bad.c"

sample "$T/q" fixed
python3 "$runci" gitlab "$T/gitlab-ci.yml" "$T/q" >"$T/run2.out" 2>"$T/run2.err"
st=$?
is "$st" 0 "with the test fixed, the job passes"
[ "$st" = 0 ] || { diag_file "$T/run2.out" 40; diag_file "$T/run2.err" 60; }
jq_is "$T/q/$cq" '[.[] | select(.severity == "critical")] | length' 0 "its report has no critical issue"

done_testing
