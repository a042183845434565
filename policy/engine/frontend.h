/* frontend.h: what the engine asks of a front-end: the few things that differ between auditing the
 * own process from inside (the preload library, shim/frontend_self.c) and auditing another process
 * from outside (the trace supervisor). Everything else (the model, the rules, the log) is the
 * engine's and the same for both (docs/engine.md).
 *
 * Every operation gets the front-end's own per-process context (engine_proc's fe_ctx): the shim's
 * is NULL (there is one process, its own); a supervisor's names the traced process (its pid, the
 * thread whose call is being decided on). Operations are called with the engine's lock held
 * (lock/unlock below) unless said otherwise.
 */
#ifndef MEMAUDIT_ENGINE_FRONTEND_H
#define MEMAUDIT_ENGINE_FRONTEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ENGINE_MAX_FRAMES 64

/* A captured call stack: return addresses, innermost first, the front-end's own frames (the
 * preload wrappers; libc's and Go's system-call wrappers) already left out.
 *
 * Whoever fills one sets memo_key (0: no memo). A front-end that knows the frames are the ones it
 * gave before (the shim's stack cache) gives with them its memo, memo_key naming where it keeps
 * it: memo_id, the id the engine gave this very frame list, and memo_gen, the log generation
 * whose log holds its record (proc.h log_gen; 0: none). The engine uses the id while that
 * generation lasts; otherwise it interns the frames and hands the memo back (stack_memo below). */
struct engine_frames {
	int n;
	uint32_t memo_key, memo_id, memo_gen;
	uintptr_t ip[ENGINE_MAX_FRAMES];
};

/* A loaded ELF object: a frame is logged as (module id, offset from its base) and symbolized later
 * by the report tool from the file (its module record: path, base, build id). The front-end owns
 * them; ids are stable for the life of the process and never reused. */
struct engine_module {
	uint32_t id;          /* >= 1 */
	uintptr_t base;       /* load bias */
	uintptr_t lo, hi;     /* extent of its PT_LOAD segments */
	const char *path;
	char build_id[41];    /* hex, "" when the object has none */
	uint32_t logged_gen;  /* the engine's: log generation in which its record was written */
	int live;             /* the front-end's: seen in its latest walk */
};

struct engine_proc;

struct engine_frontend {
	/* Read n bytes of the target's memory at addr into buf without faulting (process_vm_readv on
	 * the own pid, or on the traced pid): 0, or -1 when not all of them are readable. */
	int (*mem_read)(void *ctx, uintptr_t addr, void *buf, size_t n);
	/* Optional (NULL: none, the supervisor, which reads another process): where the engine may
	 * read the n bytes at addr in place, without a copy (the process itself: addr). Reading them
	 * would fault on a page that does not read: called only for bytes readable.h proves
	 * readable, and read before the lock is left. */
	const void *(*view)(void *ctx, uintptr_t addr, size_t n);
	/* Optional (NULL: never): 1 when no other thread of the target can run now (glibc's
	 * __libc_single_threaded), so that nothing unmaps memory behind the engine's lock. */
	int (*one_thread)(void *ctx);
	/* Read the target's /proc file `name` ("stat", "status", "cmdline"): up to cap bytes into
	 * buf; returns the byte count or -1. */
	ssize_t (*proc_read)(void *ctx, const char *name, char *buf, size_t cap);
	/* Call fn for each line (without its newline) of the target's /proc file `name` ("maps",
	 * "smaps"). Returns 0, or -1 when unreadable. */
	int (*proc_lines)(void *ctx, const char *name, void (*fn)(char *line, void *arg), void *arg);
	/* The target /proc/<pid>/ link `name` ("exe"): like readlink(2). */
	ssize_t (*proc_link)(void *ctx, const char *name, char *buf, size_t cap);
	/* The target's real RLIMIT_MEMLOCK (for the log header): 0, or -1 when unknown.
	 * RLIM_INFINITY is unlimited. */
	int (*memlock_rlimit)(void *ctx, uint64_t *soft, uint64_t *hard);
	/* The program's short name (program_invocation_short_name, or its comm): a string that
	 * lives at least until the next call, maybe in buf. */
	const char *(*progname)(void *ctx, char *buf, int cap);
	/* The target's program break now (sbrk(0); a supervisor: the last brk result it saw). */
	uintptr_t (*brk_now)(void *ctx);
	/* Capture the stack of the call being audited. Called WITHOUT the lock (unwinding may be
	 * slow and may itself allocate). */
	void (*capture)(void *ctx, struct engine_frames *f);
	/* Keep the memo (id, gen) of the frames that came with memo_key (engine_frames above); NULL
	 * for a front-end that gives no memo. */
	void (*stack_memo)(void *ctx, uint32_t key, uint32_t id, uint32_t gen);
	/* CLOCK_MONOTONIC in ns, and the id of the thread making the call (the log's "tid"). */
	uint64_t (*now_ns)(void *ctx);
	pid_t (*tid)(void *ctx);
	/* The engine's state of this process is about to be used / is left: the shim takes its state
	 * lock (several threads of one process call in); a single-threaded supervisor does nothing. */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/* Memory for the engine's own tables, never the target's: zeroed; realloc keeps the old
	 * bytes; free(NULL) does nothing. NULL when out of memory. The shim: its private arena; a
	 * supervisor: calloc, realloc, free. */
	void *(*alloc)(void *ctx, size_t size);
	void *(*realloc)(void *ctx, void *ptr, size_t size);
	void (*free)(void *ctx, void *ptr);
	/* The module that holds address ip, NULL when none does; the module with an id, or NULL. */
	struct engine_module *(*module_find)(void *ctx, uintptr_t ip);
	struct engine_module *(*module_by_id)(void *ctx, uint32_t id);
	/* Stack id (engine_stack_frame in engine.h reads its frames) for a line on stderr:
	 * "function (module+0xoffset) <- ...", at most max_frames frames, NUL-terminated in buf. */
	void (*describe)(void *ctx, struct engine_proc *p, uint32_t stack, int max_frames, char *buf,
			 size_t cap);
	/* MEMAUDIT_SUPPRESSIONS: is a finding of rule (the rule registry's name pointer) at stack
	 * suppressed? */
	int (*suppressed)(void *ctx, struct engine_proc *p, const char *rule, uint32_t stack);
	/* Optional (NULL: none): does the front-end know [s, e) to be the heap of the program's
	 * allocator, from how it was mapped (a supervisor: the stack of the mmap that made it,
	 * glibc's sysmalloc or new_heap, the Go runtime's mheap)? 1: it overlaps the heap; -1: it
	 * lies in mappings known not to be (made by named code none of which is the allocator's),
	 * so that heap.h reads no memory to tell; 0: not known. heap.h asks it first. */
	int (*heap_known)(void *ctx, uintptr_t s, uintptr_t e);
	/* Optional (NULL: memory is read): what the front-end saw the allocator hand out, so that
	 * heap.h reads memory only where a heap may be. heap_maybe_chunk: 0 when blk is certainly
	 * not a live chunk glibc mapped on its own; heap_maybe_arena: 0 when no block ever came from
	 * a thread arena's heap at h (HEAP_MAX_SIZE-aligned). Not 0: may be, read to know. Called
	 * with or without the lock. */
	int (*heap_maybe_chunk)(void *ctx, uintptr_t blk);
	int (*heap_maybe_arena)(void *ctx, uintptr_t h);
	/* MEMAUDIT_ABORT=1: end the target now (the finding and an exit record are written). The
	 * shim calls abort(3); a supervisor kills the traced process with SIGABRT. Need not return. */
	void (*abort)(void *ctx);
};

#endif
