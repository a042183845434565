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

/* Intern f and return its id (>= 1; 0 when out of memory); f's memo, when it has one
 * (frontend.h), is its id while its generation lasts (issue 13: the shim's stack cache knows the
 * frames are the ones it gave before, and comparing or hashing them again cost 60 instructions
 * per audited call). */
uint32_t engine_stack_intern(struct engine_proc *p, const struct engine_frames *f);

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
