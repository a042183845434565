/* regions.c: see regions.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alignwaste.h"
#include "arena.h"
#include "audit_internal.h"
#include "findings.h"
#include "heap.h"
#include "policy/pages.h"
#include "policy/tracker.h"
#include "engine/frontend.h"
#include "regions.h"
#include "state.h"

/* The most bytes one release reads to count what was left unwiped; the rest is not counted. */
#define UNWIPED_READ_MAX ((uint64_t)64 << 20)
/* protection-lost findings per process at most (one per region and flag). */
#define LOST_MAX 64

static int attr_index(unsigned attr)
{
	return __builtin_ctz(attr);
}

/* ---- the calls behind the regions -------------------------------------------------------------
 * S.regions keeps, as the "site" of each attribute, the id of the call that named those bytes, so
 * that the pieces of one call's region stay one region (two locks from one call site in a loop are
 * two regions), and what that call named is known: [start, end) and its stack. Ids are recycled:
 * when the table is full, the ids no range refers to any more are collected (mark and sweep over
 * S.regions), and the table doubles only when fewer than a quarter come free. Lock held. */
struct region_call {
	uintptr_t start, end; /* the bytes the call named */
	uint32_t stack;       /* its call site (0: unknown) */
	uint32_t next_free;   /* a free slot: the next free one */
	int mark;
};

static struct region_call *calls; /* calls[0] is unused: id 0 means "no region" */
static uint32_t calls_cap, calls_used, free_head;

static int mark_range(const struct tracker_range *r, void *arg)
{
	int b;

	(void)arg;
	for (b = 0; b < TRACK_NATTRS; b++)
		if ((r->attrs & (1u << b)) && r->site[b] < calls_used)
			calls[r->site[b]].mark = 1;
	return 0;
}

/* Collect the ids no region refers to. Returns how many came free. */
static uint32_t sweep(void)
{
	uint32_t i, freed = 0;

	for (i = 1; i < calls_used; i++)
		calls[i].mark = 0;
	tracker_foreach(S.regions, 0, UINTPTR_MAX, mark_range, NULL);
	free_head = 0;
	for (i = calls_used; i-- > 1;) {
		if (calls[i].mark)
			continue;
		calls[i].stack = 0;
		calls[i].next_free = free_head;
		free_head = i;
		freed++;
	}
	return freed;
}

/* A new id for a call that named [start, end) at stack; 0 when out of memory. */
static uint32_t call_new(uintptr_t start, uintptr_t end, uint32_t stack)
{
	uint32_t id;

	if (!free_head && calls_used == calls_cap && (!calls_cap || sweep() < calls_cap / 4)) {
		uint32_t ncap = calls_cap ? calls_cap * 2 : 256;
		struct region_call *n = ncap > calls_cap ? arena_realloc(calls, ncap * sizeof *n) : NULL;

		if (n) {
			calls = n;
			calls_cap = ncap;
			if (!calls_used)
				calls_used = 1; /* id 0 is "no region" */
		}
	}
	if (free_head) {
		id = free_head;
		free_head = calls[id].next_free;
	} else if (calls_used < calls_cap) {
		id = calls_used++;
	} else {
		return 0;
	}
	calls[id] = (struct region_call){start, end, stack, 0, 0};
	return id;
}

static const struct region_call *call_of(uint32_t id)
{
	return id && id < calls_used ? &calls[id] : NULL;
}

static uint32_t stack_of(uint32_t id)
{
	const struct region_call *rc = call_of(id);

	return rc ? rc->stack : 0;
}

/* Record that the call at stack named [s, e) with attrs. */
static void region_add(uintptr_t s, uintptr_t e, unsigned attrs, uint32_t stack)
{
	uint32_t id = call_new(s, e, stack);

	if (id)
		tracker_set(S.regions, s, e, attrs, id);
	alignwaste_protected(s, e);
}

/* The regions of other calls that a page-granular call reaches beyond the bytes [a, b) it named.
 * A region with live bytes inside [a, b) is the one the call named in part: the rest of it is the
 * same region (the call was shorter than it). Any other is a neighbour: collateral. */
