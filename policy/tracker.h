/* tracker.h: which page ranges of the address space carry a protection, and from which call site.
 *
 * Pure data structure, no interposition: the shim feeds it the calls that succeeded, the unit tests
 * feed it hand-computed cases. Ranges are byte addresses already rounded to pages by the caller
 * (policy/pages.h); the tracker never rounds. Attributes are per page and do not nest, exactly like
 * the kernel's VM_LOCKED / VM_DONTDUMP / VM_DONTCOPY / VM_WIPEONFORK (mlock(2): "Memory locks do not
 * stack"): setting an attribute twice on a page is the same as once, clearing it once clears it.
 *
 * Memory comes from the allocator the caller passes in (the shim passes its own mmap'd arena, so the
 * application's heap is never touched); the tracker never calls malloc. It needs no cleared memory:
 * it writes every field of a node before it reads it.
 *
 * Not thread-safe: the caller serializes.
 */
#ifndef MEMAUDIT_POLICY_TRACKER_H
#define MEMAUDIT_POLICY_TRACKER_H

#include <stddef.h>
#include <stdint.h>

enum tracker_attr {
	TRACK_LOCKED = 1u << 0,     /* mlock, mlock2, (simulated) mlockall */
	TRACK_DONTDUMP = 1u << 1,   /* MADV_DONTDUMP */
	TRACK_DONTFORK = 1u << 2,   /* MADV_DONTFORK */
	TRACK_WIPEONFORK = 1u << 3, /* MADV_WIPEONFORK */
};
#define TRACK_NATTRS 4
#define TRACK_ALL (TRACK_LOCKED | TRACK_DONTDUMP | TRACK_DONTFORK | TRACK_WIPEONFORK)

struct tracker_alloc {
	void *(*alloc)(size_t size, void *ctx); /* returns NULL on failure */
	void (*free)(void *p, size_t size, void *ctx);
	void *ctx;
};

/* One maximal run of pages with identical attributes and sites, as reported by tracker_foreach. */
struct tracker_range {
	uintptr_t start, end;           /* [start, end), page-aligned */
	unsigned attrs;                 /* enum tracker_attr bits */
	uint32_t site[TRACK_NATTRS];    /* per attribute bit index: stack id of the call that set it */
};

struct tracker;

/* Create an empty tracker for pages of page_size bytes (a power of two). NULL when out of memory,
 * for a page size that is not a power of two, or for an incomplete allocator. */
struct tracker *tracker_new(size_t page_size, const struct tracker_alloc *alloc);
void tracker_destroy(struct tracker *t);

/* Set attribute bits `attrs` on [start, end) from call site `site`. Pages that already had a bit keep
 * it and take the new site (the kernel keeps no history either). Returns how many pages gained
 * TRACK_LOCKED (the kernel's charge: already-locked pages are not counted twice), or -1 when out of
 * memory (the tracker is then unchanged). */
long tracker_set(struct tracker *t, uintptr_t start, uintptr_t end, unsigned attrs, uint32_t site);

/* Clear attribute bits on [start, end). Returns how many pages lost TRACK_LOCKED, -1 on out of
 * memory (splitting a range can need a node). */
long tracker_clear(struct tracker *t, uintptr_t start, uintptr_t end, unsigned attrs);

/* Clear attribute bits everywhere (munlockall, exec, a fork child's locks). Returns pages unlocked;
 * never fails. */
long tracker_clear_all(struct tracker *t, unsigned attrs);

/* Forget [start, end) entirely (munmap, or the source of a moving mremap). Returns pages unlocked,
 * or -1 when out of memory (unmapping the middle of a range splits it). */
long tracker_remove(struct tracker *t, uintptr_t start, uintptr_t end);

/* Query [start, end): returns the OR of the attributes of the overlapped pages (0: nothing tracked
 * there) and, if locked_pages is not NULL, how many of its pages are locked. */
unsigned tracker_query(const struct tracker *t, uintptr_t start, uintptr_t end, size_t *locked_pages);

/* Pages currently carrying TRACK_LOCKED. O(1). */
size_t tracker_locked_pages(const struct tracker *t);

/* True when no page carries any attribute. O(1); the shim's free() fast path reads it. */
int tracker_empty(const struct tracker *t);

/* A count that moves whenever the tracker may have changed (it may move when it did not): what a
 * caller computed from it while the count stays the same still holds. O(1). */
uint64_t tracker_changes(const struct tracker *t);

/* Lowest start and highest end of any tracked page, for a cheap bounds filter ([0,0) when empty).
 * Returns tracker_changes(t), which a publisher of the bounds wants with them. */
uint64_t tracker_bounds(const struct tracker *t, uintptr_t *lo, uintptr_t *hi);

/* The untracked pages around addr: 1 with [*lo, *hi) the largest range holding addr that no
 * tracked page overlaps (0 and UINTPTR_MAX at the ends), 0 when addr is on a tracked page.
 * O(depth): the shim's per-thread free() filter (shim/freegap.h). */
int tracker_gap(const struct tracker *t, uintptr_t addr, uintptr_t *lo, uintptr_t *hi);

/* Call fn for every maximal range overlapping [start, end) in address order, clipped to it; pass
 * 0, UINTPTR_MAX for all. Stops early and returns fn's value when fn returns non-zero. fn must not
 * modify the tracker. */
int tracker_foreach(const struct tracker *t, uintptr_t start, uintptr_t end,
		    int (*fn)(const struct tracker_range *r, void *arg), void *arg);

#endif
