#!/bin/sh
# release-unwiped counts the non-zero bytes a release (munlock, free, munmap) leaves in memory the
# program locked or excluded from core dumps, and records nothing but that count; memory it cannot
# read (PROT_NONE, as libsodium guards its secrets) is skipped, never a fault. protection-lost
# trusts the kernel: a protection undone behind libc's back shows in /proc/self/smaps at exit.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
tmpdir
secret=memaudit-test-secret-7f3a9c # tests/progs/rules.c SECRET: 27 bytes, none of them zero

# release MODE: run rules MODE under the shim into $T/MODE, report it to $T/MODE.json.
release() {
	mkdir -p "$T/$1"
	run_shimmed "$T/$1" "$PROGS/rules" "$1" >"$T/$1.out" 2>&1
	is "$?" 0 "$1: the program runs"
	make_report "$T/$1" "$T/$1.json" "$1: report"
}

unwiped='[.processes[].findings[] | select(.rule == "release-unwiped") | .message][0]'

release release-unwiped
jq_ok "$T/release-unwiped.json" "$unwiped | test(\"^munlock releases 4096 bytes .* while 27 of them are not zero\")" \
	"munlock: 27 of the 4096 locked bytes are counted"

release release-free
jq_ok "$T/release-free.json" "$unwiped | test(\"^free releases 64 bytes .* while 27 of them are not zero\")" \
	"free: the 64 bytes the program locked, 27 of them not zero (read before free() writes)"

release release-munmap
jq_ok "$T/release-munmap.json" "$unwiped | test(\"^munmap releases 4096 bytes .* while 27 of them are not zero\")" \
	"munmap of a shared MADV_DONTDUMP page: 27 non-zero bytes"

release release-munmap-private
jq_is "$T/release-munmap-private.json" "[.processes[].findings[] | select(.rule == \"release-unwiped\")] | length" 0 \
	"munmap of private anonymous memory: nothing (the kernel zero-fills it before any reuse)"

release release-guarded
jq_is "$T/release-guarded.json" "[.processes[].findings[] | select(.rule == \"release-unwiped\")] | length" 0 \
	"munmap of a shared PROT_NONE page: not readable, not counted"
jq_is "$T/release-guarded.json" ".processes[0].complete" true "... and the process ran to its end"

release lost-dontdump
jq_ok "$T/lost-dontdump.json" '[.processes[].findings[] | select(.rule == "protection-lost")
	| .message] | length == 1 and (.[0] | test("excluded from core dumps .* no .dd."))' \
	"a MADV_DODUMP made without libc: protection-lost names the missing 'dd'"

"$MEMAUDIT_REPORT" "$T/release-unwiped" "$T/release-free" "$T/release-munmap" >"$T/text" 2>&1
if grep -l -F "$secret" "$T"/*/memaudit.*.log "$T"/*.json "$T/text" >"$T/leaks"; then
	fail "no log or report holds the secret" "found in: $(cat "$T/leaks")"
else
	pass "no log or report holds the secret"
fi
done_testing
