/* pages.h: page rounding exactly as the kernel does it, for a run-time (possibly simulated) page size.
 *
 * Every helper takes the page size `ps` as an argument because MEMAUDIT_PAGE_SIZE can simulate a page
 * larger than the real one. `ps` must be a power of two (page_size_valid); nothing here checks it again.
 *
 * Arithmetic is done in uintptr_t with the kernel's own wrap-around, on purpose: the shim must return
 * what the kernel would return, including its corner cases (see page_range_lock).
 */
#ifndef MEMAUDIT_POLICY_PAGES_H
#define MEMAUDIT_POLICY_PAGES_H

#include <stddef.h>
#include <stdint.h>

/* True when ps is a usable page size: a non-zero power of two. */
static inline int page_size_valid(size_t ps)
{
	return ps != 0 && (ps & (ps - 1)) == 0;
}

/* log2(ps): the kernel's PAGE_SHIFT for this page size. */
static inline unsigned page_shift(size_t ps)
{
	return (unsigned)__builtin_ctzl((unsigned long)ps);
}

/* The kernel's offset_in_page(addr): addr's offset from the start of its page. */
static inline uintptr_t page_offset(uintptr_t addr, size_t ps)
{
	return addr & ((uintptr_t)ps - 1);
}

/* True when addr is the first byte of a page (the kernel's PAGE_ALIGNED). */
static inline int page_aligned(uintptr_t addr, size_t ps)
{
	return page_offset(addr, ps) == 0;
}

/* addr rounded down to its page (addr & PAGE_MASK). Never overflows. */
static inline uintptr_t page_down(uintptr_t addr, size_t ps)
{
	return addr & ~((uintptr_t)ps - 1);
}

/* addr rounded up to a page boundary, wrapping to a small value (usually 0) when addr lies in the
 * last page of the address space: this is the kernel's PAGE_ALIGN(), wrap included. Use
 * page_up_checked when the wrap must be detected. */
static inline uintptr_t page_up(uintptr_t addr, size_t ps)
{
	return (addr + ((uintptr_t)ps - 1)) & ~((uintptr_t)ps - 1);
}

/* addr rounded up to a page boundary into *out. Returns 0, or -1 (with *out untouched) when the
 * result does not fit in uintptr_t, i.e. addr lies in the last, partial page of the address space. */
static inline int page_up_checked(uintptr_t addr, size_t ps, uintptr_t *out)
{
	uintptr_t up;

	if (__builtin_add_overflow(addr, (uintptr_t)ps - 1, &up))
		return -1;
	*out = up & ~((uintptr_t)ps - 1);
	return 0;
}

/* The kernel's byte length for mlock/mlock2/munlock of (start, len) (mm/mlock.c, do_mlock and
 * do_munlock): len = PAGE_ALIGN(len + offset_in_page(start)), computed in unsigned long with wrap. */
static inline uintptr_t page_lock_len(uintptr_t start, size_t len, size_t ps)
{
	return page_up((uintptr_t)len + page_offset(start, ps), ps);
}

/* Number of pages the kernel charges for mlock(start, len): `locked = len >> PAGE_SHIFT` after the
 * rounding above. do_mlock computes this charge and checks it against RLIMIT_MEMLOCK *before*
 * apply_vma_lock_flags rejects an overflowing range with EINVAL, so this is the count to use for the
 * limit check even when page_range_lock later says EINVAL. A length that wraps (len close to
 * SIZE_MAX) gives the kernel's small or zero count: mlock(p, SIZE_MAX) locks nothing and returns 0 on
 * Linux 6.18, mlock(p + 100, SIZE_MAX - 50) locks one page. Likewise a zero len at an unaligned
 * start is not empty: mlock(p + 1, 0) locks (and charges) the page of p (measured: VmLck 4 kB). */
static inline size_t pages_in(uintptr_t start, size_t len, size_t ps)
{
	return (size_t)(page_lock_len(start, len, ps) >> page_shift(ps));
}

/* The page range mlock/mlock2/munlock act on, as [*start, *end). Returns 0 (the range may be empty:
 * the kernel then returns 0 without doing anything), or -1 when the kernel returns EINVAL because
 * start + len overflows (apply_vma_lock_flags: `end = start + len; if (end < start) return
 * -EINVAL;`, which also rejects a range ending exactly at the top of the address space). Outputs
 * are untouched on -1. Note the kernel's order: the RLIMIT_MEMLOCK check (ENOMEM) comes first. */
static inline int page_range_lock(uintptr_t addr, size_t len, size_t ps, uintptr_t *start,
				  uintptr_t *end)
{
	uintptr_t s = page_down(addr, ps);
	uintptr_t e = s + page_lock_len(addr, len, ps);

	if (e < s)
		return -1;
	*start = s;
	*end = e;
	return 0;
}

/* The page range madvise/posix_madvise act on, as [*start, *end) (mm/madvise.c, is_valid_madvise):
 * start must be page-aligned, len_in is rounded up to pages, a non-zero len_in that rounds to 0 and
 * a range that wraps are EINVAL. Returns 0 (the range may be empty: len_in 0 succeeds) or -1 for
 * EINVAL, with outputs untouched. The advice value itself is checked before this by the kernel. */
static inline int page_range_advise(uintptr_t addr, size_t len_in, size_t ps, uintptr_t *start,
				    uintptr_t *end)
{
	uintptr_t len = page_up((uintptr_t)len_in, ps);

	if (!page_aligned(addr, ps))
		return -1;
	if (len_in != 0 && len == 0)
		return -1;
	if (addr + len < addr)
		return -1;
	*start = addr;
	*end = addr + len;
	return 0;
}

#endif
