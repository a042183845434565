/* trace_frontend.h: the engine's second front-end (policy/engine/frontend.h, docs/engine.md): a
 * process traced by the supervisor (trace.h), audited from outside. One struct tfe_proc per
 * process image the engine audits; it is also the front-end's context (engine_proc's fe_ctx).
 *
 * The engine asks about "the current call": the sink (trace_sink_engine.c) names it with
 * tfe_at() before each engine entry point (the traced process making it, its thread, the
 * registers at the call's entry). Single-threaded, like the supervisor: lock/unlock do nothing.
 */
#ifndef MEMAUDIT_TOOLS_TRACE_FRONTEND_H
#define MEMAUDIT_TOOLS_TRACE_FRONTEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "policy/engine/engine.h"
#include "tools/trace.h"

struct tfe_range {
	uintptr_t start, end;
};

/* A traced call between its call_enter and call_exit (trace.h: one at a time per process, but for
 * a call that stopped holding the others). */
#define TFE_CALLS 4
struct tfe_call {
	const struct trace_call *key; /* NULL: free */
	struct engine_call c;
	int checked;               /* c went through engine_call_begin */
	uintptr_t brk_before;      /* brk: the break before it */
	/* a real RLIMIT_MEMLOCK call of the own process (no MEMAUDIT_MEMLOCK_LIMIT) */
	uint64_t rl_old_at;        /* where it writes the old limit (0: it does not) */
	int rl_has_want;           /* it sets one: rl_want, read at entry */
	uint64_t rl_want[2];
};

struct tfe_proc {
	struct engine_proc ep;     /* the engine's object; ep.fe_ctx is this */
	/* the current call */
	struct trace_proc *tp;     /* the traced process making it (a CLONE_VM child: its own) */
	pid_t pid;                 /* whose memory and /proc are read */
	pid_t tid;                 /* the thread making it */
	const struct user_regs_struct *regs; /* its registers at entry; NULL: no stack */
	/* what the front-end knows of the process */
	uintptr_t brk;             /* the last brk result (0: none yet) */
	struct engine_module **mods; /* by id - 1 */
	size_t nmods, capmods;
	struct tfe_range *heap;    /* mappings made by the allocator (tfe_note_mmap) */
	size_t nheap, capheap;
	struct tfe_range *other;   /* mappings known not to be the allocator's (tfe_note_mmap) */
	size_t nother, capother;
	struct tfe_call calls[TFE_CALLS];
	struct tfe_supp_answer *supp_answers; /* MEMAUDIT_SUPPRESSIONS' answers (trace_suppress.c) */
	int refs;                  /* traced processes charged to it (itself and CLONE_VM children) */
	int audited;               /* engine started and log created */
};

extern const struct engine_frontend trace_frontend;

/* A zeroed object (calloc) whose fe_ctx and fe are set; NULL when out of memory. */
struct tfe_proc *tfe_new(void);
/* Free it (the engine's object destroyed first by the caller). */
void tfe_free(struct tfe_proc *t);
/* Name the current call: process tp (its tgid's memory), thread tid, registers (NULL: none). */
void tfe_at(struct tfe_proc *t, struct trace_proc *tp, pid_t tid, const struct user_regs_struct *regs);
/* Copy from's module table and heap ranges into to (a fork child: the same module ids for the
 * stacks engine_proc_copy copied). 0, or -1 when out of memory. */
int tfe_copy_known(struct tfe_proc *to, const struct tfe_proc *from);
/* Forget the module table and heap ranges (exec). */
void tfe_forget_known(struct tfe_proc *t);
/* After a successful mmap of [s, e) whose stack (the engine's stack id of the call, 0: none) is
 * the allocator's: glibc malloc's sysmalloc, new_heap or alloc_new_heap, the Go runtime's heap
 * (runtime.(*mheap)..., runtime.sysAlloc): remember it as heap; when every frame of the stack has
 * a name and none is the allocator's, as not heap. Unmapped ranges are dropped by tfe_unmap
 * (trace_heap.c). */
void tfe_note_mmap(struct tfe_proc *t, uintptr_t s, uintptr_t e, uint32_t stack);
void tfe_unmap(struct tfe_proc *t, uintptr_t s, uintptr_t e);
/* mremap moved [s, e) to [ns, ne): the new range is heap when the old one overlapped it, else
 * not known. */
void tfe_heap_moved(struct tfe_proc *t, uintptr_t s, uintptr_t e, uintptr_t ns, uintptr_t ne);
/* The front-end's heap_known (policy/engine/frontend.h): 1, -1 or 0. */
int tfe_heap_known(struct tfe_proc *t, uintptr_t s, uintptr_t e);

/* MEMAUDIT_SUPPRESSIONS (trace_suppress.c): read the file once for every process (0, or -1 with
 * the reason in err); is a finding of rule at the engine's stack suppressed; forget the answers
 * (exec: new stack ids). */
int trace_suppress_load(const char *path, char *err, size_t errlen);
int tfe_suppressed(struct tfe_proc *t, struct engine_proc *p, const char *rule, uint32_t stack);
void tfe_suppress_forget(struct tfe_proc *t);

#endif
