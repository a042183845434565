#!/bin/sh
# bench.sh: the side-by-side table of `make -C bench bench` (issue 13). Run by bench/Makefile in
# the build directory of bench/, with the paths of the build tree in the environment:
#   BENCH_LIBRARY   shim/.libs/libmemaudit.so    BENCH_TRACE   tools/memaudit-trace
#   BENCH_LAUNCHER  tools/memaudit               BENCH_REPORT  tools/memaudit-report
#   BENCH_ROUNDS    interleaved rounds (default 5)   BENCH_CPU  the CPU of pinned rows (default 1)
#   BENCH_MEMUSAGE  glibc's libmemusage.so (default: the x86_64 Debian path)
#
# Each row is a workload; each column a way of running it: bare, memaudit's preload library with
# MEMAUDIT_POLICY off and audit, trace mode (memaudit-trace) off and audit, then the other tools
# when installed: heaptrack, glibc's libmemusage.so, ltrace -f, strace -f -k and
# strace --seccomp-bpf -f (both -e trace=%memory). A round runs the bare program and every column
# once, in turn; the cell is the median over the rounds, as a ratio to the bare median. The
# programs time their own loop and print ns per operation, so a slow tool runs fewer iterations and
# its start-up is not counted (the start-up rows time whole processes with spawn_time).
# A missed goal prints NOT MET and the script still succeeds; a failed bench program, or memaudit
# failing on it, makes it exit 1. Another tool failing (or hanging: every run has a timeout) shows
# "fail" in its cell.
# shellcheck disable=SC1007,SC2034 # the columns A_* and W_* are read through eval
set -u
rounds=${BENCH_ROUNDS:-5}
cpu=${BENCH_CPU:-1}
lib=$BENCH_LIBRARY
tracer=$BENCH_TRACE
launcher=$BENCH_LAUNCHER
report=$BENCH_REPORT
memusage=${BENCH_MEMUSAGE:-/usr/lib/x86_64-linux-gnu/libmemusage.so} # glibc's
limit=120 # seconds: a run that takes longer has hung
start=$(date +%s)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
logs=$tmp/logs
mkdir "$logs" "$tmp/v" "$tmp/keep" "$tmp/keept" "$tmp/ht" || exit 1
status=0

# q WORD: WORD single-quoted for eval.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

cols='bare off audit toff taudit heaptrack memusage ltrace stracek straceb'
have() { command -v "$1" >/dev/null 2>&1; }
have heaptrack || no_heaptrack=1
test -f "$memusage" || no_memusage=1
have ltrace || no_ltrace=1
have strace || { no_stracek=1; no_straceb=1; }
pin="taskset -c $cpu"
$pin true 2>/dev/null || pin=

# A column is the environment assignments A_col and the wrapper words W_col that go where a
# template has @T@ (after `env` for a program, after `spawn_time N` for a whole process).
A_bare= W_bare=
A_off="MEMAUDIT_POLICY=off MEMAUDIT_LOG_DIR=$(q "$logs") LD_PRELOAD=$(q "$lib")" W_off=
A_audit="MEMAUDIT_POLICY=audit MEMAUDIT_LOG_DIR=$(q "$logs") LD_PRELOAD=$(q "$lib")" W_audit=
A_toff="MEMAUDIT_POLICY=off MEMAUDIT_LOG_DIR=$(q "$logs")" W_toff="$(q "$tracer") --"
A_taudit="MEMAUDIT_POLICY=audit MEMAUDIT_LOG_DIR=$(q "$logs")" W_taudit=$W_toff
A_heaptrack= W_heaptrack="heaptrack -o $(q "$tmp/ht/%p")"
A_memusage="LD_PRELOAD=$memusage" W_memusage=
A_ltrace= W_ltrace="ltrace -f -o /dev/null"
A_stracek= W_stracek="strace -f -k -qq -o /dev/null -e trace=%memory"
A_straceb= W_straceb="strace --seccomp-bpf -f -qq -o /dev/null -e trace=%memory"

