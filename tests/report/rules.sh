#!/bin/sh
# rules.sh: everyone says what the rule registry (policy/rules.c) says. memaudit(7) as built, the
# report's JSON "rules" and SARIF driver rules (security severities and helpUris too), its text and
# HTML, the rules page docs/rules.html, and the suppressions files that
# the report tool and the shim accept are held against report/rules_tsv, which prints the registry.
# (tests/unit/test_rules.c checks the registry itself; the shim's enum is checked at compile time.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_jq
require_report
tmpdir
rules_tsv=$top_builddir/tests/report/rules_tsv
manpage=$top_builddir/docs/memaudit.7
fixture=$top_srcdir/tests/report/fixtures/basic.jsonl
TAB=$(printf '\t')

"$rules_tsv" >"$T/registry.tsv" || {
	echo "Bail out! $rules_tsv failed"
	exit 99
}
n=$(wc -l <"$T/registry.tsv" | tr -d ' ')

# A log with one finding of every rule: basic.jsonl's records without its findings.
log=$T/memaudit.app.1000.log
grep -v '"type":"finding"' "$fixture" | grep -v '"type":"exit"' >"$log"
while IFS=$TAB read -r name sev rest; do
	printf '{"type":"finding","rule":"%s","severity":"%s","seq":1,"stack":1,"message":"one %s","related_stack":null}\n' \
		"$name" "$sev" "$name"
done <"$T/registry.tsv" >>"$log"
grep '"type":"exit"' "$fixture" >>"$log"

# --- the report tool
"$MEMAUDIT_REPORT" --format json --fail-on none "$log" >"$T/r.json"
is "$?" 0 "json: the report of a finding of every rule"
"$JQ" -r '.rules[] | [.id, .severity, .summary, .explanation, .fix] | @tsv' "$T/r.json" >"$T/json.tsv"
cut -f1-5 "$T/registry.tsv" >"$T/registry5.tsv" # the JSON report has no security severity
same_file "$T/json.tsv" "$T/registry5.tsv" "json: the rules array is the registry, in its order"

"$MEMAUDIT_REPORT" --format sarif --fail-on none "$log" >"$T/r.sarif"
is "$?" 0 "sarif: the report"
"$JQ" -r '.runs[0].tool.driver.rules[] | [.id, .defaultConfiguration.level,
	.shortDescription.text, .fullDescription.text,
	(.help.text | capture("\n\nFix: (?<fix>[^\n]*)\n\n").fix),
	.properties["security-severity"]] | @tsv' "$T/r.sarif" >"$T/sarif.tsv"
same_file "$T/sarif.tsv" "$T/registry.tsv" \
	"sarif: the driver's rules are the registry (with the security severity), in its order"
# helpUri: file://DOCDIR/rules.html#RULE, a page that `make install` puts there (installed here
# into a scratch DESTDIR) with an anchor for each rule
"$JQ" -r '.runs[0].tool.driver.rules[] | .helpUri' "$T/r.sarif" >"$T/uris"
page=$(sed -n '1s|^file://\(/[^#]*/rules\.html\)#.*|\1|p' "$T/uris")
cut -f1 "$T/registry.tsv" | sed "s|^|file://$page#|" >"$T/uris.want"
same_file "$T/uris" "$T/uris.want" "sarif: each rule's helpUri is its anchor in one rules.html"
make -s -C "$top_builddir/docs" install-nodist_docDATA DESTDIR="$T/inst" >"$T/inst.out" 2>&1
anchors=0
while IFS=$TAB read -r name rest; do
	grep -qF "<h2 id=\"$name\">" "$T/inst$page" 2>/dev/null && anchors=$((anchors + 1))
done <"$T/registry.tsv"
is "$anchors" "$n" "sarif: make install puts that page there, with every rule's anchor ($page)"

"$MEMAUDIT_REPORT" --format text --fail-on none "$log" >"$T/r.txt"
headings=0
while IFS=$TAB read -r name sev rest; do
	grep -qF "   $name [$sev]: 1 time at 1 call site" "$T/r.txt" && headings=$((headings + 1))
done <"$T/registry.tsv"
is "$headings" "$n" "text: every rule's heading, with the registry's severity"
is "$(grep -c '^     why: ' "$T/r.txt")" "$n" "text: every rule's why"

"$MEMAUDIT_REPORT" --format html --fail-on none -o "$T/r.html" "$log"
# html_escape: stdin as report_html.c's esc() writes it
html_escape() {
	sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g"
}
summaries=0
while IFS=$TAB read -r name sev summary rest; do
	grep -qF "<p class=\"summary\">$(echo "$summary" | html_escape)</p>" "$T/r.html" &&
		summaries=$((summaries + 1))