struct reach {
	unsigned attr;
	uintptr_t a, b;
	uint32_t other;             /* the first neighbour's call id (0: none) */
	uint64_t other_bytes;       /* ... and its bytes on those pages */
	uint32_t same;              /* the first region named in part (0: none) */
	uint64_t same_bytes;        /* bytes of such regions beyond [a, b) */
};

struct piece_of {
	unsigned attr;
	uint32_t id;
};

static int is_piece_of(const struct tracker_range *r, void *arg)
{
	const struct piece_of *p = arg;

	return (r->attrs & p->attr) && r->site[attr_index(p->attr)] == p->id;
}

/* Has call id live bytes carrying attr in [a, b)? Only where it named bytes: bounded by them. */
static int named_in(uint32_t id, unsigned attr, uintptr_t a, uintptr_t b)
{
	const struct region_call *rc = call_of(id);
	struct piece_of p = {attr, id};

	if (!rc || rc->end <= a || b <= rc->start)
		return 0;
	return tracker_foreach(S.regions, rc->start > a ? rc->start : a, rc->end < b ? rc->end : b,
			       is_piece_of, &p);
}

static int visit_reach(const struct tracker_range *r, void *arg)
{
	struct reach *x = arg;
	uint32_t id;

	if (!(r->attrs & x->attr))
		return 0;
	id = r->site[attr_index(x->attr)];
	if (id == x->same || named_in(id, x->attr, x->a, x->b)) {
		if (!x->same)
			x->same = id;
		x->same_bytes += r->end - r->start;
	} else {
		if (!x->other)
			x->other = id;
		if (x->other == id)
			x->other_bytes += r->end - r->start;
	}
	return 0;
}

/* Which regions carrying attr does a call that acts on the whole pages [s, e) but names only
 * [a, b) reach beyond [a, b)? */
static void reach(uintptr_t s, uintptr_t e, uintptr_t a, uintptr_t b, unsigned attr, struct reach *x)
{
	*x = (struct reach){.attr = attr, .a = a, .b = b};
	if (s < a)
		tracker_foreach(S.regions, s, a, visit_reach, x);
	if (b < e)
		tracker_foreach(S.regions, b, e, visit_reach, x);
}

/* unlock-collateral: munlock and munmap release whole pages (mlock(2): "Memory locks do not
 * stack"), so a region locked by another call on those pages loses its lock too. The rest of the
 * region the munlock named in part is no neighbour: unlock-partial, a note, says so. */
static void after_unlock(const struct checked *c, uintptr_t end)
{
	struct reach x;
	const struct region_call *rc;
	uintptr_t s, e;
	char msg[320];

	if (page_range_lock(c->addr, c->len, S.page_size, &s, &e) != 0)
		return;
	reach(s, e, c->addr, end, TRACK_LOCKED, &x);
	if (x.other && (rc = call_of(x.other))) {
		snprintf(msg, sizeof msg,
			 "%s(%zu bytes) unlocks whole pages: %llu bytes of the region of %zu bytes at %#lx, locked by another call, share them and are no longer locked",
			 c->op, c->len, (unsigned long long)x.other_bytes, (size_t)(rc->end - rc->start),
			 (unsigned long)rc->start);
		finding(RULE_UNLOCK_COLLATERAL, S.seq, c->stack, rc->stack, msg);
	}
	if (x.same && c->kind == CK_UNLOCK && (rc = call_of(x.same))) {
		snprintf(msg, sizeof msg,
			 "munlock(%zu bytes) names only part of the %zu bytes locked at %#lx: the kernel unlocks whole pages, so %llu more bytes of that region are no longer locked",
			 c->len, (size_t)(rc->end - rc->start), (unsigned long)rc->start,
			 (unsigned long long)x.same_bytes);
		finding(RULE_UNLOCK_PARTIAL, S.seq, c->stack, rc->stack, msg);
	}
	if (c->kind == CK_UNLOCK)
		tracker_clear(S.regions, s, e, TRACK_LOCKED);
	else
		tracker_remove(S.regions, s, e);
}

/* dodump-collateral: MADV_DODUMP, DOFORK and KEEPONFORK clear a flag of whole pages (madvise(2);
 * the flags are per VMA, not counted), so a region of another call on those pages loses it. The
 * rest of a region the call named in part is the program's own business. */
