/* alloc.c: the malloc family.
 *
 * Fast path: forward to the real allocator, nothing else (malloc and calloc: one branch on the
 * guard and MCL_FUTURE together, the real call, the size word noted for heapblocks.h; free: the
 * arena's and the tracked pages' spans, one OR of two rare flags, then a tail call; realloc: both;
 * issue 13 counts them: objdump -d shim/.libs/libmemaudit.so). Two exceptions:
 *  - inside the shim (guard held) allocations come from the shim's arena, so the unwinder, dlsym and
 *    glibc's own bookkeeping done on the shim's behalf never touch the application's heap; the
 *    arena recognises its blocks when they come back through free/realloc, whoever frees them;
 *  - free/realloc of a block that may lie on pages memaudit tracks (locked, DONTDUMP, ...) is
 *    recorded, with its stack. While nothing is tracked that test is one relaxed load; a block
 *    inside the tracked pages' span that this thread's cache knows to be on untracked pages
 *    (freegap.h) goes on without the lock, out of line (free_span: 25 instructions).
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <pthread.h>
#include <sys/types.h>
#ifdef HAVE_SYS_SINGLE_THREADED_H
#include <sys/single_threaded.h> /* libc's, not hidden: before the pragma (guard.h reads it) */
#endif

/* Everything these declare is this library's own (nothing of it is exported): said so, the fast
 * paths read real, shim_proc_storage and heapblocks' words at a fixed offset from the code, not
 * through the GOT (one instruction less each). */
#pragma GCC visibility push(hidden)
#include "arena.h"
#include "policy/engine/alignwaste.h"
#include "policy/engine/events.h"
#include "policy/engine/heapgrow.h"
#include "freegap.h"
#include "guard.h"
#include "heapblocks.h"
#include "real.h"
#include "stack.h"
#include "state.h"
#pragma GCC visibility pop

static inline void need_real(void)
{
	if (unlikely(!real_ready()))
		real_resolve();
}

/* check_release's rare cases, out of line: the page-aligned block p may be one align-waste waits
 * for; p's block may overlap tracked pages. */
static __attribute__((noinline, cold)) void release_aligned(void *p)
{
	if (!((uintptr_t)p & (shim_proc()->real_page_size - 1)) && !guard_held() && shim_auditing()) {
		int g = guard_enter();
		engine_aligned_free(shim_proc(), p);
		guard_leave(g);
	}
}

/* A block that missed this thread's cache (freegap.h): each question takes the lock, so the one
 * that settled the thread's last miss is asked first. Untracked last time: the untracked range
 * around the block (cached when it holds it), engine_release only when it does not. Tracked last
 * time (the block locked or advised itself, or on a page with such a block): engine_release, and
 * the range only when that recorded nothing. */
static __attribute__((noinline, cold)) void release_tracked(const char *op, void *p, size_t new_len)
{
	size_t usable;

	if (guard_held())
		return;
	usable = real.malloc_usable_size(p);
	if (engine_may_overlap(shim_proc(), p, usable) && shim_auditing()) {
		int g = guard_enter(), e = errno;
		if (!shim_freegap.tracked_last) {
			if (!freegap_untracked(p, usable)) {
				shim_freegap.tracked_last = 1;
				engine_release(shim_proc(), op, p, usable, new_len);
			}
		} else if (!engine_release(shim_proc(), op, p, usable, new_len) && freegap_untracked(p, usable)) {
			shim_freegap.tracked_last = 0;
		}
		errno = e;
		guard_leave(g);
	}
}

/* A block that starts below the tracked span may reach into it (malloc of three pages, mlock of
 * bytes on the second): its size decides. An allocator that is not glibc's: malloc_usable_size. */
static __attribute__((noinline, cold)) int reaches_span_other(uintptr_t a, uintptr_t lo)
{
	return a && real.malloc_usable_size((void *)a) > lo - a;
}

