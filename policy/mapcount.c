/* mapcount.c: see mapcount.h. */
#include "config.h"

#include <errno.h>

#include "policy/mapcount.h"

/* Could a and b (a directly before b) be one VMA? */
static int mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->special || b->special)
		return 0;
	if (a->prot != b->prot || a->flags != b->flags || a->ident != b->ident)
		return 0;
	return a->ident == 0 || a->pgoff + (b->start - a->start) == b->pgoff;
}

/* One split_vma(): refused when the process already has max mappings (mm/vma.c). */
static int split(long *count, long max)
{
	if (*count >= max)
		return ENOMEM;
	(*count)++;
	return 0;
}

int mapcount_change(const struct vma *v, size_t n, uintptr_t s, uintptr_t e, unsigned set,
		    unsigned clear, int new_prot, long count, long max, long *after)
{
	struct vma prev = {0}; /* the VMA just before the one looked at, as it is after the change */
	int have_prev = 0, err = 0;
	size_t i;

	for (i = 0; i < n && !err; i++) {
		const struct vma *cur = &v[i];
		const struct vma *next = i + 1 < n ? &v[i + 1] : NULL;
		uintptr_t a = cur->start > s ? cur->start : s;
		uintptr_t b = cur->end < e ? cur->end : e;
		struct vma piece = *cur;
		int inner_left, inner_right, left, right;

		piece.flags = (cur->flags | set) & ~clear;
		if (new_prot >= 0)
			piece.prot = new_prot;
		if (a >= b || cur->special || (piece.flags == cur->flags && piece.prot == cur->prot)) {
			/* a neighbour, a VMA the change skips, or no change here: no split */
			prev = *cur;
			have_prev = 1;
			continue;
		}
		piece.start = a;
		piece.end = b;
		piece.pgoff = cur->pgoff + (a - cur->start);
		inner_left = a > cur->start;
		inner_right = b < cur->end;
		/* the kernel changes VMAs in address order: next is compared as it still is (if it
		 * changes too, it may join this piece in its own turn, as its prev) */
		left = !inner_left && have_prev && mergeable(&prev, &piece);
		right = !inner_right && next && mergeable(&piece, next);
		if (inner_left && inner_right) {
			err = split(&count, max);
			if (!err)
				err = split(&count, max);
		} else if (inner_left) {
			if (!right) /* else the boundary moves into next */
				err = split(&count, max);
		} else if (inner_right) {
			if (!left) /* else the boundary moves into prev */
				err = split(&count, max);
		} else {
			count -= left + right; /* the whole VMA joins its neighbours */
		}
		prev = piece;
		if (inner_right) {
			prev = *cur; /* cur's unchanged tail follows */
			prev.start = b;
		}
		have_prev = 1;
	}
	*after = count;
	return err;
}
