#!/bin/sh
# Signals and job control pass through the supervisor: SIGUSR1 reaches the program's handler;
# SIGSTOP stops it (a group stop, held with PTRACE_LISTEN) and SIGCONT continues it and reaches
# its handler; it then ends normally, its traced calls running throughout. Then as a shell's job
# control does it (Ctrl-Z, fg): SIGSTOP and SIGCONT to the process group of supervisor and program
# together stop and continue both.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/trace/lib.sh"
require_trace
tmpdir
state() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1; }
stopped() { case $(state "$1") in T | t) return 0 ;; esac; return 1; }
running() { case $(state "$1") in R | S | D) return 0 ;; esac; return 1; }
run_traced "$T/dump" "$PROGS/trace_misc" signals "$T/pid" >"$T/out" 2>"$T/err" &
sup=$!
wait_for 20 test -s "$T/pid"
tracee=$(cat "$T/pid" 2>/dev/null)
isnt "$tracee" "" "the traced program started"
kill -STOP "$tracee"
ok "SIGSTOP stops it" wait_for 20 stopped "$tracee"
sleep 0.3
ok "it stays stopped" stopped "$tracee"
kill -USR1 "$tracee"
kill -CONT "$tracee"
ok "SIGCONT continues it" wait_for 20 eval 'running "$tracee" || ! test -d /proc/$tracee'
wait "$sup"
is "$?" 0 "exit status 0"
is "$(cat "$T/out")" "got SIGUSR1 and SIGCONT" "its handlers saw SIGUSR1 and SIGCONT"
djq_is "$T/dump" '[.[] | select(.call == "mlock" and .ret == 0)] | length > 0' true "its calls were traced"
is "$(frame0 "$T/dump" mlock | sort -u)" "tick $(site "$top_srcdir/tests/progs/trace_misc.c" 'trace_misc: tick mlock')" \
	"their stacks start in tick, at the line of the call"

command -v setsid >/dev/null 2>&1 || { skip "job control of the process group" "setsid (util-linux) not found"; done_testing; }
rm -f "$T/pid"
setsid $bound "$MEMAUDIT_TRACE" --dump "$T/dump2" -- "$PROGS/trace_misc" signals "$T/pid" >"$T/out" 2>"$T/err" &
group=$!
wait_for 20 test -s "$T/pid"
tracee=$(cat "$T/pid" 2>/dev/null)
supervisor=$(pgrep -x -g "$group" memaudit-trace 2>/dev/null | head -n 1)
isnt "$supervisor" "" "job: the supervisor runs in its own process group"
kill -STOP -- "-$group"
ok "job stopped: the supervisor is stopped" wait_for 20 stopped "$supervisor"
ok "job stopped: the program is stopped" wait_for 20 stopped "$tracee"
kill -CONT -- "-$group"
kill -USR1 "$tracee"
wait "$group"
is "$?" 0 "job continued: exit status 0"
is "$(cat "$T/out")" "got SIGUSR1 and SIGCONT" "job continued: the program's handlers saw SIGUSR1 and SIGCONT"
done_testing
