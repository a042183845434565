/* alignwaste.c: see alignwaste.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "policy/engine/alignwaste.h"
#include "policy/engine/findings.h"
#include "policy/engine/frontend.h"
#include "policy/engine/proc.h"
#include "policy/engine/stacks.h"
#include "policy/pages.h"

/* Call sites counted: open addressing on the stack id (0 = free slot). A process with more
 * page-aligned allocation sites than this has the rest uncounted. */
#define SITES 1024

struct aw_site {
	uint32_t stack;
	const char *op;
	uint64_t calls;                       /* page-aligned allocations here */
	uint64_t locked, requested, reserved; /* ... of them then locked or advised */
}; /* p->aw.sites: SITES of them, allocated at the first page-aligned allocation */

/* The live page-aligned blocks, by address: open addressing over the arena, with tombstones. A
 * block is counted once, when a lock or advice call first names some of its first page, and
 * leaves the table when it is freed. */
struct aw_block {
	uintptr_t p;      /* 0: empty; 1: deleted */
	uint64_t size;
	uint32_t stack;
	uint32_t site;    /* its call site's slot in p->aw.sites */
	int counted;
	const char *op;
};
/* p->aw.tab, of p->aw.tab_cap slots; p->aw.tab_used: live + deleted */

static size_t hash(uintptr_t p, size_t cap)
{
	return (size_t)((p >> 12) * 0x9e3779b97f4a7c15ull >> 17) & (cap - 1);
}

static struct aw_block *find(struct engine_proc *p, uintptr_t blk)
{
	size_t i, n;

	if (!p->aw.tab_live)
		return NULL;
	for (i = hash(blk, p->aw.tab_cap), n = 0; n < p->aw.tab_cap; i = (i + 1) & (p->aw.tab_cap - 1), n++) {
		if (p->aw.tab[i].p == blk)
			return &p->aw.tab[i];
		if (!p->aw.tab[i].p)
			return NULL;
	}
	return NULL;
}

static void put(struct engine_proc *p, uintptr_t blk, uint64_t size, uint32_t stack, uint32_t site,
		const char *op);

/* Room for one more entry: rebuilt at twice the live count (at least 256) when half full. */
static int reserve_one(struct engine_proc *p)
{
	struct aw_block *old = p->aw.tab;
	size_t oldcap = p->aw.tab_cap, i, ncap = 256;

	if ((p->aw.tab_used + 1) * 2 <= p->aw.tab_cap)
		return 0;
	while (ncap < (p->aw.tab_live + 1) * 4)
		ncap *= 2;
	p->aw.tab = p->fe->alloc(p->fe_ctx, (ncap) * sizeof *p->aw.tab);
	if (!p->aw.tab) {
		p->aw.tab = old;
		return -1;
	}
	p->aw.tab_cap = ncap;
	p->aw.tab_used = p->aw.tab_live = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].p > 1)
			put(p, old[i].p, old[i].size, old[i].stack, old[i].site, old[i].op);
	p->fe->free(p->fe_ctx, old);
	return 0;
}

static void put(struct engine_proc *p, uintptr_t blk, uint64_t size, uint32_t stack, uint32_t site,
		const char *op)
{
	size_t i = hash(blk, p->aw.tab_cap);

	while (p->aw.tab[i].p > 1)
		i = (i + 1) & (p->aw.tab_cap - 1);
	if (!p->aw.tab[i].p)
		p->aw.tab_used++;
	p->aw.tab[i] = (struct aw_block){blk, size, stack, site, 0, op};
	p->aw.tab_live++;
}

static void take(struct engine_proc *p, struct aw_block *b)
{
	b->p = 1;
	p->aw.tab_live--;
}

static void publish_live(struct engine_proc *p)
{
	__atomic_store_n(&p->aw.live, p->aw.tab_live != 0, __ATOMIC_RELAXED);
}

/* The slot of stack, NULL when the table is full. Lock held. */
static struct aw_site *slot(struct engine_proc *p, uint32_t stack)
{
	size_t i = (stack * 0x9e3779b1u) & (SITES - 1), n;

	if (!p->aw.sites && !(p->aw.sites = p->fe->alloc(p->fe_ctx, (SITES) * sizeof *p->aw.sites)))
		return NULL;
	for (n = 0; n < SITES; n++, i = (i + 1) & (SITES - 1)) {
		if (p->aw.sites[i].stack == stack)
			return &p->aw.sites[i];
		if (!p->aw.sites[i].stack) {
			p->aw.sites[i].stack = stack;
			return &p->aw.sites[i];
		}
	}
	return NULL;
}

