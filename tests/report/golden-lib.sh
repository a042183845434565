# golden-lib.sh: sourced by golden.sh (the test) and golden-update.sh (which writes what it
# expects). The golden cases are fixture logs recorded from real runs (fixtures/golden-*.jsonl);
# each is reported as text, JSON and SARIF and compared with golden/CASE.{txt,json,sarif}.
#
# The report is made from inside the fixture directory, with relative names, so that the log paths
# it prints do not depend on where the source tree is; the tool's version is replaced by
# @VERSION@, and the installed rules page that SARIF's helpUris name (configure's docdir) by
# file://@DOCDIR@/rules.html. Nothing else is normalised: the fixtures name no file that exists (their module paths
# are under /nonexistent), so frames are module+offset on every machine.

golden_cases="neighbour s2n tree"
golden_formats="text json sarif"

# golden_files CASE: the fixture logs of CASE, relative to the fixture directory
golden_files() {
	(cd "$top_srcdir/tests/report/fixtures" && ls golden-"$1".jsonl golden-"$1"-*.jsonl \
		2>/dev/null)
}

# golden_suffix FORMAT: the file name suffix of its golden output
golden_suffix() {
	case $1 in text) echo txt ;; *) echo "$1" ;; esac
}

# golden_run CASE FORMAT OUT: write the normalised report of CASE in FORMAT to OUT; print the
# report tool's exit status.
golden_run() {
	unset DEBUGINFOD_URLS
	_version=$("$MEMAUDIT_REPORT" --version | awk '{ print $NF }')
	# shellcheck disable=SC2046 # one word per fixture name
	(cd "$top_srcdir/tests/report/fixtures" &&
	 LC_ALL=C "$MEMAUDIT_REPORT" --format "$2" $(golden_files "$1") >"$3.raw" 2>/dev/null)
	echo $?
	sed -e "s/\"tool_version\": \"$_version\"/\"tool_version\": \"@VERSION@\"/" \
	    -e "s/\"version\": \"$_version\"/\"version\": \"@VERSION@\"/" \
	    -e "s/\"semanticVersion\": \"$_version\"/\"semanticVersion\": \"@VERSION@\"/" \
	    -e 's|"helpUri": "file:///.*/rules\.html#|"helpUri": "file://@DOCDIR@/rules.html#|' \
	    "$3.raw" >"$3"
	rm -f "$3.raw"
}
