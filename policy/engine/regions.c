/* regions.c: see regions.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "policy/engine/alignwaste.h"
#include "policy/engine/apply.h"
#include "policy/engine/findings.h"
#include "policy/engine/frontend.h"
#include "policy/engine/heap.h"
#include "policy/engine/msg.h"
#include "policy/engine/nonzero.h"
#include "policy/engine/proc.h"
#include "policy/engine/readable.h"
#include "policy/engine/regions.h"
#include "policy/pages.h"
#include "policy/tracker.h"

/* The most bytes one release reads to count what was left unwiped; the rest is not counted. */
#define UNWIPED_READ_MAX ((uint64_t)64 << 20)
/* protection-lost findings per process at most (one per region and flag). */
#define LOST_MAX 64

static int attr_index(unsigned attr)
{
	return __builtin_ctz(attr);
}

/* ---- the calls behind the regions -------------------------------------------------------------
 * p->regions keeps, as the "site" of each attribute, the id of the call that named those bytes, so
 * that the pieces of one call's region stay one region (two locks from one call site in a loop are
 * two regions), and what that call named is known: [start, end) and its stack. Ids are recycled:
 * when the table is full, the ids no range refers to any more are collected (mark and sweep over
 * p->regions), and the table doubles only when fewer than a quarter come free. Lock held. */
struct region_call {
	uintptr_t start, end; /* the bytes the call named */
	uint32_t stack;       /* its call site (0: unknown) */
	uint32_t next_free;   /* a free slot: the next free one */
	int mark;
};

/* p->rids.calls[0] is unused: id 0 means "no region". */

static int mark_range(const struct tracker_range *r, void *arg)
{
	struct engine_proc *p = arg;
	int b;

	for (b = 0; b < TRACK_NATTRS; b++)
		if ((r->attrs & (1u << b)) && r->site[b] < p->rids.used)
			p->rids.calls[r->site[b]].mark = 1;
	return 0;
}

/* Collect the ids no region refers to. Returns how many came free. */
static uint32_t sweep(struct engine_proc *p)
{
	uint32_t i, freed = 0;

	for (i = 1; i < p->rids.used; i++)
		p->rids.calls[i].mark = 0;
	tracker_foreach(p->regions, 0, UINTPTR_MAX, mark_range, p);
	p->rids.free_head = 0;
	for (i = p->rids.used; i-- > 1;) {
		if (p->rids.calls[i].mark)
			continue;
		p->rids.calls[i].stack = 0;
		p->rids.calls[i].next_free = p->rids.free_head;
		p->rids.free_head = i;
		freed++;
	}
	return freed;
}

/* A new id for a call that named [start, end) at stack; 0 when out of memory. */
static uint32_t call_new(struct engine_proc *p, uintptr_t start, uintptr_t end, uint32_t stack)
{
	uint32_t id;

	if (!p->rids.free_head && p->rids.used == p->rids.cap &&
	    (!p->rids.cap || sweep(p) < p->rids.cap / 4)) {
		uint32_t ncap = p->rids.cap ? p->rids.cap * 2 : 256;
		struct region_call *n = NULL;

		if (ncap > p->rids.cap)
			n = p->fe->realloc(p->fe_ctx, p->rids.calls, ncap * sizeof *n);
		if (n) {
			p->rids.calls = n;
			p->rids.cap = ncap;
			if (!p->rids.used)
				p->rids.used = 1; /* id 0 is "no region" */
		}
	}
	if (p->rids.free_head) {
		id = p->rids.free_head;
		p->rids.free_head = p->rids.calls[id].next_free;
	} else if (p->rids.used < p->rids.cap) {
		id = p->rids.used++;
	} else {
		return 0;
	}
	p->rids.calls[id] = (struct region_call){start, end, stack, 0, 0};
	return id;
}

static const struct region_call *call_of(struct engine_proc *p, uint32_t id)
{
	return id && id < p->rids.used ? &p->rids.calls[id] : NULL;
}

static uint32_t stack_of(struct engine_proc *p, uint32_t id)
{
	const struct region_call *rc = call_of(p, id);

	return rc ? rc->stack : 0;
}

