/* audit_internal.h: how each call changes the tracked page state, shared by audit.c (calls that
 * are only recorded) and checked.c (calls the policy decides on). Each fills the event's keys from
 * the call and, when ev->ok, applies its effect to the tracker. Lock held. */
#ifndef MEMAUDIT_SHIM_AUDIT_INTERNAL_H
#define MEMAUDIT_SHIM_AUDIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/proc.h"
#include "records.h"

void audit_apply_lock(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len,
		      int has_flags, unsigned flags);
void audit_apply_lockall(struct engine_proc *p, struct event *ev, int flags);
void audit_apply_unlock(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len);
void audit_apply_unmap(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len);
void audit_apply_protect(struct event *ev, uintptr_t addr, size_t len, int prot);
void audit_apply_advice(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len,
			int advice);
void audit_apply_mmap(struct engine_proc *p, struct event *ev, uintptr_t hint, size_t len,
		      int prot, int flags, int fd,
		      uintptr_t result);

/* What an advice does to the tracked attributes: bits set, bits cleared (madvise(2)). */
void advice_effect(int advice, unsigned *set, unsigned *clear);

/* Write the event and publish the tracker's new bounds for the free() filter. */
void audit_commit(struct engine_proc *p, struct event *ev);

#endif
