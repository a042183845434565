/* rectable.c: see rectable.h. */
#include "config.h"

#include <string.h>

#include "policy/engine/frontend.h"
#include "shim/logwriter/rectable.h"

/* Eight bytes a step (byte by byte, the hash of every record's content was a fifth of an audited
 * call's cost): two independent multiply-xorshift chains over the words; the tail is a zero-padded
 * word, and the length is mixed in last, so that "x" and "x\0" differ. */
void rectable_hash(uint64_t *h1, uint64_t *h2, const void *v, size_t n)
{
	const unsigned char *b = v;
	uint64_t a = *h1, c = *h2, w;
	size_t left = n, i;

	/* this directory is built -fno-builtin: a memcpy spelled so would be a call per word */
	for (; left >= 8; left -= 8, b += 8) {
		__builtin_memcpy(&w, b, 8);
		a = (a ^ w) * 0x87c37b91114253d5ull;
		a ^= a >> 32;
		c = (c + w + 1) * 0x9e3779b97f4a7c15ull;
		c ^= c >> 29;
	}
	w = 0;
	for (i = 0; i < left; i++)
		w |= (uint64_t)b[i] << 8 * i;
	a = (a ^ w ^ ((uint64_t)n << 56)) * 0xff51afd7ed558ccdull;
	a ^= a >> 33;
	c = (c + w + n + 1) * 0xc4ceb9fe1a85ec53ull;
	c ^= c >> 29;
	*h1 = a;
	*h2 = c;
}

static size_t home(uint64_t k1, uint64_t k2, size_t cap)
{
	return (size_t)((k1 ^ (k2 << 7)) * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
}

/* Double t's capacity; 0, or -1 when it is at its bound or memory is short. */
static int grow(struct engine_proc *p, struct engine_rec_table *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 64, i, j;
	struct rec_slot *n;

	if (t->n >= RECTABLE_MAX || !(n = p->fe->alloc(p->fe_ctx, ncap * sizeof *n)))
		return -1;
	for (j = 0; j < t->cap; j++) {
		const struct rec_slot *s = &t->slots[j];

		if (!s->k1 && !s->k2)
			continue;
		for (i = home(s->k1, s->k2, ncap); n[i].k1 || n[i].k2; i = (i + 1) & (ncap - 1))
			;
		n[i] = *s;
	}
	p->fe->free(p->fe_ctx, t->slots);
	t->slots = n;
	t->cap = ncap;
	return 0;
}

struct rec_slot *rectable_get(struct engine_proc *p, struct engine_rec_table *t, uint64_t k1,
			      uint64_t k2)
{
	size_t i;

	if (!k1 && !k2)
		k2 = 1;
	if ((t->n + 1) * 2 > t->cap)
		(void)grow(p, t); /* when it cannot: only the keys there are */
	if (!t->cap)
		return NULL;
	for (i = home(k1, k2, t->cap); t->slots[i].k1 || t->slots[i].k2; i = (i + 1) & (t->cap - 1))
		if (t->slots[i].k1 == k1 && t->slots[i].k2 == k2)
			return &t->slots[i];
	if ((t->n + 1) * 2 > t->cap)
		return NULL;
	memset(&t->slots[i], 0, sizeof t->slots[i]);
	t->slots[i].k1 = k1;
	t->slots[i].k2 = k2;
	t->slots[i].id = (uint32_t)++t->n;
	return &t->slots[i];
}

void rectable_forget(struct engine_rec_table *t)
{
	t->slots = NULL;
	t->cap = t->n = 0;
}

void rectable_free(struct engine_proc *p, struct engine_rec_table *t)
{
	p->fe->free(p->fe_ctx, t->slots);
	rectable_forget(t);
}
