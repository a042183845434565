#!/bin/sh
# Issue 10, item 5: another user replaces the log by a FIFO of the same name (a shared directory
# without the sticky bit), and the program then closes its descriptors. The shim opens the log by
# name only to grow or trim it, without blocking (O_NONBLOCK) and only when it is still the log's
# inode: the program finishes, nothing is written into the FIFO, the loss is said once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

bounded 30
mkdir "$T/l"
$bound env LD_PRELOAD="$MEMAUDIT_SHIM" MEMAUDIT_LOG_DIR="$T/l" \
	"$PROGS/log_stress" waitfile "$T/go" 3000 >"$T/out" 2>"$T/err" &
pid=$!
i=0
while [ $i -lt 500 ] && [ -z "$(logs_in "$T/l")" ]; do
	sleep 0.02 2>/dev/null || sleep 1
	i=$((i + 1))
done
log=$(logs_in "$T/l")
rm -f "$log"
mkfifo "$log"
: >"$T/go"
wait $pid
is "$?" 0 "the program finishes with status 0 (124: blocked on the FIFO and timed out)"
is "$(cat "$T/out")" "events 6002" "after all its calls"
ok "the FIFO is still a FIFO" test -p "$log"
is "$(grep -c '^memaudit: log .*no longer the log' "$T/err")" 1 "the loss is said once on stderr"
done_testing
