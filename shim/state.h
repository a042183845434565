/* state.h: the shim's process-wide state: the engine's object of this process (shim_proc()) and
 * the state lock that guards it.
 *
 * Init order (shim_init, init.c): 1. guard, 2. real symbols (real.h), 3. configuration from the
 * environment, 4. the engine's tables (engine_proc_start), 5. module map and unwinder, 6. log file and header,
 * 7. fork and exit hooks. The engine_proc's configuration is written only there (and in a fork
 * child before it runs any other code); everything else in it is guarded by the state lock.
 */
#ifndef MEMAUDIT_SHIM_STATE_H
#define MEMAUDIT_SHIM_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/engine/proc.h"

/* The one process the shim audits: its own. The engine's state of it (policy/engine/proc.h) lives here and
 * is reached only through shim_proc(); inline, so that the free() and malloc() fast paths read its
 * hints (track_lo/hi, lockall_future, aw.live) with one load, as before. */
extern struct engine_proc shim_proc_storage;

static inline struct engine_proc *shim_proc(void)
{
	return &shim_proc_storage;
}

/* Audit calls: initialized, policy not off, log open. Set once (release), read with acquire. */
extern int shim_active;

void state_lock(void);
void state_unlock(void);
/* ... as the front-end's lock and unlock (frontend.h) */
void state_lock_fe(void *ctx);
void state_unlock_fe(void *ctx);

/* Write the exit record (how: "exit" or "_exit") unless this is a vfork child. Returns the exit
 * status the process should end with (strict policy may replace a 0). */
int shim_exit_record(const char *how, int status);

/* The preload library's front-end (frontend_self.c): this process, from inside. */
extern const struct engine_frontend shim_self_frontend;
/* ... and the log writer's system calls (shim/logwriter/logfile.h), the real ones. */
extern const struct logfile_sys shim_log_sys;

/* Make sure the shim is initialized (constructor, or the first wrapped call if it comes first). */
void shim_init(void);

/* Should this call be audited? False inside the shim, before init, under policy off, after exit. */
int shim_auditing(void);

/* This is the process the log belongs to: false in a vfork child and in a clone(2) child that
 * shares this memory (CLONE_VM), which must touch none of the shim's state (init.c). */
int shim_own_process(void);


#endif
