#!/bin/sh
# Secrets on the command line (issue 10, item 17): MEMAUDIT_ARGV=first keeps only argv[0] in the
# log, so no report made from it has the arguments; the SARIF report (uploaded by CI) never has
# argv, whatever the variable says. An invalid value is refused (tests/policy/bad_env.sh).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
tmpdir
secret=--password=hunter2-not-a-real-one

# no_secret FILE NAME: FILE does not hold the secret.
no_secret() {
	if grep -q -F -e "${secret#--password=}" "$1"; then
		fail "$2" "$(grep -F -e "${secret#--password=}" "$1" | head -3)"
	else
		pass "$2"
	fi
}

mkdir "$T/full" "$T/first"
run_shimmed "$T/full" "$PROGS/lock_loop" 1 "$secret" >/dev/null 2>"$T/err"
is "$?" 0 "MEMAUDIT_ARGV unset: the program runs"
the_log "$T/full" && full=$log
log_jq "$full" '.[0].argv | length' >"$T/n"
is "$(cat "$T/n")" 3 "by default the log has every argument"
is "$(log_jq "$full" '.[0].argv_recorded')" full "...and says argv_recorded full"
"$MEMAUDIT_REPORT" --format sarif -o "$T/full.sarif" "$T/full"
is "$?" 0 "the SARIF report of it is written"
no_secret "$T/full.sarif" "the SARIF report never has argv"
ok "...and is JSON" "$JQ" -e '.version == "2.1.0"' "$T/full.sarif"

# Run as ./lock_loop: the text report's argv line, which the check below reads, is cut at 100
# columns (issue 11), and the build directory's path may be long (make distcheck).
(cd "$PROGS" && run_shimmed "$T/first" MEMAUDIT_ARGV=first ./lock_loop 1 "$secret") >/dev/null 2>"$T/err"
is "$?" 0 "MEMAUDIT_ARGV=first: the program runs"
the_log "$T/first" && first=$log
no_secret "$first" "MEMAUDIT_ARGV=first: the log does not hold the arguments"
is "$(log_jq "$first" '.[0].argv | join(" ")')" "./lock_loop" "...its argv is argv[0] alone"
is "$(log_jq "$first" '.[0].argv_recorded')" first "...and argv_recorded says first"
for f in text json html sarif; do
	"$MEMAUDIT_REPORT" --format "$f" -o "$T/first.$f" "$T/first"
	is "$?" 0 "MEMAUDIT_ARGV=first: the $f report is written"
	no_secret "$T/first.$f" "...and does not hold the arguments"
done
jq_is "$T/first.json" '.processes[0].argv_recorded' first "the JSON report says argv_recorded first"
if grep -q -F "arguments not recorded: MEMAUDIT_ARGV=first" "$T/first.text"; then
	pass "the text report says the arguments were not recorded"
else
	fail "the text report says the arguments were not recorded" "$(head -5 "$T/first.text")"
fi
done_testing
