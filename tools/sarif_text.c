/* sarif_text.c: finding messages without what changes from run to run (see sarif_text.h). */
#include <config.h>

#include "sarif_text.h"
#include "util.h"

#include <ctype.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

/* Return the length of the address "0x" followed by hexadecimal digits at s, or 0. */
static size_t address_len(const char *s)
{
	size_t n = 2;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !isxdigit((unsigned char)s[2]))
		return 0;
	while (isxdigit((unsigned char)s[n]))
		n++;
	return isalnum((unsigned char)s[n]) || s[n] == '_' ? 0 : n;
}

/* Return the length of the run of decimal digits at s. */
static size_t digits_len(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* Return ma_sarif_stable_text(msg); see sarif_text.h. The result is never longer than msg plus
 * "addr" for each address ("0x0" is three bytes, "addr" four) plus "some". */
char *ma_sarif_stable_text(const char *msg)
{
	static const char nonzero[] = " of them are not zero", at[] = " at ", zero_prefix[] = "while ";
	size_t len = strlen(msg);
	char *out = xmalloc(len * 2 + sizeof "some"), *o = out;
	const char *s = msg;

	while (*s) {
		size_t n;
		bool word_start = s == msg || !(isalnum((unsigned char)s[-1]) || s[-1] == '+' ||
						s[-1] == '_');

		if (!strncmp(s, at, strlen(at)) && (n = address_len(s + strlen(at)))) {
			s += strlen(at) + n; /* " at 0x...": the sentence reads the same without it */
		} else if (word_start && (n = address_len(s))) {
			o = stpcpy(o, "addr");
			s += n;
		} else if (s - msg >= (ptrdiff_t)strlen(zero_prefix) &&
			   !strncmp(s - strlen(zero_prefix), zero_prefix, strlen(zero_prefix)) &&
			   (n = digits_len(s)) && !strncmp(s + n, nonzero, strlen(nonzero))) {
			o = stpcpy(o, "some");
			s += n;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}