/* Might the block at a lie on tracked pages? While nothing is tracked hi is 0: one compare. A
 * block of glibc's that starts below lo reaches at most its chunk's size past a (the size word
 * before the block, malloc/malloc.c chunksize(): usable bytes are fewer, by the header, both for a
 * chunk of an arena and an mmapped one); free() reads that word itself. */
static inline int in_track_span(uintptr_t a)
{
	const struct engine_proc *e = shim_proc();
	uintptr_t lo;

	if (a >= __atomic_load_n(&e->track_hi, __ATOMIC_RELAXED))
		return 0;
	lo = __atomic_load_n(&e->track_lo, __ATOMIC_RELAXED);
	if (a >= lo)
		return 1;
	if (unlikely(!heapblocks_glibc))
		return reaches_span_other(a, lo);
	return a && (((const size_t *)a)[-1] & ~(size_t)7) > lo - a;
}

/* Record a free/realloc of p when its block overlaps tracked pages (unless this thread's cache
 * of untracked pages holds it: freegap.h); forget it when it was a page-aligned block that
 * align-waste waits for. */
static inline void check_release(const char *op, void *p, size_t new_len, int missed)
{
	if (unlikely(__atomic_load_n(&shim_proc()->aw.live, __ATOMIC_RELAXED)))
		release_aligned(p);
	if (missed || (unlikely(in_track_span((uintptr_t)p)) && !freegap_hit(p)))
		release_tracked(op, p, new_len);
}

/* align-waste: a successful allocation aligned to a (simulated) page or more, waiting to be
 * counted if a lock or advice call names it. */
static void check_aligned(const char *op, size_t alignment, size_t size, const void *p)
{
	if (likely(alignment < shim_proc()->page_size) || !p || guard_held() || !shim_auditing())
		return;
	int g = guard_enter(), e = errno;
	struct engine_frames f;

	/* captured here: two frames fewer to walk than from inside the engine (stack.h) */
	stack_capture(&f);
	engine_aligned_alloc(shim_proc(), op, p, size, &f);
	errno = e;
	guard_leave(g);
}

/* Under mlockall(MCL_FUTURE) an allocation that grows the heap is charged (policy/engine/heapgrow.h),
 * under the guard; returns 1 when the policy refuses it. */
static int heap_grew(void *q, uintptr_t brk_before, const char *op, int can_refuse)
{
	int g = guard_enter(), r = engine_heap_grow(shim_proc(), q, brk_before, op, can_refuse);

	guard_leave(g);
	return r;
}

/* The allocation `call`, charged when it grows the heap under MCL_FUTURE; when the policy refuses
 * that, the block goes back and the caller sees malloc's failure. */
#define FUTURE_CHECKED(op, call)                                              \
	({                                                                    \
		void *p_;                                                     \
		if (likely(!shim_proc()->lockall_future)) {                   \
			p_ = (call);                                          \
		} else {                                                      \
			uintptr_t b_ = (uintptr_t)sbrk(0);                    \
			p_ = (call);                                          \
			if (p_ && heap_grew(p_, b_, op, 1)) {                 \
				real.free(p_);                                \
				p_ = NULL;                                    \
				errno = ENOMEM;                               \
			}                                                     \
		}                                                             \
		heapblocks_note(p_);                                          \
		p_;                                                           \
	})

/* Has malloc or calloc more to do than the real call and heapblocks_note? Inside the shim (the
 * arena serves it), under MCL_FUTURE. One branch. (Before the real functions are resolved, the
 * real call resolves them: real.h.) */
static inline int alloc_plain(void)
{
	return !(guard_held() | shim_proc()->lockall_future);
}

static __attribute__((noinline, cold)) void *malloc_slow(size_t size)
{
	if (guard_held())
		return arena_malloc(size);
	need_real();
	return FUTURE_CHECKED("malloc", real.malloc(size));
}

