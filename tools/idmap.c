/* idmap.c: open-addressing hash map from (int64, int64) to size_t (see idmap.h). */
#include <config.h>

#include "idmap.h"
#include "util.h"

#include <stdlib.h>

#define EMPTY SIZE_MAX

/* Return a well-mixed hash of the key (splitmix64 finalizer). */
static uint64_t hash_key(int64_t a, int64_t b)
{
	uint64_t x = (uint64_t)a * 0x9e3779b97f4a7c15u ^ ((uint64_t)b + 0x632be59bd9b4e019u);

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	x ^= x >> 31;
	return x;
}

/* Initialize m as an empty map. */
void idmap_init(struct idmap *m)
{
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
