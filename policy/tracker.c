/* tracker.c: disjoint page ranges with attributes, in a treap driven by split and merge.
 *
 * Representation. Every stored range is a node [start, end) with attrs != 0 and a site per set
 * attribute bit (site[i] == 0 whenever bit i is clear, so that equal protections compare equal).
 * Ranges are disjoint and maximal: two adjacent nodes never carry identical attrs and sites. Nodes
 * are ordered by start; since they are disjoint, that is also the order of their ends.
 *
 * Balance. A treap: a binary search tree on start that is a max-heap on a random priority drawn from
 * the tracker's own generator, so the expected depth is O(log n) whatever the addresses are.
 *
 * Updates. tracker_set/clear/remove all go through update(): split the tree into L (ranges wholly
 * before start, not even touching it), M (ranges overlapping [start, end) or adjacent to it, so
 * that the neighbours take part in coalescing) and R (wholly after). M is flattened into a sorted
 * list, rewritten into a new sorted list, rebuilt into a treap in linear time, and merged back.
 * Split and merge cost O(depth), flattening and rebuilding O(k): O(log n + k) per operation.
 * Two shortcuts give the same result (issue 13, the common calls): an op that changes nothing in
 * the one range holding [start, end) returns before the split, and when M is empty or the one
 * range [start, end) that range is made, changed or freed in place. A third, update_lone, takes the
 * shapes of the lock loop's trackers (empty, or one range made and undone whole) before any split
 * or merge; tests/unit/test_tracker_lone.c holds it to the general path on random operations.
 *
 * Memory. Every node a rewrite can need is counted and allocated before anything changes; if that
 * fails, M is rebuilt unchanged and the operation returns -1. Nodes that a rewrite frees (coalesced
 * or cleared ranges) are returned to the caller's allocator, but one, kept as a spare for the next
 * node needed alone. The tracker never calls malloc.
 *
 * Address arithmetic. Only comparisons and differences of bounds a < b: nothing is ever added to an
 * address, so ranges may end anywhere up to UINTPTR_MAX (the one value an end cannot usefully take
 * is 2^64, which the kernel refuses too: see pages.h).
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <string.h>

/* Linked into the preload library: keep the tracker out of its dynamic symbol table even when a
 * caller builds this file without -fvisibility=hidden. Popped at the end of the file. */
#pragma GCC visibility push(hidden)

#include "policy/tracker.h"

struct node {
	uintptr_t start, end;
	struct node *left, *right;      /* tree children; `right` also links lists and free pools */
	uint32_t prio;
	unsigned attrs;
	uint32_t site[TRACK_NATTRS];
};

struct tracker {
	struct node *root;
	struct tracker_alloc alloc;
	unsigned shift;                 /* log2(page size) */
	size_t locked;                  /* pages carrying TRACK_LOCKED */
	uintptr_t lo, hi;               /* bounds of the tracked pages, [0, 0) when empty */
	uint64_t changes;               /* updates that got past unchanged() */
	uint64_t rng;                   /* splitmix64 state for priorities */
	struct node *spare;             /* one freed node kept for the next reserve of one */
};

/* What update() does to each page of its range: attrs become (attrs & ~clear) | set, and the bits
 * in `set` take `site`. Filled in with the pages that gained and lost TRACK_LOCKED. */
struct op {
	unsigned clear, set;
	uint32_t site;
	size_t gained, lost;
};

/* The list a rewrite produces, linked through `right`, and the pool it takes nodes from. A dry
 * rewrite touches no node: it only tracks the tail's content and counts how many nodes beyond the
 * consumed ones the real rewrite will need (the peak of emitted - consumed). */
struct out {
	int dry;
	struct node *head, *tail;
	struct node *pool;
	int have_tail;
	uintptr_t tail_end;             /* content of the last emitted range, dry or not */
	unsigned tail_attrs;
	uint32_t tail_site[TRACK_NATTRS];
	size_t consumed, emitted, need;
};

/* ---- allocation ------------------------------------------------------------------------------ */

