#!/bin/sh
# fuzz/smoke.sh: a short, repeatable run of the log reader's fuzzer in make check: the seed corpus
# (report fixtures and the inputs that once found bugs, fuzz/corpus) and 2000 runs from a fixed
# seed; it fails on any crash, leak, sanitizer report or disagreement of the two readers. The long
# runs are `make fuzz`. Skipped when configure found no clang that builds libFuzzer targets.
fuzzer=$top_builddir/tests/fuzz/fuzz_log
corpus=$top_srcdir/tests/fuzz/corpus
fixtures=$top_srcdir/tests/report/fixtures

if [ ! -x "$fuzzer" ]; then
	echo "1..0 # SKIP the fuzzer is not built (needs clang with libFuzzer: libclang-rt-14-dev)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-fuzz.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/corpus"

echo "1..2"
ASAN_OPTIONS=detect_leaks=1 \
LSAN_OPTIONS="suppressions=$top_srcdir/tests/fuzz/lsan.supp:print_suppressions=0" \
	"$fuzzer" -runs=2000 -seed=1 -max_len=8192 -timeout=30 \
	-dict="$top_srcdir/tests/fuzz/log.dict" -artifact_prefix="$tmp/" \
	"$tmp/corpus" "$corpus" "$fixtures" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ]; then
	echo "ok 1 - 2000 fuzzer runs from the seed corpus: no crash, leak or sanitizer report"
else
	echo "not ok 1 - the fuzzer found a problem (exit status $st)"
	grep -E 'ERROR|SUMMARY|runtime error|disagree|==[0-9]+==' "$tmp/out" | head -20 |
		sed 's/^/#   /'
	for f in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* "$tmp"/oom-*; do
		[ -f "$f" ] && echo "#   input: $(od -c "$f" | head -5)"
	done
fi
n=$(ls "$corpus" | wc -l)
if grep -q "INITED" "$tmp/out" && [ "$n" -gt 0 ]; then
	echo "ok 2 - the seed corpus ($n regression inputs and the fixtures) was run"
else
	echo "not ok 2 - the seed corpus was not run"
	tail -5 "$tmp/out" | sed 's/^/#   /'
fi
