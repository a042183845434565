#!/bin/sh
# tests/recipes/github.sh: docs/ci.md's GitHub Actions job (.github/workflows/memaudit.yml). It
# cannot run on GitHub from here, so: it is valid YAML of a workflow with one job that may upload
# to code scanning, the upload-sarif step uploads the file the SARIF step writes, also after a
# failed test step; and its shell steps, run as GitHub runs them (tests/recipes/run-ci.py) in the
# sample automake project, fail the job on the test that frees a still-locked block, write a
# SARIF 2.1.0 file with that finding at bad.c, and pass once the test is fixed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipes/lib.sh"

require_report
require_cmd autoreconf automake make cc
require_yaml
tmpdir
use_built_tools

recipe .github/workflows/memaudit.yml >"$T/memaudit.yml"
isnt "$(cat "$T/memaudit.yml")" "" "docs/ci.md has the .github/workflows/memaudit.yml recipe"
ci_facts github "$T/memaudit.yml" "a workflow with one job of run: and uses: steps"
is "$(fact security-events)" write "the job may write security events (upload-sarif needs it)"
isnt "$(fact MEMAUDIT_OPTS)" "" "the job sets MEMAUDIT_OPTS"
is "$(fact MEMAUDIT_OPTS)" "$(recipe memaudit.am | sed -n 's/^MEMAUDIT_OPTS = //p')" \
	"the job's MEMAUDIT_OPTS is the automake recipe's"
ok "a step uses github/codeql-action/upload-sarif" grep -q '^uses=github/codeql-action/upload-sarif@v[0-9]' "$T/facts"
sarif=$(fact sarif_file)
ok "upload-sarif uploads the file that the SARIF step writes ($sarif)" \
	grep -q -- "-o $sarif " "$T/memaudit.yml"
is "$(fact sarif_if)" '${{ !cancelled() }}' "upload-sarif runs also after a failed test step"

# The job on the sample project with its bad test.
sample "$T/p"
python3 "$runci" github "$T/memaudit.yml" "$T/p" >"$T/run.out" 2>"$T/run.err"
is "$?" 1 "the job fails: one test misuses mlock"
ok "steps: Build passes, the test step fails, the SARIF step passes" sh -c '
	grep -qx "step Build: status 0" "$1" && grep -q "^step Test suite under memaudit: status [1-9]" "$1" &&
	grep -qx "step SARIF report: status 0" "$1"' sh "$T/run.out"
[ -f "$T/p/$sarif" ] || { diag_file "$T/run.out" 40; diag_file "$T/run.err" 60; }
jq_is "$T/p/$sarif" '.version' 2.1.0 "$sarif is SARIF 2.1.0"
jq_ok "$T/p/$sarif" '[.runs[].results[] | select(.ruleId == "lock-freed" and .level == "error")
	| .locations[0].physicalLocation.artifactLocation.uri] | any(endswith("bad.c"))' \
	"$sarif has the lock-freed error located in bad.c"

# A fresh checkout with the test fixed.
sample "$T/q" fixed
python3 "$runci" github "$T/memaudit.yml" "$T/q" >"$T/run2.out" 2>"$T/run2.err"
st=$?
is "$st" 0 "with the test fixed, the job passes"
[ "$st" = 0 ] || { diag_file "$T/run2.out" 40; diag_file "$T/run2.err" 60; }
jq_is "$T/q/$sarif" '[.runs[].results[] | select(.level == "error")] | length' 0 \
	"its SARIF has no error"

done_testing