/* Next priority: splitmix64 over the tracker's state. Deterministic, so runs are reproducible. */
static uint32_t next_prio(struct tracker *t)
{
	uint64_t z = (t->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Give every node of the pool (linked through `right`) back to the allocator. */
static void release_all(struct tracker *t, struct node *pool)
{
	while (pool) {
		struct node *next = pool->right;

		t->alloc.free(pool, sizeof(*pool), t->alloc.ctx);
		pool = next;
	}
}

/* release_all, but one node kept as the tracker's spare when it has none: a lone range made and
 * undone per call (the lock loop's trackers, issue 13) then costs no allocator call and no new
 * priority (reserve). */
static void release(struct tracker *t, struct node *pool)
{
	if (pool && !t->spare) {
		t->spare = pool;
		pool = pool->right;
		t->spare->right = NULL;
	}
	release_all(t, pool);
}

/* Push `need` fresh nodes, each with a new priority, onto *pool. Returns 0, or -1 when the
 * allocator fails, in which case the nodes taken so far are given back and *pool is unchanged. */
static int reserve(struct tracker *t, struct node **pool, size_t need)
{
	struct node *got = NULL;

	if (need == 1) { /* the common case (update_simple), without the lists */
		/* the spare keeps the priority it was drawn with: drawn independently of every key,
		 * and no node in the tree has it any more, so the treap stays a treap of independent
		 * priorities (a rewrite frees nodes by their ranges, not by their priorities) */
		if ((got = t->spare) != NULL)
			t->spare = NULL;
		else if ((got = t->alloc.alloc(sizeof(*got), t->alloc.ctx)) != NULL)
			got->prio = next_prio(t);
		else
			return -1;
		got->right = *pool;
		*pool = got;
		return 0;
	}
	for (size_t i = 0; i < need; i++) {
		struct node *n = t->alloc.alloc(sizeof(*n), t->alloc.ctx);

		if (!n) {
			release_all(t, got);
			return -1;
		}
		n->prio = next_prio(t);
		n->right = got;
		got = n;
	}
	while (got) {
		struct node *next = got->right;

		got->right = *pool;
		*pool = got;
		got = next;
	}
	return 0;
}

/* ---- treap shape ----------------------------------------------------------------------------- */

/* Split the treap n into *l and *r, both treaps, in order. With by_end, *l takes the nodes whose
 * end < key; otherwise the nodes whose start <= key. Both predicates hold on a prefix of the order
 * because ranges are disjoint. O(depth), iterative. */
static void split(struct node *n, uintptr_t key, int by_end, struct node **l, struct node **r)
{
	while (n) {
		int left = by_end ? n->end < key : n->start <= key;

		if (left) {
			*l = n;
			l = &n->right;
			n = n->right;
		} else {
			*r = n;
			r = &n->left;
			n = n->left;
		}
	}
	*l = NULL;
	*r = NULL;
}

/* Merge treaps a and b, every node of a being before every node of b. O(depth), iterative. */
static struct node *merge(struct node *a, struct node *b)
{
	struct node *root = NULL, **link = &root;

	while (a && b) {
		if (a->prio > b->prio) {
			*link = a;
			link = &a->right;
			a = a->right;
		} else {
			*link = b;
			link = &b->left;
			b = b->left;
		}
	}
	*link = a ? a : b;
	return root;
}

/* Turn the treap n into a sorted list linked through `right` (every `left` NULL) by right
 * rotations, in O(size) time and O(1) space. Returns the head. */
static struct node *flatten(struct node *n)
{
	struct node *head = NULL, **tail = &head;

	while (n) {
		if (n->left) {
			struct node *l = n->left;

			n->left = l->right;
			l->right = n;
			n = l;
		} else {
			*tail = n;
			tail = &n->right;
			n = n->right;
		}
	}
	return head;
}

/* Build a treap from a sorted list linked through `right`, keeping each node's priority: the
 * linear Cartesian-tree construction. The right spine is kept as a stack whose links are the
 * spine's own `right` pointers, reversed (bottom to top) until the end. Returns the root. */
static struct node *rebuild(struct node *list)
{
	struct node *bottom = NULL;

	while (list) {
		struct node *x = list, *last = NULL;

		list = list->right;
		while (bottom && bottom->prio < x->prio) {
			struct node *up = bottom->right;

			bottom->right = last;
			last = bottom;
			bottom = up;
		}
		x->left = last;
		x->right = bottom;
		bottom = x;
	}
	struct node *last = NULL;

	while (bottom) {
		struct node *up = bottom->right;

		bottom->right = last;
		last = bottom;
		bottom = up;
	}
	return last;
}

/* Recompute the cached bounds from the leftmost and rightmost nodes. O(depth). */
static void update_bounds(struct tracker *t)
{
	const struct node *n = t->root;

	if (!n) {
		t->lo = t->hi = 0;
		return;
	}
	while (n->left)
		n = n->left;
	t->lo = n->start;
	for (n = t->root; n->right; n = n->right)
		;
	t->hi = n->end;
}

/* ---- rewriting a run of ranges --------------------------------------------------------------- */

/* Append [s, e) with (attrs, site) to o's list: nothing when it is empty or attrs == 0, an
 * extension of the tail when the tail touches it with the same content (coalescing), else a new
 * range, which a real rewrite takes from the pool. The dry run sized the pool by the peak of
 * emitted - consumed, so the pool is never empty here. */
static void emit(struct out *o, uintptr_t s, uintptr_t e, unsigned attrs, const uint32_t *site)
{
	struct node *n;

	if (s >= e || attrs == 0)
		return;
	if (o->have_tail && o->tail_end == s && o->tail_attrs == attrs &&
	    memcmp(o->tail_site, site, sizeof(o->tail_site)) == 0) {
		o->tail_end = e;
		if (!o->dry)
			o->tail->end = e;
		return;
	}
	o->have_tail = 1;
	o->tail_end = e;
	o->tail_attrs = attrs;
	memcpy(o->tail_site, site, sizeof(o->tail_site));
	if (++o->emitted > o->consumed && o->emitted - o->consumed > o->need)
		o->need = o->emitted - o->consumed;
	if (o->dry)
		return;
	n = o->pool;
	o->pool = n->right;
	n->start = s;
	n->end = e;
	n->attrs = attrs;
	memcpy(n->site, site, sizeof(n->site));
	n->left = n->right = NULL;
	if (o->tail)
		o->tail->right = n;
	else
		o->head = n;
	o->tail = n;
}

/* What op makes of pages carrying (attrs, site): the new attrs, and their sites into nsite. */
static unsigned apply_op(const struct op *op, unsigned attrs, const uint32_t *site, uint32_t *nsite)
{
	/* op's fields in locals: nsite may alias them, which made the loop reload them per bit */
	unsigned set = op->set, now = (attrs & ~op->clear) | set;
	uint32_t osite = op->site;

#pragma GCC unroll 4
	for (unsigned i = 0; i < TRACK_NATTRS; i++) {
		unsigned bit = 1u << i;

		nsite[i] = (set & bit) ? osite : (now & bit) ? site[i] : 0;
	}
	return now;
}

/* Apply op to pages [s, e) that carried (attrs, site), counting TRACK_LOCKED transitions in op,
 * and emit the result. Bits the op sets take its site; bits it clears lose theirs. */
static void emit_changed(struct tracker *t, struct out *o, struct op *op, uintptr_t s, uintptr_t e,
			 unsigned attrs, const uint32_t *site)
{
	uint32_t nsite[TRACK_NATTRS];
	unsigned now;
	size_t pages;

	if (s >= e)
		return;
	pages = (e - s) >> t->shift;
	now = apply_op(op, attrs, site, nsite);
	if ((attrs & TRACK_LOCKED) && !(now & TRACK_LOCKED))
		op->lost += pages;
	if (!(attrs & TRACK_LOCKED) && (now & TRACK_LOCKED))
		op->gained += pages;
	emit(o, s, e, now, nsite);
}

/* Rewrite the sorted list (every range overlapping or touching [start, end)) into o: parts outside
 * [start, end) are kept, parts inside are changed by op, gaps inside are filled when op sets bits.
 * A real rewrite puts each input node in the pool before emitting its parts, so nodes are reused
 * in place; leftovers stay in o->pool. A dry rewrite leaves the list alone and sets o->need: a
 * clear or remove needs at most 2 nodes (splits at start and end), a set one more per gap. */
static void rewrite(struct tracker *t, struct node *list, uintptr_t start, uintptr_t end,
		    struct op *op, struct out *o)
{
	static const uint32_t nosite[TRACK_NATTRS];
	uintptr_t cursor = start;

	while (list) {
		struct node old = *list;

		if (!o->dry) {
			list->right = o->pool;
			o->pool = list;
		}
		o->consumed++;
		list = old.right;
		if (old.start > cursor && cursor < end)
			emit_changed(t, o, op, cursor, old.start < end ? old.start : end, 0, nosite);
		if (old.start < start)
			emit(o, old.start, old.end < start ? old.end : start, old.attrs, old.site);
		emit_changed(t, o, op, old.start > start ? old.start : start,
			     old.end < end ? old.end : end, old.attrs, old.site);
		if (old.end > end)
			emit(o, old.start > end ? old.start : end, old.end, old.attrs, old.site);
		if (old.end > cursor)
			cursor = old.end;
	}
	if (cursor < end)
		emit_changed(t, o, op, cursor, end, 0, nosite);
}

/* update() when the ranges overlapping or touching [start, end) are none (*m NULL), or the one node
 * *m, of exactly [start, end) or, for an op that only clears, inside it (issue 13: a lock, advice
 * or region added where nothing is, or undone whole; the same call again). Nothing to split, no
 * gap to fill, nothing to coalesce with: a neighbour touching [start, end) would be in M. The
 * same result as rewrite()'s, without a dry run, a list or a rebuild. Returns 0 with *m what is to
 * be put back (NULL: nothing), or -1 when out of memory (*m unchanged). */
static int update_simple(struct tracker *t, struct node **m, uintptr_t start, uintptr_t end, struct op *op)
{
	static const uint32_t nosite[TRACK_NATTRS];
	uint32_t nsite[TRACK_NATTRS];
	struct node *n = *m;
	unsigned attrs = n ? n->attrs : 0;
	const uint32_t *site = n ? n->site : nosite;
	unsigned now = apply_op(op, attrs, site, nsite);
	size_t pages = ((n ? n->end : end) - (n ? n->start : start)) >> t->shift;

	if (now == attrs && memcmp(nsite, site, sizeof(nsite)) == 0)
		return 0;       /* nothing changes */
	if (!n && reserve(t, &n, 1) < 0)
		return -1;
	if ((attrs & TRACK_LOCKED) && !(now & TRACK_LOCKED))
		op->lost = pages;
	if (!(attrs & TRACK_LOCKED) && (now & TRACK_LOCKED))
		op->gained = pages;
	t->locked = t->locked + op->gained - op->lost;
	if (!now) {
		release(t, n);  /* alone: its `right` is NULL */
		*m = NULL;
		return 0;
	}
	if (!*m) {
		n->start = start;
		n->end = end;
		n->left = n->right = NULL;
	}
	n->attrs = now;
	memcpy(n->site, nsite, sizeof(nsite));
	*m = n;
	return 0;
}

/* Does op leave [start, end) as it is, the range lying in one node whose content op keeps (the
 * same lock or advice again)? O(depth), changes nothing. */
static int unchanged(const struct tracker *t, uintptr_t start, uintptr_t end, const struct op *op)
{
	const struct node *n = t->root;

	while (n && !(n->start <= start && start < n->end))
		n = n->end <= start ? n->right : n->left;
	if (!n || n->end < end || ((n->attrs & ~op->clear) | op->set) != n->attrs)
		return 0;
	for (unsigned i = 0; i < TRACK_NATTRS; i++)
		if ((op->set & (1u << i)) && n->site[i] != op->site)
			return 0;
	return 1;
}

/* TRACKER_NO_LONE: tests/unit/test_tracker_lone.c builds the general paths alone, without update_lone
 * and without the bounds and lone-range shortcuts of tracker_query and tracker_foreach. */
#ifndef TRACKER_NO_LONE
static const uint32_t no_sites[TRACK_NATTRS]; /* the sites of pages that carry no bit */

/* update() on a tracker that is empty or holds one range (issue 13: the lock loop's trackers, a
 * lone lock or region made and undone, per call): the same result as the general path below, the
 * same priority drawn and the same change count, without a split, a merge or a bounds walk. Returns
 * 1 when done (*rc: update's result), 0 when the general path must run. */
static inline __attribute__((always_inline)) int update_lone(struct tracker *t, uintptr_t start, uintptr_t end,
							   struct op *op, int *rc)
{
	struct node *n = t->root;

	*rc = 0;
	if (!n) {
		/* M is empty: update_simple makes [start, end) when op sets bits, else nothing */
		t->changes++;
		if (!op->set)
			return 1;
		if (reserve(t, &n, 1) < 0) {
			*rc = -1;
			return 1;
		}
		n->start = start;
		n->end = end;
		n->left = n->right = NULL;
		if (!(op->set & (op->set - 1))) {
			/* one bit (a lock, an advice): the sites cleared at once, then its own set */
			n->attrs = op->set;
			memset(n->site, 0, sizeof n->site);
			n->site[__builtin_ctz(op->set)] = op->site;
		} else {
			n->attrs = apply_op(op, 0, no_sites, n->site);
		}
		if (op->set & TRACK_LOCKED) {
			op->gained = (end - start) >> t->shift;
			t->locked += op->gained;
		}
		t->root = n;
		t->lo = start;
		t->hi = end;
		return 1;
	}
	if (n->left || n->right)
		return 0;
	if (!op->set && start <= n->start && n->end <= end) {
		/* a clear over the whole of the one range: its bits go, the node too when none stay */
		unsigned now = n->attrs & ~op->clear;

		if (now == n->attrs) {
			/* unchanged() only when the node holds [start, end), i.e. is it */
			t->changes += !(n->start == start && n->end == end);
			return 1;
		}
		t->changes++;
		if ((n->attrs & TRACK_LOCKED) && !(now & TRACK_LOCKED)) {
			op->lost = (n->end - n->start) >> t->shift;
			t->locked -= op->lost;
		}
		if (!now) {
			release(t, n);  /* alone: its `right` is NULL */
			t->root = NULL;
			t->lo = t->hi = 0;
			return 1;
		}
		/* apply_op's result for a clear, without its per-bit tests of set (issue 13) */
#pragma GCC unroll 4
		for (unsigned i = 0; i < TRACK_NATTRS; i++)
			if (!(now & (1u << i)))
				n->site[i] = 0;
		n->attrs = now;
		return 1;
	}
	if (n->start == start && n->end == end) {
		/* exactly the one range: changed in place (bounds stay) */
		if (unchanged(t, start, end, op))
			return 1;
		t->changes++;
		*rc = update_simple(t, &t->root, start, end, op);
		if (!t->root)
			t->lo = t->hi = 0;
		return 1;
	}
	return 0;
}
#endif

static int update_general(struct tracker *t, uintptr_t start, uintptr_t end, struct op *op);

/* Apply op to [start, end) (page-aligned, start < end for anything to happen). Returns 0 with
 * op->gained/lost filled in, or -1 when out of memory with the tracker unchanged. Inlined with
 * update_lone into each public function, where op is a constant: the shortcut's tests fold. */
static inline __attribute__((always_inline)) int update(struct tracker *t, uintptr_t start, uintptr_t end,
						      struct op *op)
{
	int rc;

	op->gained = op->lost = 0;
	op->set &= TRACK_ALL;
	op->clear &= TRACK_ALL;
	if (start >= end)
		return 0;
#ifndef TRACKER_NO_LONE
	if (update_lone(t, start, end, op, &rc))
		return rc;
#else
	(void)rc;
#endif
	return update_general(t, start, end, op);
}

/* update() for any tracker: op already masked, start < end. */
static __attribute__((noinline)) int update_general(struct tracker *t, uintptr_t start, uintptr_t end,
						    struct op *op)
{
	struct node *l, *m, *r, *list;
	struct out o;
	size_t need;

	if (unchanged(t, start, end, op))
		return 0;
	t->changes++;
	split(t->root, start, 1, &l, &m);
	split(m, end, 0, &m, &r);
	if (!m || (!m->left && !m->right && ((m->start == start && m->end == end) ||
					     (!op->set && start <= m->start && m->end <= end)))) {
		int rc = update_simple(t, &m, start, end, op);

		t->root = merge(merge(l, m), r);
		update_bounds(t);
		return rc;
	}
	list = flatten(m);
	o = (struct out){ .dry = 1 };
	rewrite(t, list, start, end, op, &o);   /* dry: how many new nodes */
	need = o.need;
	o = (struct out){ .dry = 0 };
	op->gained = op->lost = 0;
	if (reserve(t, &o.pool, need) < 0) {
		t->root = merge(merge(l, rebuild(list)), r);
		return -1;
	}
	rewrite(t, list, start, end, op, &o);
	t->root = merge(merge(l, rebuild(o.head)), r);
	release(t, o.pool);
	t->locked = t->locked + op->gained - op->lost;
	update_bounds(t);
	return 0;
}

/* ---- public interface ------------------------------------------------------------------------ */

/* Create an empty tracker for pages of page_size bytes. NULL when page_size is not a power of two,
 * when alloc (or one of its functions) is missing, or when out of memory. The allocator is copied. */
struct tracker *tracker_new(size_t page_size, const struct tracker_alloc *alloc)
{
	struct tracker *t;

	if (page_size == 0 || (page_size & (page_size - 1)) != 0)
		return NULL;
	if (!alloc || !alloc->alloc || !alloc->free)
		return NULL;
	t = alloc->alloc(sizeof(*t), alloc->ctx);
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->alloc = *alloc;
	t->shift = (unsigned)__builtin_ctzl((unsigned long)page_size);
	t->rng = 0x6d656d6175646974ull;         /* "memaudit" */
	return t;
}

/* Free every node and the tracker itself through its allocator. NULL is a no-op. */
void tracker_destroy(struct tracker *t)
{
	struct tracker_alloc a;

	if (!t)
		return;
	release_all(t, flatten(t->root));
	release_all(t, t->spare);   /* alone: release cut its `right` */
	a = t->alloc;
	a.free(t, sizeof(*t), a.ctx);
}

/* Set attrs on [start, end) from site; see tracker.h. The kernel charges only pages that were not
 * VM_LOCKED yet (mm/mlock.c, mlock_fixup: `else if (old_flags & VM_LOCKED) nr_pages = 0`), which
 * is what the returned count of pages gaining TRACK_LOCKED is. -1 when out of memory, unchanged. */
long tracker_set(struct tracker *t, uintptr_t start, uintptr_t end, unsigned attrs, uint32_t site)
{
	struct op op = { .clear = 0, .set = attrs, .site = site };

	if (update(t, start, end, &op) < 0)
		return -1;
	return (long)op.gained;
}

/* Clear attrs on [start, end). Locks do not nest (mm/mlock.c: munlock clears VM_LOCKED on the whole
 * rounded range, however many mlocks covered it), so one clear removes the bit outright. Returns the
 * pages that lost TRACK_LOCKED, -1 when out of memory (a split), unchanged. */
long tracker_clear(struct tracker *t, uintptr_t start, uintptr_t end, unsigned attrs)
{
	struct op op = { .clear = attrs, .set = 0 };

	if (update(t, start, end, &op) < 0)
		return -1;
	return (long)op.lost;
}

/* Clear attrs on every tracked page. Splits nothing, so it never allocates and never fails. Returns
 * the pages that lost TRACK_LOCKED. O(n). */
long tracker_clear_all(struct tracker *t, unsigned attrs)
{
	struct op op = { .clear = attrs, .set = 0 };

	if (update(t, 0, UINTPTR_MAX, &op) < 0)
		return -1;      /* not reached: no range straddles 0 or UINTPTR_MAX */
	return (long)op.lost;
}

/* Forget [start, end): every attribute goes with the VMAs, and their locked pages leave locked_vm
 * without any munlock (mm/vma.c, vms_complete_munmap_vmas: `mm->locked_vm -= vms->locked_vm`).
 * Returns the pages that lost TRACK_LOCKED, or -1 when out of memory: unmapping the middle of a
 * range splits it (tracker.h does not document this -1; it cannot be avoided). */
long tracker_remove(struct tracker *t, uintptr_t start, uintptr_t end)
{
	struct op op = { .clear = TRACK_ALL, .set = 0 };

	if (update(t, start, end, &op) < 0)
		return -1;
	return (long)op.lost;
}

/* Accumulate the attrs and locked pages of every node of n overlapping [start, end). Recurses only
 * into left subtrees of overlapping nodes, so the depth is the tree's (expected O(log n)). */
static void query_walk(const struct node *n, uintptr_t start, uintptr_t end, unsigned shift,
		       unsigned *attrs, size_t *locked)
{
	while (n) {
		if (n->end <= start) {
			n = n->right;
			continue;
		}
		if (n->start >= end) {
			n = n->left;
			continue;
		}
		if (n->left)
			query_walk(n->left, start, end, shift, attrs, locked);
		*attrs |= n->attrs;
		if (n->attrs & TRACK_LOCKED) {
			uintptr_t s = n->start > start ? n->start : start;
			uintptr_t e = n->end < end ? n->end : end;

			*locked += (e - s) >> shift;
		}
		n = n->right;
	}
}

/* OR of attrs over [start, end) and, into *locked_pages when not NULL, its locked page count.
 * O(log n + k). */
unsigned tracker_query(const struct tracker *t, uintptr_t start, uintptr_t end, size_t *locked_pages)
{
	unsigned attrs = 0;
	size_t locked = 0;
	const struct node *n = t->root;

#ifndef TRACKER_NO_LONE
	/* the cached bounds first: most queries miss every tracked page; a lone range inside them
	 * overlaps [start, end) (issue 13) */
	if (start < end && start < t->hi && t->lo < end) {
		if (n->left || n->right) {
			query_walk(n, start, end, t->shift, &attrs, &locked);
		} else {
			attrs = n->attrs;
			if (attrs & TRACK_LOCKED)
				locked = ((n->end < end ? n->end : end) - (n->start > start ? n->start : start)) >> t->shift;
		}
	}
#else
	if (start < end)
		query_walk(n, start, end, t->shift, &attrs, &locked);
#endif
	if (locked_pages)
		*locked_pages = locked;
	return attrs;
}

/* Pages carrying TRACK_LOCKED, maintained by every update. O(1). */
size_t tracker_locked_pages(const struct tracker *t)
{
	return t->locked;
}

/* True when nothing is tracked: ranges with attrs == 0 are never stored. O(1). */
int tracker_empty(const struct tracker *t)
{
	return t->root == NULL;
}

uint64_t tracker_changes(const struct tracker *t)
{
	return t->changes;
}

/* Lowest start and highest end of the tracked pages, [0, 0) when empty; cached by update. O(1).
 * With the change count: one call, not two, per published event (events.c, issue 13). */
uint64_t tracker_bounds(const struct tracker *t, uintptr_t *lo, uintptr_t *hi)
{
	if (lo)
		*lo = t->lo;
	if (hi)
		*hi = t->hi;
	return t->changes;
}

int tracker_gap(const struct tracker *t, uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	const struct node *n = t->root;

	*lo = 0;
	*hi = UINTPTR_MAX;
	while (n) {
		if (addr < n->start) {
			*hi = n->start;
			n = n->left;
		} else if (addr >= n->end) {
			*lo = n->end;
			n = n->right;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Call fn, in order, on every node of n overlapping [start, end), clipped to it. Returns the first
 * non-zero value fn returns, else 0. Same shape and depth as query_walk. */
static int foreach_walk(const struct node *n, uintptr_t start, uintptr_t end,
			int (*fn)(const struct tracker_range *r, void *arg), void *arg)
{
	while (n) {
		struct tracker_range r;
		int rc;

		if (n->end <= start) {
			n = n->right;
			continue;
		}
		if (n->start >= end) {
			n = n->left;
			continue;
		}
		if (n->left && (rc = foreach_walk(n->left, start, end, fn, arg)) != 0)
			return rc;
		r.start = n->start > start ? n->start : start;
		r.end = n->end < end ? n->end : end;
		r.attrs = n->attrs;
		memcpy(r.site, n->site, sizeof(r.site));
		rc = fn(&r, arg);
		if (rc)
			return rc;
		n = n->right;
	}
	return 0;
}

/* Call fn on each maximal range overlapping [start, end), clipped, in address order; see tracker.h.
 * fn must not modify the tracker. O(log n + k). */
int tracker_foreach(const struct tracker *t, uintptr_t start, uintptr_t end,
		    int (*fn)(const struct tracker_range *r, void *arg), void *arg)
{
	if (start >= end)
		return 0;
#ifndef TRACKER_NO_LONE
	if (start >= t->hi || t->lo >= end)
		return 0;       /* nothing tracked there: the cached bounds */
#endif
	return foreach_walk(t->root, start, end, fn, arg);
}

#pragma GCC visibility pop
