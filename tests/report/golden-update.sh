#!/bin/sh
# golden-update.sh [--fixtures]: write the expected outputs of tests/report/golden.sh
# (tests/report/golden/) from the golden fixture logs; review the diff before committing it.
# Run through make in the build tree, which sets the environment of the tests:
#     make -C tests regen-golden             the expected outputs
#     make -C tests regen-golden-fixtures    --fixtures: first record the fixture logs again
#
# --fixtures runs real programs under the shim: examples/neighbour_unlock (case neighbour),
# examples/s2n_style 2 with MEMAUDIT_MEMLOCK_LIMIT=0 (case s2n), and tests/progs/fork_exec and
# tests/progs/sigkill (case tree: a fork, an exec, a killed process). Each runs as a copy in a
# temporary directory, which is removed afterwards, and every absolute path in the logs (the
# program, its modules) is moved under /nonexistent: the logs are a real run's, but the report
# can never open a file they name, so the goldens come out the same on every machine.
set -eu
. "$top_srcdir/tests/report/golden-lib.sh"

fixtures=$top_srcdir/tests/report/fixtures
golden=$top_srcdir/tests/report/golden
JQ=${JQ:-jq}

# record CASE [VAR=VALUE...] PROG ARGS...: run PROG (a copy) under the shim into a fresh log
# directory $work/logs/CASE; leading VAR=VALUE words are more environment for PROG.
record() {
	_case=$1
	shift
	mkdir -p "$work/logs/$_case"
	echo "golden-update: recording $_case: $*" >&2
	env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$work/logs/$_case" "$@" \
		>/dev/null 2>&1 || true
}

# hide LOG OUT: LOG with the copies' directory as /nonexistent/golden/ (in the program's path, its
# modules' and its argv) and every other absolute path of a module under /nonexistent
hide() {
	"$JQ" -c --arg bin "$work/bin/" '
		def bin: if type == "string" and startswith($bin)
			then "/nonexistent/golden/" + .[($bin | length):] else . end;
		def hide: bin | if type != "string" or (startswith("/") | not) or
			startswith("/nonexistent/") then . else "/nonexistent" + . end;
		if .type == "header" then (.exe |= hide) | (.argv |= map(bin))
		elif .type == "module" then .path |= hide
		else . end' "$1" >"$2"
}

# save CASE: the logs of CASE, oldest first, as fixtures/golden-CASE.jsonl (one log) or
# golden-CASE-1.jsonl, -2, ... (several)
save() {
	rm -f "$fixtures/golden-$1.jsonl" "$fixtures/golden-$1"-*.jsonl
	set -- "$1" $(for l in "$work/logs/$1"/*.log; do
		printf '%s %s\n' "$("$JQ" -r 'select(.type == "header") |
			"\(.start.sec) \(.start.nsec) \(.pid)"' "$l" | head -1)" "$l"
	done | sort -n -k1,1 -k2,2 -k3,3 | awk '{ print $4 }')
	_case=$1
	shift
	if [ $# -eq 1 ]; then
		hide "$1" "$fixtures/golden-$_case.jsonl"
	else
		_n=0
		for l in "$@"; do
			_n=$((_n + 1))
			hide "$l" "$fixtures/golden-$_case-$_n.jsonl"
		done
	fi
}

if [ "${1:-}" = --fixtures ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-golden.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	mkdir "$work/bin"
	for p in "$top_builddir/examples/neighbour_unlock" "$top_builddir/examples/s2n_style" \
		 "$PROGS/fork_exec" "$PROGS/sigkill" "$MEMAUDIT_SHIM"; do
		[ -x "$p" ] || [ -r "$p" ] || { echo "golden-update: $p: missing; run make" >&2; exit 1; }
	done
	cp "$top_builddir/examples/neighbour_unlock" "$top_builddir/examples/s2n_style" \
	   "$PROGS/fork_exec" "$PROGS/sigkill" "$work/bin/"
	record neighbour "$work/bin/neighbour_unlock"
	record s2n MEMAUDIT_MEMLOCK_LIMIT=0 "$work/bin/s2n_style" 2
	record tree "$work/bin/fork_exec"
	record tree "$work/bin/sigkill"
	for c in $golden_cases; do
		save "$c"
	done
	ls -l "$fixtures"/golden-*.jsonl >&2
fi

mkdir -p "$golden"
: >"$golden/exit-status"
for c in $golden_cases; do
	for f in $golden_formats; do
		st=$(golden_run "$c" "$f" "$golden/$c.$(golden_suffix "$f")")
		echo "$c $f $st" >>"$golden/exit-status"
	done
done
echo "golden-update: wrote $golden; review it with git diff before committing" >&2
