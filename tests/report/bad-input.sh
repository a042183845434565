#!/bin/sh
# memaudit-report on input that is broken or built to hurt: special files (FIFO, /dev/zero, a
# directory on stdin), bytes JSON forbids (NUL, invalid UTF-8), terminal controls, logs that try
# to exhaust memory or time (hundreds of thousands of call sites, errno values, unreadable modules,
# long exec chains). Each gives one clear line with exit status 2, or a report marked incomplete;
# never a crash or a hang. docs/log-format.md ("Limits of the reader") lists the bounds.
. "$top_srcdir/tests/report/report-lib.sh"

plan 30

header=$(head -n 1 "$(fixture clean.jsonl)")

# guarded CMD...: CMD, stopped after 300 seconds if it hangs (a hang must fail the test, not the
# whole test run; the bound is far above what any of these takes).
guarded() {
	if command -v timeout >/dev/null 2>&1; then
		timeout 300 "$@"
	else
		"$@"
	fi
}

# run_guarded ARGS...: run_report under guarded.
run_guarded() {
	guarded "$report" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# --- special files ---------------------------------------------------------------------------

if mkfifo "$tmp/fifo.log" 2>/dev/null; then
	run_guarded "$tmp/fifo.log"
	is "$rc" 2 "a FIFO nobody writes to: exit status 2, no waiting for a writer"
	is "$(cat "$tmp/err")" "memaudit-report: $tmp/fifo.log: not a memaudit log" \
		"...with one clear line"

	mkdir "$tmp/withfifo"
	cp "$(fixture clean.jsonl)" "$tmp/withfifo/memaudit.clean.1100.log"
	mv "$tmp/fifo.log" "$tmp/withfifo/memaudit.fifo.1.log"
	run_guarded --format json "$tmp/withfifo"
	is "$rc" 0 "a FIFO in a log directory: skipped, exit status 0"
	grep_ok "$tmp/err" "memaudit.fifo.1.log: warning: not a regular file, skipped$" \
		"...with a warning that names it"
	jq_ok "$tmp/out" '.processes | length == 1 and .[0].pid == 1100' \
		"...and the regular log is reported"
else
	for i in 1 2 3 4 5; do
		skip "mkfifo failed"
	done
fi

if [ -c /dev/zero ]; then
	run_guarded /dev/zero
	is "$rc" 2 "/dev/zero: exit status 2"
	is "$(cat "$tmp/err")" "memaudit-report: /dev/zero: not a memaudit log" \
		"...after reading at most one overlong line"
else
	skip "no /dev/zero"
	skip "no /dev/zero"
fi

mkdir "$tmp/adir"
guarded "$report" - <"$tmp/adir" >"$tmp/out" 2>"$tmp/err"
rc=$?
is "$rc" 2 "a directory on standard input: exit status 2"
is "$(cat "$tmp/err")" "memaudit-report: -: Is a directory" "...with one line"

# --- bytes that are not JSON -----------------------------------------------------------------

# cut_at NAME LINE: the report of $tmp/NAME.log is incomplete, cut at LINE, with 1 event before it
cut_at() {
	run_guarded --format json "$tmp/$1.log"
	jq_ok "$tmp/out" ".processes[0] | .complete == false and .events == 1 and
		(.incomplete_reason | test(\"line $2: not a valid JSON record\"))" \
		"$1: reported as cut short at line $2, the event before it kept"
}

event='{"type":"event","seq":1,"op":"mlock","len":1,"ok":true,"stack":1}'
{ echo "$header"; echo "$event"; printf '{"type":"event","op":"ml\000ock"}\n'; echo "$event"; } \
	>"$tmp/nul.log"
cut_at nul 3
{ echo "$header"; echo "$event"; printf '{"type":"event","op":"\377\376"}\n'; echo "$event"; } \
	>"$tmp/utf8.log"
cut_at utf8 3
{ echo "$header"; echo "$event"; printf '{"type":"event","op":"a\\u0000b"}\n'; echo "$event"; } \
	>"$tmp/escnul.log"
cut_at escnul 3

# a terminal control in its UTF-8 form (C1 CSI, U+009B) is not passed to the terminal
{ echo "$header"; echo '{"type":"stack","id":1,"frames":[]}'
  echo '{"type":"finding","rule":"lock-heap","severity":"note","stack":1,"message":"x\u009b31my"}'
} >"$tmp/c1.log"
run_guarded "$tmp/c1.log"
if LC_ALL=C grep -q "$(printf '\302\233')" "$tmp/out"; then
	ok 1 "a C1 control from the log does not reach the text report"
else
	ok 0 "a C1 control from the log does not reach the text report"
fi
grep_ok "$tmp/out" "x\?31my" "...it is shown as '?'"

# --- versions ---------------------------------------------------------------------------------

printf '%s\n' "$header" | sed 's/"version":1/"version":99999999999999999999999/' >"$tmp/huge.log"
run_guarded "$tmp/huge.log"
is "$rc" 2 "a version too large for any integer: exit status 2"
is "$(cat "$tmp/err")" "memaudit-report: $tmp/huge.log: not a memaudit log" "...one line"
printf '%s\n' "$header" | sed 's/"version":1/"version":-1/' >"$tmp/neg.log"
run_guarded "$tmp/neg.log"
is "$(cat "$tmp/err")" \
	"memaudit-report: $tmp/neg.log: unsupported log version -1 (this memaudit-report reads versions 1 to 3)" \
	"version -1: unsupported, one line"
printf '%s\n' "$header" | sed 's/"version":1/"version":"1"/' >"$tmp/str.log"
run_guarded "$tmp/str.log"
is "$rc" 2 "a version that is a string: exit status 2"

# --- logs that try to exhaust memory or time -------------------------------------------------

# 300,000 events, each at a stack of its own: the report stops keeping call sites at its budget
{ echo "$header"
  awk 'BEGIN { for (i = 1; i <= 300000; i++)
	printf "{\"type\":\"event\",\"op\":\"mlock\",\"ok\":true,\"stack\":%d}\n", i }'; } \
	>"$tmp/sites.log"
run_guarded --format json "$tmp/sites.log"
is "$rc" 0 "300,000 call sites: exit status 0"
jq_ok "$tmp/out" '.processes[0] | .complete == false and
	(.sites | length) > 100000 and (.sites | length) < 300000 and
	(.incomplete_reason | test("than the report keeps of one log"))' \
	"...the report keeps what fits its memory budget and says it is incomplete"
grep_ok "$tmp/err" "sites.log:[0-9]+: warning: more stacks, call sites and findings" \
	"...with a one-line warning"

# 10,000 failures at one site with 5,000 distinct errno values: a bounded failures table
{ echo "$header"
  awk 'BEGIN { for (i = 1; i <= 10000; i++)
	printf "{\"type\":\"event\",\"op\":\"mlock\",\"ok\":false,\"errno\":%d,\"stack\":1}\n",
		i % 5000 + 1 }'; } >"$tmp/errnos.log"
run_guarded --format json "$tmp/errnos.log"
jq_ok "$tmp/out" '.processes[0].sites[0] | .calls == 10000 and (.failures | length) == 33 and
	(.failures | add) == 10000 and .failures["E0"] == 10000 - 32 * 2' \
	"5,000 distinct errno values: 32 kept, the rest counted under E0, none lost"

# 1,000 modules that cannot be read: the notes about them are bounded
{ echo "$header"
  awk 'BEGIN { for (i = 1; i <= 1000; i++)
	printf "{\"type\":\"module\",\"id\":%d,\"path\":\"/nonexistent/m%d.so\"}\n", i, i
	printf "{\"type\":\"stack\",\"id\":1,\"frames\":["
	for (i = 1; i <= 500; i++) printf "%s[%d,16]", (i > 1 ? "," : ""), i
	printf "]}\n{\"type\":\"event\",\"op\":\"mlock\",\"ok\":true,\"stack\":1}\n" }'; } \
	>"$tmp/notes.log"
run_guarded --format json "$tmp/notes.log"
jq_ok "$tmp/out" '.processes[0] | (.sites[0].frames | length) == 500 and
	(.notes | length) == 33 and (.notes[-1] | test("more notes left out"))' \
	"500 unreadable modules in one stack: 32 notes, then one saying more were left out"

# an exec chain of 1,000 images of one pid, given in reverse order: every image but the last
# ended by exec (and the report does not compare every log with every other)
mkdir "$tmp/chain"
awk -v h="$header" -v d="$tmp/chain" 'BEGIN { for (i = 1; i <= 1000; i++) {
	s = h; sub(/"sec":1795000001/, "\"sec\":" (1795000000 + i), s)
	f = d "/memaudit.clean.1100." (2000 - i) ".log"; print s > f; close(f) } }'
run_guarded --format json "$tmp/chain"
jq_ok "$tmp/out" '.processes | length == 1000 and
	all(.[:999][]; .ended_by == "exec" and .complete) and
	(.[999] | .complete == false and .ended_by == null) and
	([.[].start.sec] == [range(1795000001; 1795001001)])' \
	"an exec chain of 1,000 logs: sorted by start; all but the last ended by exec"
printf '%s\n' "$header" | sed 's/"pid":1100/"pid":1101/' >"$tmp/chain/memaudit.other.1101.log"
run_guarded --format json "$tmp/chain"
jq_ok "$tmp/out" '[.processes[] | select(.pid == 1101)] | length == 1 and
	.[0].complete == false' "...a log of another pid at the same time is not part of it"

# --- many module files -----------------------------------------------------------------------

# 300 logs of 300 different programs (copies of symprog), read with 200 file descriptors: the
# symbolizer keeps only some module files open and opens the first one again for the last log,
# which needs another of its addresses; and 50 spellings of one path are one file (read once,
# with one descriptor).
prog=$top_builddir/tests/report/symprog
if [ -x "$prog" ] && command -v nm >/dev/null 2>&1; then
	main=$(printf '%d' "0x$(nm "$prog" | awk '$3 == "main" { print $1; exit }')")
	lock=$(printf '%d' "0x$(nm "$prog" | awk '$3 == "lock_secret" { print $1; exit }')")
	mkdir "$tmp/progs" "$tmp/many"
	i=0
	while [ $i -le 300 ]; do
		cp "$prog" "$tmp/progs/p$i"
		i=$((i + 1))
	done
	# log_of N PROG ADDR: the log of pid N, run of PROG, one mlock at ADDR + 4 in PROG
	log_of() {
		printf '%s
' "$header" | sed -e "s/\"pid\":1100/\"pid\":$1/" \
			-e "s/\"sec\":1795000001/\"sec\":$((1795000000 + $1))/"
		printf '{"type":"module","id":1,"path":"%s","base":0,"build_id":null}\n' "$2"
		printf '{"type":"stack","id":1,"frames":[[1,%d]]}\n' $(($3 + 5))
		printf '{"type":"event","op":"mlock","ok":true,"len":1,"stack":1}\n'
	}
	i=1
	while [ $i -le 300 ]; do
		log_of $i "$tmp/progs/p$((i % 300))" "$main" >"$tmp/many/memaudit.p.$i.log"
		i=$((i + 1))
	done
	log_of 301 "$tmp/progs/p1" "$lock" >"$tmp/many/memaudit.p.301.log"
	(ulimit -n 200 2>/dev/null; "$report" --format json "$tmp/many" >"$tmp/out" 2>"$tmp/err")
	jq_ok "$tmp/out" '(.processes | length) == 301 and
		all(.processes[:300][]; .notes == [] and .sites[0].frames[0].function == "main") and
		.processes[300].sites[0].frames[0].function == "lock_secret"' \
		"300 programs with 200 descriptors: every frame symbolized, a closed file opened again"

	{ printf '%s\n' "$header"
	  i=1
	  while [ $i -le 50 ]; do
		printf '{"type":"module","id":%d,"path":"%s/progs/%sp1"}\n' $i "$tmp" \
			"$(printf '%*s' $i '' | sed 's| |./|g')"
		i=$((i + 1))
	  done; } >"$tmp/spell.log"
	awk -v t="$tmp" -v m="$main" 'BEGIN { printf "{\"type\":\"stack\",\"id\":1,\"frames\":["
		for (i = 1; i <= 50; i++) printf "%s[%d,%d]", (i > 1 ? "," : ""), i, m + 5
		printf "]}\n{\"type\":\"event\",\"op\":\"mlock\",\"ok\":true,\"stack\":1}\n" }' \
		>>"$tmp/spell.log"
	(ulimit -n 30 2>/dev/null; "$report" --format json "$tmp/spell.log" >"$tmp/out" 2>"$tmp/err")
	jq_ok "$tmp/out" '.processes[0].sites[0].frames | length == 50 and
		all(.[]; .function == "main")' \
		"50 spellings of one module path, 30 descriptors: one file, all frames symbolized"
