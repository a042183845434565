#!/bin/sh
# C++ names in every report format are demangled: a real run of cxxprog.cc, whose mlock calls are
# in a namespace function (vault::lock_key) and a function template (vault::lock_array<int>).
# Suppression patterns match the demangled name and the symbol table's (mangled) one, which is
# the only one the library matches. The library's warn lines on stderr are demangled too, with
# the program's libstdc++. Skipped when configure found no C++ compiler or demangler.
. "$top_srcdir/tests/report/report-lib.sh"

prog=$top_builddir/tests/report/cxxprog
[ -x "$prog" ] || skip_all "no C++ compiler (or no libstdc++ demangler): cxxprog not built"
[ -r "${MEMAUDIT_SHIM:-}" ] || skip_all "the shim is not built"

plan 15

key='vault::lock_key(unsigned long)'
array='int vault::lock_array<int>(int*, unsigned long)'
mkdir "$tmp/logs"
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/logs" MEMAUDIT_POLICY=warn "$prog" \
	>"$tmp/run.out" 2>"$tmp/run.err"
is "$?" 0 "cxxprog runs under the shim"
grep_ok "$tmp/run.err" "^    at vault::lock_key\(unsigned long\) \(cxxprog\+0x[0-9a-f]+\) <- main " \
	"stderr (warn): the namespace function, demangled"
grep_ok "$tmp/run.err" \
	"^    at int vault::lock_array<int>\(int\*, unsigned long\) \(cxxprog\+0x[0-9a-f]+\) <- main " \
	"stderr (warn): the template, demangled"

mkdir "$tmp/alt"
env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$tmp/alt" MEMAUDIT_POLICY=warn "$prog" altstack \
	>"$tmp/alt.out" 2>"$tmp/alt.err"
is "$?" 0 "cxxprog altstack: lock_key in a signal handler on an alternate stack"
grep_ok "$tmp/alt.err" "^    at _ZN5vault8lock_keyEm \(cxxprog\+0x[0-9a-f]+\) <- on_signal " \
	"stderr (warn) on the alternate stack: the symbol's name, not demangled there"

run_report --format json "$tmp/logs"
cp "$tmp/out" "$tmp/r.json"
jq_ok "$tmp/r.json" "[.processes[0].sites[] | select(.op == \"mlock\") | .frames[0].function] |
	sort == [\"$array\", \"$key\"]" "json: each mlock site's function, demangled"
jq_ok "$tmp/r.json" "[.processes[0].findings[] | select(.rule == \"lock-heap\") |
	.frames[0].function] | sort == [\"$array\", \"$key\"]" "json: the findings' frames too"
jq_ok "$tmp/r.json" '[.processes[0].sites[] | select(.op == "mlock") | .frames[1].function] ==
	["main", "main"]' "json: called from main"
ok "$(grep -c '_ZN5vault' "$tmp/r.json")" "json: no mangled name left"

run_report "$tmp/logs"
grep_ok "$tmp/out" "^ +at vault::lock_key\(unsigned long\) cxxprog\.cc:[0-9]+$" \
	"text: the namespace function"
grep_ok "$tmp/out" "^ +at int vault::lock_array<int>\(int\*, unsigned long\) cxxprog\.cc:[0-9]+$" \
	"text: the template"

run_report --format sarif "$tmp/logs"
jq_ok "$tmp/out" "[.. | strings] | index(\"$key\") != null and index(\"$array\") != null" \
	"sarif: both names, demangled"

run_report --format html "$tmp/logs"
grep_ok "$tmp/out" "int vault::lock_array&lt;int&gt;\(int\*, unsigned long\)" \
	"html: the template's name, demangled and escaped"

# lock_key's finding by its mangled name, lock_array's by its demangled one
printf 'lock-heap:_ZN5vault8lock_keyEm\nlock-heap:*vault::lock_array<*\n' >"$tmp/supp"
run_report --format json --suppressions "$tmp/supp" "$tmp/logs"
jq_ok "$tmp/out" '.processes[0] | .suppressed == 2 and
	([.findings[] | select(.rule == "lock-heap")] | length) == 0' \
	"suppressions match the mangled and the demangled name"
printf 'lock-heap:vault::lock_key*\n' >"$tmp/supp"
run_report --format json --suppressions "$tmp/supp" "$tmp/logs"
jq_ok "$tmp/out" "[.processes[0].findings[] | select(.rule == \"lock-heap\") | .frames[0].function]
	== [\"$array\"]" "...each only its own site"
done_testing
