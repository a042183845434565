/* target.h: facts about the audited process, read through its front-end (frontend.h): the same
 * parsing of /proc files for the own process and for a traced one. */
#ifndef MEMAUDIT_ENGINE_TARGET_H
#define MEMAUDIT_ENGINE_TARGET_H

#include "policy/engine/frontend.h"

/* A "Key:  value kB" (or hex for Cap*) line of the target's /proc status: the value after key,
 * parsed with base (10 or 16); found is 0 when the line or the file is missing. */
long long target_status(const struct engine_frontend *fe, void *ctx, const char *key, int base,
			int *found);

/* CAP_IPC_LOCK in the effective set. */
int target_has_cap_ipc_lock(const struct engine_frontend *fe, void *ctx);

/* The kernel's locked_vm (VmLck) in bytes, or -1. */
long long target_vmlck_bytes(const struct engine_frontend *fe, void *ctx);

/* The address space's size (VmSize, the kernel's total_vm) in bytes, 0 when unreadable. */
long long target_vm_size_bytes(const struct engine_frontend *fe, void *ctx);

#endif
