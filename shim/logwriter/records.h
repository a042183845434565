/* records.h: the log records of docs/log-format.md, encoded with jsonw and written whole.
 * All of them are called with the lock held and write nothing once p->exited is set. */
#ifndef MEMAUDIT_LOGWRITER_RECORDS_H
#define MEMAUDIT_LOGWRITER_RECORDS_H

#include <stdint.h>

#include "policy/engine/frontend.h"
#include "policy/engine/proc.h"

/* Optional keys of an event record: a bit per key that is present. */
enum event_key {
	EV_ADDR = 1u << 0, EV_LEN = 1u << 1, EV_NEW_LEN = 1u << 2, EV_FLAGS = 1u << 3,
	EV_ADVICE = 1u << 4, EV_PROT = 1u << 5, EV_FD = 1u << 6, EV_RESULT = 1u << 7,
	EV_PAGES = 1u << 8, EV_CHARGED = 1u << 9, EV_UNLOCKED = 1u << 10, EV_LOCKED_PAGES = 1u << 11,
	EV_ATTRS = 1u << 12, EV_CHILD = 1u << 13, EV_LOCKED_BYTES = 1u << 14, EV_MAP_COUNT = 1u << 15,
};

/* In this order: the words, then the ints, then call; no padding before call, so that records.c
 * compares everything before call as 16-byte words (on LP64 targets: it checks). */
struct event {
	const char *op;   /* the call's name: a string constant (records.c's memo compares its address) */
	uintptr_t addr;
	uint64_t len, new_len;
	long long flags, advice, prot, fd, child;
	uintptr_t result; /* 0 with EV_RESULT: null */
	uint64_t pages, charged, unlocked, locked_pages, locked_bytes;
	long map_count;   /* mappings after the call, when they were counted */
	int via_syscall;
	int ok;
	int err;          /* errno the caller saw, 0 on success */
	uint32_t stack;
	unsigned keys;    /* enum event_key */
	unsigned attrs;   /* policy/tracker.h bits */
	int injected;     /* the policy refused the call: the kernel never saw it */
	int target_refused; /* the target refuses it (audit, warn: the real call went through): the
			     * model keeps the target's state, which a refused call leaves as it was.
			     * Not logged: the call's lock-limit finding says it. */
	uint64_t call;    /* lock calls: index among lock calls (0: not a lock call) */
};

/* A call of the process on its own RLIMIT_MEMLOCK (rlimit.c). */
struct memlock_call {
	const char *op;
	int via_syscall;
	uint32_t stack;       /* 0: none (a fork child that inherits its parent's read) */
	int read;             /* the call told the program its limit */
	int set;              /* the call asked for a new limit: want_cur, want_max */
	uint64_t want_cur, want_max; /* RLIM64_INFINITY: unlimited */
	int modelled;         /* answered from the model (MEMAUDIT_MEMLOCK_LIMIT), not by the kernel */
	int err;              /* 0, or the errno the program saw */
	long long soft;       /* the simulated limit after the call, bytes, -1 unlimited */
	uint64_t hard;        /* and its hard limit */
};

void rec_header(struct engine_proc *p);
void rec_module(struct engine_proc *p, const struct engine_module *m);
void rec_stack(struct engine_proc *p, uint32_t id, int n, const uint32_t *mod, const uintptr_t *off);
/* Assigns ev's sequence number and writes it. */
void rec_event(struct engine_proc *p, const struct event *ev);
void rec_memlock(struct engine_proc *p, const struct memlock_call *mc);
/* The exit record: status is what the process exits with; program_status what the program asked
 * for, written as "program_status" only when the policy replaced it (strict). vmlck_bytes: the
 * kernel's VmLck of the process now (policy/engine/target.h), -1 unknown. */
void rec_exit(struct engine_proc *p, const char *how, int status, int program_status,
	      long long vmlck_bytes);
/* message_gen: the message's msg_generation (policy/engine/msg.h), 0 when it has none. */
void rec_finding(struct engine_proc *p, const char *rule, const char *severity, uint64_t seq, uint32_t stack,
		 uint32_t related_stack, const char *message, uint64_t message_gen, int suppressed);
/* A batch: an event and what follows it in one locked section (its what-ifs, its findings). Its
 * again record and the finding_at records after it may be stored together at rec_batch_end, which
 * is called before the lock is released. */
void rec_batch_begin(struct engine_proc *p);
void rec_batch_end(struct engine_proc *p);
/* What the writer remembers of the records it wrote (the finding_def records, each stack's last
 * event): started afresh without freeing (a process copied from another in the same address space,
 * engine_proc_copy, must not share its parent's), or freed. */
void rec_forget_tables(struct engine_proc *p);
void rec_free_tables(struct engine_proc *p);
/* The first lock call (1-based index among lock calls) that the kernel would refuse at limit. */
void rec_whatif(struct engine_proc *p, long long limit, uint64_t call, uint64_t seq, uint32_t stack, int err);

#endif