else
	skip "symprog or nm missing"
	skip "symprog or nm missing"
fi

# a module path longer than any file name: the module counts as unknown
{ echo "$header"
  awk 'BEGIN { printf "{\"type\":\"module\",\"id\":1,\"path\":\"/"
	for (i = 0; i < 5000; i++) printf "a"
	printf "\",\"build_id\":\"ab\"}\n{\"type\":\"stack\",\"id\":1,\"frames\":[[1,16]]}\n"
	printf "{\"type\":\"event\",\"op\":\"mlock\",\"ok\":true,\"stack\":1}\n" }'; } \
	>"$tmp/longpath.log"
run_guarded --format json "$tmp/longpath.log"
jq_ok "$tmp/out" '.processes[0] | .complete == false and .notes == [] and
	.sites[0].frames == [{"function": null, "file": null, "line": null, "module": null,
			      "offset": 16}]' "a module path of 5,000 bytes counts as absent"

# --- sanity: a normal log is not cut by any of these bounds ----------------------------------
run_guarded --format json "$(fixture whatif.jsonl)"
jq_ok "$tmp/out" '.processes[0].complete == true and .processes[0].incomplete_reason == null' \
	"a normal log is complete"
run_guarded --format json "$(fixture basic.jsonl)"
jq_ok "$tmp/out" '.processes[0].complete == true and (.processes[0].sites | length) == 5' \
	"...and neither is a small one with all its call sites"

done_testing
