# tests/recipes/lib.sh: shared by the tests of docs/ci.md's recipes (sourced after tests/lib.sh).
#
#   recipe NAME       the fenced block of docs/ci.md whose first line is "# NAME"
#   use_built_tools   memaudit and memaudit-report of this build tree first in PATH, as if
#                     installed (the launcher told where the uninstalled library is)
#   sample DIR [fixed]  a copy of tests/recipes/sample in DIR with the automake and meson recipes
#                     put in from docs/ci.md; "fixed": its bad test replaced by the clean one
#   require_cmd CMD... skip the whole test without CMD

ci_md=$top_srcdir/docs/ci.md

recipe() {
	awk -v want="# $1" '
		/^```/ { if (inblock) { inblock = 0; if (mine) exit; next }
		         inblock = 1; first = 1; mine = 0; next }
		inblock && first { first = 0; mine = ($0 == want) }
		inblock && mine { print }
	' "$ci_md"
}

require_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip_all "$_c not found"
	done
}

use_built_tools() {
	mkdir -p "$T/bin"
	ln -sf "$MEMAUDIT_LAUNCHER" "$T/bin/memaudit"
	ln -sf "$MEMAUDIT_REPORT" "$T/bin/memaudit-report"
	PATH=$T/bin:$PATH
	MEMAUDIT_LIBRARY=$MEMAUDIT_SHIM
	export PATH MEMAUDIT_LIBRARY MEMAUDIT_REPORT
	# The sample's own make must not see this make check's command line (TESTS=..., -j).
	unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
}

sample() {
	cp -R "$top_srcdir/tests/recipes/sample" "$1" && chmod -R u+w "$1" || return 1
	recipe memaudit.am >"$1/memaudit.am"
	recipe meson.build >>"$1/meson.build"
	recipe meson_options.txt >"$1/meson_options.txt"
	[ "$2" != fixed ] || cp "$1/good.c" "$1/bad.c"
}

# The CI files: run-ci.py parses and runs them (see there).
runci=$top_srcdir/tests/recipes/run-ci.py

require_yaml() {
	require_cmd python3
	python3 -c 'import yaml' 2>/dev/null ||
		skip_all "python3's yaml module not found (Debian package python3-yaml)"
}

# ci_facts SERVICE YAML WHAT: one test, that YAML is valid for SERVICE, a WHAT; its facts (run-ci.py
# facts) go to $T/facts, and `fact KEY` prints one.
ci_facts() {
	if python3 "$runci" "$1" "$2" . facts >"$T/facts" 2>"$T/facts.err"; then
		pass "it is valid YAML: $3"
	else
		fail "it is valid YAML: $3"
		diag_file "$T/facts.err"
	fi
}

fact() {
	sed -n "s/^$1=//p" "$T/facts"
}