static void after_advice(const struct checked *c, uintptr_t end)
{
	static const char *const what[TRACK_NATTRS] = {
		"", "excluded from core dumps (MADV_DONTDUMP)", "kept from fork children (MADV_DONTFORK)",
		"wiped in fork children (MADV_WIPEONFORK)",
	};
	struct reach x;
	const struct region_call *rc;
	unsigned set, clear;
	uintptr_t s, e;
	char msg[320];

	if (strcmp(c->op, "madvise") != 0)
		return; /* posix_madvise's advice values protect nothing */
	advice_effect(c->advice, &set, &clear);
	if (set) {
		region_add(c->addr, end, set, c->stack);
		return;
	}
	if (!clear || page_range_advise(c->addr, c->len, S.page_size, &s, &e) != 0)
		return;
	reach(s, e, c->addr, end, clear, &x);
	if (x.other && (rc = call_of(x.other))) {
		snprintf(msg, sizeof msg,
			 "madvise(%zu bytes) works on whole pages: the region of %zu bytes at %#lx that another call %s shares them and is no longer protected",
			 c->len, (size_t)(rc->end - rc->start), (unsigned long)rc->start,
			 what[attr_index(clear)]);
		finding(RULE_DODUMP_COLLATERAL, S.seq, c->stack, rc->stack, msg);
	}
	tracker_clear(S.regions, s, e, clear);
}

void regions_after_call(const struct checked *c, int ok, uintptr_t result)
{
	uintptr_t end = c->addr + c->len;
	/* a lock the target refuses locks nothing there, whatever the real call did: the target's
	 * state after a refused call is its state before it (SPEC, "Environment") */
	int target_ok = ok && !c->limit_err;

	if (!ok || c->len == 0 || end < c->addr)
		return;
	switch (c->kind) {
	case CK_LOCK:
		if (target_ok)
			region_add(c->addr, end, TRACK_LOCKED, c->stack);
		break;
	case CK_ADVISE:
		after_advice(c, end);
		break;
	case CK_UNLOCK:
	case CK_UNMAP:
		after_unlock(c, end);
		break;
	case CK_MAP:
		/* a new mapping (MAP_FIXED: over old ones) holds none of the old regions */
		if (result + c->len > result) {
			tracker_remove(S.regions, result, page_up(result + c->len, S.page_size));
			if ((c->flags & MAP_LOCKED) && target_ok)
				region_add(result, result + c->len, TRACK_LOCKED, c->stack);
		}
		break;
	default:
		break;
	}
}

/* What a heap block holds of the program's regions. */
static int visit_block(const struct tracker_range *r, void *arg)
{
	struct block_regions *h = arg;
	int b;

	h->attrs |= r->attrs;
	for (b = 0; b < TRACK_NATTRS; b++) {
		if (!(r->attrs & (1u << b)))
			continue;
		h->bytes[b] += r->end - r->start;
		if (!h->stack[b])
			h->stack[b] = stack_of(r->site[b]);
	}
	return 0;
}

void regions_in_block(uintptr_t s, uintptr_t e, struct block_regions *h)
{
	memset(h, 0, sizeof *h);
	if (e > s)
		tracker_foreach(S.regions, s, e, visit_block, h);
}

/* Counting the non-zero bytes of the regions a release covers. */
struct unwiped {
	unsigned attrs;
	uint64_t covered, nonzero, budget;
};

static int count_range(const struct tracker_range *r, void *arg)
{
	static unsigned char buf[65536]; /* the lock is held */
	struct unwiped *u = arg;
	uintptr_t a = r->start;

	if (!(r->attrs & u->attrs))
		return 0;
	u->covered += r->end - r->start;
	while (a < r->end && u->budget) {
		/* one real page at a time, so that a PROT_NONE or unmapped page is skipped whole */
		size_t n = S.real_page_size - (a & (S.real_page_size - 1)), i;

		if (n > r->end - a)
			n = r->end - a;
		if (n > u->budget)
			n = (size_t)u->budget;
		u->budget -= n;
		if (S.fe->mem_read(S.fe_ctx, a, buf, n) == 0)
			for (i = 0; i < n; i++)
				u->nonzero += buf[i] != 0;
		a += n;
	}
	return 0;
}

