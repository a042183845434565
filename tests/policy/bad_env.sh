#!/bin/sh
# An invalid MEMAUDIT_* value stops the program before main with exit status 125 and one line
# on stderr naming the variable and what it accepts; valid values run it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir
mkdir "$T/logs"

bad() {
	var=${1%%=*}
	run_shimmed "$T/logs" "$1" "$PROGS/lock_loop" 1 >"$T/out" 2>"$T/err"
	is "$?" 125 "$1: exit status 125"
	is "$(wc -c <"$T/out" | tr -d ' ')" 0 "$1: main() never ran"
	is "$(wc -l <"$T/err" | tr -d ' ')" 1 "$1: one line on stderr"
	ok "$1: it names $var and what it accepts" grep -q "$var: invalid value; accepted: " "$T/err"
}
good() {
	run_shimmed "$T/logs" "$1" "$PROGS/lock_loop" 1 >"$T/out" 2>"$T/err"
	is "$?" 0 "$1: accepted, the program runs"
}
bad MEMAUDIT_POLICY=paranoid
bad MEMAUDIT_MEMLOCK_LIMIT=64KiB
bad MEMAUDIT_MEMLOCK_LIMIT=-1
bad MEMAUDIT_MEMLOCK_LIMIT=
bad MEMAUDIT_PAGE_SIZE=12288
bad MEMAUDIT_PAGE_SIZE=1024
bad MEMAUDIT_MAX_MAP_COUNT=lots
bad MEMAUDIT_FAIL_ON=fatal
bad MEMAUDIT_EXITCODE=0
bad MEMAUDIT_EXITCODE=256
bad MEMAUDIT_ABORT=yes
bad MEMAUDIT_ARGV=none
bad MEMAUDIT_ARGV=
good MEMAUDIT_MEMLOCK_LIMIT=8M
good MEMAUDIT_MEMLOCK_LIMIT=unlimited
good MEMAUDIT_PAGE_SIZE=64K
good MEMAUDIT_FAIL_ON=note
good MEMAUDIT_EXITCODE=255
good MEMAUDIT_ABORT=0
good MEMAUDIT_ARGV=first
good MEMAUDIT_ARGV=full
done_testing
