/* names.h: symbolic names for the numbers a log carries (errno values, madvise advice). */
#ifndef MEMAUDIT_TOOLS_NAMES_H
#define MEMAUDIT_TOOLS_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Write the name of errno value err ("ENOMEM"; "E<n>" when it has none) into buf of size len and
 * return buf. */
const char *errno_name(int64_t err, char *buf, size_t len);

/* Return the name of a madvise(2) advice without its MADV_ prefix ("DONTDUMP"), or NULL when the
 * value is unknown. posix selects posix_madvise(3)'s POSIX_MADV_* numbering. */
const char *advice_name(int64_t advice, int posix);

#endif
