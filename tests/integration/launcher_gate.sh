#!/bin/sh
# The launcher in CI (issue 11, item 2): --fail-on and --error-exitcode make the exit status from
# the findings without touching how the program runs; --suppressions reaches the library
# (MEMAUDIT_SUPPRESSIONS) and the report, so that function and source-file patterns both work;
# --gen-suppressions writes a baseline that suppresses exactly the run's findings; and when the
# findings or the strict policy decide the status, the launcher's last line on stderr says so.
# progs/two_sites makes one finding per argument, each in a function of its own.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
tmpdir
require_launcher
two=$PROGS/two_sites

# launch_last ARGS...: launch (tests/lib.sh), and the last line of stderr in $last.
launch_last() {
	launch "$@"
	last=$(tail -n 1 "$T/err")
}

# no_status_line NAME: the last line of stderr is not the launcher's status line.
no_status_line() {
	case $last in
	"memaudit: exit status"*) fail "$1" "last line: $last" ;;
	*) pass "$1" ;;
	esac
}

# --- --fail-on, --error-exitcode --------------------------------------------------------------
launch_last -- "$two" first error
is "$st" 0 "no --fail-on: the command's status, whatever the findings"
no_status_line "...and no status line"

launch_last --fail-on error -- "$two" first error
is "$st" 1 "--fail-on error, an error finding: status 1 (the default --error-exitcode)"
is "$last" "memaudit: exit status 1: 1 finding at or above 'error' (the command exited 0)" \
	"...and the last line says why"
launch_last --fail-on error -- sh -c 'echo "${MEMAUDIT_POLICY-unset}"; exec "$0" error' "$two"
is "$(cat "$T/out")" unset "--fail-on leaves MEMAUDIT_POLICY alone: the program runs as without it"
launch_last --fail-on error -- "$two" first
is "$st" 0 "--fail-on error, only a warning: the command's status"
no_status_line "...and no status line"
launch_last --fail-on=warning -- "$two" first second
is "$st:$last" "1:memaudit: exit status 1: 2 findings at or above 'warning' (the command exited 0)" \
	"--fail-on=warning, two warnings: status 1, and the line counts them"
launch_last --fail-on note -- "$two" error
is "$st" 1 "--fail-on note: an error is above it"
launch_last --fail-on none -- "$two" error
is "$st" 0 "--fail-on none: never"
launch_last --fail-on warning --error-exitcode 42 -- "$two" first
is "$st:$last" "42:memaudit: exit status 42: 1 finding at or above 'warning' (the command exited 0)" \
	"--error-exitcode 42: that status"
launch_last --error-exitcode=42 -- "$two" error
is "$st" 42 "--error-exitcode alone implies --fail-on error: an error finding gives 42"
launch_last --error-exitcode 42 -- "$two" first
is "$st" 0 "...a warning does not"
launch_last --fail-on error -- sh -c '"$0" error; exit 3' "$two"
is "$st:$last" "1:memaudit: exit status 1: 1 finding at or above 'error' (the command exited 3)" \
	"findings in a child, the command exits 3: --error-exitcode, and the line keeps the 3"
launch_last --fail-on error -- "$two"
is "$st" 0 "--fail-on error, no finding: status 0"

# The report cannot be made (a file that is not a log among the logs): the gate fails closed.
launch_last --fail-on error -- sh -c 'echo junk >"$MEMAUDIT_LOG_DIR/memaudit.junk.1.log"'
is "$st" 1 "--fail-on, and the report fails: --error-exitcode, not a clean pass"
is "$last" "memaudit: exit status 1: the report failed, the findings are not known (the command exited 0)" \
	"...and the last line says why"

for bad in "--fail-on bogus" "--error-exitcode 0" "--error-exitcode 256" "--error-exitcode 7x" \
	"--error-exitcode 007"; do
	# shellcheck disable=SC2086
	launch_last $bad -- "$two" first
	is "$st" 2 "usage error: $bad"
done

# --- --suppressions ---------------------------------------------------------------------------
printf 'lock-heap:first_site\n' >"$T/function.supp"
launch_last --policy warn --fail-on warning --suppressions ../function.supp -- "$two" first second
is "$st:$last" "1:memaudit: exit status 1: 1 finding at or above 'warning' (the command exited 0)" \
	"--suppressions, a function pattern: the finding in first_site is left out, second_site's counts"
if grep -q '^    at first_site ' "$T/err"; then
	fail "...the library has it too (MEMAUDIT_SUPPRESSIONS): no warn line for first_site"
else
	pass "...the library has it too (MEMAUDIT_SUPPRESSIONS): no warn line for first_site"
fi
ok "...while second_site's warn line is there" grep -q '^    at second_site ' "$T/err"

printf 'lock-heap:two_sites.c\n' >"$T/file.supp"
launch_last --policy warn --fail-on warning --suppressions "$T/file.supp" --format json \
	-o "$T/file.json" -- "$two" first second
