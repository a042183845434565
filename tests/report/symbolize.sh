#!/bin/sh
# memaudit-report symbolizes frames with elfutils: function and file:line from the module file the
# log names (the symprog test program, built with -g), offsets from nm. Every frame is a return
# address, looked up at offset - 1; memaudit's own frames are left out; a build id that differs
# from the log's means no symbols and a note.
. "$top_srcdir/tests/report/report-lib.sh"

plan 21

prog=$top_builddir/tests/report/symprog
[ -x "$prog" ] || bail_out "symprog not built: $prog"
command -v nm >/dev/null 2>&1 || skip_all "nm missing"

# addr NAME: the address (decimal) of function NAME in symprog
addr() {
	printf '%d' "0x$(nm "$prog" | awk -v f="$1" '$3 == f { print $1; exit }')"
}
lock=$(($(addr lock_secret) + 4))
hide=$(($(addr hide_secret) + 4))
keep_ret=$(($(addr keep_secret) + 5))
main_ret=$(($(addr main) + 5))
hide_start=$(addr hide_secret)
keep_start=$(addr keep_secret)

# make_log BUILD_ID OUT: the fixture log for symprog with this build id (JSON)
make_log() {
	sed -e "s|@SYMPROG@|$prog|g" -e "s|@BUILD_ID@|$1|" -e "s|@LOCK@|$lock|" \
	    -e "s|@HIDE@|$hide|" -e "s|@HIDE_START@|$hide_start|" \
	    -e "s|@KEEP_START@|$keep_start|" -e "s|@KEEP_RET@|$keep_ret|g" \
	    -e "s|@MAIN_RET@|$main_ret|g" \
	    "$fixtures/symbolize.jsonl.in" >"$2"
}

make_log null "$tmp/sym.log"
run_report --format json "$tmp/sym.log"
is "$rc" 0 "exit status 0"
f='.processes[0].findings[0].frames'
jq_ok "$tmp/out" "$f | length == 3" "memaudit's own frame (libmemaudit.so) is left out"
jq_ok "$tmp/out" "[$f[].function] == [\"lock_secret\", \"keep_secret\", \"main\"]" \
	"functions from the symbol table"
jq_ok "$tmp/out" "[$f[].file | endswith(\"/symprog.c\")] | all" "source file of each frame"
jq_ok "$tmp/out" "[$f[].line | type == \"number\" and . > 0] | all" "line of each frame"
jq_ok "$tmp/out" "[$f[].module] | all(. == \"$prog\")" "module is the path"
jq_ok "$tmp/out" "[$f[].offset] == [$lock, $keep_ret, $main_ret]" "offsets as logged"

if command -v addr2line >/dev/null 2>&1; then
	# every frame is a return address, looked up at offset - 1
	want=$(addr2line -e "$prog" "$(printf '%x' $((lock - 1)))" \
		"$(printf '%x' $((keep_ret - 1)))" \
		"$(printf '%x' $((main_ret - 1)))" | sed 's/.*://; s/ .*//' | tr '\n' ' ')
	got=$("$JQ" -r "[$f[].line] | map(tostring) | join(\" \")" "$tmp/out")
	is "$got " "$want" "lines agree with addr2line at offset - 1"
else
	skip "addr2line missing"
fi

s='.processes[0].sites'
jq_ok "$tmp/out" "$s | map(.op) | sort == [\"madvise\", \"mlock\", \"munlock\"]" "three sites"
jq_ok "$tmp/out" "$s[] | select(.op == \"munlock\") | .frames[0].function != \"hide_secret\"" \
	"the innermost frame is looked up at offset - 1 (not in the function starting there)"
jq_ok "$tmp/out" "$s[] | select(.op == \"munlock\") | .frames[1].function != \"keep_secret\"" \
	"a caller's frame is looked up at offset - 1 (not in the function starting there)"
jq_ok "$tmp/out" "$s[] | select(.op == \"madvise\") | .frames | (.[0].function == \"hide_secret\"
	and .[3].module == \"linux-vdso.so.1\" and .[3].function == null and .[3].offset == 2000
	and .[4].module == null and .[4].offset == 12345678)" \
	"a module that is not a file and a frame outside every module keep their offsets"
jq_ok "$tmp/out" '.processes[0].notes == []' "no notes when every file could be read"

if command -v readelf >/dev/null 2>&1 &&
   id=$(readelf -n "$prog" 2>/dev/null | awk '/Build ID:/ { print $3; exit }') && [ -n "$id" ]; then
	make_log "\"$id\"" "$tmp/id.log"
	run_report --format json "$tmp/id.log"
	jq_ok "$tmp/out" "$f[0].function == \"lock_secret\"" "a matching build id is trusted"
else
	skip "readelf missing or symprog has no build id"
fi

make_log '"0123456789abcdef0123456789abcdef01234567"' "$tmp/stale.log"
run_report --format json "$tmp/stale.log"
jq_ok "$tmp/out" "[$f[] | .function == null and .file == null and .line == null] | all" \
	"a different build id: no symbols"
jq_ok "$tmp/out" "[$f[].offset] == [$lock, $keep_ret, $main_ret]" "...module and offset stay"
jq_ok "$tmp/out" '.processes[0].notes | any(test("build id differs"))' "...and a note says why"

# text: the site row names the function and file:line of the program's frame
run_report "$tmp/sym.log"
grep_ok "$tmp/out" "^ +mlock +1 +4096 +0 +[0-9.]+ [KMG]?i?B +ENOMEM 1 +lock_secret symprog.c:[0-9]+$" \
	"the text site row shows function file:line"
grep_ok "$tmp/out" "#1 keep_secret at .*symprog.c:[0-9]+ \(symprog\+0x" \
	"the text finding shows the stack"

# suppressions match symbolized names
printf 'call-failed:keep_secret\n' >"$tmp/supp"
run_report --format json --suppressions "$tmp/supp" "$tmp/sym.log"
jq_ok "$tmp/out" '.processes[0] | .suppressed == 1 and .findings == []' \
	"a suppression matches a function name"
printf 'call-failed:symprog.c\n' >"$tmp/supp"
run_report --format json --suppressions "$tmp/supp" "$tmp/sym.log"
jq_ok "$tmp/out" '.processes[0].suppressed == 1' "a suppression matches a source file basename"

done_testing
