#!/bin/sh
# The wipe check (release-unwiped) copies the program's memory in the process itself only where
# the model proves it readable (policy/engine/readable.h); everywhere else it reads with
# process_vm_readv, which fails instead of faulting. Each mode of tests/progs/wipe_read.c makes
# locked or MADV_DONTDUMP bytes unreadable, or gone, then releases them: the program must run to
# its end under the shim with its exit status unchanged, and the finding count only what reads.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
require_jq
require_report
tmpdir
bounded "${ROBUST_TIMEOUT:-20}"
ps=$(getconf PAGESIZE)

# wipe MODE [N]: run wipe_read MODE without and with the shim (the latter under strace when
# there is one: $T/MODE.st lists its process_vm_readv calls); report the log to $T/MODE.json.
# Returns 1 when the mode cannot run here (exit 77 without the shim), after a skip.
wipe() {
	rm -rf "$T/$1"
	mkdir -p "$T/$1"
	$bound "$PROGS/wipe_read" "$@" >"$T/$1.plain" 2>&1
	_plain=$?
	if [ "$_plain" = 77 ]; then
		skip "$1" "$(cat "$T/$1.plain")"
		return 1
	fi
	: >"$T/$1.st"
	if command -v strace >/dev/null 2>&1; then
		$bound strace -f -o "$T/$1.st" -e trace=process_vm_readv \
			env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/$1" "$PROGS/wipe_read" "$@" >"$T/$1.out" 2>&1
	else
		$bound env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/$1" "$PROGS/wipe_read" "$@" >"$T/$1.out" 2>&1
	fi
	_st=$?
	is "$_st" "$_plain" "$1: exit status under the shim is the program's own ($_plain)"
	[ "$_st" = "$_plain" ] || diag_file "$T/$1.out"
	make_report "$T/$1" "$T/$1.json" "$1: the log reads"
	jq_is "$T/$1.json" '.processes[0].complete' true "$1: the process ran to its end"
	return 0
}

# process_vm_readv calls strace saw ("" without strace)
readv_calls() {
	command -v strace >/dev/null 2>&1 && grep -c 'process_vm_readv(' "$T/$1.st"
}

unwiped() {
	jq_ok "$T/$1.json" "[.processes[].findings[] | select(.rule == \"release-unwiped\") | .message] | any(test(\"$2\"))" "$3"
}

# The plain case: copied in-process, no process_vm_readv at all, the counts right.
if wipe fast 200; then
	unwiped fast "^munlock releases 32 bytes .* while 32 of them are not zero" "fast: munlock counts the 32 locked bytes"
	unwiped fast "^free releases $ps bytes .* while $ps of them are not zero" "fast: free counts the MADV_DONTDUMP page"
	n=$(readv_calls fast)
	if [ -n "$n" ]; then
		is "$n" 0 "fast: the heap is copied in-process (no process_vm_readv)"
	else
		skip "fast: no process_vm_readv" "no strace to count them"
	fi
fi

# Made unreadable by a call the library sees: read with process_vm_readv, the page skipped.
for m in protnone sysprot; do
	if wipe $m; then
		unwiped $m "^munlock releases $((2 * ps)) bytes .* while $ps of them are not zero" \
			"$m: the PROT_NONE page is skipped, the other one counted"
		n=$(readv_calls $m)
		[ -n "$n" ] && ok "$m: the unreadable page is read with process_vm_readv ($n calls)" [ "$n" -gt 0 ]
	fi
done
# process_vm_readv ignores protection keys (a foreign access): all of it counts
if wipe pkey; then
	unwiped pkey "^munlock releases $((2 * ps)) bytes .* while $((2 * ps)) of them are not zero" \
		"pkey: the page behind a disabled key is read with process_vm_readv"
fi
if wipe guard; then
	unwiped guard "^free releases $((2 * ps)) bytes .* while $ps of them are not zero" \
		"guard: the guard page is skipped, the other one counted"
fi

# Gone behind the library's back (glibc's trim), or freed before the release: no fault.
wipe trim && jq_is "$T/trim.json" \
	'[.processes[].findings[] | select(.rule == "release-unwiped") | .message | select(startswith("munlock"))] | length' 0 \
	"trim: the munlock of given-back bytes fails, and counts nothing"
wipe uaf
# Another thread frees the blocks one munlocks; a few runs.
for r in 1 2 3; do
	wipe race 3000 || break
	ok "race run $r: it ran ($(cat "$T/race.out"))" grep -q 'iterations' "$T/race.out"
done
done_testing
