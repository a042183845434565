#!/bin/sh
# The text report folds the processes that made no audited call (a complete log without event,
# finding, lost record or note) into one line in total: "N processes made no audited call:" and
# their programs with counts, the most first. A process that was killed (incomplete log) or lost
# records is never folded: it has its full section. JSON keeps every process. The process tree
# shows only the processes that have a section. And for real: `memaudit -- sh -c 'ls; ls; cat'`
# is one line and the totals line (it was 75 lines).
. "$top_srcdir/tests/report/report-lib.sh"

plan 29

# mklog FILE PID PPID PROG START_SEC EXTRA EXIT: a log of PROG (/usr/bin/PROG) with the JSON
# lines EXTRA ("" for none) after its header; EXIT is "exit" (an exit record, status 0), "none",
# or an exit record's extra keys (",\"lost_records\":3").
mklog() {
	printf '{"type":"header","format":"memaudit-log","version":1,"pid":%s,"ppid":%s,' \
		"$2" "$3" >"$1"
	printf '"exe":"/usr/bin/%s","progname":"%s","argv":["%s"],"start":{"sec":%s,"nsec":0},' \
		"$4" "$4" "$4" "$5" >>"$1"
	printf '"page_size":4096,"policy":"audit"}\n' >>"$1"
	[ -z "$6" ] || printf '%s\n' "$6" >>"$1"
	case $7 in
	none) ;;
	exit) echo '{"type":"exit","how":"exit","status":0,"locked_bytes":0}' >>"$1" ;;
	*) echo "{\"type\":\"exit\",\"how\":\"exit\",\"status\":0,\"locked_bytes\":0$7}" >>"$1" ;;
	esac
}
event='{"type":"event","seq":1,"t":1,"tid":1,"op":"mlock","addr":4096,"len":32,"ok":true,"errno":0,"stack":0,"pages":1,"charged":1,"locked_bytes":4096}'

# three quiet processes and one that locked memory
d=$tmp/mixed
mkdir "$d"
mklog "$d/memaudit.sh.100.log" 100 1 sh 100 "" exit
mklog "$d/memaudit.ls.101.log" 101 100 ls 101 "" exit
mklog "$d/memaudit.ls.102.log" 102 100 ls 102 "" exit
mklog "$d/memaudit.app.103.log" 103 100 app 103 "$event" exit
run_report "$d"
is "$rc" 0 "quiet processes and one that locked: exit status 0"
is "$(grep -c '^== ' "$tmp/out")" 1 "one section: the process that made an audited call"
grep_ok "$tmp/out" "^== /usr/bin/app \(pid 103, ppid 100\)$" "...its own"
is "$(grep -c 'made no audited call' "$tmp/out")" 1 "one line for the others"
grep_ok "$tmp/out" "^3 more processes made no audited call: ls \(2\), sh$" \
	"...their number and programs with counts, the most first"
grep -q "^process tree" "$tmp/out"
ok $((!$?)) "no process tree for one process with a section"
is "$(tail -n 1 "$tmp/out")" "memaudit: 4 processes; 0 errors, 0 warnings, 0 notes" \
	"the totals line counts every process"
run_report --format json "$d"
jq_ok "$tmp/out" '.processes | length == 4' "JSON keeps every process"

# only quiet processes: one line, and the totals line
rm "$d/memaudit.app.103.log"
run_report "$d"
is "$(cat "$tmp/out")" "3 processes made no audited call: ls (2), sh
memaudit: 3 processes; 0 errors, 0 warnings, 0 notes" "only quiet processes: two lines in all"
run_report "$d/memaudit.sh.100.log"
is "$(cat "$tmp/out")" "1 process made no audited call: sh" "one quiet process: one line"
is "$rc" 0 "...exit status 0"

# a killed process (no exit record) is never folded, even without events
mklog "$d/memaudit.cat.104.log" 104 100 cat 104 "" none
run_report "$d"
grep_ok "$tmp/out" "^== /usr/bin/cat \(pid 104, ppid 100\)$" "a killed process has its section"
grep_ok "$tmp/out" "^   status:  INCOMPLETE: no exit record" "...saying it is incomplete"
grep_ok "$tmp/out" "^3 more processes made no audited call: ls \(2\), sh$" \
	"...and is not among the folded ones"
