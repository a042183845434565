/* test_sarif_text.c: the SARIF report's finding messages hold nothing that changes from run to run
 * (tools/sarif_text.c, issue 11 item 5): every message the shim writes with an address or a count
 * of non-zero bytes (shim/checked.c, shim/regions.c), as two runs would write it, comes out the
 * same, and reads as a sentence; what is no address of the run (a module offset, a size) is kept.
 * tests/report/sarif.sh checks the same on two real runs of a program.
 */
#include <config.h>

#include "../../tools/sarif_text.c"
#include "../../tools/util.c"

#include "tap.h"

#include <stdlib.h>

/* A test that msg comes out as want. */
static void stable(const char *msg, const char *want, const char *name)
{
	char *got = ma_sarif_stable_text(msg);

	is_str(got, want, name);
	free(got);
}

int main(void)
{
	stable("madvise(0x55d0c0a1e2a0, 32): start is not aligned to the 4096-byte page: the kernel "
	       "returns EINVAL and applies no advice",
	       "madvise(addr, 32): start is not aligned to the 4096-byte page: the kernel "
	       "returns EINVAL and applies no advice",
	       "advise-unaligned: the address becomes addr");
	stable("munlock(64 bytes) unlocks whole pages: 64 bytes of the region of 64 bytes at "
	       "0x55e1271722f0, locked by another call, share them and are no longer locked",
	       "munlock(64 bytes) unlocks whole pages: 64 bytes of the region of 64 bytes, locked by "
	       "another call, share them and are no longer locked",
	       "unlock-collateral: \" at ADDRESS\" is dropped");
	stable("munlock(8 bytes) names only part of the 64 bytes locked at 0x7f0012345000: the "
	       "kernel unlocks whole pages, so 56 more bytes of that region are no longer locked",
	       "munlock(8 bytes) names only part of the 64 bytes locked: the kernel unlocks whole "
	       "pages, so 56 more bytes of that region are no longer locked",
	       "unlock-partial");
	stable("madvise(64 bytes) works on whole pages: the region of 8192 bytes at 0x7f29a75d3000 "
	       "that another call excluded from core dumps (MADV_DONTDUMP) shares them and is no "
	       "longer protected",
	       "madvise(64 bytes) works on whole pages: the region of 8192 bytes that another call "
	       "excluded from core dumps (MADV_DONTDUMP) shares them and is no longer protected",
	       "dodump-collateral");
	stable("the 4096 bytes at 0x7f95ee150000 locked here are no longer: /proc/self/smaps shows "
	       "no 'lo' for them at exit, although the program never undid it through libc",
	       "the 4096 bytes locked here are no longer: /proc/self/smaps shows no 'lo' for them "
	       "at exit, although the program never undid it through libc",
	       "protection-lost");
	stable("munlock releases 4096 bytes that were locked or excluded from core dumps while 27 "
	       "of them are not zero: wipe them first (explicit_bzero, sodium_memzero, "
	       "OPENSSL_cleanse)",
	       "munlock releases 4096 bytes that were locked or excluded from core dumps while some "
	       "of them are not zero: wipe them first (explicit_bzero, sodium_memzero, "
	       "OPENSSL_cleanse)",
	       "release-unwiped: the count of non-zero bytes (the secret's value) becomes some");
	stable("free() of a heap block of which 32 bytes are still locked",
	       "free() of a heap block of which 32 bytes are still locked",
	       "a message without an address is kept as it is");
	stable("at app+0x1169 and lib_0x10 and 0x12g and 0x", "at app+0x1169 and lib_0x10 and 0x12g and 0x",
	       "module offsets, names and what is not a whole hexadecimal number are kept");
	stable("0xdeadbeef at 0XABC (0x1)", "addr (addr)", "an address first, last, in capitals");
	stable("", "", "an empty message");
	plan(tap_count);
	return done_testing();
}