/* Record that the call at stack named [s, e) with attrs. */
static void region_add(struct engine_proc *p, uintptr_t s, uintptr_t e, unsigned attrs, uint32_t stack)
{
	uint32_t id = call_new(p, s, e, stack);

	if (id)
		tracker_set(p->regions, s, e, attrs, id);
	alignwaste_protected(p, s, e);
}

/* The regions of other calls that a page-granular call reaches beyond the bytes [a, b) it named.
 * A region with live bytes inside [a, b) is the one the call named in part: the rest of it is the
 * same region (the call was shorter than it). Any other is a neighbour: collateral. */
struct reach {
	struct engine_proc *p;
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
static int named_in(struct engine_proc *p, uint32_t id, unsigned attr, uintptr_t a, uintptr_t b)
{
	const struct region_call *rc = call_of(p, id);
	struct piece_of pc = {attr, id};

	if (!rc || rc->end <= a || b <= rc->start)
		return 0;
	return tracker_foreach(p->regions, rc->start > a ? rc->start : a, rc->end < b ? rc->end : b,
			       is_piece_of, &pc);
}

static int visit_reach(const struct tracker_range *r, void *arg)
{
	struct reach *x = arg;
	uint32_t id;

	if (!(r->attrs & x->attr))
		return 0;
	id = r->site[attr_index(x->attr)];
	if (id == x->same || named_in(x->p, id, x->attr, x->a, x->b)) {
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
static void reach(struct engine_proc *p, uintptr_t s, uintptr_t e, uintptr_t a, uintptr_t b, unsigned attr, struct reach *x)
{
	*x = (struct reach){.p = p, .attr = attr, .a = a, .b = b};
	if (s < a)
		tracker_foreach(p->regions, s, a, visit_reach, x);
	if (b < e)
		tracker_foreach(p->regions, b, e, visit_reach, x);
}

/* unlock-collateral: munlock and munmap release whole pages (mlock(2): "Memory locks do not
 * stack"), so a region locked by another call on those pages loses its lock too. The rest of the
 * region the munlock named in part is no neighbour: unlock-partial, a note, says so. */
static void after_unlock(struct engine_proc *p, const struct engine_call *c, uintptr_t end)
{
	struct reach x;
	const struct region_call *rc;
	uintptr_t s, e;
	char msg[320];

	if (page_range_lock(c->addr, c->len, p->page_size, &s, &e) != 0)
		return;
	reach(p, s, e, c->addr, end, TRACK_LOCKED, &x);
	if (x.other && (rc = call_of(p, x.other))) {
		snprintf(msg, sizeof msg,
			 "%s(%zu bytes) unlocks whole pages: %llu bytes of the region of %zu bytes at %#lx, locked by another call, share them and are no longer locked",
			 c->op, c->len, (unsigned long long)x.other_bytes, (size_t)(rc->end - rc->start),
			 (unsigned long)rc->start);
		finding(p, RULE_UNLOCK_COLLATERAL, p->seq, c->stack, rc->stack, msg);
	}
	if (x.same && c->kind == CK_UNLOCK && (rc = call_of(p, x.same))) {
		snprintf(msg, sizeof msg,
			 "munlock(%zu bytes) names only part of the %zu bytes locked at %#lx: the kernel unlocks whole pages, so %llu more bytes of that region are no longer locked",
			 c->len, (size_t)(rc->end - rc->start), (unsigned long)rc->start,
			 (unsigned long long)x.same_bytes);
		finding(p, RULE_UNLOCK_PARTIAL, p->seq, c->stack, rc->stack, msg);
	}
	if (c->kind == CK_UNLOCK)
		tracker_clear(p->regions, s, e, TRACK_LOCKED);
	else
		tracker_remove(p->regions, s, e);
}

/* dodump-collateral: MADV_DODUMP, DOFORK and KEEPONFORK clear a flag of whole pages (madvise(2);
 * the flags are per VMA, not counted), so a region of another call on those pages loses it. The
 * rest of a region the call named in part is the program's own business. */
static void after_advice(struct engine_proc *p, const struct engine_call *c, uintptr_t end)
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
		region_add(p, c->addr, end, set, c->stack);
		return;
	}
	if (!clear || page_range_advise(c->addr, c->len, p->page_size, &s, &e) != 0)
		return;
	reach(p, s, e, c->addr, end, clear, &x);
	if (x.other && (rc = call_of(p, x.other))) {
		snprintf(msg, sizeof msg,
			 "madvise(%zu bytes) works on whole pages: the region of %zu bytes at %#lx that another call %s shares them and is no longer protected",
			 c->len, (size_t)(rc->end - rc->start), (unsigned long)rc->start,
			 what[attr_index(clear)]);
		finding(p, RULE_DODUMP_COLLATERAL, p->seq, c->stack, rc->stack, msg);
	}
	tracker_clear(p->regions, s, e, clear);
}

void regions_after_call(struct engine_proc *p, const struct engine_call *c, int ok, uintptr_t result)
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
			region_add(p, c->addr, end, TRACK_LOCKED, c->stack);
		break;
	case CK_ADVISE:
		after_advice(p, c, end);
		break;
	case CK_UNLOCK:
	case CK_UNMAP:
		after_unlock(p, c, end);
		break;
	case CK_MAP:
		/* a new mapping (MAP_FIXED: over old ones) holds none of the old regions */
		if (result + c->len > result) {
			tracker_remove(p->regions, result, page_up(result + c->len, p->page_size));
			if ((c->flags & MAP_LOCKED) && target_ok)
				region_add(p, result, result + c->len, TRACK_LOCKED, c->stack);
		}
		break;
	default:
		break;
	}
}

