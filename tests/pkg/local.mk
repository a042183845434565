# tests/pkg: packaging and installation (issue 11, item 6): what make install installs where
# (DESTDIR), and the bash completion.
PKG_TESTS = \
	pkg/install.sh \
	pkg/completion.sh
TESTS += $(PKG_TESTS)
EXTRA_DIST += $(PKG_TESTS)
