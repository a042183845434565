/* mapcount.h: how many VMAs (mappings) a protection change leaves, and whether the kernel's
 * vm.max_map_count stops it first (mm/vma.c).
 *
 * Pure: the shim passes the mappings around the range as /proc/self/maps shows them, with the
 * protection bits it tracks; the unit tests pass hand-made ones. Only changes of VMA flags or
 * protection are modelled (mlock, munlock, madvise, mprotect).
 *
 * The kernel first tries to merge the changed range into a neighbour with the same new flags (then
 * it only moves a boundary: no new VMA); otherwise it splits, and split_vma() refuses when the
 * process already has max_map_count mappings. A change covering a whole VMA splits nothing and can
 * merge it with both neighbours. Two neighbours merge when their flags, protection and backing
 * (anonymous, or the same file at contiguous offsets) agree; the kernel also requires compatible
 * anon_vmas, which /proc/self/maps does not show: adjacent anonymous mappings are assumed to come
 * from one mapping (true for the pieces memaudit's own calls split off).
 */
#ifndef MEMAUDIT_POLICY_MAPCOUNT_H
#define MEMAUDIT_POLICY_MAPCOUNT_H

#include <stddef.h>
#include <stdint.h>

struct vma {
	uintptr_t start, end;
	int prot;          /* PROT_* */
	unsigned flags;    /* policy/tracker.h TRACK_* bits */
	uint64_t ident;    /* 0 anonymous; else the file (device and inode) */
	uint64_t pgoff;    /* file offset of start, in bytes */
	int special;       /* [vdso], [vvar], ...: never changed, never merged */
};

/* Apply "flags |= set, flags &= ~clear, prot = new_prot (when >= 0)" to [s, e), page-aligned, over
 * the n VMAs of v (address order; they must cover every VMA that overlaps [s, e) and may include
 * the one before and the one after). count is the process's number of mappings before the change.
 * Returns 0 and sets *after to the count after it, or returns ENOMEM when a split would find count
 * >= max (*after is then the count when the kernel stopped: splits made before are not undone). */
int mapcount_change(const struct vma *v, size_t n, uintptr_t s, uintptr_t e, unsigned set,
		    unsigned clear, int new_prot, long count, long max, long *after);

#endif