# run COL N PIN TEMPLATE: run TEMPLATE (@N@ replaced by N, @T@ by the column) once; print its
# ns/op, or exit 77 (skipped) or 1 (failed).
run() {
	a= w=
	eval "a=\$A_$1 w=\$W_$1"
	t=$4
	while case $t in *@N@*) true ;; *) false ;; esac; do t="${t%%@N@*}$2${t#*@N@}"; done
	case $t in *@T@*) t="${t%%@T@*}$a $w${t#*@T@}" ;; esac
	test "$3" = pin && t="$pin $t"
	out=$(eval "timeout $limit $t" 2>"$tmp/err")
	rc=$?
	rm -rf "${logs:?}"/* "${tmp:?}"/ht/*
	test $rc -eq 77 && return 77
	v=$(printf '%s\n' "$out" | sed -n 's/^[a-z_]*: \([0-9.]*\) ns\/op.*/\1/p')
	if test $rc -ne 0 || test -z "$v"; then
		printf '%s (%s) failed with status %s%s\n' "$1" "$t" $rc "$(tail -n 2 "$tmp/err" | tr '\n' ' ' | sed 's/^./: &/')" >>"$tmp/failed"
		return 1
	fi
	echo "$v"
}

# sample ROW COL N PIN TEMPLATE: one run, its value added to ROW's COL.
sample() {
	key=$1; shift
	test ! -f "$tmp/v/$key.$1.bad" || return 0
	v=$(run "$@")
	case $? in
	0) echo "$v" >>"$tmp/v/$key.$1" ;;
	77) : >"$tmp/v/$key.skip" ;;
	*) : >"$tmp/v/$key.$1.bad"
	   case $1 in bare|off|audit|toff|taudit) status=1 ;; esac ;;
	esac
}

# median ROW COL: the median of ROW's COL, or nothing.
median() {
	test -s "$tmp/v/$1.$2" && test ! -f "$tmp/v/$1.$2.bad" || return 0
	sort -n "$tmp/v/$1.$2" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure ROW PIN "N_bare N_off ... N_straceb" TEMPLATE: BENCH_ROUNDS interleaved rounds; "-" in
# the counts leaves a column out (as does a tool that is not installed).
measure() {
	r=0 s0=$(date +%s)
	while test $r -lt "$rounds" && test ! -f "$tmp/v/$1.skip"; do
		set -- "$1" "$2" "$3" "$4"
		i=0
		for c in $cols; do
			i=$((i + 1))
			n=$(echo "$3" | cut -d' ' -f$i)
			gone=
			eval "gone=\${no_$c:-}"
			test "$n" = - || test -n "$gone" || sample "$1" $c "$n" "$2" "$4"
		done
		r=$((r + 1))
	done
	test -z "${BENCH_DEBUG:-}" || echo "$1: $(($(date +%s) - s0)) s" >&2
}

# human NS: a duration for the bare column.
human() {
	awk -v v="$1" 'BEGIN { if (v >= 1e9) printf "%.2f s", v / 1e9; else if (v >= 1e6) printf "%.1f ms", v / 1e6;
		else if (v >= 1e3) printf "%.2f us", v / 1e3; else printf "%.1f ns", v }'
}

# ratio ROW COL: COL's median over bare's, as a cell.
ratio() {
	if test -f "$tmp/v/$1.$2.bad"; then echo fail; return; fi
	m=$(median "$1" "$2"); b=$(median "$1" bare)
	test -n "$m" && test -n "$b" || { echo -; return; }
	awk -v m="$m" -v b="$b" 'BEGIN { r = m / b; printf (r < 10 ? "%.2fx" : r < 100 ? "%.1fx" : "%.0fx"), r }'
}

# line LABEL BARE CELL... GOAL: one row of the table.
line() {
	printf '%-36s %9s %7s %7s %7s %7s %8s %8s %7s %8s %8s  %s\n' "$@"
}

