#!/bin/sh
# tests/pkg/deb.sh: the Debian package (debian/, issue 11 item 6), when dpkg-buildpackage and
# debhelper are here (skipped otherwise): built with `dpkg-buildpackage -us -uc -b` from a copy of
# the sources (tests/pkg/build-deb.sh; nothing is written into the tree), unpacked with dpkg -x
# into a scratch root (the machine is not changed: .ci/package installs it with apt-get in CI),
# and run from there. Checks the layout (private libdir, no .la, multiarch pkg-config file,
# completion, manual pages, docs), the Depends line, and that the unpacked launcher, told where
# its unpacked library is, audits /bin/true and an example built from the package.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_jq
for tool in dpkg-buildpackage dpkg-parsechangelog dpkg-architecture dh dh_autoreconf; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip_all "$tool not found (Debian packages dpkg-dev, debhelper)"
done
(cd "$top_srcdir" && dpkg-checkbuilddeps -Pnocheck) >/dev/null 2>&1 ||
	skip_all "the package's build dependencies are missing: $(cd "$top_srcdir" && dpkg-checkbuilddeps -Pnocheck 2>&1)"

# The package is built from a git checkout, or from a pristine source tree (make distcheck's);
# not from an unpacked tarball configured in place (as inside the package's own build).
if [ "$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$top_srcdir" && pwd -P)" ]; then
	in_git=1
elif [ -e "$top_srcdir/config.status" ]; then
	skip_all "$top_srcdir is configured in place and not a git checkout: no pristine copy to build from"
else
	in_git=0
fi

tmpdir
# Every file of debian/ is distributed (Makefile.am's DEBIAN_FILES): the tarball builds too.
if [ "$in_git" = 1 ]; then
	listed=$(sed -n '/^DEBIAN_FILES = /,/^$/p' "$top_srcdir/Makefile.am" | tr ' \t\\' '\n\n\n' |
		grep '^debian/' | LC_ALL=C sort)
	present=$(git -C "$top_srcdir" ls-files --cached --others --exclude-standard debian | LC_ALL=C sort)
	is "$(echo $listed)" "$(echo $present)" "Makefile.am's DEBIAN_FILES lists every file of debian/"
else
	skip "Makefile.am's DEBIAN_FILES lists every file of debian/" "not a git checkout"
fi
version=$(dpkg-parsechangelog -l "$top_srcdir/debian/changelog" -S Version)
is "$version" "$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")" \
	"debian/changelog's version is configure's"

# What the build must not change: debian/ and the directory above the sources.
snapshot() { ls -a "$top_srcdir/debian" "$top_srcdir/debian/source"; ls -a "$top_srcdir/.." | grep '^memaudit[_-]'; }
snapshot >"$T/before" 2>&1
mkdir "$T/work"
changes=$("$top_srcdir/tests/pkg/build-deb.sh" "$top_srcdir" "$T/work" 2>"$T/build.err")
st=$?
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
multiarch=$(dpkg-architecture -q DEB_HOST_MULTIARCH)
deb=$T/work/memaudit_${version}_$arch.deb
if [ $st -eq 0 ] && [ -f "$deb" ]; then
	pass "dpkg-buildpackage -us -uc -b builds memaudit_${version}_$arch.deb"
else
	fail "dpkg-buildpackage -us -uc -b builds memaudit_${version}_$arch.deb" "status $st"
	diag_file "$T/build.err" 40
	done_testing
fi
snapshot >"$T/after" 2>&1
same_file "$T/after" "$T/before" "the build wrote nothing into debian/ or next to the sources"

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/contents"
preload=/usr/lib/$multiarch/memaudit/libmemaudit.so
for f in /usr/bin/memaudit /usr/bin/memaudit-report "$preload" \
	/usr/lib/$multiarch/pkgconfig/memaudit.pc \
	/usr/share/bash-completion/completions/memaudit \
	/usr/share/bash-completion/completions/memaudit-report \
	/usr/share/man/man1/memaudit.1.gz /usr/share/man/man1/memaudit-report.1.gz \
	/usr/share/man/man7/memaudit.7.gz \
	/usr/share/doc/memaudit/log-format.md.gz /usr/share/doc/memaudit/ci.md.gz \
	/usr/share/doc/memaudit/examples/s2n_style.c /usr/share/doc/memaudit/copyright; do
	ok "the package holds $f" grep -qxF "$f" "$T/contents"
done
is "$(grep '\.la$' "$T/contents")" "" "the package holds no libtool archive (.la)"
depends=$(dpkg-deb -f "$deb" Depends)
case $depends in
*libc6*libdw1*libjansson4*) pass "Depends (from \${shlibs:Depends}) names libc6, libdw1, libjansson4" ;;
*) fail "Depends (from \${shlibs:Depends}) names libc6, libdw1, libjansson4" "Depends: $depends" ;;
esac

root=$T/root
dpkg -x "$deb" "$root"
is "$(PKG_CONFIG_LIBDIR=$root/usr/lib/$multiarch/pkgconfig pkg-config --variable=preload memaudit)" \
	"$preload" "memaudit.pc's preload is $preload"
ok "the launcher's default library is $preload" \
	grep -qxF "library=\${MEMAUDIT_LIBRARY:-'$preload'}" "$root/usr/bin/memaudit"

# Run from the scratch root: the launcher is told where the unpacked library and report tool are.
export MEMAUDIT_LIBRARY="$root$preload" MEMAUDIT_REPORT="$root/usr/bin/memaudit-report"
mkdir "$T/logs-true"
"$root/usr/bin/memaudit" --log-dir "$T/logs-true" -- /bin/true >"$T/true.out" 2>"$T/true.err"
is "$?" 0 "memaudit -- /bin/true exits 0"
is "$(count_logs "$T/logs-true")" 1 "memaudit -- /bin/true: the packaged library wrote its log"
: "${CC:=cc}"
if $CC -g -O0 -o "$T/s2n_style" "$root/usr/share/doc/memaudit/examples/s2n_style.c" >"$T/cc.log" 2>&1; then
	mkdir "$T/logs"
	"$root/usr/bin/memaudit" --log-dir "$T/logs" -- "$T/s2n_style" 16 >"$T/out" 2>"$T/err"
	is "$?" 0 "memaudit -- s2n_style (the packaged example) exits 0"
	"$root/usr/bin/memaudit-report" --format json "$T/logs" >"$T/r.json" 2>"$T/r.err"
	is "$?" 1 "memaudit-report of its log exits 1 (error findings)"
	jq_is "$T/r.json" '[.processes[].findings[] | select(.rule == "advise-unaligned") | .severity] | unique | join(",")' \
		error "the report has the example's advise-unaligned error"
else
	skip "memaudit -- s2n_style (the packaged example)" "$CC cannot build it"
fi

done_testing
