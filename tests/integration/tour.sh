#!/bin/sh
# tour.sh: the README's "A short tour" does what it says (issue 11, item 8). Its ```sh blocks are
# run, in order, in one shell at the top of the build tree, as the README tells root to; every line
# of its ```text blocks but "[...]" (lines it leaves out) must then be a line of their output, once
# the values that differ from run to run are replaced on both sides: pids, the module offsets of
# stack frames (another compiler), the temporary log file, and the directory the README was
# written in (/root/memaudit) and this build tree. A change of the examples or of the reports that
# the README does not follow fails here instead of leaving the README wrong.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_report
require_shim
is_root || skip_all "the tour is written for root (CAP_IPC_LOCK: the plain run succeeds)"
tmpdir
readme=$top_srcdir/README
build=$(cd "$top_builddir" && pwd -P)
for f in examples/s2n_style examples/good_pool tools/memaudit shim/.libs/libmemaudit.so \
	tools/memaudit-report; do
	[ -e "$build/$f" ] || {
		echo "Bail out! $build/$f is not built (make, then make check)"
		exit 99
	}
done

# The tour: from its heading to the next section's.
sed -n '/^## A short tour$/,/^## /p' "$readme" | sed '$d' >"$T/tour.md"
# block LANG: the lines of the tour's ```LANG blocks, without the fences.
block() {
	awk -v lang="$1" '/^```/ { if (inside) { inside = 0; next } if ($0 == "```" lang) inside = 1
		next } inside' "$T/tour.md"
}
block sh >"$T/commands.sh"
block text | grep -v -x -F '[...]' | grep -v '^ *$' >"$T/quoted"
# normalise: what differs from one run (or machine) to the next, the same on both sides
normalise() {
	sed -E -e 's/memaudit\[[0-9]+\]/memaudit[PID]/g' \
		-e 's/\(pid [0-9]+, ppid [0-9]+\)/(pid PID, ppid PID)/g' \
		-e 's/\+0x[0-9a-f]+/+0xOFFSET/g' \
		-e 's|^(   log: +).*/(memaudit\.[a-z_]+\.)[0-9]+\.log$|\1DIR/\2PID.log|' \
		-e "s|$build/|/root/memaudit/|g" -e 's/ +$//'
}

is "$(wc -l <"$T/commands.sh" | tr -d ' ') $(grep -c . "$T/quoted")" "4 43" \
	"README: the tour has its 4 commands and 43 quoted output lines"
(cd "$build" && sh "$T/commands.sh") >"$T/out" 2>&1
normalise <"$T/out" >"$T/out.n"
normalise <"$T/quoted" >"$T/quoted.n"
missing=$(while IFS= read -r line; do
	grep -q -x -F -e "$line" "$T/out.n" || printf '%s\n' "$line"
done <"$T/quoted.n")
if [ -z "$missing" ]; then
	pass "every output line the tour shows is in what its commands print"
else
	fail "every output line the tour shows is in what its commands print" \
		"not printed (normalised):" "$missing"
	diag_file "$T/out" 40
fi
# the lines that carry the story, each once more by itself
for want in 's2n_style: key 1360 of 2000: mlock failed: Cannot allocate memory' \
	'   RLIMIT_MEMLOCK 64 KiB (configured)  fails at lock call 1360 (ENOMEM)  secret_alloc s2n_style.c:39' \
	'   no findings'; do
	if grep -q -x -F -e "$want" "$T/quoted.n" && grep -q -x -F -e "$want" "$T/out.n"; then
		pass "the README shows it, and the run prints it: $want"
	else
		fail "the README shows it, and the run prints it: $want"
	fi
done
is "$(grep -c -x 'exit status [01]' "$T/out")" 3 "three exit statuses, as the tour shows them"
done_testing
