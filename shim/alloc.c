/* alloc.c: the malloc family.
 *
 * Fast path: forward to the real allocator, nothing else. Two exceptions:
 *  - inside the shim (guard held) allocations come from the shim's arena, so the unwinder, dlsym and
 *    glibc's own bookkeeping done on the shim's behalf never touch the application's heap; the
 *    arena recognises its blocks when they come back through free/realloc, whoever frees them;
 *  - free/realloc of a block that may lie on pages memaudit tracks (locked, DONTDUMP, ...) is
 *    recorded, with its stack. While nothing is tracked that test is one relaxed load.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "policy/engine/alignwaste.h"
#include "policy/engine/events.h"
#include "policy/engine/heapgrow.h"
#include "guard.h"
#include "heapblocks.h"
#include "real.h"
#include "state.h"

static inline void need_real(void)
{
	if (unlikely(!real_ready()))
		real_resolve();
}

/* Record a free/realloc of p when its block overlaps tracked pages; forget it when it was a
 * page-aligned block that align-waste waits for. */
static void check_release(const char *op, void *p, size_t new_len)
{
	size_t usable;

	if (unlikely(__atomic_load_n(&shim_proc()->aw.live, __ATOMIC_RELAXED)) &&
	    !((uintptr_t)p & (shim_proc()->real_page_size - 1)) && !guard_held() && shim_auditing()) {
		int g = guard_enter();
		engine_aligned_free(shim_proc(), p);
		guard_leave(g);
	}
	if (likely(!engine_may_overlap(shim_proc(), p, 1)) || guard_held())
		return;
	usable = real.malloc_usable_size(p);
	if (engine_may_overlap(shim_proc(), p, usable) && shim_auditing()) {
		int g = guard_enter(), e = errno;
		engine_release(shim_proc(), op, p, usable, new_len);
		errno = e;
		guard_leave(g);
	}
}

/* align-waste: a successful allocation aligned to a (simulated) page or more, waiting to be
 * counted if a lock or advice call names it. */
static void check_aligned(const char *op, size_t alignment, size_t size, const void *p)
{
	if (likely(alignment < shim_proc()->page_size) || !p || guard_held() || !shim_auditing())
		return;
	int g = guard_enter(), e = errno;
	engine_aligned_alloc(shim_proc(), op, p, size);
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

SHIM_EXPORT void *malloc(size_t size)
{
	if (unlikely(guard_held()))
		return arena_malloc(size);
	need_real();
	return FUTURE_CHECKED("malloc", real.malloc(size));
}

SHIM_EXPORT void *calloc(size_t n, size_t size)
{
	if (unlikely(guard_held()))
		return arena_calloc(n, size);
	need_real();
	return FUTURE_CHECKED("calloc", real.calloc(n, size));
}

SHIM_EXPORT void free(void *p)
{
	if (!p)
		return;
	if (unlikely(arena_owns(p))) {
		arena_free(p);
		return;
	}
	need_real();
	check_release("free", p, 0);
	if (heapblocks_mmapped(p))
		heapblocks_forget(p);
	real.free(p);
}

SHIM_EXPORT void *realloc(void *p, size_t size)
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
		check_release("realloc", p, size);
	mapped = p && heapblocks_mmapped(p);
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