void engine_aligned_alloc(struct engine_proc *p, const char *op, const void *blk, size_t size,
			  const struct engine_frames *f)
{
	struct engine_frames cap;
	struct aw_site *s;
	uint32_t id;
	struct aw_block *old;

	if (!f) {
		p->fe->capture(p->fe_ctx, &cap);
		f = &cap;
	}
	p->fe->lock(p->fe_ctx);
	if (p->exited) {
		p->fe->unlock(p->fe_ctx);
		return;
	}
	id = engine_stack_intern(p, f);
	s = id ? slot(p, id) : NULL;
	if (s) {
		s->op = op;
		s->calls++;
		/* freed behind our back (a free we did not see): the new block wins */
		if ((old = find(p, (uintptr_t)blk)))
			take(p, old);
		if (reserve_one(p) == 0)
			put(p, (uintptr_t)blk, size, id, (uint32_t)(s - p->aw.sites), op);
		publish_live(p);
	}
	p->fe->unlock(p->fe_ctx);
}

void engine_aligned_free(struct engine_proc *p, const void *blk)
{
	struct aw_block *b;

	p->fe->lock(p->fe_ctx);
	if ((b = find(p, (uintptr_t)blk)))
		take(p, b);
	publish_live(p);
	p->fe->unlock(p->fe_ctx);
}

/* Count block b as locked or advised, once (at its site's slot: a slot keeps its stack until
 * alignwaste_reset, which empties the blocks too). */
static void count(struct engine_proc *p, struct aw_block *b)
{
	struct aw_site *st = b->counted ? NULL : &p->aw.sites[b->site];

	if (st) {
		st->op = b->op;
		st->locked++;
		st->requested += b->size;
		/* the object starts on a page boundary: it keeps every page it reaches to itself */
		st->reserved += page_up(b->size ? b->size : 1, p->page_size);
	}
	b->counted = 1;
}

void alignwaste_protected(struct engine_proc *p, uintptr_t s, uintptr_t e)
{
	uintptr_t pg = p->real_page_size, q;
	struct aw_block *b;
	size_t i;

	if (!p->aw.tab_live || e <= s)
		return;
	/* Blocks start on a page: probe each page the call names when that is fewer lookups than
	 * the table has slots (a probe stops at the first empty one: the table is at most half
	 * full), else look at every slot. A block is counted when the call names bytes of its first
	 * page (a small secret has only that one). */
	if ((e - s) / pg < p->aw.tab_cap / 8) {
		for (q = s & ~(pg - 1); q < e && q >= (s & ~(pg - 1)); q += pg)
			if ((b = find(p, q)))
				count(p, b);
	} else {
		for (i = 0; i < p->aw.tab_cap; i++)
			if (p->aw.tab[i].p > 1 && p->aw.tab[i].p < e && s < p->aw.tab[i].p + pg)
				count(p, &p->aw.tab[i]);
	}
}

int alignwaste_block_covers(struct engine_proc *p, uintptr_t s, uintptr_t e)
{
	const struct aw_block *b = find(p, s);

	return b && e > s && e - s <= b->size;
}

void alignwaste_at_exit(struct engine_proc *p)
{
	char msg[400];
	size_t i;

	for (i = 0; p->aw.sites && i < SITES; i++) {
		const struct aw_site *s = &p->aw.sites[i];

		if (!s->locked || s->reserved < ALIGN_WASTE_RATIO * s->requested)
			continue;
		snprintf(msg, sizeof msg,
			 "%s: %llu page-aligned allocation%s here, %llu of them then locked or advised: those reserve %llu bytes for %llu requested (%llux); sub-allocate small secrets from one locked pool instead of giving each its own pages",
			 s->op, (unsigned long long)s->calls, s->calls == 1 ? "" : "s",
			 (unsigned long long)s->locked, (unsigned long long)s->reserved,
			 (unsigned long long)s->requested,
			 (unsigned long long)(s->requested ? s->reserved / s->requested : 0));
		finding(p, RULE_ALIGN_WASTE, 0, s->stack, 0, msg);
	}
}

void alignwaste_reset(struct engine_proc *p)
{
	if (p->aw.sites)
		memset(p->aw.sites, 0, SITES * sizeof *p->aw.sites);
	/* the child's log starts afresh: the blocks the parent allocated are not the child's sites */
	if (p->aw.tab)
		memset(p->aw.tab, 0, p->aw.tab_cap * sizeof *p->aw.tab);
	p->aw.tab_used = p->aw.tab_live = 0;
	publish_live(p);
}
