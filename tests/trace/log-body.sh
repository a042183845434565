# tests/trace/log-body.sh: log_static.sh and log_go.sh (sourced). The per-allocation mlock loop
# and an unaligned MADV_DONTDUMP of $prog, a program the preload library sees nothing of, audited
# by memaudit-trace: its memaudit log read by memaudit-report as for the preload library. The
# caller sets prog, src, lock_fn and advise_fn (the functions making the calls), size (the
# slice size for the kernel comparison, "" for the default) and heap (1: the lock-heap finding).
#
# As root: with MEMAUDIT_MEMLOCK_LIMIT=64K under enforce, the lock call that fails is the one the
# kernel refuses for the same binary run unprivileged under `ulimit -l 64`, and in one traced run
# of that unprivileged user, the model's what-if index at 64 KiB is the kernel's failing call.
log_setup
chmod 755 "$T"
run_logged "$T/logs" MEMAUDIT_MEMLOCK_LIMIT=64K "$prog" 3000 >"$T/out" 2>"$T/err"
is "$?" 0 "exit status 0 passes through"
"$prog" 3000 >"$T/plain"
same_file "$T/out" "$T/plain" "the same output as without the supervisor"
the_log "$T/logs"
ok "every record of the log is JSON" valid_jsonl "$log"
"$MEMAUDIT_REPORT" --format json "$T/logs" >"$T/r.json"
jq_is "$T/r.json" '.processes[0] | "\(.frontend) \(.complete) \(.exit_status)"' "trace true 0" \
	"the report: a traced process, its log complete, exit status 0"
jq_is "$T/r.json" '.processes[0].unchecked | join(" ")' "lock-freed realloc-protected align-waste" \
	"...the rules it could not be checked for"
jq_is "$T/r.json" '.processes[0].sites[] | select(.op == "mlock") | "\(.calls) \(.bytes) \(.failures | length)"' \
	"3000 96000 0" "3000 mlock calls of 32 bytes, none failed"
is "$(site_frame0 "$T/r.json" mlock)" "$lock_fn $(site "$src" "$mark: mlock site")" \
	"their stack starts in $lock_fn, at the line of the call"
jq_is "$T/r.json" '.processes[0].sites[] | select(.advice == ["MADV_DONTDUMP"]) | .failures.EINVAL' 1 \
	"the unaligned MADV_DONTDUMP failed with EINVAL"
jq_is "$T/r.json" '.processes[0].sites[] | select(.advice == ["MADV_DONTDUMP"]) | .frames[0]
	| "\(.function) \(.file | split("/") | last):\(.line)"' "$advise_fn $(site "$src" "$mark: madvise site")" \
	"its stack starts in $advise_fn, at the line of the call"
jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "advise-unaligned") | .count] | add' 1 \
	"findings: advise-unaligned"
jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "lock-limit") | .count] | add > 0' true \
	"...and lock-limit, the locks past the simulated 64 KiB"
jq_is "$T/r.json" '[.processes[0].findings[] | select(.rule == "lock-heap")] | length > 0' true \
	"lock-heap: the slices are on the allocator's heap (no malloc hook: brk and its mappings' stacks)"
jq_is "$T/r.json" '.processes[0].whatif[] | select(.limit == 65536) | .call > 1' true \
	"the what-if row of 64 KiB names a failing call"
"$MEMAUDIT_REPORT" "$T/logs" >"$T/r.txt" 2>&1
ok "the text report says what was not checked" \
	grep -q '^            not checked: lock-freed, realloc-protected, align-waste$' "$T/r.txt"

# The kernel's failing call. $prog's own line says where it stopped: "mlock failed at i=K...".
if can_run_as_user "the kernel's failing lock call"; then
	mkdir "$T/bin" "$T/ulogs"
	# copies the user can reach (the build tree may be closed to it: make distcheck's is)
	cp "$prog" "$T/bin/prog" && cp "$MEMAUDIT_TRACE" "$T/bin/memaudit-trace"
	chmod 755 "$T/bin" "$T/bin/prog" "$T/bin/memaudit-trace"
	chmod 777 "$T/ulogs"
	as_user 64 "$T/bin/prog" 4000 $size >"$T/kernel" 2>&1
	is "$?" 1 "unprivileged, ulimit -l 64: the kernel refuses a lock ($(head -n 1 "$T/kernel"))"
	rm -f "$T/logs"/*
	run_logged "$T/logs" MEMAUDIT_POLICY=enforce MEMAUDIT_MEMLOCK_LIMIT=64K "$T/bin/prog" 4000 $size \
		>"$T/enforce" 2>"$T/enforce.err"
	is "$?" 1 "as root under enforce at 64 KiB: the program's lock fails too"
	same_file "$T/enforce" "$T/kernel" "...at the kernel's iteration, with its errno"
	k=$(sed -n 's/^mlock failed at i=\([0-9]*\).*/\1/p' "$T/kernel")
	the_log "$T/logs"
	is "$(log_jq "$log" '[.[] | select(.type == "event" and .op == "mlock" and .injected == true) | .call] | join(" ")')" \
		"$((k + 1))" "...one refused lock call, the $((k + 1))th, made by memaudit without running it"
	ok "...enforce prints the finding on stderr" grep -q 'error: lock-limit' "$T/enforce.err"
	# the same heap layout on both sides: one unprivileged traced run, the kernel enforcing
	as_user 64 env MEMAUDIT_LOG_DIR="$T/ulogs" "$T/bin/memaudit-trace" -- "$T/bin/prog" 4000 >"$T/utraced" 2>&1
	ku=$(sed -n 's/^mlock failed at i=\([0-9]*\).*/\1/p' "$T/utraced")
	"$MEMAUDIT_REPORT" --format json "$T/ulogs" >"$T/u.json"
	jq_is "$T/u.json" '.processes[0].whatif[] | select(.limit == 65536) | .call' "$((ku + 1))" \
		"traced unprivileged under ulimit -l 64: the model's 64 KiB row names the call the kernel refused ($((ku + 1)))"
fi
