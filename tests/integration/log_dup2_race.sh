#!/bin/sh
# Issue 10, item 6: a thread dup2()s the program's data file over every descriptor from 3 to 1024,
# again and again, while another makes audited calls. The log is written through a mapping, never
# through a descriptor number the program can take: the data file holds only the program's bytes,
# and the log holds every event, none counted lost. Racy: MEMAUDIT_RACE_RUNS runs (100).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

runs=${MEMAUDIT_RACE_RUNS:-100}
pairs=300
bounded 60

run_plain "$PROGS/log_stress" dup2race "$T/data" $pairs >"$T/plain.out" 2>&1
is "$(cat "$T/plain.out")" "events $((2 * pairs)) data ok" "without the shim: the data file holds its bytes"

fails=0
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	rm -rf "$T/l"
	mkdir "$T/l"
	out=$($bound env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/l" \
		"$PROGS/log_stress" dup2race "$T/data" $pairs 2>"$T/err")
	st=$?
	log=$(logs_in "$T/l")
	events=$(tr -d '\000' <"$log" 2>/dev/null | grep -c '"type":"event"\|"type":"again"') # an again record is an event
	lost=$(tr -d '\000' <"$log" 2>/dev/null | grep -o '"lost_records":[0-9]*' | cut -d: -f2)
	if [ "$st" != 0 ] || [ "$out" != "events $((2 * pairs)) data ok" ] ||
	   [ "$events" != $((2 * pairs)) ] || [ "$lost" != 0 ]; then
		fails=$((fails + 1))
		diag "run $i: status $st, '$out', $events events in the log, lost_records '$lost'"
	fi
done
is "$fails" 0 "$runs runs: the data file holds only the program's bytes, the log all $((2 * pairs)) events, none lost"
done_testing
