#!/bin/sh
# memaudit-report links processes into their fork/exec tree: a log whose ppid (and parent_log)
# names another process is its fork child; a log without exit record followed by a later log of
# the same pid is the image that exec'd. The text report starts with the tree when there is more
# than one process and has the process sections in tree order; JSON has a "tree" object per
# process. Hostile pid and ppid values never make a cycle. (The logs made here each hold an mlock
# event: the text report folds processes that made no audited call into one line, quiet.sh.)
. "$top_srcdir/tests/report/report-lib.sh"

plan 30

# mklog FILE PID PPID EXE START_SEC PARENT_LOG EXIT ARGV...: a log of one process image with one
# mlock event. PPID and PARENT_LOG may be null; EXIT is "exit" (an exit record with status 0) or
# "none".
mklog() {
	f=$1 pid=$2 ppid=$3 exe=$4 start=$5 plog=$6 ex=$7
	shift 7
	args=$(printf '"%s",' "$@")
	[ "$plog" = null ] || plog="\"$plog\""
	printf '{"type":"header","format":"memaudit-log","version":1,"pid":%s,"ppid":%s,' \
		"$pid" "$ppid" >"$f"
	printf '"exe":"%s","argv":[%s],"start":{"sec":%s,"nsec":0},"page_size":4096,' \
		"$exe" "${args%,}" "$start" >>"$f"
	printf '"policy":"audit","parent_log":%s}\n' "$plog" >>"$f"
	echo "$event" >>"$f"
	[ "$ex" = none ] || echo '{"type":"exit","how":"exit","status":0,"locked_bytes":0}' >>"$f"
}

event='{"type":"event","seq":1,"t":1,"tid":1,"op":"mlock","addr":4096,"len":32,"ok":true,"errno":0,"stack":0,"pages":1,"charged":1,"locked_bytes":4096}'

# with_event FIXTURE: a copy of FIXTURE (in $tmp, same name) with that event before its last line
with_event() {
	sed "\$i\\
$event" "$(fixture "$1")" >"$tmp/$1"
	echo "$tmp/$1"
}

# The fixtures: app 1000 with its fork child 1001; launcher 2000 that exec'd worker.
run_report --format json "$(fixture exec-2.jsonl)" "$(fixture fork-child.jsonl)" \
	"$(fixture exec-1.jsonl)" "$(fixture basic.jsonl)"
jq_ok "$tmp/out" '[.processes[] | "\(.pid) \(.exe | split("/") | last)"] ==
	["1000 app", "1001 app", "2000 launcher", "2000 worker"]' \
	"processes in tree order: each root, then its subtree"
jq_ok "$tmp/out" '[.processes[].tree | "\(.relation) \(.depth)"] ==
	["root 0", "fork 1", "root 0", "exec 1"]' "relation and depth of each"
jq_ok "$tmp/out" ".processes[0].tree.children == [{\"pid\": 1001,
	\"log\": \"$(fixture fork-child.jsonl)\", \"relation\": \"fork\"}]" \
	"the parent lists its fork child"
jq_ok "$tmp/out" ".processes[3].tree.parent == \"$(fixture exec-1.jsonl)\" and
	.processes[2].tree.children[0].relation == \"exec\"" \
	"the exec'd image's parent is the image it replaced"
jq_ok "$tmp/out" '.processes[2] | .complete and .ended_by == "exec"' \
	"the image that exec'd is complete"

# (the fork child and the exec'd image made no audited call: with an event, the text shows them)
run_report "$(with_event exec-2.jsonl)" "$(with_event fork-child.jsonl)" \
	"$(fixture exec-1.jsonl)" "$(fixture basic.jsonl)"
sed -n '1,6p' "$tmp/out" >"$tmp/top"
grep_ok "$tmp/top" "^process tree: 4 processes$" "the text report starts with the tree"
grep_ok "$tmp/top" "^   1000 app --secret: 3 errors, 4 warnings, 1 note$" \
	"a root: pid, command line, its findings"
