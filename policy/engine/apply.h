/* apply.h: how each call changes the tracked page state, shared by events.c (calls that
 * are only recorded) and call.c (calls the policy decides on). Each fills the event's keys from
 * the call and, when ev->ok, applies its effect to the tracker. Lock held. */
#ifndef MEMAUDIT_ENGINE_APPLY_H
#define MEMAUDIT_ENGINE_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/proc.h"
#include "shim/logwriter/records.h"

void apply_lock(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len,
		int has_flags, unsigned flags);
void apply_lockall(struct engine_proc *p, struct event *ev, int flags);
void apply_unlock(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len);
void apply_unmap(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len);
void apply_protect(struct event *ev, uintptr_t addr, size_t len, int prot);
void apply_advice(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len,
		  int advice);
void apply_mmap(struct engine_proc *p, struct event *ev, uintptr_t hint, size_t len,
		int prot, int flags, int fd, uintptr_t result);

/* What an advice does to the tracked attributes: bits set, bits cleared (madvise(2)). */
void advice_effect(int advice, unsigned *set, unsigned *clear);

/* Write the event and publish the tracker's new bounds for the free() filter. */
void apply_commit(struct engine_proc *p, struct event *ev);

#endif
