# tests/trace/lock-body.sh: lock.sh and static.sh, on trace_lock built as $prog (sourced).
require_trace
tmpdir
src=$top_srcdir/tests/progs/trace_lock.c
run_traced "$T/dump" "$PROGS/$prog" 100 >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0 passes through"
"$PROGS/$prog" 100 >"$T/plain"
same_file "$T/out" "$T/plain" "the same output as without the supervisor"
ok "every line of the dump is JSON" "$JQ" -e -c . "$T/dump"
djq_is "$T/dump" '.[] | select(.event == "start") | .argv | join(" ")' "$PROGS/$prog 100" "start: argv"
is "$(dump_calls "$T/dump" mlock | wc -l | tr -d ' ')" 100 "100 mlock calls"
is "$(dump_calls "$T/dump" mlock | "$JQ" -c 'select(.ret != 0)' | wc -l | tr -d ' ')" 0 "all of them returned 0"
is "$(frame0 "$T/dump" mlock | sort -u)" "main $(site "$src" 'trace_lock: mlock site')" \
	"every mlock's stack starts at main, at the line of the call"
djq_is "$T/dump" '.[] | select(.call == "madvise" and .args[2] == 16) | "\(.ret) \(.errno)"' "-22 22" \
	"the unaligned MADV_DONTDUMP: EINVAL"
is "$(frame0 "$T/dump" madvise | tail -n 1)" "dontdump $(site "$src" 'trace_lock: madvise site')" \
	"its stack starts in dontdump, at the line of the call"
djq_is "$T/dump" '.[] | select(.call == "madvise" and .args[2] == 16) | .stack[1].function' main \
	"then main"
djq_is "$T/dump" '.[] | select(.event == "exit") | .status' 0 "exit event: status 0"
djq_is "$T/dump" '.[] | select(.event == "exiting") | .vmlck > 0' true "at its exit stop VmLck is still readable"
