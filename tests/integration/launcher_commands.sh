#!/bin/sh
# The launcher and commands it cannot run, or cannot audit (issue 11, item 3): it finds the command
# as the shell and execvp(3) do, runs a program where the shell has a builtin of the same name
# (echo), and otherwise says in one line why it does not run it, with the shell's status (127 not
# found, 126 found but not runnable): a shell builtin, a missing or non-executable file, a
# directory, a set-user-ID or set-group-ID one, a statically linked one with --preload. A command that the
# library stopped before main (exit 125) is pointed at the library's own message.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
tmpdir
require_launcher
two=$PROGS/two_sites

# refused STATUS LINE NAME: the launcher exited with STATUS, and its stderr is exactly LINE.
refused() {
	is "$st" "$1" "$3: status $1"
	is "$(cat "$T/err")" "$2" "...one line: $2"
}

# echo is a shell builtin and a program: the program runs, audited.
if [ -x /bin/echo ] || [ -x /usr/bin/echo ]; then
	launch --format json -o "$T/echo.json" -- echo hi
	is "$st:$(cat "$T/out")" "0:hi" "memaudit -- echo hi: echo runs and prints hi"
	jq_is "$T/echo.json" '.processes[0].exe | test("/echo$")' true \
		"...as the program echo, audited (its log is in the report)"
else
	skip "memaudit -- echo hi" "no /bin/echo or /usr/bin/echo"
	skip "...audited" "no /bin/echo or /usr/bin/echo"
fi

launch -- cd /
refused 127 "memaudit: cd: is a shell builtin, not a program; run it in a shell: memaudit -- sh -c 'cd /'" \
	"a shell builtin (cd)"
launch -- if true
refused 127 "memaudit: if: is a shell keyword, not a program; run it in a shell: memaudit -- sh -c 'if true'" \
	"a shell keyword (if)"
launch -- memaudit-no-such-command arg
refused 127 "memaudit: memaudit-no-such-command: command not found" "a command that is not found"
launch -- usage
refused 127 "memaudit: usage: command not found" \
	"a name of the launcher's own functions (usage) is not found either"
launch -- ./missing
refused 127 "memaudit: ./missing: No such file or directory" "a path that does not exist"
launch -- "$T"
refused 126 "memaudit: $T: Is a directory" "a directory"
printf '#!/bin/sh\necho ran\n' >"$T/run/notexec"
chmod 644 "$T/run/notexec"
launch -- ./notexec
refused 126 "memaudit: ./notexec: Permission denied" "a file that is not executable"
mkdir "$T/bin"
cp "$T/run/notexec" "$T/bin/memaudit-notexec"
PATH=$T/bin:$PATH launch -- memaudit-notexec
refused 126 "memaudit: memaudit-notexec: Permission denied ($T/bin/memaudit-notexec is not executable)" \
	"a file in PATH that is not executable"
is "$(cat "$T/out")" "" "...none of them ran"

# A command found in PATH runs with the argv[0] it was given.
PATH=$PROGS:$PATH launch --format json -o "$T/path.json" -- two_sites first
is "$st" 0 "a program found in PATH runs"
jq_is "$T/path.json" '.processes[0].argv[0]' two_sites "...with argv[0] as given"

# A name with '=' is a command, not an assignment (env(1) would take it for one).
printf '#!/bin/sh\necho "args: $*"\n' >"$T/run/a=b"
chmod 755 "$T/run/a=b"
launch -- ./a=b x y
is "$st:$(cat "$T/out")" "0:args: x y" "a command named ./a=b runs, with its arguments"

# Statically linked: nothing is preloaded into it; --preload refuses it, by itself the launcher
# audits it in trace mode (issue 12, item 6; tests/trace/launcher.sh has more).
printf 'int main(void) { return 3; }\n' >"$T/three.c"
if ${CC:-cc} -static -o "$T/static" "$T/three.c" >/dev/null 2>&1 && "$T/static"; [ $? = 3 ]; then
	launch --preload -- "$T/static"
	refused 126 "memaudit: $T/static: is statically linked: the preload library cannot audit it (trace mode can: memaudit --trace)" \
		"a static program with --preload"
	launch -- "$T/static"
	is "$st" 3 "a static program by itself: runs in trace mode, with its status"
else
	skip "a static program" "cannot link a static program here"
	skip "a static program: the message" "cannot link a static program here"
	skip "a static program in trace mode" "cannot link a static program here"
fi
if ${CC:-cc} -o "$T/dynamic" "$T/three.c" >/dev/null 2>&1; then
	launch -- "$T/dynamic"
	is "$st" 3 "the same program linked dynamically runs, with its status"
else
	skip "the same program linked dynamically" "cannot link it"
fi

# Set-user-ID and set-group-ID for another user: the dynamic linker ignores LD_PRELOAD for them.
# (Run by its owner, a set-user-ID program is not in secure-execution mode: it is audited.)
if is_root && chmod a+rx "$T" && cp "$two" "$T/setuid" && chown 65534 "$T/setuid" &&
	chmod u+s "$T/setuid" && cp "$two" "$T/setgid" && chgrp 65534 "$T/setgid" &&
	chmod g+s "$T/setgid" && cp "$two" "$T/mine" && chmod u+s "$T/mine"; then
	launch -- "$T/setuid" first
	refused 126 "memaudit: $T/setuid: is set-user-ID: the dynamic linker ignores LD_PRELOAD for it, so the preload library cannot audit it" \
		"a set-user-ID program of another user"
	launch -- "$T/setgid" first
	refused 126 "memaudit: $T/setgid: is set-group-ID: the dynamic linker ignores LD_PRELOAD for it, so the preload library cannot audit it" \
		"a set-group-ID program of another group"
	launch --format json -o "$T/mine.json" -- "$T/mine" first
	is "$st" 0 "a set-user-ID program of the user who runs it: runs"
	jq_is "$T/mine.json" '.processes | length' 1 "...audited"
else
	for t in "set-user-ID" "...its message" "set-group-ID" "...its message" "own set-user-ID" "...audited"; do
		skip "$t" "not root: cannot make a program of another user"
	done
fi

# Exit 125 without a log: the library refused its configuration before main and said why.
MEMAUDIT_MEMLOCK_LIMIT=lots
export MEMAUDIT_MEMLOCK_LIMIT
launch -- "$two" first
unset MEMAUDIT_MEMLOCK_LIMIT
is "$st" 125 "an invalid MEMAUDIT_MEMLOCK_LIMIT: the library's status 125"
ok "...the library's own line" grep -q '^memaudit: MEMAUDIT_MEMLOCK_LIMIT: ' "$T/err"
is "$(tail -n 1 "$T/err")" "memaudit: $two exited with status 125 and wrote no log: the preload library stopped it before main; its message (memaudit: MEMAUDIT_...) is above" \
	"...then the launcher's, pointing at it"
if grep -q 'static\|setuid\|set-user-ID' "$T/err"; then
	fail "...and no word of static or set-user-ID programs" "$(cat "$T/err")"
else
	pass "...and no word of static or set-user-ID programs"
fi

launch --policy off -- "$two" first
is "$st:$(tail -n 1 "$T/err")" "0:memaudit: MEMAUDIT_POLICY=off: the library logged nothing" \
	"--policy off: no log, and the line says why"

done_testing
