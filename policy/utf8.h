/* utf8.h: UTF-8 as the log and the reports treat it, shared by the log encoder
 * (shim/logwriter/jsonw.c) and the report tool (its reader and its text, HTML and JSON writers).
 * Header-only, no allocation.
 *
 * Strings from the system (paths, argv) are bytes, not always UTF-8, and JSON strings are Unicode.
 * So that a log keeps them exactly (issue 10, item 16), a byte is carried by a code point of its
 * own: byte b (0x80 to 0xff) is U+10FF00 + b, one of the last 128 code points of Unicode (plane 16,
 * private use, never assigned). The encoder writes as such a "byte code point" every byte that is
 * not part of valid UTF-8, and every byte of a valid sequence that is itself a byte code point (so
 * that the mapping is one-to-one); the decoder turns every byte code point back into its byte.
 * Everything else is UTF-8 as it was. In JSON text the encoder writes byte b as the surrogate pair
 * "\udbff\udfXX" (XX = b in hex), which every JSON parser decodes to U+10FF00 + b.
 */
#ifndef MEMAUDIT_POLICY_UTF8_H
#define MEMAUDIT_POLICY_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_BYTE_BASE 0x10ff00u /* byte b (>= 0x80) is code point UTF8_BYTE_BASE + b */

/* Return the length of the valid UTF-8 sequence at s[0..n) and set *cp to its code point; 0 when
 * the bytes are not valid UTF-8 (RFC 3629: overlong forms, surrogates and values above U+10FFFF
 * are not). n >= 1. */
static inline size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000, *cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* Whether cp is a byte code point (U+10FF80 to U+10FFFF). */
static inline bool utf8_is_byte_cp(uint32_t cp)
{
	return cp >= UTF8_BYTE_BASE + 0x80 && cp <= 0x10ffff;
}

/* How many bytes of s[0..n) (n >= 1) the encoder writes as they are: the length of a valid
 * sequence that is not a byte code point, or 0 when s[0] is to be written as a byte code point. */
static inline size_t utf8_plain_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_seq(s, n, &cp);

	return len && !utf8_is_byte_cp(cp) ? len : 0;
}

/* Whether a report shows code point cp as a replacement rather than as itself: C0 and C1 control
 * characters (tab and newline too: callers that keep them test for them first), and the
 * bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069), which make text read otherwise than it is ("Trojan Source"), and
 * the line and paragraph separators U+2028 and U+2029. */
static inline bool utf8_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

#endif