grep_ok "$tmp/top" "^     1001 app --secret \(fork\)$" "a fork child, indented under its parent"
grep_ok "$tmp/top" "^   2000 launcher worker$" "the second root"
grep_ok "$tmp/top" "^     2000 worker \(exec\)$" \
	"the exec'd image, indented under the image it replaced"
is "$(grep '^== ' "$tmp/out" | sed 's/ (pid \([0-9]*\).*/ \1/; s|.*/||' | tr '\n' ' ')" \
	"app 1000 app 1001 launcher 2000 worker 2000 " "process sections in tree order"
grep_ok "$tmp/out" "^   exec: +the image that replaced .*exec-1.jsonl$" \
	"the exec'd image's section names the image it replaced"

run_report "$(fixture basic.jsonl)"
grep -q "^process tree" "$tmp/out"
ok $((!$?)) "no tree for one process"

# make (3000) forks 3001, which execs sh, which execs app; make also forks 3002; 3100's parent
# is not among the logs. Given in an order that is none of start, pid or tree order.
d=$tmp/chain
mkdir "$d"
mklog "$d/memaudit.app.3001.2.log" 3001 3000 /usr/bin/app 400 null exit app --run
mklog "$d/memaudit.make.3002.log" 3002 3000 /usr/bin/make 250 memaudit.make.3000.log exit make
mklog "$d/memaudit.make.3000.log" 3000 1 /usr/bin/make 100 null exit make check
mklog "$d/memaudit.sh.3001.1.log" 3001 3000 /bin/sh 300 null none sh -c app
mklog "$d/memaudit.orphan.3100.log" 3100 4242 /usr/bin/orphan 150 null exit orphan
mklog "$d/memaudit.make.3001.log" 3001 3000 /usr/bin/make 200 memaudit.make.3000.log none make
run_report --format json "$d"
is "$rc" 0 "a fork and exec chain: exit status 0"
jq_ok "$tmp/out" '[.processes[] | "\(.pid):\(.exe):\(.tree.relation):\(.tree.depth)"] ==
	["3000:/usr/bin/make:root:0", "3001:/usr/bin/make:fork:1", "3001:/bin/sh:exec:2",
	 "3001:/usr/bin/app:exec:3", "3002:/usr/bin/make:fork:1", "3100:/usr/bin/orphan:root:0"]' \
	"fork, exec of the fork child, exec again, a second fork child, a root without parent"
jq_ok "$tmp/out" '[.processes[] | .complete] | all' "every image is complete (exit or exec)"
jq_ok "$tmp/out" '[.processes[0].tree.children[] | "\(.pid) \(.relation)"] ==
	["3001 fork", "3002 fork"]' "children by start time"
run_report "$d"
grep_ok "$tmp/out" "^       3001 sh -c app \(exec\)$" "depth 2 in the text tree"
grep_ok "$tmp/out" "^         3001 app --run \(exec\)$" "depth 3 in the text tree"

# parent_log picks the parent among several images of the parent's pid: 5000 forked 5001 as
# "wrap", then exec'd "main"; the child's log was created after "main" started.
d=$tmp/plog
mkdir "$d"
mklog "$d/memaudit.wrap.5000.log" 5000 1 /usr/bin/wrap 100 null none wrap
mklog "$d/memaudit.main.5000.1.log" 5000 1 /usr/bin/main 200 null exit main
mklog "$d/memaudit.wrap.5001.log" 5001 5000 /usr/bin/wrap 300 memaudit.wrap.5000.log exit wrap
run_report --format json "$d"
jq_ok "$tmp/out" "[.processes[] | select(.pid == 5001)][0].tree.parent ==
	\"$d/memaudit.wrap.5000.log\"" "parent_log names the parent image"
mv "$d/memaudit.wrap.5001.log" "$tmp/child.log"
sed 's/"parent_log":"[^"]*"/"parent_log":null/' "$tmp/child.log" >"$d/memaudit.wrap.5001.log"
run_report --format json "$d"
jq_ok "$tmp/out" "[.processes[] | select(.pid == 5001)][0].tree.parent ==
	\"$d/memaudit.main.5000.1.log\"" "without it, the latest image of the ppid before the child"