SHIM_EXPORT void *malloc(size_t size)
{
	void *p;

	if (unlikely(!alloc_plain()))
		return malloc_slow(size);
	p = real.malloc(size);
	heapblocks_note(p);
	return p;
}

static __attribute__((noinline, cold)) void *calloc_slow(size_t n, size_t size)
{
	if (guard_held())
		return arena_calloc(n, size);
	need_real();
	return FUTURE_CHECKED("calloc", real.calloc(n, size));
}

SHIM_EXPORT void *calloc(size_t n, size_t size)
{
	void *p;

	if (unlikely(!alloc_plain()))
		return calloc_slow(n, size);
	p = real.calloc(n, size);
	heapblocks_note(p);
	return p;
}

/* Might free(p) have more to do than the real call? Maybe the arena's, p on tracked pages: a few
 * predictable branches, free_slow sorts them out. (NULL and a free before resolution go to
 * real.free: glibc's free(NULL) does nothing, and real.h's.) Each span is two compares, in the
 * order that settles a heap block with one (no arithmetic on the bounds): the arena's p >= lo
 * first (the break lies below the libraries and the arena's mappings), the tracked pages' p < hi
 * first (hi is 0 while nothing is tracked). The branches go the same way call after call. */
static inline int in_arena_span(uintptr_t a)
{
	return a >= (uintptr_t)__atomic_load_n(&arena_owned_lo, __ATOMIC_RELAXED) &&
	       a < (uintptr_t)__atomic_load_n(&arena_owned_hi, __ATOMIC_RELAXED);
}

static inline int free_plain(const void *p)
{
	return !in_arena_span((uintptr_t)p) && !in_track_span((uintptr_t)p);
}

/* free()'s two rare conditions, tested together with one load and one OR: align-waste waits for
 * some page-aligned block, some mmapped chunk is kept (heapblocks.h). */
static inline int free_flagged(void)
{
	return unlikely(((unsigned long)__atomic_load_n(&shim_proc()->aw.live, __ATOMIC_RELAXED) |
			 __atomic_load_n(&heapblocks_chunks, __ATOMIC_RELAXED)) != 0);
}

/* free() of a block of the real allocator's that may need recording; missed: free_span found it
 * in the tracked span and not in this thread's cache already (not asked again). */
static __attribute__((noinline, cold)) void free_audited(void *p, int missed)
{
	need_real();
	check_release("free", p, 0, missed);
	if (heapblocks_mmapped(p))
		heapblocks_forget(p);
	real.free(p);
}

static __attribute__((noinline, cold)) void free_slow(void *p)
{
	if (!p)
		return;
	if (arena_owns(p)) {
		arena_free(p);
		return;
	}
	free_audited(p, 0);
}

/* free_flagged(): a 4 KiB-aligned block (every page size is a multiple) while align-waste waits
 * goes to free_slow; an mmapped chunk leaves heapblocks' table. */
static __attribute__((noinline)) void free_rare(void *p)
{
	if (unlikely(__atomic_load_n(&shim_proc()->aw.live, __ATOMIC_RELAXED)) && !((uintptr_t)p & 4095)) {
		free_slow(p);
		return;
	}
	if (heapblocks_mmapped(p))
		heapblocks_forget(p);
	real.free(p);
}

/* A block of the real allocator's that needs no audit: free()'s two rare conditions, then the
 * real call. */
static inline void free_unaudited(void *p)
{
	if (free_flagged()) {
		free_rare(p);
		return;
	}
	real.free(p);
}

/* p may lie on tracked pages, not in the arena's span: a block on pages this thread's cache knows
 * untracked (freegap.h) goes on as free() does; anything else to free_audited, told so. Out of line: the fast
 * path stays as it was. */
static __attribute__((noinline)) void free_span(void *p)
{
	if (!freegap_hit(p))
		free_audited(p, 1);
	else
		free_unaudited(p);
}

/* free_plain's two spans, each to its own path (the arena's bounds tested one by one: the layout
 * of free_plain, the same instructions for a block below or above the arena). */
