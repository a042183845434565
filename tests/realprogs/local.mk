# tests/realprogs: real programs from Debian packages under the shim (issue 9, "Tests"). Each script
# runs one program that locks or advises memory (or, for the TLS pair, a control that does neither),
# asserts the error findings it gets with the reason each is true in a comment, and that it gets no
# other finding of severity error; as root it also compares the report's what-if at 64 KiB (or 32 KiB)
# with what the kernel does to the same program run as uid 65534 under that limit. A script whose
# program is not installed skips itself (1..0 # SKIP, naming the Debian package). Servers listen on
# 127.0.0.1 only and every run is bounded by timeout(1).
REALPROGS_TESTS = \
	realprogs/cryptsetup.sh \
	realprogs/memcached.sh \
	realprogs/gpg.sh \
	realprogs/minisign.sh \
	realprogs/pinentry.sh \
	realprogs/gnutls.sh
TESTS += $(REALPROGS_TESTS)
EXTRA_DIST += $(REALPROGS_TESTS) realprogs/common.sh
