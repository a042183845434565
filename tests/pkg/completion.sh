#!/bin/sh
# tests/pkg/completion.sh: the bash completion of memaudit and memaudit-report
# (tools/completion/memaudit). Each case sources the file in a fresh bash, sets COMP_WORDS and
# COMP_CWORD as bash would for a command line (bash splits `--opt=value` at the '='), calls the
# completion function and compares COMPREPLY with what it must be. The commands named in
# COMP_WORDS[0] are the built tools, so the options offered are the ones their --help lists.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v bash >/dev/null 2>&1 || skip_all "bash not found"
comp=$top_srcdir/tools/completion/memaudit
[ -r "$comp" ] || skip_all "no $comp"
[ -x "$MEMAUDIT_LAUNCHER" ] && [ -x "$MEMAUDIT_REPORT" ] || skip_all "the tools are not built"

tmpdir
mkdir "$T/w" "$T/w/logs" "$T/w/lib dir"
: >"$T/w/run.log"
: >"$T/w/notes.txt"
: >"$T/w/my file.log"
cd "$T/w" || exit 1

# compl FUNC WORD...: COMPREPLY of FUNC for the command line WORD... (the last word is the one
# being completed; COMP_WORDS[0] is the command), sorted, one per line.
compl() {
	bash --norc --noprofile -c '
		source "$1" || exit 1
		f=$2; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		"$f"
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"' bash "$comp" "$@" | LC_ALL=C sort
}

# expect NAME WANT FUNC WORD...: COMPREPLY is exactly the words of WANT, which are separated by
# '|' when it has one (names with blanks), else by blanks.
expect() {
	_name=$1 _want=$2
	shift 2
	case $_want in
	*'|'*) _want=$(printf '%s\n' "$_want" | tr '|' '\n') ;;
	*) _want=$(printf '%s\n' $_want) ;;
	esac
	is "$(compl "$@" | tr '\n' '|')" "$(printf '%s\n' "$_want" | grep . | LC_ALL=C sort | tr '\n' '|')" "$_name"
}

# has NAME WORD FUNC WORD...: COMPREPLY holds WORD (and maybe more).
has() {
	_name=$1 _word=$2
	shift 2
	if compl "$@" | grep -qxF -- "$_word"; then
		pass "$_name"
	else
		fail "$_name" "COMPREPLY: $(compl "$@" | tr '\n' ' ')"
	fi
}

L=$MEMAUDIT_LAUNCHER
R=$MEMAUDIT_REPORT

# Both functions are registered under the commands' names.
is "$(bash --norc -c 'source "$1" && complete -p memaudit memaudit-report' bash "$comp")" \
"complete -F _memaudit memaudit
complete -F _memaudit_report memaudit-report" "complete -p names _memaudit and _memaudit_report"

# memaudit: options are the ones its --help lists, and the '--' before the command.
help_opts=$("$L" --help | sed -n 's/^ \{1,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' | tr '\n' ' ')
isnt "$help_opts" "" "memaudit --help lists options"
expect "memaudit <TAB>: every option of memaudit --help, and --" "-- $help_opts" _memaudit "$L" ""
expect "memaudit --po<TAB>: --policy" "--policy" _memaudit "$L" --po
expect "memaudit --policy <TAB>: the five policies" "off audit warn enforce strict" _memaudit "$L" --policy ""
expect "memaudit --policy=st<TAB>: strict" "strict" _memaudit "$L" --policy = st
expect "memaudit --policy=<TAB>: the five policies" "off audit warn enforce strict" _memaudit "$L" --policy =
expect "memaudit --format <TAB>: text json sarif html" "text json sarif html" _memaudit "$L" --format ""
expect "memaudit --fail-on <TAB>: error warning note" "error warning note" _memaudit "$L" --fail-on ""
expect "memaudit --log-dir <TAB>: directories only" "logs|lib dir" _memaudit "$L" --log-dir ""
expect "memaudit -o <TAB>: files and directories" "logs|lib dir|run.log|notes.txt|my file.log" _memaudit "$L" -o ""
expect "memaudit --suppressions n<TAB>: notes.txt" "notes.txt" _memaudit "$L" --suppressions n
expect "memaudit --log-dir=l<TAB>: the directories, after the '='" "logs|lib dir" _memaudit "$L" --log-dir = l

# After '--': the command, then its arguments (files here; bash-completion, when loaded, completes
# them as the command's own completion would).
has "memaudit -- tru<TAB>: commands (true)" true _memaudit "$L" -- tru
expect "memaudit --policy strict -- true n<TAB>: files" "notes.txt" _memaudit "$L" --policy strict -- true n
expect "memaudit -- true --p<TAB>: not memaudit's options" "" _memaudit "$L" -- true --p
# A '--' that is an option's value does not end the options.
expect "memaudit --log-dir -- --po<TAB>: still memaudit's options" "--policy" _memaudit "$L" --log-dir -- --po

# Without a runnable command (not installed, a typo), the fixed option list.
has "/nonexistent/memaudit --me<TAB>: --merge from the fixed list" --merge _memaudit /nonexistent/memaudit --me

# memaudit-report
rhelp_opts=$("$R" --help | sed -n 's/^ \{1,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' | tr '\n' ' ')
expect "memaudit-report -<TAB>: every option of memaudit-report --help" "$rhelp_opts" _memaudit_report "$R" -
expect "memaudit-report --fail-on <TAB>: error warning note none" "error warning note none" _memaudit_report "$R" --fail-on ""
expect "memaudit-report --format <TAB>: text json sarif html" "text json sarif html" _memaudit_report "$R" --format ""
expect "memaudit-report --color=<TAB>: auto always never" "auto always never" _memaudit_report "$R" --color =
expect "memaudit-report <TAB>: directories and *.log files, not notes.txt" "logs|lib dir|run.log|my file.log" _memaudit_report "$R" ""
expect "memaudit-report --color <TAB>: a bare --color takes no value: logs" "logs|lib dir|run.log|my file.log" _memaudit_report "$R" --color ""
expect "memaudit-report --source-root <TAB>: directories" "logs|lib dir" _memaudit_report "$R" --source-root ""
expect "memaudit-report -o r<TAB>: files" "run.log" _memaudit_report "$R" -o r
expect "memaudit-report --suppressions n<TAB>: files" "notes.txt" _memaudit_report "$R" --suppressions n
expect "memaudit-report -- -<TAB>: after --, logs only" "" _memaudit_report "$R" -- -
expect "memaudit-report --format json ru<TAB>: run.log" "run.log" _memaudit_report "$R" --format json ru

done_testing