SHIM_EXPORT void free(void *p)
{
	if ((uintptr_t)p >= (uintptr_t)__atomic_load_n(&arena_owned_lo, __ATOMIC_RELAXED) &&
	    unlikely((uintptr_t)p < (uintptr_t)__atomic_load_n(&arena_owned_hi, __ATOMIC_RELAXED))) {
		free_slow(p);
		return;
	}
	if (unlikely(in_track_span((uintptr_t)p))) {
		free_span(p);
		return;
	}
	free_unaudited(p);
}

/* realloc's every case: the arena's blocks, inside the shim, before resolution, on tracked
 * pages, mmapped chunks, under MCL_FUTURE. */
static __attribute__((noinline)) void *realloc_slow(void *p, size_t size)
{
	uintptr_t b;
	void *q;
	int mapped;

	if (p && unlikely(arena_owns(p)))
		return arena_realloc(p, size);
	if (unlikely(guard_held()) && !p)
		return arena_malloc(size);
	need_real();
	if (p)
		check_release("realloc", p, size, 0);
	mapped = heapblocks_mmapped(p);
	if (unlikely(shim_proc()->lockall_future)) {
		b = (uintptr_t)sbrk(0);
		q = real.realloc(p, size);
		if (q)
			heap_grew(q, b, "realloc", 0);
	} else {
		q = real.realloc(p, size);
	}
	/* realloc(p, 0) frees p and may return NULL; a failed realloc leaves p as it was */
	if (mapped && (q || size == 0))
		heapblocks_forget(p);
	heapblocks_note(q);
	return q;
}

/* The common case inline: a block of the real allocator's, none of free()'s conditions (spans and
 * flags), none of malloc's (guard, MCL_FUTURE), resolved. */
SHIM_EXPORT void *realloc(void *p, size_t size)
{
	void *q;

	if (unlikely(!p || !free_plain(p) || free_flagged() || !alloc_plain() || !real_ready()))
		return realloc_slow(p, size);
	q = real.realloc(p, size);
	heapblocks_note(q);
	return q;
}

SHIM_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, total);
}

SHIM_EXPORT int posix_memalign(void **out, size_t alignment, size_t size)
{
	if (unlikely(guard_held())) {
		if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
			return EINVAL;
		*out = arena_memalign(alignment, size);
		return *out ? 0 : ENOMEM;
	}
	need_real();
	int r = real.posix_memalign(out, alignment, size);
	if (r == 0)
		heapblocks_note(*out);
	if (r == 0)
		check_aligned("posix_memalign", alignment, size, *out);
	return r;
}

SHIM_EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
	if (unlikely(guard_held()))
		return arena_memalign(alignment, size);
	need_real();
	void *p = FUTURE_CHECKED("aligned_alloc", real.aligned_alloc(alignment, size));
	check_aligned("aligned_alloc", alignment, size, p);
	return p;
}

SHIM_EXPORT void *memalign(size_t alignment, size_t size)
{
	if (unlikely(guard_held()))
		return arena_memalign(alignment, size);
	need_real();
	void *p = FUTURE_CHECKED("memalign", real.memalign(alignment, size));
	check_aligned("memalign", alignment, size, p);
	return p;
}

SHIM_EXPORT void *valloc(size_t size)
{
	if (unlikely(guard_held()))
		return arena_memalign(4096, size);
	need_real();
	void *p = FUTURE_CHECKED("valloc", real.valloc(size));
	check_aligned("valloc", shim_proc()->real_page_size, size, p);
	return p;
}

SHIM_EXPORT void *pvalloc(size_t size)
{
	if (unlikely(guard_held()))
		return arena_memalign(4096, (size + 4095) & ~(size_t)4095);
	need_real();
	void *p = FUTURE_CHECKED("pvalloc", real.pvalloc(size));
	check_aligned("pvalloc", shim_proc()->real_page_size, size, p);
	return p;
}