rm "$d/memaudit.cat.104.log"

# lost records: a lost record, or only the exit record's count
mklog "$d/memaudit.cat.105.log" 105 100 cat 105 '{"type":"lost","t":5,"records":2258}' exit
mklog "$d/memaudit.tr.106.log" 106 100 tr 106 "" ',"lost_records":3'
run_report "$d"
grep_ok "$tmp/out" "^== /usr/bin/cat \(pid 105, ppid 100\)$" "a process that lost records has its section"
grep_ok "$tmp/out" "^   lost:    2258 records could not be written" "...saying how many"
grep_ok "$tmp/out" "^   lost:    3 records could not be written" \
	"...also when only its exit record counts them"
grep_ok "$tmp/out" "^3 more processes made no audited call: ls \(2\), sh$" \
	"...neither is folded"
rm "$d/memaudit.cat.105.log" "$d/memaudit.tr.106.log"

# a finding that MEMAUDIT_SUPPRESSIONS suppressed still makes a section (it says so)
mklog "$d/memaudit.app.107.log" 107 100 app 107 \
	'{"type":"finding","rule":"lock-heap","severity":"warning","seq":1,"stack":0,"message":"m","suppressed":true}' exit
run_report "$d"
grep_ok "$tmp/out" "^   no findings \(all suppressed\)$" "a process whose finding is suppressed has its section"
rm "$d/memaudit.app.107.log"

# the tree shows the processes with a section, indented by those among their ancestors
d=$tmp/tree
mkdir "$d"
mklog "$d/memaudit.make.200.log" 200 1 make 200 "$event" exit
mklog "$d/memaudit.sh.201.log" 201 200 sh 201 "" exit
mklog "$d/memaudit.cc.202.log" 202 201 cc 202 "$event" exit
mklog "$d/memaudit.as.203.log" 203 201 as 203 "" exit
run_report "$d"
sed -n '1,4p' "$tmp/out" >"$tmp/top"
grep_ok "$tmp/top" "^process tree: 2 of 4 processes \(the other 2 made no audited call\)$" \
	"the tree says how many it leaves out"
grep_ok "$tmp/top" "^   200 make$" "...a root"
grep_ok "$tmp/top" "^     202 cc \(fork\)$" "...its grandchild, under it (the quiet child between left out)"
is "$(grep -c '^== ' "$tmp/out")" 2 "...two sections"
grep_ok "$tmp/out" "^2 more processes made no audited call: sh, as$" \
	"...equal counts in the order of the tree"

# --merge: a program whose processes are all quiet is folded too
mklog "$d/memaudit.sh.204.log" 204 200 sh 204 "" exit
run_report --merge "$d"
is "$(grep -c '^== ' "$tmp/out")" 2 "--merge: a section per program with an audited call"
grep_ok "$tmp/out" "^3 more processes made no audited call: sh \(2\), as$" \
	"--merge: one line for the quiet programs"

# for real: a shell that runs ls twice and cat, under the launcher and the library
if [ ! -f "$MEMAUDIT_SHIM" ] || [ ! -x "$MEMAUDIT_LAUNCHER" ]; then
	for t in 1 2 3; do skip "the library or the launcher is not built"; done
else
	MEMAUDIT_LIBRARY=$MEMAUDIT_SHIM "$MEMAUDIT_LAUNCHER" -- sh -c 'ls; ls; cat </dev/null' \
		>/dev/null 2>"$tmp/sh.err"
	is "$?" 0 "memaudit -- sh -c 'ls; ls; cat </dev/null': exit status 0"
	is "$(wc -l <"$tmp/sh.err" | tr -d ' ')" 2 "...a report of two lines (it was 75)"
	grep_ok "$tmp/sh.err" "^[0-9]+ processes made no audited call: ls \(2\), .*cat" \
		"...the processes that made no audited call, with counts"
fi

done_testing