/* What a heap block holds of the program's regions. */
struct block_walk {
	struct engine_proc *p;
	struct block_regions *h;
};

static int visit_block(const struct tracker_range *r, void *arg)
{
	struct block_walk *bw = arg;
	struct block_regions *h = bw->h;
	int b;

	h->attrs |= r->attrs;
	for (b = 0; b < TRACK_NATTRS; b++) {
		if (!(r->attrs & (1u << b)))
			continue;
		h->bytes[b] += r->end - r->start;
		if (!h->stack[b])
			h->stack[b] = stack_of(bw->p, r->site[b]);
	}
	return 0;
}

void regions_in_block(struct engine_proc *p, uintptr_t s, uintptr_t e, struct block_regions *h)
{
	memset(h, 0, sizeof *h);
	if (e > s)
		tracker_foreach(p->regions, s, e, visit_block, &(struct block_walk){p, h});
}

/* Counting the non-zero bytes of the regions a release covers. */
struct unwiped {
	struct engine_proc *p;
	unsigned attrs;
	int live_block; /* the bytes are a live block's (readable.h) */
	uint64_t covered, nonzero, budget;
};

static int count_range(const struct tracker_range *r, void *arg)
{
	static unsigned char buf[65536] __attribute__((aligned(16))); /* the lock is held */
	struct unwiped *u = arg;
	struct engine_proc *p = u->p;
	uintptr_t a = r->start;

	if (!(r->attrs & u->attrs))
		return 0;
	u->covered += r->end - r->start;
	while (a < r->end && u->budget) {
		/* as much as the buffer holds in one read; when some page of it cannot be read, one
		 * real page at a time, so that a PROT_NONE or unmapped page is skipped whole */
		size_t n = r->end - a < sizeof buf ? (size_t)(r->end - a) : sizeof buf, k;

		if (n > u->budget)
			n = (size_t)u->budget;
		/* in place where the model proves the bytes readable (readable.h), else a read that
		 * fails instead of faulting */
		if (readable_proven(p, a, a + n, u->live_block)) {
			u->nonzero += nonzero_bytes(p->fe->view(p->fe_ctx, a, n), n);
			u->budget -= n;
			a += n;
			continue;
		}
		if (p->fe->mem_read(p->fe_ctx, a, buf, n) == 0) {
			u->nonzero += nonzero_bytes(buf, n);
			u->budget -= n;
			a += n;
			continue;
		}
		for (n += a; a < n; a += k) {
			k = p->real_page_size - (a & (p->real_page_size - 1));
			if (k > n - a)
				k = n - a;
			u->budget -= k;
			if (p->fe->mem_read(p->fe_ctx, a, buf, k) == 0)
				u->nonzero += nonzero_bytes(buf, k);
		}
	}
	return 0;
}

