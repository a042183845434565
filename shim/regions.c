/* regions.c: see regions.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "audit_internal.h"
#include "findings.h"
#include "heap.h"
#include "policy/pages.h"
#include "policy/tracker.h"
#include "procfs.h"
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

/* The first live region carrying attr that a tracker_foreach visits. */
struct neighbour {
	unsigned attr;
	uint32_t site;
	uintptr_t start;
};

static int first_with(const struct tracker_range *r, void *arg)
{
	struct neighbour *n = arg;

	if (!(r->attrs & n->attr))
		return 0;
	n->site = r->site[attr_index(n->attr)];
	n->start = r->start;
	return 1;
}

/* A call unprotects the whole pages [s, e) but names only [a, b): is there a region of another
 * call carrying attr on the rest of those pages? The first one found goes to *n. */
static int collateral(uintptr_t s, uintptr_t e, uintptr_t a, uintptr_t b, unsigned attr,
		      struct neighbour *n)
{
	n->attr = attr;
	return (s < a && tracker_foreach(S.regions, s, a, first_with, n)) ||
	       (b < e && tracker_foreach(S.regions, b, e, first_with, n));
}

/* unlock-collateral: munlock and munmap release whole pages (mlock(2): "Memory locks do not
 * stack"), so a region locked by another call on those pages loses its lock too. */
static void after_unlock(const struct checked *c, uintptr_t end)
{
	struct neighbour n;
	uintptr_t s, e;
	char msg[320];

	if (page_range_lock(c->addr, c->len, S.page_size, &s, &e) != 0)
		return;
	if (collateral(s, e, c->addr, end, TRACK_LOCKED, &n)) {
		snprintf(msg, sizeof msg,
			 "%s(%zu bytes) unlocks whole pages: the region locked at %#lx by another call shares them and is no longer locked",
			 c->op, c->len, (unsigned long)n.start);
		finding(RULE_UNLOCK_COLLATERAL, S.seq, c->stack, n.site, msg);
	}
	if (c->kind == CK_UNLOCK)
		tracker_clear(S.regions, s, e, TRACK_LOCKED);
	else
		tracker_remove(S.regions, s, e);
}

/* dodump-collateral: MADV_DODUMP, DOFORK and KEEPONFORK clear a flag of whole pages (madvise(2);
 * the flags are per VMA, not counted), so a region of another call on those pages loses it. */
static void after_advice(const struct checked *c, uintptr_t end)
{
	static const char *const what[TRACK_NATTRS] = {
		"", "excluded from core dumps (MADV_DONTDUMP)", "kept from fork children (MADV_DONTFORK)",
		"wiped in fork children (MADV_WIPEONFORK)",
	};
	struct neighbour n;
	unsigned set, clear;
	uintptr_t s, e;
	char msg[320];

	if (strcmp(c->op, "madvise") != 0)
		return; /* posix_madvise's advice values protect nothing */
	advice_effect(c->advice, &set, &clear);
	if (set) {
		tracker_set(S.regions, c->addr, end, set, c->stack);
		return;
	}
	if (!clear || page_range_advise(c->addr, c->len, S.page_size, &s, &e) != 0)
		return;
	if (collateral(s, e, c->addr, end, clear, &n)) {
		snprintf(msg, sizeof msg,
			 "madvise(%zu bytes) works on whole pages: the region at %#lx that another call %s shares them and is no longer protected",
			 c->len, (unsigned long)n.start, what[attr_index(clear)]);
		finding(RULE_DODUMP_COLLATERAL, S.seq, c->stack, n.site, msg);
	}
	tracker_clear(S.regions, s, e, clear);
}

void regions_after_call(const struct checked *c, int ok, uintptr_t result)
{
	uintptr_t end = c->addr + c->len;

	if (!ok || c->len == 0 || end < c->addr)
		return;
	switch (c->kind) {
	case CK_LOCK:
		tracker_set(S.regions, c->addr, end, TRACK_LOCKED, c->stack);
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
			if (c->flags & MAP_LOCKED)
				tracker_set(S.regions, result, result + c->len, TRACK_LOCKED, c->stack);
		}
		break;
	default:
		break;
	}
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
		if (mem_read(a, buf, n) == 0)
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
		finding(RULE_PROTECTION_LOST, 0, r->site[b], 0, msg);
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
		procfs_lines("/proc/self/smaps", smaps_line, &w);
}