# A daemon: 7001's parent 7000 exited before 7001's header was written, so an older shim wrote
# getppid() = 1 (a log of pid 1 is there too). 7000's fork event and 7001's parent_log link them;
# 7002's parent_log names a log that was renamed: the fork event alone still does.
d=$tmp/daemon
mkdir "$d"
mklog "$d/memaudit.init.1.log" 1 0 /sbin/init 50 null none init
mklog "$d/memaudit.d.7000.log" 7000 4200 /usr/bin/d 100 null none d
for c in 7001 7002; do
	printf '{"type":"event","seq":1,"t":1,"tid":7000,"op":"fork","child":%s,"ok":true,"errno":0,"stack":0}\n' \
		"$c" >>"$d/memaudit.d.7000.log"
done
echo '{"type":"exit","how":"exit","status":0,"locked_bytes":0}' >>"$d/memaudit.d.7000.log"
mklog "$d/memaudit.d.7001.log" 7001 1 /usr/bin/d 200 memaudit.d.7000.log exit d
mklog "$d/memaudit.d.7002.log" 7002 1 /usr/bin/d 300 memaudit.d.renamed.log exit d
run_report --format json "$d"
jq_ok "$tmp/out" '[.processes[] | "\(.pid):\(.tree.relation):\(.tree.depth)"] ==
	["1:root:0", "7000:root:0", "7001:fork:1", "7002:fork:1"]' \
	"a fork child whose ppid is 1 is linked by its parent's fork event, not to pid 1"
jq_ok "$tmp/out" "[.processes[] | select(.pid == 7001)][0].tree.parent == \"$d/memaudit.d.7000.log\"" \
	"...and its parent_log"
mklog "$d/memaudit.y.7002.1.log" 7002 1 /usr/bin/y 400 null exit y
run_report --format json "$d"
jq_ok "$tmp/out" "[.processes[] | select(.exe == \"/usr/bin/y\")][0].tree.parent ==
	\"$d/memaudit.init.1.log\"" "a log without parent_log is linked by its ppid (a reused pid)"

# hostile: two logs that name each other as parent, with the same start; a log without pid
d=$tmp/cycle
mkdir "$d"
mklog "$d/memaudit.a.10.log" 10 11 /a 100 memaudit.b.11.log exit a
mklog "$d/memaudit.b.11.log" 11 10 /b 100 memaudit.a.10.log exit b
mklog "$d/memaudit.c.0.log" null 10 /c 100 null exit c
run_report --format json "$d"
is "$rc" 0 "parents that name each other: exit status 0"
jq_ok "$tmp/out" '.processes | length == 3 and ([.[] | select(.tree.relation == "root")] |
	length) >= 1 and ([.[].log] | unique | length) == 3' \
	"every process once, and a root: no cycle"

# an exec chain deeper than the text tree indents; a long command line
d=$tmp/deep
mkdir "$d"
i=1
while [ $i -le 40 ]; do
	mklog "$d/memaudit.x.6000.$i.log" 6000 1 /x $((100 + i)) null none x "$i"
	i=$((i + 1))
done
long=$(printf '%0300d' 0)
mklog "$d/memaudit.x.6000.41.log" 6000 1 /x 200 null exit x "$long"
run_report --format json "$d"
jq_ok "$tmp/out" '[.processes[].tree.depth] == [range(41)]' "a chain of 41 images, 41 deep"
jq_ok "$tmp/out" '[.processes[:40][] | .ended_by] | all(. == "exec")' "...each ended by exec"
run_report "$d"
grep_ok "$tmp/out" "^ +\[depth 40\] 6000 x $long \(exec\)$" \
	"deep entries say their depth; a long command line is whole (a pipe: never cut)"
grep_ok "$tmp/out" "^   argv:    x $long$" "...in its section's header too"

done_testing
