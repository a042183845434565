/* nonzero.c: see nonzero.h. */
#include "config.h"

#include "policy/engine/nonzero.h"

#ifdef __SSE2__
#include <emmintrin.h>

/* Zero bytes of the k (<= 255) 16-byte vectors at v: each compare gives -1 in a zero byte's lane,
 * subtracted into per-lane counts that psadbw then sums. */
static uint64_t zero_bytes_sse2(const __m128i *v, size_t k)
{
	const __m128i z = _mm_setzero_si128();
	__m128i acc = z;
	size_t i;

	for (i = 0; i < k; i++)
		acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_load_si128(v + i), z));
	acc = _mm_sad_epu8(acc, z);
	return (uint64_t)_mm_cvtsi128_si64(acc) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
}
#else
/* Non-zero bytes of the word w (a byte's top bit is set in m when the byte is not zero: the low
 * seven bits carried into it, or it was set already; shifted down to one per byte, the
 * multiplication sums the eight into the top byte: no popcount, which without -mpopcnt is a call
 * into libgcc). */
static inline uint64_t nonzero_in_word(uint64_t w)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t m = ((w & lo7) + lo7) | w;

	return (((m & ~lo7) >> 7) * 0x0101010101010101ull) >> 56;
}
#endif

/* Non-zero bytes of buf[0, n): with SSE2 (the x86-64 baseline) 256 bytes at a time, skipped when
 * all zero (most of what a page holds); else 64 bytes at a time, a word at a time. */
uint64_t nonzero_bytes_base(const unsigned char *buf, size_t n)
{
	uint64_t count = 0;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i z = _mm_setzero_si128();

	for (; i < n && ((uintptr_t)(buf + i) & 15); i++)
		count += buf[i] != 0;
	for (; i + 256 <= n; i += 256) {
		const __m128i *v = (const __m128i *)(const void *)(buf + i);
		__m128i o = v[0];
		int j;

#pragma GCC unroll 16
		for (j = 1; j < 16; j++)
			o = _mm_or_si128(o, v[j]);
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(o, z)) != 0xffff)
			count += 256 - zero_bytes_sse2(v, 16);
	}
	if (i + 16 <= n) {
		size_t k = (n - i) / 16;

		count += 16 * k - zero_bytes_sse2((const __m128i *)(const void *)(buf + i), k);
		i += 16 * k;
	}
#else
	uint64_t b[8];
	int k;

	for (; i + 64 <= n; i += 64) {
		__builtin_memcpy(b, buf + i, 64); /* this file is built -fno-builtin */
		if (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5] | b[6] | b[7]))
			continue;
		for (k = 0; k < 8; k++)
			count += nonzero_in_word(b[k]);
	}
	for (; i + 8 <= n; i += 8) {
		__builtin_memcpy(b, buf + i, 8);
		count += nonzero_in_word(b[0]);
	}
#endif
	for (; i < n; i++)
		count += buf[i] != 0;
	return count;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* AVX2: the zero bytes of the 256 at v (-1 from each compare in a zero byte's lane, subtracted:
 * at most 8 a lane; summed by vpsadbw). Unaligned loads: a VEX instruction's memory operand needs
 * no alignment. Out of line, so that the test for all zero below reads its bytes as operands of
 * its ORs, not into registers kept for this count. */
__attribute__((target("avx2"), noinline)) static uint64_t zero_bytes_avx2(const __m256i *v)
{
	const __m256i z = _mm256_setzero_si256();
	__m256i acc = z;
	int j;

#pragma GCC unroll 8
	for (j = 0; j < 8; j++)
		acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256(v + j), z));
	acc = _mm256_sad_epu8(acc, z);
	return (uint64_t)_mm256_extract_epi64(acc, 0) + (uint64_t)_mm256_extract_epi64(acc, 1) +
	       (uint64_t)_mm256_extract_epi64(acc, 2) + (uint64_t)_mm256_extract_epi64(acc, 3);
}

/* 256 bytes at a time as the baseline takes them, skipped when all zero, else counted; the rest,
 * under 256 bytes, by the baseline. */
__attribute__((target("avx2"))) static uint64_t nonzero_bytes_with_avx2(const unsigned char *buf, size_t n)
{
	uint64_t count = 0;
	size_t i = 0;

	for (; i + 256 <= n; i += 256) {
		const __m256i *v = (const __m256i *)(const void *)(buf + i);
		__m256i o = _mm256_loadu_si256(v);
		int j;

#pragma GCC unroll 8
		for (j = 1; j < 8; j++)
			o = _mm256_or_si256(o, _mm256_loadu_si256(v + j));
		if (!_mm256_testz_si256(o, o))
			count += 256 - zero_bytes_avx2(v);
	}
	return count + nonzero_bytes_base(buf + i, n - i);
}

/* 1 with AVX2, 0 without, -1 not asked yet. __builtin_cpu_init first: this may run before
 * libgcc's constructor that fills what __builtin_cpu_supports reads (GCC manual, x86 built-in
 * functions: needed "if the function is called before any constructors"). The answer is the
 * same for every thread, so a race only asks twice. */
static int have_avx2 = -1;

int nonzero_bytes_avx2(void)
{
	if (have_avx2 < 0) {
		__builtin_cpu_init();
		have_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
	}
	return have_avx2;
}

uint64_t nonzero_bytes_long(const unsigned char *buf, size_t n)
{
	if (nonzero_bytes_avx2())
		return nonzero_bytes_with_avx2(buf, n);
	return nonzero_bytes_base(buf, n);
}
#else
int nonzero_bytes_avx2(void)
{
	return 0;
}

uint64_t nonzero_bytes_long(const unsigned char *buf, size_t n)
{
	return nonzero_bytes_base(buf, n);
}
#endif
