/* idmap.c: open-addressing hash map from (int64, int64) to size_t (see idmap.h). */
#include <config.h>

#include "idmap.h"
#include "util.h"

#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>

#define EMPTY SIZE_MAX

/* The hash key, chosen at random once per run: keys come from the log, and with a fixed hash a
 * hostile log could pick ids that all land in one probe chain, making every insert and lookup
 * linear (a log of a million such stack ids would take hours). The kernel's 16 random bytes
 * (AT_RANDOM) are enough: this needs unpredictability, not secrecy. */
static uint64_t seed[2];

/* Return x mixed by the splitmix64 finalizer (a bijection of 64-bit values). */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	x ^= x >> 31;
	return x;
}

/* Fill seed from AT_RANDOM the first time (a fixed odd value when the kernel gave none). */
static void init_seed(void)
{
	const void *random = (const void *)getauxval(AT_RANDOM);

	if (seed[0])
		return;
	if (random)
		memcpy(seed, random, sizeof seed);
	seed[0] |= 1; /* never 0: 0 means not initialized */
}

/* Set a fixed key; see idmap.h. */
void idmap_fixed_key(uint64_t k0, uint64_t k1)
{
	seed[0] = k0 | 1;
	seed[1] = k1;
}

/* Return a well-mixed hash of the key under the run's random seed. */
static uint64_t hash_key(int64_t a, int64_t b)
{
	return mix(mix((uint64_t)a ^ seed[0]) ^ (uint64_t)b ^ seed[1]);
}

/* Hash s 8 bytes at a time, each block mixed with the running hash; the length goes in last. */
int64_t idmap_hash_str(const char *s)
{
	size_t len, i;
	uint64_t h, block;

	if (!s)
		s = "";
	len = strlen(s);
	init_seed();
	h = seed[1];
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&block, s + i, 8);
		h = mix(h ^ block ^ seed[0]);
	}
	block = 0;
	memcpy(&block, s + i, len - i);
	return (int64_t)mix(h ^ block ^ seed[0] ^ ((uint64_t)len << 56));
}

/* Initialize m as an empty map. */
void idmap_init(struct idmap *m)
{
	init_seed();
	m->slots = NULL;
	m->cap = m->count = 0;
}

/* Free m's slots and leave it empty. */
void idmap_free(struct idmap *m)
{
	free(m->slots);
	idmap_init(m);
}

/* Return the slot holding (a, b), or the empty slot where it would go. m->cap must be > 0. */
static struct idmap_slot *find_slot(const struct idmap *m, int64_t a, int64_t b)
{
	size_t mask = m->cap - 1, i = hash_key(a, b) & mask;

	for (;;) {
		struct idmap_slot *s = &m->slots[i];

		if (s->value == EMPTY || (s->a == a && s->b == b))
			return s;
		i = (i + 1) & mask;
	}
}

/* Return true and set *value when (a, b) is in m. */
bool idmap_get(const struct idmap *m, int64_t a, int64_t b, size_t *value)
{
	struct idmap_slot *s;

	if (!m->cap)
		return false;
	s = find_slot(m, a, b);
	if (s->value == EMPTY)
		return false;
	*value = s->value;
	return true;
}

/* Double the table (or create it) and rehash every entry. */
static void rehash(struct idmap *m)
{
	struct idmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < m->cap; i++)
		m->slots[i].value = EMPTY;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].value != EMPTY)
			*find_slot(m, old.slots[i].a, old.slots[i].b) = old.slots[i];
	free(old.slots);
}

/* Insert (a, b) -> value when absent; return whether it was inserted. */
bool idmap_put(struct idmap *m, int64_t a, int64_t b, size_t value)
{
	struct idmap_slot *s;

	if ((m->count + 1) * 2 > m->cap)
		rehash(m);
	s = find_slot(m, a, b);
	if (s->value != EMPTY)
		return false;
	s->a = a;
	s->b = b;
	s->value = value;
	m->count++;
	return true;
}
