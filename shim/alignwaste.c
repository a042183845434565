/* alignwaste.c: see alignwaste.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/frontend.h"
#include "alignwaste.h"
#include "arena.h"
#include "findings.h"
#include "policy/pages.h"
#include "stack.h"
#include "state.h"

/* Call sites counted: open addressing on the stack id (0 = free slot). A process with more
 * page-aligned allocation sites than this has the rest uncounted. */
#define SITES 1024

static struct site {
	uint32_t stack;
	const char *op;
	uint64_t calls;                       /* page-aligned allocations here */
	uint64_t locked, requested, reserved; /* ... of them then locked or advised */
} sites[SITES];

/* The live page-aligned blocks, by address: open addressing over the arena, with tombstones. A
 * block is counted once, when a lock or advice call first names some of its first page, and
 * leaves the table when it is freed. */
struct block {
	uintptr_t p;      /* 0: empty; 1: deleted */
	uint64_t size;
	uint32_t stack;
	int counted;
	const char *op;
};
static struct block *tab;
static size_t tab_cap, tab_used, tab_live; /* used: live + deleted */
int alignwaste_live;

static size_t hash(uintptr_t p, size_t cap)
{
	return (size_t)((p >> 12) * 0x9e3779b97f4a7c15ull >> 17) & (cap - 1);
}

static struct block *find(uintptr_t p)
{
	size_t i, n;

	if (!tab_live)
		return NULL;
	for (i = hash(p, tab_cap), n = 0; n < tab_cap; i = (i + 1) & (tab_cap - 1), n++) {
		if (tab[i].p == p)
			return &tab[i];
		if (!tab[i].p)
			return NULL;
	}
	return NULL;
}

static void put(uintptr_t p, uint64_t size, uint32_t stack, const char *op);

/* Room for one more entry: rebuilt at twice the live count (at least 256) when half full. */
static int reserve_one(void)
{
	struct block *old = tab;
	size_t oldcap = tab_cap, i, ncap = 256;

	if ((tab_used + 1) * 2 <= tab_cap)
		return 0;
	while (ncap < (tab_live + 1) * 4)
		ncap *= 2;
	tab = arena_calloc(ncap, sizeof *tab);
	if (!tab) {
		tab = old;
		return -1;
	}
	tab_cap = ncap;
	tab_used = tab_live = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].p > 1)
			put(old[i].p, old[i].size, old[i].stack, old[i].op);
	arena_free(old);
	return 0;
}

static void put(uintptr_t p, uint64_t size, uint32_t stack, const char *op)
{
	size_t i = hash(p, tab_cap);

	while (tab[i].p > 1)
		i = (i + 1) & (tab_cap - 1);
	if (!tab[i].p)
		tab_used++;
	tab[i] = (struct block){p, size, stack, 0, op};
	tab_live++;
}

static void take(struct block *b)
{
	b->p = 1;
	tab_live--;
}

static void publish_live(void)
{
	__atomic_store_n(&alignwaste_live, tab_live != 0, __ATOMIC_RELAXED);
}

/* The slot of stack, NULL when the table is full. Lock held. */
static struct site *slot(uint32_t stack)
{
	size_t i = (stack * 0x9e3779b1u) & (SITES - 1), n;

	for (n = 0; n < SITES; n++, i = (i + 1) & (SITES - 1)) {
		if (sites[i].stack == stack)
			return &sites[i];
		if (!sites[i].stack) {
			sites[i].stack = stack;
			return &sites[i];
		}
	}
	return NULL;
}

void alignwaste_note(const char *op, const void *p, size_t size)
{
	struct engine_frames cap;
	struct site *s;
	uint32_t id;
	struct block *old;

	S.fe->capture(S.fe_ctx, &cap);
	S.fe->lock(S.fe_ctx);
	if (S.exited) {
		S.fe->unlock(S.fe_ctx);
		return;
	}
	id = stack_intern(&cap);
	s = id ? slot(id) : NULL;
	if (s) {
		s->op = op;
		s->calls++;
		if ((old = find((uintptr_t)p)))
			take(old); /* freed behind our back (a free we did not see): the new block wins */
		if (reserve_one() == 0)
			put((uintptr_t)p, size, id, op);
		publish_live();
	}
	S.fe->unlock(S.fe_ctx);
}

void alignwaste_forget(const void *p)
{
	struct block *b;

	S.fe->lock(S.fe_ctx);
	if ((b = find((uintptr_t)p)))
		take(b);
	publish_live();
	S.fe->unlock(S.fe_ctx);
}

/* Count block b as locked or advised, once. */
static void count(struct block *b)
{
	struct site *st = b->counted ? NULL : slot(b->stack);

	if (st) {
		st->op = b->op;
		st->locked++;
		st->requested += b->size;
		/* the object starts on a page boundary: it keeps every page it reaches to itself */
		st->reserved += page_up(b->size ? b->size : 1, S.page_size);
	}
	b->counted = 1;
}

void alignwaste_protected(uintptr_t s, uintptr_t e)
{
	uintptr_t pg = S.real_page_size, q;
	struct block *b;
	size_t i;

	if (!tab_live || e <= s)
		return;
	/* Blocks start on a page: probe each page the call names when there are fewer pages than
	 * blocks, else look at every block. A block is counted when the call names bytes of its
	 * first page (a small secret has only that one). */
	if ((e - s) / pg < tab_live) {
		for (q = s & ~(pg - 1); q < e && q >= (s & ~(pg - 1)); q += pg)
			if ((b = find(q)))
				count(b);
	} else {
		for (i = 0; i < tab_cap; i++)
			if (tab[i].p > 1 && tab[i].p < e && s < tab[i].p + pg)
				count(&tab[i]);
	}
}

int alignwaste_block_covers(uintptr_t s, uintptr_t e)
{
	const struct block *b = find(s);

	return b && e > s && e - s <= b->size;
}

void alignwaste_at_exit(void)
{
	char msg[400];
	size_t i;

	for (i = 0; i < SITES; i++) {
		const struct site *s = &sites[i];

		if (!s->locked || s->reserved < ALIGN_WASTE_RATIO * s->requested)
			continue;
		snprintf(msg, sizeof msg,
			 "%s: %llu page-aligned allocation%s here, %llu of them then locked or advised: those reserve %llu bytes for %llu requested (%llux); sub-allocate small secrets from one locked pool instead of giving each its own pages",
			 s->op, (unsigned long long)s->calls, s->calls == 1 ? "" : "s",
			 (unsigned long long)s->locked, (unsigned long long)s->reserved,
			 (unsigned long long)s->requested,
			 (unsigned long long)(s->requested ? s->reserved / s->requested : 0));
		finding(RULE_ALIGN_WASTE, 0, s->stack, 0, msg);
	}
}

void alignwaste_reset(void)
{
	memset(sites, 0, sizeof sites);
	/* the child's log starts afresh: the blocks the parent allocated are not the child's sites */
	if (tab)
		memset(tab, 0, tab_cap * sizeof *tab);
	tab_used = tab_live = 0;
	publish_live();
}