is "$st" 0 "--suppressions, a source-file pattern: both findings left out (the report matches files)"
jq_is "$T/file.json" '[.processes[0].suppressed, (.processes[0].findings | length)] | tostring' \
	'[2,0]' "...the report counts 2 suppressed, none left"
ok "...the library could not (no debug information): its warn lines are still printed" \
	grep -q '^    at second_site ' "$T/err"

launch_last --fail-on warning --suppressions ../function.supp -- sh -c 'cd / && exec "$0" first' "$two"
is "$st" 0 "a relative --suppressions path still works after the command changes directory"
launch_last --suppressions "$T/missing.supp" -- "$two" first
is "$st" 2 "--suppressions of a missing file: usage error, status 2"
printf 'no-such-rule:x\n' >"$T/bad.supp"
launch_last --suppressions "$T/bad.supp" -- "$two" first
is "$st" 125 "a malformed suppressions file: the library refuses it before main (125)"
ok "...with its message" grep -q "^memaudit: MEMAUDIT_SUPPRESSIONS: .*bad.supp:1: unknown rule 'no-such-rule'" "$T/err"

# --- --gen-suppressions: a baseline -----------------------------------------------------------
launch_last --fail-on warning --gen-suppressions "$T/base.supp" -- "$two" first error
is "$st" 1 "--gen-suppressions: the status is as without it"
is "$(grep -v '^#' "$T/base.supp" 2>&1 | tr '\n' ' ')" \
	"advise-unaligned:error_site call-failed:error_site lock-heap:first_site " \
	"...it writes one line per finding, by the function that made the call"
is "$(grep -c '^# lock-heap (warning), 1 finding at first_site (two_sites\.c:[0-9]*)$' "$T/base.supp")" 1 \
	"...each after a comment that names the site"
ok "...and says where it wrote them" grep -q "^memaudit: suppressions for the findings written to $T/base.supp\$" "$T/err"
launch_last --fail-on note --suppressions "$T/base.supp" --format json -o "$T/base.json" -- "$two" first error
is "$st" 0 "the same run with the baseline: status 0, even with --fail-on note"
jq_is "$T/base.json" '[.processes[].findings[]] | length' 0 "...no finding left unsuppressed"
launch_last --fail-on warning --suppressions "$T/base.supp" --format json -o "$T/new.json" -- \
	"$two" first second error
is "$st" 1 "a new finding elsewhere (second_site) still counts"
jq_is "$T/new.json" '[.processes[0].findings[] | "\(.rule) \(.frames[0].function)"] | join(",")' \
	"lock-heap second_site" "...it is the only one reported"
launch_last --fail-on warning --suppressions "$T/base.supp" --gen-suppressions "$T/more.supp" -- \
	"$two" first second error
is "$(grep -v '^#' "$T/more.supp" | tr '\n' ' ')" "lock-heap:second_site " \
	"--gen-suppressions with --suppressions: lines for the findings left, only"

# --- the strict policy's status ---------------------------------------------------------------
launch_last --policy strict -- "$two" error
is "$st" 99 "--policy strict, an error finding: the library's status 99"
is "$last" "memaudit: exit status 99: the strict policy replaced the command's exit status 0, for its findings at or above 'error' (MEMAUDIT_EXITCODE)" \
	"...and the last line says that strict replaced the command's 0"
MEMAUDIT_EXITCODE=7
export MEMAUDIT_EXITCODE
launch_last --policy strict -- "$two" error
unset MEMAUDIT_EXITCODE
is "$st:$last" "7:memaudit: exit status 7: the strict policy replaced the command's exit status 0, for its findings at or above 'error' (MEMAUDIT_EXITCODE)" \
	"MEMAUDIT_EXITCODE=7: the same with 7"
launch_last --policy strict -- "$two"
is "$st" 0 "strict, no finding: status 0"
no_status_line "...and no status line"
launch_last --policy strict -- sh -c 'exec "$0" error' "$two"
is "$st" 99 "strict, the command execs the program: 99"
case $last in
"memaudit: exit status 99: the strict policy replaced the command's exit status 0,"*)
	pass "...and the line knows it is the command's own process" ;;
*) fail "...and the line knows it is the command's own process" "last line: $last" ;;
esac
launch_last --policy strict -- sh -c '"$0" error; exit 3' "$two"
is "$st" 3 "strict, a child replaced, the command exits 3 by itself: 3"
case $last in
"memaudit: the strict policy replaced the exit status 0 of 1 other process by 99 (pid "[0-9]*") for their findings (MEMAUDIT_EXITCODE)")
	pass "...and the last line names the other process" ;;
*) fail "...and the last line names the other process" "last line: $last" ;;
esac
launch_last --policy strict --fail-on error -- "$two" error
is "$st:$last" "1:memaudit: exit status 1: 1 finding at or above 'error' (the command exited 99, which the strict policy put in place of its own 0 for its findings)" \
	"strict and --fail-on: --error-exitcode, and the line says where the command's 99 came from"

done_testing
