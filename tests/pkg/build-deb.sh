#!/bin/sh
# tests/pkg/build-deb.sh SRCDIR WORKDIR: build memaudit's Debian packages from a copy of the source
# tree SRCDIR, in WORKDIR (which must exist and be empty), with `dpkg-buildpackage -us -uc -b`, and
# a source package beside them (dpkg-source -b, for lintian). Nothing is written into SRCDIR or
# next to it. Used by tests/pkg/deb.sh (make check) and .ci/package (CI).
#
# The copy: when SRCDIR is the top of a git checkout, the files git tracks or would track, as
# they are in the working tree; otherwise SRCDIR must be a pristine source tree (an unpacked
# tarball, or the srcdir of a VPATH build such as make distcheck's), copied whole but for
# distcheck's _build and _inst. The package's own test suite (dh_auto_test: make check with
# Debian's build flags) runs when BUILD_DEB_CHECK=1 (.ci/package), and is skipped otherwise
# (DEB_BUILD_OPTIONS=nocheck; tests/pkg/deb.sh runs inside make check already).
#
# Prints the path of the binary .changes file on stdout. On failure: exit 1, the build log's end
# on stderr. Exit 77 when SRCDIR is an in-tree build without git (no pristine copy to build from).
set -u
src=$1 work=$2

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version) || exit 1
copy=$work/memaudit-$version
mkdir "$copy" || exit 1
# git_top DIR: whether DIR is the top of a git work tree (not a directory inside one, such as
# make distcheck's unpacked tarball inside a checkout).
git_top() {
	[ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$1" && pwd -P)" ]
}
if git_top "$src"; then
	(cd "$src" && git ls-files -z --cached --others --exclude-standard | tr '\0' '\n' |
		while IFS= read -r f; do
			if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
		done | tr '\n' '\0' | xargs -0 -r cp --parents -P -t "$copy" --) || exit 1
elif [ -e "$src/config.status" ]; then
	echo "build-deb.sh: $src is a configured tree outside git: no pristine copy" >&2
	exit 77
else
	# make distcheck builds and installs in _build and _inst inside the unpacked tarball.
	(cd "$src" && tar --exclude=./_build --exclude=./_inst -cf - .) | (cd "$copy" && tar -xf -) &&
		chmod -R u+w "$copy" || exit 1
fi

if ! (cd "$work" && dpkg-source -b "memaudit-$version") >"$work/source.log" 2>&1; then
	echo "build-deb.sh: dpkg-source -b failed:" >&2
	tail -n 30 "$work/source.log" >&2
	exit 1
fi
if [ "${BUILD_DEB_CHECK:-0}" = 1 ]; then
	options=${DEB_BUILD_OPTIONS:-}
else
	options="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}"
fi
if ! (cd "$copy" && DEB_BUILD_OPTIONS=$options dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1; then
	echo "build-deb.sh: dpkg-buildpackage -us -uc -b failed:" >&2
	grep -E '^(FAIL|ERROR|XPASS):' "$work/build.log" | sort -u | head -n 40 >&2
	tail -n 40 "$work/build.log" >&2
	exit 1
fi
for changes in "$work"/memaudit_"$version"_*.changes; do
	[ -f "$changes" ] && [ "${changes%_source.changes}" = "$changes" ] || continue
	echo "$changes"
	exit 0
done
echo "build-deb.sh: no .changes file in $work" >&2
exit 1
