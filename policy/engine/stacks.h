/* stacks.h: the call stacks of one process, interned: the same call site (the same return
 * addresses) always maps to the same id, so a site called 10,000 times costs one stack record. A
 * frame is kept as (module, offset): the front-end says which module holds an address
 * (frontend.h module_find). The first time a stack, or a module it refers to, is used in a log
 * generation, its module and stack records are written (shim/logwriter/records.h). Lock held. */
#ifndef MEMAUDIT_ENGINE_STACKS_H
#define MEMAUDIT_ENGINE_STACKS_H

#include <stdint.h>

#include "policy/engine/frontend.h"
#include "policy/engine/proc.h"

/* engine_stack_intern without a memo that holds. */
uint32_t engine_stack_intern_slow(struct engine_proc *p, const struct engine_frames *f);

/* Intern f and return its id (>= 1; 0 when out of memory); f's memo, when it has one
 * (frontend.h), is its id while its generation lasts (issue 13: the shim's stack cache knows the
 * frames are the ones it gave before, and comparing or hashing them again cost 60 instructions
 * per audited call; inline, the memo's test costs no call). A generation's log holds every record
 * written while it lasted: one lost moves p->log_gen (records.c), and so does a new log
 * (engine.c). The memo's id stays the frames' (ids are never reused), but its record must be
 * written again: the slow way does. */
static inline uint32_t engine_stack_intern(struct engine_proc *p, const struct engine_frames *f)
{
	if (f->memo_key && f->memo_id && f->memo_gen == p->log_gen)
		return f->memo_id;
	return engine_stack_intern_slow(p, f);
}

/* Frame i (0 = innermost) of stack id: its address, module id (0: none) and offset from the
 * module's base; any pointer may be NULL. Returns 0 when there is no such frame. */
int engine_stack_frame(const struct engine_proc *p, uint32_t id, int i, uintptr_t *ip,
		       uint32_t *mod, uintptr_t *off);

/* to, a copy of from (engine_proc_copy), gets a copy of from's table: the same ids. Returns 0, or
 * -1 when out of memory. */
int engine_stacks_copy(struct engine_proc *to, const struct engine_proc *from);

/* Free the table (engine_proc_destroy). */
void engine_stacks_destroy(struct engine_proc *p);

#endif