uint64_t regions_unwiped(struct engine_proc *p, uintptr_t s, uintptr_t e, unsigned attrs, int live_block,
			 uint64_t *covered)
{
	struct unwiped u = {p, attrs, live_block, 0, 0, UNWIPED_READ_MAX};

	if (e > s)
		tracker_foreach(p->regions, s, e, count_range, &u);
	*covered = u.covered;
	return u.nonzero;
}

void regions_judge_unwiped(struct engine_proc *p, const char *op, uint32_t stack, uint64_t nonzero, uint64_t covered)
{
	/* Made on every release of unwiped memory, mostly from the same inputs as the last time: the
	 * text is kept with them (a pure function of them: op is the call's name, a string constant,
	 * so its address says which). Shared by every process of a tracer; the lock is held. */
	static struct {
		const char *op;
		uint64_t nonzero, covered;
		uint64_t gen; /* msg_generation of text */
		char text[320];
	} last;
	struct msg m;

	if (!nonzero)
		return;
	if (last.op != op || last.nonzero != nonzero || last.covered != covered) {
		/* msg.h, not snprintf */
		msg_init(&m, last.text, sizeof last.text);
		msg_str(&m, op);
		msg_str(&m, " releases ");
		msg_u64(&m, covered);
		msg_str(&m, " bytes that were locked or excluded from core dumps while ");
		msg_u64(&m, nonzero);
		msg_str(&m, " of them are not zero: wipe them first (explicit_bzero, sodium_memzero, OPENSSL_cleanse)");
		last.op = op;
		last.nonzero = nonzero;
		last.covered = covered;
		last.gen = msg_generation();
	}
	finding_kept(p, RULE_RELEASE_UNWIPED, p->seq, stack, 0, last.text, last.gen);
}

void regions_forget(struct engine_proc *p, uintptr_t s, uintptr_t e)
{
	if (e > s)
		tracker_remove(p->regions, s, e);
}

void regions_unlock_all(struct engine_proc *p)
{
	tracker_clear_all(p->regions, TRACK_LOCKED);
}

void regions_fork_child(struct engine_proc *p)
{
	tracker_clear_all(p->regions, TRACK_LOCKED | TRACK_DONTFORK);
}

/* protection-lost: one VMA of the process's smaps at a time (its header line, then its VmFlags). */
struct smaps_walk {
	struct engine_proc *p;
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
		finding(w->p, RULE_PROTECTION_LOST, 0, stack_of(w->p, r->site[b]), 0, msg);
		w->reported++;
	}
	return 0;
}

static void smaps_line(char *line, void *arg)
{
	struct smaps_walk *w = arg;
	char *q = line;
	uintptr_t s, e;

	if (!strncmp(line, "VmFlags:", 8)) {
		w->kernel = vmflags(line);
		if (w->end > w->start)
			tracker_foreach(w->p->regions, w->start, w->end, check_range, w);
		w->start = w->end = 0;
		return;
	}
	/* a VMA's first line: "start-end perms offset dev inode path" */
	s = (uintptr_t)strtoull(q, &q, 16);
	if (*q != '-')
		return;
	e = (uintptr_t)strtoull(q + 1, &q, 16);
	if (*q == ' ') {
		w->start = s;
		w->end = e;
	}
}

void regions_at_exit(struct engine_proc *p)
{
	struct smaps_walk w = {p, 0, 0, 0, 0};

	if (!tracker_empty(p->regions))
		p->fe->proc_lines(p->fe_ctx, "smaps", smaps_line, &w);
}

int regions_copy(struct engine_proc *to, const struct engine_proc *from)
{
	size_t n = from->rids.cap * sizeof *from->rids.calls;

	to->rids = from->rids;
	to->rids.calls = NULL;
	if (!n)
		return 0;
	to->rids.calls = to->fe->alloc(to->fe_ctx, n);
	if (!to->rids.calls)
		return -1;
	memcpy(to->rids.calls, from->rids.calls, n);
	return 0;
}
