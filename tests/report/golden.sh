#!/bin/sh
# Golden tests: the text, JSON and SARIF reports of fixture logs recorded from real runs under the
# shim (tests/report/fixtures/golden-*.jsonl) are exactly tests/report/golden/CASE.{txt,json,sarif}
# (normalised as golden-lib.sh says), with the exit status in golden/exit-status.
#
# After an intended change of a report's output, regenerate the expected files and review the
# diff before committing it:
#     make -C tests regen-golden            (in the build tree)
# To record the fixture logs again from real runs (after a change of the log), then regenerate:
#     make -C tests regen-golden-fixtures
. "$top_srcdir/tests/report/report-lib.sh"
. "$top_srcdir/tests/report/golden-lib.sh"

plan 20

golden=$top_srcdir/tests/report/golden
regen="(make -C tests regen-golden regenerates it)"

missing=
for c in $golden_cases; do
	[ -n "$(golden_files "$c")" ] || missing="$missing $c"
done
is "$missing" "" "every case has its fixture logs"

# The goldens must not depend on this machine: no file that a fixture names may exist.
paths=$(cd "$fixtures" && "$JQ" -r 'select(.type == "module" or .type == "header") |
	(.path, .exe) // empty' golden-*.jsonl | sort -u)
found=
for p in $paths; do
	case $p in /*) [ -e "$p" ] && found="$found $p" ;; esac
done
is "$found" "" "the fixture logs name no file of this machine (module+offset everywhere)"

for c in $golden_cases; do
	for f in $golden_formats; do
		want=$golden/$c.$(golden_suffix "$f")
		st=$(golden_run "$c" "$f" "$tmp/$c.$f")
		is "$st" "$(awk -v c="$c" -v f="$f" '$1 == c && $2 == f { print $3 }' \
			"$golden/exit-status")" "$c, $f: exit status"
		if cmp -s "$want" "$tmp/$c.$f"; then
			ok 0 "$c, $f: the report is $(basename "$want")"
		else
			ok 1 "$c, $f: the report is $(basename "$want") $regen"
			diff -u "$want" "$tmp/$c.$f" 2>&1 | head -40 | sed 's/^/#   /'
		fi
	done
done

done_testing
