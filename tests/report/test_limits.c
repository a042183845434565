/* test_limits.c: the report tool's bounds on hostile logs that would take too long for a shell
 * test to write: the memory budget of the log reader (docs/log-format.md, "Limits of the
 * reader") and the keyed hash of its id maps.
 *
 * The reader's sources are compiled into this test (not linked), so that it can look at the
 * idmap's slots: a hash that a log could predict lets it choose ids that all fall into one probe
 * chain, and that is what the test builds against the old, unkeyed hash.
 */
#include "../../tools/flat_json.c"
#include "../../tools/idmap.c"
#include "../../tools/log_reader.c"
#include "../../tools/util.c"

#include "tap.h"

#include <stdio.h>

/* ---------------------------------------------------------------------
 * The memory budget
 * --------------------------------------------------------------------- */

static const char header[] =
	"{\"type\":\"header\",\"format\":\"memaudit-log\",\"version\":1,\"pid\":7}\n";

/* Return a malloc'd log: the header, then n stack records of frames frames each. */
static char *stacks_log(int n, int frames, size_t *len)
{
	size_t cap = sizeof header + (size_t)n * (48 + (size_t)frames * 12), used;
	char *buf = xmalloc(cap);

	used = (size_t)snprintf(buf, cap, "%s", header);
	for (int i = 1; i <= n; i++) {
		used += (size_t)snprintf(buf + used, cap - used, "{\"type\":\"stack\",\"id\":%d,"
					 "\"frames\":[", i);
		for (int f = 0; f < frames; f++)
			used += (size_t)snprintf(buf + used, cap - used, "%s[1,%d]",
						 f ? "," : "", f + 16);
		used += (size_t)snprintf(buf + used, cap - used, "]}\n");
	}
	*len = used;
	return buf;
}

/* A log within the budget is read whole; one over it is cut at the record that went over. */
static void test_budget(void)
{
	struct ma_log log;
	size_t len;
	char *buf = stacks_log(2000, 64, &len);

	ma_log_init(&log, NULL);
	ma_log_parse_buffer(&log, buf, len);
	is_int(log.nstacks, 2000, "2000 stacks of 64 frames: all kept under the default budget");
	is_int(log.stop_line, 0, "...and the log is not cut short");
	ma_log_free(&log);

	ma_log_init(&log, NULL);
	log.max_kept = 100 * 1024;
	ma_log_parse_buffer(&log, buf, len);
	ok(log.nstacks > 50 && log.nstacks < 200, "a budget of 100 KiB keeps some stacks");
	is_int(log.stop_line, log.nstacks + 2, "...and stops at the first stack over it");
	ok(log.stop_reason && strstr(log.stop_reason, "than the report keeps"),
	   "...saying why");
	ok(log.kept <= log.max_kept, "...having charged no more than the budget");
	is_int(log.status, MA_LOG_OK, "...and it is still a log");
	ma_log_free(&log);
	free(buf);

	/* a budget too small for one stack still leaves the header */
	buf = stacks_log(1, 512, &len);
	ma_log_init(&log, NULL);
	log.max_kept = 1024;
	ma_log_parse_buffer(&log, buf, len);
	ok(log.nstacks == 0 && log.stop_line == 2 && log.status == MA_LOG_OK,
	   "a stack larger than the whole budget is not kept; the header is");
	ma_log_free(&log);
	free(buf);
}

/* ---------------------------------------------------------------------
 * Keyed hashing
 * --------------------------------------------------------------------- */

#define OLD_MUL 0x9e3779b97f4a7c15u
#define OLD_ADD 0x632be59bd9b4e019u

/* Return the hash the id maps used before they were keyed: mix(a * OLD_MUL ^ (b + OLD_ADD)). */
static uint64_t old_hash(int64_t a, int64_t b)
{
	return mix((uint64_t)a * OLD_MUL ^ ((uint64_t)b + OLD_ADD));
}

/* Return the inverse of the odd number m modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t m)
{
	uint64_t x = m;

	for (int i = 0; i < 6; i++)
		x *= 2 - m * x;
	return x;
}

/* Return x with x ^= x >> shift undone. */
static uint64_t unxorshift(uint64_t x, int shift)
{
	uint64_t y = x;

	for (int i = 0; i < 64 / shift + 1; i++)
		y = x ^ (y >> shift);
	return y;
}

/* Return the x for which mix(x) == y. */
static uint64_t unmix(uint64_t y)
{
	y = unxorshift(y, 31);
	y *= inverse(0x94d049bb133111ebu);
	y = unxorshift(y, 27);
	y *= inverse(0xbf58476d1ce4e5b9u);
	return unxorshift(y, 30);
}

/* Return the longest distance of an entry of m from the slot its hash names. */
static size_t longest_probe(const struct idmap *m)
{
	size_t longest = 0, mask = m->cap - 1;

	for (size_t i = 0; i < m->cap; i++) {
		const struct idmap_slot *s = &m->slots[i];
		size_t home;

		if (s->value == EMPTY)
			continue;
		home = hash_key(s->a, s->b) & mask;
		if (((i - home) & mask) > longest)
			longest = (i - home) & mask;
	}
	return longest;
}

/* Ids built so that the old hash puts them all in one chain: the keyed hash spreads them. */
static void test_hash_flooding(void)
{
	enum { N = 100000 };
	struct idmap m;
	size_t found = 0, value;
	bool collide = true;

	idmap_init(&m);
	for (uint64_t k = 1; k <= N; k++) {
		int64_t a = (int64_t)((unmix(k << 24) ^ OLD_ADD) * inverse(OLD_MUL));

		collide = collide && (old_hash(a, 0) & 0xffffff) == 0;
		idmap_put(&m, a, 0, (size_t)k);
	}
	ok(collide, "the ids collide in the low 24 bits of the old hash (the attack)");
	ok(longest_probe(&m) < 200, "with the keyed hash no id is far from its slot");
	for (uint64_t k = 1; k <= N; k++) {
		int64_t a = (int64_t)((unmix(k << 24) ^ OLD_ADD) * inverse(OLD_MUL));

		found += idmap_get(&m, a, 0, &value) && value == k;
	}
	is_int(found, N, "every id is found again with its value");
	idmap_free(&m);

	ok(idmap_hash_str("lock-heap") == idmap_hash_str("lock-heap") &&
	   idmap_hash_str("lock-heap") != idmap_hash_str("lock-heaq") &&
	   idmap_hash_str("") == idmap_hash_str(NULL) &&
	   idmap_hash_str("abcdefgh") != idmap_hash_str("abcdefgh\001"),
	   "string hashes: equal strings equal, different strings different");
}

int main(void)
{
	plan(12);
	test_budget();
	test_hash_flooding();
	return done_testing();
}
