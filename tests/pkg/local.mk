# tests/pkg: packaging and installation (issue 11, item 6): what make install installs where
# (DESTDIR), the bash completion, and the Debian package, built and unpacked with dpkg -x into a
# scratch root when dpkg-buildpackage and debhelper are here (.ci/package also installs it with
# apt-get in CI).
PKG_TESTS = \
	pkg/install.sh \
	pkg/completion.sh \
	pkg/deb.sh
TESTS += $(PKG_TESTS)
EXTRA_DIST += $(PKG_TESTS) pkg/build-deb.sh
