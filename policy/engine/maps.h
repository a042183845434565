/* maps.h: the process's mappings as the kernel shows them (its /proc maps), for the map-count
 * model (policy/mapcount.h). Reading the file costs time in proportion to the number of mappings,
 * so the engine keeps an upper bound of the count and reads only when that bound comes near
 * vm.max_map_count (maps_need_check). Lock held for all of these. */
#ifndef MEMAUDIT_ENGINE_MAPS_H
#define MEMAUDIT_ENGINE_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/proc.h"
#include "policy/mapcount.h"

#define MAPS_AROUND 64 /* VMAs a predicted change may span; more: not predicted */

struct maps_view {
	long count;                 /* mappings in the process now */
	size_t n;                   /* VMAs touching [s, e], with the one before and after */
	struct vma v[MAPS_AROUND];
	int complete;               /* all of them fit in v */
};


/* Read the maps: the count and the VMAs around [s, e), their tracked flags filled in from
 * the tracker. Returns 0, or -1 when the file cannot be read. */
int maps_read(struct engine_proc *p, uintptr_t s, uintptr_t e, struct maps_view *mv);

/* Call fn for every VMA of the process that the kernel locks on mlockall(MCL_CURRENT) (all but
 * the special mappings and the gate area). Returns 0, or -1 when the file cannot be read. */
int maps_foreach(struct engine_proc *p, void (*fn)(const struct vma *v, void *arg), void *arg);

/* Is every mapping in [s, e) private and anonymous (not shared, not backed by a file)? 0 when
 * one is not, or when the file cannot be read. */
int maps_private_anon(struct engine_proc *p, uintptr_t s, uintptr_t e);

/* Upper bound of the process's mapping count; -1 until the first read. Mappings made where the
 * engine cannot see them (glibc's malloc, thread stacks, dlopen) are not in it: it is re-read every
 * MAPS_REREAD changes whatever it says, or, in a process with many mappings that is not near the limit,
 * every half of its count or of the room left, whichever is less: a read costs time in proportion
 * to the count, and a fixed period made each audited call of a process with 30,000 mappings four
 * times as costly as with 1,000 (issue 13). */
#define MAPS_REREAD 1024
/* (p->maps.bound, p->maps.since_read) */

/* Could a change adding at most `splits` mappings reach the simulated vm.max_map_count? Inline:
 * asked on every audited call (issue 13). */
static inline int maps_need_check(struct engine_proc *p, int splits)
{
	long room = p->max_map_count - p->maps.bound, period = p->maps.bound < room ? p->maps.bound : room;

	if (p->maps.bound < 0 || p->maps.bound + splits >= p->max_map_count)
		return 1;
	period /= 2;
	return p->maps.since_read >= (period > MAPS_REREAD ? (unsigned long)period : MAPS_REREAD);
}

/* After a change: the count is now exactly `count`, or (exact 0) at most `splits` more than the
 * bound before. */
static inline void maps_update(struct engine_proc *p, int exact, long count, int splits)
{
	p->maps.since_read++;
	if (exact)
		p->maps.bound = count;
	else if (p->maps.bound >= 0)
		p->maps.bound += splits;
}

#endif