# row ROW LABEL [COL GOAL [NAME] | - TEXT]: print ROW; with a goal, "NAME <= GOALx met" (or NOT
# MET) for COL's median over bare's, NAME being COL unless given; with -, TEXT in the goal column.
row() {
	if test -f "$tmp/v/$1.skip"; then
		line "$2" skip - - - - - - - - - "(RLIMIT_MEMLOCK too low)"; return
	fi
	b=$(median "$1" bare); cells=
	for c in off audit toff taudit heaptrack memusage ltrace stracek straceb; do cells="$cells $(ratio "$1" $c)"; done
	goal=
	if test $# -ge 4 && test "$3" = -; then
		goal=$4
	elif test $# -ge 4; then
		goal=$(awk -v m="$(median "$1" "$3")" -v b="$b" -v g="$4" -v c="${5:-$3}" 'BEGIN {
			if (m == "" || b == "") { printf "%s <= %sx: no value", c, g; exit }
			printf "%s <= %sx %s", c, g, (m / b <= g ? "met" : "NOT MET") }')
	fi
	# shellcheck disable=SC2086
	line "$2" "$(test -n "$b" && human "$b" || echo fail)" $cells "$goal"
}

# The small C project of the build row: a few files, a Makefile with a link step.
proj=$tmp/proj
mkdir "$proj" && for i in 1 2 3 4 5 6; do
	printf '#include <stdio.h>\n#include <string.h>\nint f%d(const char *s)\n{\n\tchar b[64];\n\tsnprintf(b, sizeof b, "%%s%d", s);\n\treturn (int)strlen(b);\n}\n' $i $i >"$proj/f$i.c"
done && printf 'int f1(const char *);\nint main(void)\n{\n\treturn f1("x") != 3;\n}\n' >"$proj/main.c" &&
printf 'OBJ = main.o f1.o f2.o f3.o f4.o f5.o f6.o\nprog: $(OBJ)\n\t$(CC) -o $@ $(OBJ)\n%%.o: %%.c\n\t$(CC) -O2 -c $<\n' >"$proj/Makefile" || exit 1

echo "memaudit side by side: medians of $rounds interleaved rounds, ratios to the bare run (load: $(cut -d' ' -f1-3 /proc/loadavg))"
line workload bare off audit 'tr.off' 'tr.audit' heaptrack memusage ltrace 'strace-k' 'strace-b' goal

# The audited calls. Lock loop: 2 audited calls an iteration; trace mode about 30 us a call.
measure lock pin "20000 20000 20000 4000 4000 20000 20000 1000 400 4000" 'env @T@ ./lock_loop lock @N@'
row lock 'malloc(32); mlock; munlock; free' audit 1.25
measure advise pin "20000 20000 20000 4000 4000 20000 20000 1000 400 4000" 'env @T@ ./lock_loop advise @N@'
row advise 'posix_memalign; madvise; free' audit 1.25

# The malloc-heavy program (1,024 live blocks per thread): every audited program pays this.
# strace -k is left out with locked regions: it unwinds each of the 2,000 set-up calls against a
# map of 2,000 mappings, 8 s a run here, and the loop has no system call to show.
for spec in '1 0 pin 1.03 2000000 thread,_nothing' '2 0 nopin 1.03 2000000 threads,_nothing' \
	'1 1000 pin 1.10 - thread,_1,000' '2 1000 nopin 1.10 - threads,_1,000' \
	'2 0,spread nopin 1.10 - threads,_2_pages_(below_and_above_the_heaps)'; do
	set -- $spec
	measure "heap$1.$2" "$3" "2000000 2000000 2000000 2000000 2000000 100000 2000000 300 $5 2000000" \
		"env @T@ ./heap_mix @N@ $1 $2"
	row "heap$1.$2" "heap_mix, $1 $(echo "$6" | tr _ ' ') locked" audit "$4"
done

# One audited lock call against the live regions and mappings.
for live in 1000 30000; do
	measure "scale$live" pin "2000 2000 2000 - 1000 - - - - -" "env @T@ ./lock_scale $live @N@"