done <"$T/registry.tsv"
is "$summaries" "$n" "html: every rule's summary"

# --- memaudit(7): its two rule sections hold the registry, as docs/rules2man.c writes it
if [ -r "$manpage" ]; then
	# the page's troff with rules2man's escapes undone: \- -> -, \e -> \, \& -> nothing
	sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\&//g' "$manpage" >"$T/page"
	sed -n "/^rule${TAB}severity${TAB}meaning\$/,/^\\.TE\$/p" "$T/page" | sed '1d;$d' >"$T/table"
	while IFS=$TAB read -r name sev summary rest; do
		printf '%s\t%s\tT{\n%s\nT}\n' "$name" "$sev" "$summary"
	done <"$T/registry.tsv" >"$T/table.want"
	same_file "$T/table" "$T/table.want" "memaudit(7): the RULES table is the registry's names, severities, meanings"
	sed -n '/^\.SS What each rule means/,/^\.SH /p' "$T/page" | sed '$d' |
		sed -n '/^\.TP$/,$p' >"$T/explained"
	while IFS=$TAB read -r name sev summary why fix secsev; do
		printf '.TP\n.BR %s " (%s)"\n%s\n.IP\n.I Fix:\n%s\n' "$name" "$sev" "$why" "$fix"
	done <"$T/registry.tsv" >"$T/explained.want"
	same_file "$T/explained" "$T/explained.want" "memaudit(7): each rule's explanation and fix are the registry's"
	if command -v groff >/dev/null 2>&1; then
		groff -man -t -ww -z "$manpage" >"$T/groff.err" 2>&1
		is "$?:$(cat "$T/groff.err")" "0:" "memaudit(7): groff -ww reads it without a warning"
	else
		skip "memaudit(7): groff reads it without a warning" "groff is not installed"
	fi
else
	fail "memaudit(7) is built" "no $manpage (docs/ is built before tests/)"
fi

# --- rules.html (the SARIF helpUri's page): a section per rule, anchored at its name, with the
# registry's texts, as docs/rules2html.c writes them
rulespage=$top_builddir/docs/rules.html
if [ -r "$rulespage" ]; then
	sections=0
	while IFS=$TAB read -r name sev summary why fix secsev; do
		grep -qF "<h2 id=\"$name\"><code>$name</code> ($sev, security severity $secsev)</h2>" \
			"$rulespage" &&
			grep -qF "<p>$(echo "$why" | html_escape | sed "s/&#39;/'/g")</p>" "$rulespage" &&
			grep -qF "<p><b>Fix:</b> $(echo "$fix" | html_escape | sed "s/&#39;/'/g")</p>" \
				"$rulespage" && sections=$((sections + 1))
	done <"$T/registry.tsv"
	is "$sections" "$n" "rules.html: each rule's section (its anchor), explanation and fix"
	is "$(grep -c '<h2 id=' "$rulespage")" "$n" "rules.html: no other section"
else
	fail "rules.html is built" "no $rulespage (docs/ is built before tests/)"
	fail "rules.html: no other section" "no $rulespage"
fi

# --- suppressions: the report tool and the shim accept exactly the registry's names
cut -f1 "$T/registry.tsv" | sed 's/$/:*/' >"$T/all.supp"
echo 'no-such-rule:*' >"$T/bad.supp"
"$MEMAUDIT_REPORT" --format json --fail-on note --suppressions "$T/all.supp" "$log" >"$T/s.json"
is "$?" 0 "report: a file naming every rule is accepted, and suppresses every finding"
"$MEMAUDIT_REPORT" --suppressions "$T/bad.supp" "$log" >/dev/null 2>&1
is "$?" 2 "report: a rule the registry does not have is refused"
if [ -n "$MEMAUDIT_SHIM" ] && [ -r "$MEMAUDIT_SHIM" ]; then
	mkdir "$T/logs"
	run_shimmed "$T/logs" MEMAUDIT_SUPPRESSIONS="$T/all.supp" true >"$T/out" 2>&1
	is "$?" 0 "shim: a file naming every rule is accepted"
	run_shimmed "$T/logs" MEMAUDIT_SUPPRESSIONS="$T/bad.supp" true >"$T/out" 2>&1
	is "$?" 125 "shim: a rule the registry does not have is refused"
else
	skip "shim: a file naming every rule is accepted" "the shim is not built"
	skip "shim: a rule the registry does not have is refused" "the shim is not built"
fi
done_testing
