/* sarif_text.h: a finding's message as the SARIF report shows it, the same in every run of the
 * same program.
 *
 * Code scanning shows a result's message as the alert's text and updates it on every upload, so
 * a message must not hold what changes from one run to the next of an unchanged program. The
 * shim's messages (shim/checked.c, shim/regions.c) hold two such things: addresses, which ASLR
 * moves ("madvise(0x55d0c0a1e2a0, 32)", "the region of 64 bytes at 0x55d0c0a1e2a0"), and, for
 * release-unwiped, how many of the released bytes are not zero, which depends on the secret's
 * value ("while 27 of them are not zero"). The report keeps the log's message whole in the
 * result's properties; the text shown is this one.
 */
#ifndef MEMAUDIT_TOOLS_SARIF_TEXT_H
#define MEMAUDIT_TOOLS_SARIF_TEXT_H

/* Return msg with what changes from run to run taken out (malloc'd): " at 0xADDR" is dropped (the
 * sentence reads the same without it), any other address becomes "addr" ("madvise(addr, 32)"),
 * and "while N of them are not zero" becomes "while some of them are not zero". A hexadecimal
 * number that follows a letter, digit or '+' (a module offset such as "app+0x1169") is no
 * address of the run and is kept. */
char *ma_sarif_stable_text(const char *msg);

#endif
