/* engine.h: the engine's entry points, what a front-end calls (docs/engine.md).
 *
 * The engine audits one process per struct engine_proc (proc.h): its page model, the regions each
 * call named, the kernel's lock accounting at the simulated limit and the what-if limits, the map
 * count, the rules' findings, and its log. A front-end fills in the configuration, gives it its
 * operations (frontend.h), and then reports what the process does:
 *
 *   engine_proc_start(p)             at load or exec: the model's tables, the what-if limits
 *   engine_start_log(p, progname)    creates the log and writes its header
 *   engine_call_begin(p, &call)      before a lock, advice or mapping call: the errno the target
 *                                    would fail it with under enforce/strict (0: run it)
 *   engine_call_end(p, &call, ...)   after it: model, event, what-if and findings
 *   engine_munlockall, engine_mremap, engine_memfd_secret, engine_fork (events.h)
 *                                    calls that are only recorded, after they returned
 *   engine_release(p, ...)           free()/realloc() of a block on tracked pages (events.h)
 *   engine_heap_grow(p, ...)         heap growth under mlockall(MCL_FUTURE) (heapgrow.h)
 *   engine_aligned_alloc/free(p,...) page-aligned allocations for align-waste (alignwaste.h)
 *   engine_memlock(p, ...)           getrlimit/setrlimit/prlimit of RLIMIT_MEMLOCK (memlock.h)
 *   engine_proc_copy(child, parent)  a supervisor's copy of a parent's object for its fork child
 *   engine_fork_child(p, pid, ok)    in a fork child's copy of its parent's object
 *   engine_exit(p, how, status)      the exit rules and the exit record; the status to exit with
 *   engine_proc_destroy(p)           frees the model's tables (a supervisor, after exit or exec)
 *
 * The call entry points take the front-end's lock themselves (frontend.h lock/unlock) and capture
 * the stack through it; engine_exit and engine_fork_child expect the caller to hold it (or to be
 * the only thread, as a fork child and a supervisor are).
 */
#ifndef MEMAUDIT_ENGINE_ENGINE_H
#define MEMAUDIT_ENGINE_ENGINE_H

#include <sys/types.h>

#include "policy/engine/alignwaste.h"
#include "policy/engine/call.h"
#include "policy/engine/events.h"
#include "policy/engine/frontend.h"
#include "policy/engine/heapgrow.h"
#include "policy/engine/memlock.h"
#include "policy/engine/proc.h"
#include "policy/engine/stacks.h"

/* The what-if limits of SPEC's report: 32 KiB, 64 KiB, 8 MiB and the configured one. */
#define ENGINE_WHATIF_32K (32 << 10) /* the old MLOCK_LIMIT, 8 pages ("GPG wants 32kB") */
#define ENGINE_WHATIF_64K (64 << 10) /* the long-time default, and many distributions' today */
#define ENGINE_WHATIF_8M (8 << 20)   /* the default since Linux 5.16 */

/* Ready p for auditing: its configuration (policy, page sizes, memlock limit, map count, ...),
 * fe and fe_ctx, pid, ppid and t0 set. Sets the what-if limits and the empty model. Returns 0,
 * or ENOMEM (p then audits nothing). */
int engine_proc_start(struct engine_proc *p);

/* Create p's log in p->log_dir (memaudit.<progname>.<pid>.log) and write its header. Returns 0 or
 * the errno of the creation. */
int engine_start_log(struct engine_proc *p, const char *progname);

/* A deep copy of parent for its fork child, with the child's front-end context (a supervisor: the
 * preload library's child has its copy from fork itself). The parent's log stays the parent's:
 * the child's names it as its parent log. Then call engine_fork_child(child, pid, 1) and
 * engine_start_log. Returns 0, or ENOMEM (child is then empty). */
int engine_proc_copy(struct engine_proc *child, const struct engine_proc *parent, void *fe_ctx);

/* p is now the copy a fork child has of its parent's object, pid the child's: a new log lineage
 * (parent_log), no locks (they are not inherited), no DONTFORK memory, counts from 0. model_ok 0:
 * the copy may be half updated (the parent was inside the engine): the child audits nothing. The
 * caller then starts its log (engine_start_log). */
void engine_fork_child(struct engine_proc *p, pid_t pid, int model_ok);

/* The process ends (how: "exit", "_exit"): the rules judged at exit (lock-leak, align-waste,
 * protection-lost), the exit record, the log closed. Returns the status to exit with (strict may
 * replace a 0). Nothing is recorded afterwards. Lock held. */
int engine_exit(struct engine_proc *p, const char *how, int status);

/* Free what engine_proc_start allocated (the log must be closed or forgotten). */
void engine_proc_destroy(struct engine_proc *p);

#endif
