/* nonzero.h: how many bytes of a buffer are not zero, exactly (the release-unwiped finding's
 * message says it). The wipe check counts every byte a release names, a whole 4 KiB block per
 * free() of an advised one (issue 13): SSE2 by default, AVX2 where the CPU has it, chosen at run
 * time; the same count either way. */
#ifndef MEMAUDIT_ENGINE_NONZERO_H
#define MEMAUDIT_ENGINE_NONZERO_H

#include <stddef.h>
#include <stdint.h>

/* The baseline way (SSE2 on x86-64, else words); for 256 bytes or more, the best the CPU has. */
uint64_t nonzero_bytes_base(const unsigned char *buf, size_t n);
uint64_t nonzero_bytes_long(const unsigned char *buf, size_t n);
/* Whether nonzero_bytes_long takes AVX2 (tests/unit says which way it compared). */
int nonzero_bytes_avx2(void);

/* Inline: the short counts (a 32-byte munlock) go straight to the baseline. */
static inline uint64_t nonzero_bytes(const unsigned char *buf, size_t n)
{
	return n >= 256 ? nonzero_bytes_long(buf, n) : nonzero_bytes_base(buf, n);
}

#endif
