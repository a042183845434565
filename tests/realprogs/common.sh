# tests/realprogs/common.sh: helpers for the real-program tests, sourced after tests/lib.sh.

# cryptsetup is in /usr/sbin, which a user's PATH may lack
PATH=$PATH:/usr/sbin:/sbin
export PATH

# need_prog PROG PACKAGE: the whole script is skipped unless PROG is on PATH.
need_prog() {
	command -v "$1" >/dev/null 2>&1 || skip_all "$1 is not installed (Debian package $2)"
}

# proc FILE EXE: a jq expression for the report's processes whose executable is EXE (a path suffix,
# e.g. "/cryptsetup"); the launcher-style wrappers (sh, timeout) have their own entries.
proc() {
	printf '(.processes[] | select((.exe // "") | endswith("%s")))' "$1"
}

# has_fn FUNCTION: a jq boolean on a finding or site: one of its frames is FUNCTION.
has_fn() {
	printf 'any(.frames[]; .function == "%s")' "$1"
}

# errors_only REPORT ALLOWED NAME: one test: every finding of severity error in REPORT satisfies the
# jq boolean ALLOWED (applied to the finding); the others are the diagnostics.
errors_only() {
	_bad=$("$JQ" -c "[.processes[] | .exe as \$exe | .findings[] | select(.severity == \"error\")
		| select(($2) | not) | {exe: \$exe, rule, count, message: .message[0:200],
		frames: [.frames[0:6][] | \"\(.function)@\((.module // \"\") | split(\"/\") | last)\"]}] | .[]" "$1" 2>&1)
	if [ -z "$_bad" ]; then
		pass "$3"
	else
		fail "$3" "other error findings ($(printf '%s\n' "$_bad" | wc -l) stacks; the first 8):" \
			"$(printf '%s\n' "$_bad" | head -n 8)"
	fi
}

# error_count REPORT FILTER: the sum of the counts of the error findings that satisfy FILTER.
error_count() {
	"$JQ" -r "[.processes[].findings[] | select(.severity == \"error\") | select($2) | .count] | add // 0" "$1"
}

# whatif_call REPORT PROCESS LIMIT: the report's what-if answer for LIMIT bytes: the index of the
# first lock call that would fail, or null.
whatif_call() {
	"$JQ" -r "[$2 | .whatif[] | select(.limit == $3) | .call] | first // \"none\"" "$1"
}

# refused_call LOG: the index (.call) of the first lock call that really failed in LOG, or null.
refused_call() {
	"$JQ" -r -s '[.[] | select(.type == "event" and .call != null and .ok == false) | .call] | first' "$1"
}

# log_of DIR PROGNAME: the (first) log of PROGNAME in DIR.
log_of() {
	find "$1" -maxdepth 1 -type f -name "memaudit.$2.*.log" | LC_ALL=C sort | head -n 1
}

# user_stage: as root, prepares $T for runs as uid 65534: $T/bin/libmemaudit.so readable by it and
# $T/ulogs writable. Returns non-zero (after a skip) when that cannot be done here.
user_stage() {
	can_run_as_user "as a user" || return 1
	chmod 755 "$T"
	mkdir -p "$T/bin" "$T/ulogs"
	cp "$MEMAUDIT_SHIM" "$T/bin/libmemaudit.so"
	chmod 755 "$T/bin"
	chmod 644 "$T/bin/libmemaudit.so"
	chmod 1777 "$T/ulogs"
	as_user 64 sh -c 'grep "^CapEff:" /proc/self/status' >"$T/caps" 2>&1
	if ! grep -q '^CapEff:[[:space:]]*0*$' "$T/caps"; then
		skip "as a user" "cannot run as uid 65534 without privileges: $(head -c 200 "$T/caps")"
		return 1
	fi
}

# collateral_oracle LOG: from the log's own events, how many successful munlock calls unlocked a page
# on which a live region of another mlock call (one whose start differs) still held its lock. This is
# the kernel's rule (locks do not nest, munlock clears whole pages) computed independently of the
# shim's finding. A region's page that an earlier munlock already unlocked is not counted again, even
# if a later mlock of other bytes happened to lock that page once more: the region's own lock was
# gone since the first (reported) collateral.
collateral_oracle() {
	"$JQ" -r -s "$LOG_EXPAND"' |
	def span($a; $l; $ps): [range(($a / $ps | floor); (($a + $l - 1) / $ps | floor) + 1)];
	(.[0].page_size) as $ps
	| reduce (.[] | select(.type == "event" and (.op == "mlock" or .op == "munlock") and .ok and .len > 0)) as $e
	  ({live: [], n: 0};
	   span($e.addr; $e.len; $ps) as $u
	   | if $e.op == "mlock" then .live += [{a: $e.addr, p: $u}]
	     else .n += (if any(.live[]; .a != $e.addr and any(.p[]; . as $x | $u | index([$x]) != null))
	                 then 1 else 0 end)
	     | .live |= map(select(.a != $e.addr) | .p -= $u)
	     end)
	| .n' "$1"
}
