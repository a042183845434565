#!/bin/sh
# tests/pkg/install.sh: what `make install` puts where (issue 11, item 6), installed from this
# build tree into a scratch DESTDIR: the preload library in $(pkglibdir) without a libtool .la
# beside it, the launcher built with that path, memaudit.pc naming the same paths, bash completion
# under both commands' names, the examples' sources; the installed launcher audits an installed
# example; uninstalling removes every file again. Only the install targets of the parts are run
# (not the recursive `make install`, which would also build in tests/ while make check runs).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_report
command -v pkg-config >/dev/null 2>&1 || skip_all "pkg-config not found"
: "${MAKE:=make}"
tmpdir
root=$T/root

# install_parts TARGET_KIND: install or uninstall every part into $root.
parts() {
	$MAKE -s -C "$top_builddir/shim" "$1" DESTDIR="$root" &&
		$MAKE -s -C "$top_builddir/tools" "$1" DESTDIR="$root" &&
		$MAKE -s -C "$top_builddir/docs" "$1" DESTDIR="$root" &&
		$MAKE -s -C "$top_builddir/examples" "$1-dist_examplesDATA" DESTDIR="$root" &&
		$MAKE -s -C "$top_builddir" "$1-nodist_pkgconfigDATA" DESTDIR="$root"
}

if parts install >"$T/install.log" 2>&1; then
	pass "make install of shim, tools, docs, examples and memaudit.pc into a DESTDIR"
else
	fail "make install of shim, tools, docs, examples and memaudit.pc into a DESTDIR"
	diag_file "$T/install.log" 40
	done_testing
fi

pc=$(find "$root" -name memaudit.pc)
is "$(printf '%s\n' "$pc" | grep -c .)" 1 "one memaudit.pc, under \$(libdir)/pkgconfig"
pcdir=$(dirname "$pc")
pcvar() { PKG_CONFIG_LIBDIR=$pcdir PKG_CONFIG_PATH= pkg-config --variable="$1" memaudit; }
preload=$(pcvar preload)
launcher=$(pcvar launcher)
report=$(pcvar report)
pkglibdir=$(pcvar pkglibdir)
is "$preload" "$pkglibdir/libmemaudit.so" "memaudit.pc: preload is \${pkglibdir}/libmemaudit.so"
case $pkglibdir in
*/memaudit) pass "memaudit.pc: pkglibdir is a private directory (…/memaudit)" ;;
*) fail "memaudit.pc: pkglibdir is a private directory (…/memaudit)" "pkglibdir=$pkglibdir" ;;
esac
is "$(PKG_CONFIG_LIBDIR=$pcdir pkg-config --modversion memaudit)" \
	"$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")" \
	"memaudit.pc: Version is the package's"
ok "the preload library is installed where memaudit.pc says" test -f "$root$preload"
ok "the launcher is installed where memaudit.pc says" test -x "$root$launcher"
ok "the report tool is installed where memaudit.pc says" test -x "$root$report"
is "$(find "$root" -name '*.la' | sed "s|^$root||")" "" "no libtool archive (.la) is installed"
is "$(ls "$root$pkglibdir")" libmemaudit.so "the private libdir holds libmemaudit.so alone"
ok "the installed launcher's default library is memaudit.pc's preload" \
	grep -qxF "library=\${MEMAUDIT_LIBRARY:-'$preload'}" "$root$launcher"
ok "the installed launcher's default report tool is memaudit.pc's report" \
	grep -qxF "report=\${MEMAUDIT_REPORT:-'$report'}" "$root$launcher"

comp=$(find "$root" -path '*/bash-completion/completions/memaudit')
ok "bash completion installed as …/bash-completion/completions/memaudit" test -f "$comp"
is "$(readlink "$(dirname "$comp")/memaudit-report")" memaudit \
	"…/completions/memaudit-report is a link to it (bash-completion loads by command name)"
for page in man1/memaudit.1 man1/memaudit-report.1 man7/memaudit.7; do
	ok "manual page $page installed" test -n "$(find "$root" -path "*/man/$page")"
done
ex=$(find "$root" -path '*/doc/memaudit/examples/s2n_style.c')
ok "examples installed under \$(docdir)/examples" test -f "$ex"
ok "log-format.md and ci.md installed under \$(docdir)" \
	test -f "$(dirname "$ex")/../log-format.md" -a -f "$(dirname "$ex")/../ci.md"

# The installed parts work together: an installed example, built with the compiler alone, under
# the installed launcher with the installed library (told where it is: it is not at $preload).
: "${CC:=cc}"
if $CC -g -O0 -o "$T/s2n_style" "$ex" >"$T/cc.log" 2>&1; then
	mkdir "$T/logs"
	MEMAUDIT_LIBRARY=$root$preload MEMAUDIT_REPORT=$root$report \
		"$root$launcher" --log-dir "$T/logs" -- "$T/s2n_style" 16 >"$T/out" 2>"$T/err"
	is "$?" 0 "the installed launcher runs the installed example (exit 0)"
	if make_report "$T/logs" "$T/r.json" "its log is read by the installed report tool"; then
		jq_is "$T/r.json" '[.processes[].findings[].rule] | index("advise-unaligned") != null' \
			true "the report has the example's advise-unaligned finding"
	fi
else
	skip "the installed launcher runs the installed example" "$CC cannot build it"
	diag_file "$T/cc.log"
fi

if parts uninstall >"$T/uninstall.log" 2>&1; then
	pass "make uninstall of the same parts"
else
	fail "make uninstall of the same parts"
	diag_file "$T/uninstall.log" 40
fi
is "$(find "$root" ! -type d | sed "s|^$root||")" "" "nothing is left after uninstall"

done_testing
