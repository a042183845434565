#!/bin/sh
# Configuration at load: MEMAUDIT_POLICY=off audits nothing and writes no log; an invalid value of
# a variable the shim reads stops the program before main() with exit status 125 and one line on
# stderr naming the variable (the program must not run unaudited), and writes no log.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

# policy off
L=$T/off
mkdir "$L"
run_plain "$PROGS/lock_loop" 100 >"$T/plain.out" 2>&1
run_shimmed "$L" MEMAUDIT_POLICY=off "$PROGS/lock_loop" 100 >"$T/off.out" 2>"$T/off.err"
is "$?" 0 "MEMAUDIT_POLICY=off: the program runs (status 0)"
same_file "$T/off.out" "$T/plain.out" "MEMAUDIT_POLICY=off: the same output as without the shim"
is "$(find "$L" -mindepth 1 | wc -l | tr -d ' ')" 0 "MEMAUDIT_POLICY=off: no log written"
is "$(wc -c <"$T/off.err" | tr -d ' ')" 0 "MEMAUDIT_POLICY=off: nothing on stderr"

# policy audit spelled out: a log
L=$T/audit
mkdir "$L"
run_shimmed "$L" MEMAUDIT_POLICY=audit "$PROGS/lock_loop" 100 >"$T/audit.out" 2>&1
is "$(count_logs "$L")" 1 "MEMAUDIT_POLICY=audit: one log"

# invalid values
i=0
for setting in MEMAUDIT_POLICY=bogus MEMAUDIT_POLICY= MEMAUDIT_POLICY=Audit \
	MEMAUDIT_PAGE_SIZE=3000 MEMAUDIT_PAGE_SIZE=1024 MEMAUDIT_MEMLOCK_LIMIT=lots \
	MEMAUDIT_MEMLOCK_LIMIT=-5 MEMAUDIT_MAX_MAP_COUNT=0 MEMAUDIT_MAX_MAP_COUNT=12x; do
	i=$((i + 1))
	var=${setting%%=*}
	L=$T/bad$i
	mkdir "$L"
	run_shimmed "$L" "$setting" "$PROGS/lock_loop" 1 >"$T/bad.out" 2>"$T/bad.err"
	is "$?" 125 "$setting: exit status 125"
	is "$(wc -c <"$T/bad.out" | tr -d ' ')" 0 "$setting: main() did not run (no output)"
	is "$(wc -l <"$T/bad.err" | tr -d ' ')" 1 "$setting: one line on stderr"
	ok "$setting: the line names $var" grep -q "$var" "$T/bad.err"
	is "$(find "$L" -mindepth 1 | wc -l | tr -d ' ')" 0 "$setting: no log written"
done

# A log directory that cannot be used is the same kind of error.
run_shimmed "$T/does-not-exist" "$PROGS/lock_loop" 1 >"$T/bad.out" 2>"$T/bad.err"
is "$?" 125 "MEMAUDIT_LOG_DIR that does not exist: exit status 125"
is "$(wc -c <"$T/bad.out" | tr -d ' ')" 0 "MEMAUDIT_LOG_DIR that does not exist: main() did not run"
ok "MEMAUDIT_LOG_DIR that does not exist: stderr names MEMAUDIT_LOG_DIR" grep -q MEMAUDIT_LOG_DIR "$T/bad.err"
is "$(wc -l <"$T/bad.err" | tr -d ' ')" 1 "MEMAUDIT_LOG_DIR that does not exist: one line on stderr"
done_testing
