/* rectable.h: what the log writer remembers of the records it wrote, for the compact records of
 * format version 3 (docs/log-format.md): the finding_def records (keyed by two 64-bit hashes of
 * what the finding says) and, per stack, the last event (for again records). An open-addressing
 * table in the front-end's memory (struct engine_rec_table, policy/engine/proc.h), bounded: past
 * RECTABLE_MAX keys it finds only those it has, and the writer writes full records instead. */
#ifndef MEMAUDIT_LOGWRITER_RECTABLE_H
#define MEMAUDIT_LOGWRITER_RECTABLE_H

#include <stdint.h>

#include "policy/engine/proc.h"

#define RECTABLE_MAX 16384

struct rec_slot {
	uint64_t k1, k2;     /* the key; 0, 0: a free slot */
	uint64_t c1, c2;     /* again: the content hash of the stack's last event */
	uint64_t call;       /* again: its call (0: none) */
	uint32_t id;         /* finding_def: the def's id (from 1, in the order made) */
	uint32_t logged_gen; /* p->log_gen when the record was written: else it is not in the log */
};

/* The slot of key (k1, k2), made (zeroed but for the key and id) when there is none. NULL when the
 * table is full or cannot grow. */
struct rec_slot *rectable_get(struct engine_proc *p, struct engine_rec_table *t, uint64_t k1,
			      uint64_t k2);
/* rectable_get, trying slot *hint first: an index it gave before, for this key or for another, in
 * this table or in another (a slot of t that holds the key is its slot, however it moved); *hint is
 * then the key's slot. The memos of the records keep one per entry (issue 13: the lookup was a
 * tenth of an audited call's log writing). */
static inline struct rec_slot *rectable_get_at(struct engine_proc *p, struct engine_rec_table *t,
					       uint64_t k1, uint64_t k2, size_t *hint)
{
	struct rec_slot *s;

	if (*hint < t->cap && t->slots[*hint].k1 == k1 && t->slots[*hint].k2 == k2 && (k1 || k2))
		return &t->slots[*hint];
	if ((s = rectable_get(p, t, k1, k2)) != NULL)
		*hint = (size_t)(s - t->slots);
	return s;
}

/* Forget the table without freeing it (a process copied from another in the same address space
 * must not share its parent's), or free it. */
void rectable_forget(struct engine_rec_table *t);
void rectable_free(struct engine_proc *p, struct engine_rec_table *t);

/* Two 64-bit hashes, (*h1, *h2), of n more bytes. */
void rectable_hash(uint64_t *h1, uint64_t *h2, const void *v, size_t n);

#endif