uint64_t regions_unwiped(uintptr_t s, uintptr_t e, unsigned attrs, uint64_t *covered)
{
	struct unwiped u = {attrs, 0, 0, UNWIPED_READ_MAX};

	if (e > s)
		tracker_foreach(S.regions, s, e, count_range, &u);
	*covered = u.covered;
	return u.nonzero;
}

void regions_judge_unwiped(const char *op, uint32_t stack, uint64_t nonzero, uint64_t covered)
{
	char msg[320];

	if (!nonzero)
		return;
	snprintf(msg, sizeof msg,
		 "%s releases %llu bytes that were locked or excluded from core dumps while %llu of them are not zero: wipe them first (explicit_bzero, sodium_memzero, OPENSSL_cleanse)",
		 op, (unsigned long long)covered, (unsigned long long)nonzero);
	finding(RULE_RELEASE_UNWIPED, S.seq, stack, 0, msg);
}

void regions_forget(uintptr_t s, uintptr_t e)
{
	if (e > s)
		tracker_remove(S.regions, s, e);
}

void regions_unlock_all(void)
{
	tracker_clear_all(S.regions, TRACK_LOCKED);
}

void regions_fork_child(void)
{
	tracker_clear_all(S.regions, TRACK_LOCKED | TRACK_DONTFORK);
}

/* protection-lost: one VMA of /proc/self/smaps at a time (its header line, then its VmFlags). */
struct smaps_walk {
	uintptr_t start, end;
	unsigned kernel; /* TRACK_* bits the kernel shows for [start, end) */
	int reported;
};

/* The TRACK_* bits of a "VmFlags: rd wr mr mw me lo dd ..." line (proc(5); KERNEL.md). */
static unsigned vmflags(const char *p)
{
	unsigned bits = 0;

	for (p += 8; *p; p++) {
		if (p[0] == ' ' || !p[1])
			continue;
		if (!strncmp(p, "lo", 2))
			bits |= TRACK_LOCKED;
		else if (!strncmp(p, "dd", 2))
			bits |= TRACK_DONTDUMP;
		else if (!strncmp(p, "dc", 2))
			bits |= TRACK_DONTFORK;
		else if (!strncmp(p, "wf", 2))
			bits |= TRACK_WIPEONFORK;
		while (p[1] && p[1] != ' ')
			p++;
	}
	return bits;
}

static int check_range(const struct tracker_range *r, void *arg)
{
	static const char *const flag[TRACK_NATTRS] = {"lo", "dd", "dc", "wf"};
	static const char *const did[TRACK_NATTRS] = {
		"locked", "excluded from core dumps", "marked MADV_DONTFORK", "marked MADV_WIPEONFORK",
	};
	struct smaps_walk *w = arg;
	unsigned lost = r->attrs & ~w->kernel;
	char msg[320];
	int b;

	for (b = 0; b < TRACK_NATTRS && w->reported < LOST_MAX; b++) {
		if (!(lost & (1u << b)))
			continue;
		snprintf(msg, sizeof msg,
			 "the %zu bytes at %#lx %s here are no longer: /proc/self/smaps shows no '%s' for them at exit, although the program never undid it through libc",
			 (size_t)(r->end - r->start), (unsigned long)r->start, did[b], flag[b]);
		finding(RULE_PROTECTION_LOST, 0, stack_of(r->site[b]), 0, msg);
		w->reported++;
	}
	return 0;
}

static void smaps_line(char *line, void *arg)
{
	struct smaps_walk *w = arg;
	char *p = line;
	uintptr_t s, e;

	if (!strncmp(line, "VmFlags:", 8)) {
		w->kernel = vmflags(line);
		if (w->end > w->start)
			tracker_foreach(S.regions, w->start, w->end, check_range, w);
		w->start = w->end = 0;
		return;
	}
	/* a VMA's first line: "start-end perms offset dev inode path" */
	s = (uintptr_t)strtoull(p, &p, 16);
	if (*p != '-')
		return;
	e = (uintptr_t)strtoull(p + 1, &p, 16);
	if (*p == ' ') {
		w->start = s;
		w->end = e;
	}
}

void regions_at_exit(void)
{
	struct smaps_walk w = {0, 0, 0, 0};

	if (!tracker_empty(S.regions))
		S.fe->proc_lines(S.fe_ctx, "smaps", smaps_line, &w);
}