done
row scale1000 'mlock+munlock, 1,000 live locked'
flat() {
	awk -v a="$(median scale1000 "$1")" -v b="$(median scale30000 "$1")" -v c="$2" 'BEGIN {
		if (a == "" || b == "") printf "%s: no value", c
		else printf "%s %.2fx <= 1.3x %s", c, b / a, (b / a <= 1.3 ? "met" : "NOT MET") }'
}
row scale30000 'mlock+munlock, 30,000 live locked' - "$(flat audit 'audit 30k/1k'), $(flat taudit tr.audit)"

# Start-up: /bin/true, whole processes.
measure true pin "100 100 100 20 20 3 100 20 10 20" 'env ./spawn_time @N@ @T@ /bin/true'
row true 'start-up: /bin/true' - "$(awk -v a="$(median true audit)" -v b="$(median true bare)" 'BEGIN {
	if (a == "" || b == "") { print "audit +<= 1 ms: no value"; exit }
	d = (a - b) / 1e6; printf "audit %+.2f ms <= 1 ms %s", d, (d <= 1 ? "met" : "NOT MET") }')"

# A make -j2 of a small C project under the launcher (the library preloaded into every process of
# the tree; with --trace, every process traced), its report included.
L="MEMAUDIT_LIBRARY=$(q "$lib") MEMAUDIT_TRACER=$(q "$tracer") MEMAUDIT_REPORT=$(q "$report") $(q "$launcher")"
A_off="$L --policy off --" A_audit="$L --" A_toff="$L --trace --policy off --" A_taudit="$L --trace --"
W_off= W_toff= W_taudit=
measure make nopin "1 1 1 1 1 - - - - -" "env ./spawn_time @N@ @T@ make -B -j2 -s -C $(q "$proj")"
row make 'make -j2, 7 files, launcher' audit 1.3

# The log of the lock loop (bytes per audited call: 2 an iteration) and the report tool on it.
nl=20000 nlt=4000
env MEMAUDIT_LOG_DIR="$tmp/keep" LD_PRELOAD="$lib" ./lock_loop lock $nl >/dev/null &&
env MEMAUDIT_LOG_DIR="$tmp/keept" "$tracer" -- ./lock_loop lock $nlt >/dev/null ||
	{ echo "bench: lock_loop failed under memaudit" >&2; status=1; }
log=$(ls "$tmp"/keep/*.log 2>/dev/null | head -n 1)
if test -n "$log"; then
	by=$(cat "$tmp"/keep/* | wc -c) byt=$(cat "$tmp"/keept/* 2>/dev/null | wc -c)
	lines=$(wc -l <"$log")
	A_bare= W_bare="jq -c ." A_audit= W_audit="$(q "$report") --fail-on none"
	measure report pin "1 - 1 - - - - - - -" "env ./spawn_time @N@ @T@ $(q "$log")"
	line "log of the lock loop, bytes a call" - - \
		"$(awk -v b="$by" -v n=$nl 'BEGIN { printf "%.0f B", b / (2 * n) }')" - \
		"$(awk -v b="$byt" -v n=$nlt 'BEGIN { printf "%.0f B", b / (2 * n) }')" - - - - - \
		"$(awk -v b="$by" -v n=$nl 'BEGIN { printf "audit <= 100 B %s", (b / (2 * n) <= 100 ? "met" : "NOT MET") }')"
	row report "report, $lines lines (bare: jq -c .)" audit 0.5 'report/jq'
fi

echo "(bare: ns per operation of the bare run; the other cells: that column's median over bare's)"
echo "(ops: one loop iteration; heap_mix one free+malloc pair of each thread; lock_scale one mlock+munlock"
echo " pair; start-up and make one whole run; pinned to CPU $cpu with taskset except the 2-thread and make rows)"
echo "(tr.*: memaudit-trace; make: the launcher, tools/memaudit, its --trace in tr.*; report: memaudit-report's time over jq's)"
test ! -s "$tmp/failed" || sed 's/^/failed: /' "$tmp/failed"
echo "bench table: $(($(date +%s) - start)) s"
exit $status
