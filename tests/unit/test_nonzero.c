/* test_nonzero.c: the wipe check's count of non-zero bytes (policy/engine/nonzero.c), the AVX2 way
 * (where this CPU has it) and the baseline against a byte loop, on buffers of random contents,
 * lengths and alignments, mostly zero as released memory is (TAP). */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "policy/engine/nonzero.h"
#include "tap.h"

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rnd(uint64_t n)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (z ^ (z >> 31)) % n;
}

static uint64_t naive(const unsigned char *b, size_t n)
{
	uint64_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += b[i] != 0;
	return c;
}

static unsigned char buf[3 * 4096 + 64] __attribute__((aligned(64)));

int main(void)
{
	int step, bad_long = 0, bad_base = 0, bad_inline = 0;

	printf("# AVX2 %s\n", nonzero_bytes_avx2() ? "used" : "not available: the baseline compared with itself");
	memset(buf, 0, sizeof buf);
	is_int((int)nonzero_bytes_long(buf, 4096), 0, "a zero page: none");
	memset(buf, 0xff, sizeof buf);
	is_int((int)nonzero_bytes_long(buf + 1, 4096), 4096, "a page of 0xff at an odd address: all");
	for (step = 0; step < 20000; step++) {
		size_t off = rnd(64), n = rnd(8) ? rnd(3 * 4096) : rnd(600), i;
		unsigned dense = (unsigned)rnd(4);

		memset(buf, 0, sizeof buf);
		/* nothing, a few bytes anywhere, a run, or bytes everywhere at random */
		if (dense == 1)
			for (i = rnd(40); i > 0; i--)
				buf[rnd(sizeof buf)] = (unsigned char)(1 + rnd(255));
		else if (dense == 2)
			memset(buf + rnd(sizeof buf / 2), (int)(1 + rnd(255)), rnd(sizeof buf / 2));
		else if (dense == 3)
			for (i = 0; i < sizeof buf; i++)
				buf[i] = rnd(3) ? 0 : (unsigned char)rnd(256);
		bad_long += nonzero_bytes_long(buf + off, n) != naive(buf + off, n);
		bad_base += nonzero_bytes_base(buf + off, n) != naive(buf + off, n);
		bad_inline += nonzero_bytes(buf + off, n) != naive(buf + off, n);
	}
	is_int(bad_long, 0, "20000 random buffers: nonzero_bytes_long counts as a byte loop");
	is_int(bad_base, 0, "20000 random buffers: the baseline counts as a byte loop");
	is_int(bad_inline, 0, "20000 random buffers: nonzero_bytes counts as a byte loop");
	plan(tap_count);
	return done_testing();
}
