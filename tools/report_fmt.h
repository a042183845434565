/* report_fmt.h: the short texts the text and HTML reports share: sizes, limits, an op with its
 * advice, a site's failures, plurals. Each writes into a caller's buffer (cut to fit) and returns
 * it; nothing here escapes for a format: the writers do.
 */
#ifndef MEMAUDIT_TOOLS_REPORT_FMT_H
#define MEMAUDIT_TOOLS_REPORT_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "report_model.h"

/* Return "s" unless n is 1 (for plurals). */
const char *plural(uint64_t n);
/* Write v as a short size ("512 B", "64 KiB", "1.5 MiB") into buf and return buf. */
const char *size_str(uint64_t v, char *buf, size_t len);
/* Write v exactly, in the largest unit that divides it ("32 KiB", "8 MiB", "65537 B"). */
const char *exact_size_str(uint64_t v, char *buf, size_t len);
/* Write a what-if limit exactly ("32 KiB", "8 MiB", "65537 B", "unlimited") into buf. */
const char *limit_str(const struct ma_whatif *w, char *buf, size_t len);
/* Write "ENOMEM 3,EPERM 1" for the failures of s into buf ("-" for none); failures the policy
 * injected are marked: "ENOMEM 8649 (injected)" when all were, "ENOMEM 9 (8 injected)" when some
 * were. */
const char *failures_str(const struct ma_site *s, char *buf, size_t len);
/* Write "madvise DONTDUMP" (the op, and for madvise sites the advice given) into buf. */
const char *op_str(const struct ma_site *s, char *buf, size_t len);

#endif
