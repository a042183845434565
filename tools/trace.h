/* trace.h: the supervisor of trace mode (issue 12, item 2): runs a command under seccomp-bpf +
 * ptrace and hands each of its memory-protection system calls, and each fork, exec and exit of
 * its process tree, to one consumer, the sink.
 *
 * The mechanism (trace_spawn.c, trace_loop.c) knows nothing of models, rules or logs; a sink
 * (today trace_dump.c, the --dump debug output; later the engine's front-end) gets the events in
 * this order, per process:
 *
 *   process_start (the command, after its exec) or fork (a child, from its parent's fork event)
 *   { call_enter call_exit | exec }...
 *   exiting (optional: its last thread is at its exit stop, memory still readable)
 *   exit
 *
 * Guarantees:
 * - Only the calls in trace_filter.c's list reach the sink, on x86_64 only (and, with
 *   trace_filter_rlimit, the RLIMIT_MEMLOCK calls).
 * - A process has at most one traced call in flight: between call_enter and call_exit of one of
 *   its threads no other thread of it is entered; each process's calls reach the sink in the
 *   kernel's order (a thread that arrives meanwhile waits at its seccomp stop). Processes are
 *   independent of each other. The exception keeps a program alive: a call still running after
 *   TRACE_HOLD_MS while other threads wait (it may be waiting for one of them: userfaultfd, an
 *   in-process FUSE server) lets them go, and its call_exit comes later (the same trace_call
 *   pointer as its call_enter's: a sink keys a call's state on it).
 * - During call_enter the calling thread is stopped at the call's entry (its memory and registers
 *   are those of the call), so the sink can read memory (trace_mem_read) and take the stack
 *   (trace_stack_capture) there. During fork, the parent is stopped at its fork event and the child
 *   has made no call yet.
 * - A call whose thread is killed in it (SIGKILL, exit_group or exec by another thread) gets no
 *   call_exit: the process's next event is the next call_enter, exec or its exit.
 * - A child whose parent was killed between creating it and its fork event gets process_start
 *   instead of fork (ppid the ended parent's).
 * - call_enter's return value refuses the call: non-zero errno E means the call does not run and
 *   returns -1/E to the program; call_exit then follows at once with ret = -E and refused set.
 *   call_enter may instead answer the call itself (the simulated RLIMIT_MEMLOCK): it sets answered
 *   and ret (0, or -errno) and returns 0; the call does not run, returns ret, and call_exit
 *   follows at once (refused not set).
 *
 * Single-threaded: all callbacks run on the supervisor's one thread.
 */
#ifndef MEMAUDIT_TOOLS_TRACE_H
#define MEMAUDIT_TOOLS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

struct trace_stack_cache; /* trace_stack.c: one per process */

#define TRACE_HOLD_MS 1000 /* see "The exception" above: long enough for a loaded machine */

/* A traced process (thread group). Owned by the mechanism; valid from process_start/fork to the
 * end of exit. */
struct trace_proc {
	pid_t tgid;
	pid_t ppid;              /* the traced parent (0 for the command itself) */
	char *exe;               /* /proc/PID/exe at the start or at the last exec */
	char **argv;             /* /proc/PID/cmdline then, NULL-terminated */
	int nthreads;            /* live threads known to the mechanism */
	int nexiting;            /* of those, how many reached their exit stop */
	bool started;            /* process_start or fork was delivered */
	bool exited;             /* exit was delivered */
	void *data;              /* the sink's per-process object */
	struct trace_stack_cache *stacks; /* trace_stack.c */
};

/* One traced call. At call_enter, ret and refused are not yet set. */
struct trace_call {
	pid_t tid;
	long nr;                 /* x86_64 system call number */
	uint64_t args[6];
	long ret;                /* the kernel's return value: >= 0, or -errno */
	bool refused;            /* the sink refused it (it did not run) */
	bool answered;           /* the sink answered it at call_enter (it did not run): ret */
	bool rewritten;          /* the sink changed args[0] at call_enter: the call runs with it */
	struct user_regs_struct regs; /* at the seccomp stop (entry) */
};

/* From the clone flags of the parent's call (trace_lifecycle.c). */
enum trace_fork_kind {
	TRACE_FORK,              /* fork, or clone without CLONE_VM: a copy of the parent's memory */
	TRACE_VFORK,             /* vfork, clone(CLONE_VFORK) as in posix_spawn: memory shared, the
				  * parent suspended until the child execs or exits */
	TRACE_CLONE,             /* clone with CLONE_VM but without CLONE_THREAD or CLONE_VFORK: a
				  * process sharing the parent's memory (its model is the parent's) */
};

/* The consumer. Any callback may be NULL. */
struct trace_sink {
	void *ctx;
	void (*process_start)(void *ctx, struct trace_proc *p);
	int (*call_enter)(void *ctx, struct trace_proc *p, struct trace_call *c); /* errno or 0 */
	void (*call_exit)(void *ctx, struct trace_proc *p, const struct trace_call *c);
	void (*fork)(void *ctx, struct trace_proc *parent, struct trace_proc *child,
		     enum trace_fork_kind kind);
	void (*exec)(void *ctx, struct trace_proc *p); /* p->exe and p->argv are the new ones */
	void (*exiting)(void *ctx, struct trace_proc *p, pid_t tid, int wait_status);
	/* wait_status as from waitpid (WIFEXITED/WIFSIGNALED) */
	void (*exit)(void *ctx, struct trace_proc *p, int wait_status);
};

/* ---- trace_spawn.c */

/* Start argv[0] (PATH search) as a traced child: forked, seized with the options, then it sets
 * no_new_privs, installs the filter and execs. Returns its pid, or -1 after printing one line on
 * stderr that says why and what to do (ptrace not permitted, already traced, no seccomp, command
 * not found); *exit_status is then the status to exit with (126, 127, or 1). */
pid_t trace_spawn(char *const argv[], int *exit_status);

/* ---- trace_loop.c */

/* Run the event loop until every traced process has ended. Returns the command's wait status. */
int trace_run(pid_t root, const struct trace_sink *sink);

/* ---- trace_calls.c */

/* Traced calls handled so far (call_exit delivered). */
unsigned long trace_call_count(void);

/* ---- trace_filter.c */

/* Install the seccomp filter in the calling process (sets no_new_privs first). 0 or -errno. */
int trace_filter_install(void);
/* Whether nr is one of the traced calls, and its name ("?" when not). */
bool trace_filter_traces(long nr);
const char *trace_call_name(long nr);
/* Before trace_filter_install (trace_spawn): trace the RLIMIT_MEMLOCK calls as well (prlimit64,
 * getrlimit, setrlimit of that resource; trace_filter.c), for a sink that answers the own ones. */
void trace_filter_rlimit(bool on);
/* Whether nr is one of those, and they are traced. */
bool trace_filter_is_rlimit(long nr);
/* Before trace_filter_install: trace exit_group(2) as well, for a sink that ends a process's log
 * there and may change its status (strict: the process's own, as the preload library's at_exit). */
void trace_filter_exit_group(bool on);

/* ---- trace_mem.c: the target's memory and status fields */

/* Read len bytes at addr of process pid (process_vm_readv). Returns bytes read (short at an
 * unmapped page), or -1 with errno. */
ssize_t trace_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len);
/* Write len bytes at addr of process pid (process_vm_writev: as the process could, so EFAULT for
 * a read-only page). Returns bytes written, or -1 with errno. */
ssize_t trace_mem_write(pid_t pid, uint64_t addr, const void *buf, size_t len);


/* The number in a "Name:" field of /proc/TID/status (Tgid, PPid, TracerPid...), -1 if absent. */
long long trace_status_field(pid_t tid, const char *field);
/* The same for a field in kB (VmLck, VmRSS...), as bytes. */
long long trace_status_kb(pid_t tid, const char *field);

/* ---- trace_stack.c */

#define TRACE_STACK_MAX 64

/* Capture the stack of thread tid of p, stopped at a traced call with registers regs: return
 * addresses (the first is the pc of the system call instruction's successor), the system-call
 * wrappers of libc and Go trimmed, so that pcs[0] is in the program's own code where it made the
 * call (its return address). Uses a frame-pointer walk for Go programs and libdwfl otherwise.
 * Returns the number of frames (0 when nothing could be unwound). */
size_t trace_stack_capture(struct trace_proc *p, pid_t tid, const struct user_regs_struct *regs,
			   uint64_t *pcs, size_t max);

/* Memory that will be read at the same stop as the next capture of p (a munlock's bytes for the
 * wipe check): read with the stack in one system call when at most 16 KiB. len 0: none (the
 * caller clears it after the stop's reads, so that nothing read then is served later). */
void trace_stack_prefetch(struct trace_proc *p, uint64_t addr, size_t len);
/* n bytes at addr from that read: false when they were not all read. */
bool trace_stack_prefetched(struct trace_proc *p, uint64_t addr, void *buf, size_t n);

/* Symbolize a return address (pc - 1 is looked up) of p: function, source file and line, the
 * module's path and the offset from its load bias. Any output may be NULL; strings belong to the
 * cache until the next exec or map change. Returns false when pc is in no known module. */
bool trace_stack_symbolize(struct trace_proc *p, uint64_t pc, const char **function,
			   const char **file, int *line, const char **module, uint64_t *offset);

/* The module holding the return address pc (pc - 1 is looked up), as the log's module records
 * name it: path, load bias, build id (*build_id_len 0 when it has none). Outputs may be NULL;
 * strings belong to the cache as above. false when pc is in no known module. */
bool trace_stack_module(struct trace_proc *p, uint64_t pc, const char **path, uint64_t *bias,
			const unsigned char **build_id, int *build_id_len);

/* The process's mappings may have changed (a successful mmap/mprotect with PROT_EXEC, munmap of
 * a module, exec): the next capture re-reads the module list. */
void trace_stack_invalidate(struct trace_proc *p);
/* A call's result, seen by the mechanism before the sink's call_exit: invalidates the module
 * list when the call may have mapped or unmapped code. */
void trace_stack_note_call(struct trace_proc *p, const struct trace_call *c);
/* Free the cache (exit, exec). */
void trace_stack_free(struct trace_proc *p);
/* --check-unwind (a test of trace_cfi.c): unwind every C stack both from the cached CFI steps and
 * with libdwfl, keep libdwfl's, and count the stacks where they differ; the report (stderr)
 * says how many were checked, how many the cached steps unwound, how many differed. */
void trace_stack_check(bool on);
void trace_stack_check_report(void);

/* ---- trace_dump.c: the --dump sink (debug and test output, not the memaudit log) */

struct trace_dump;
/* refuse: "NAME=ERRNO" to refuse every call NAME with errno ERRNO (NULL: none); symbols: each
 * frame's function, file and line (else module and offset only). NULL on error, after printing
 * it. */
struct trace_dump *trace_dump_open(const char *path, const char *refuse, bool symbols);
void trace_dump_sink(struct trace_dump *d, struct trace_sink *sink);
int trace_dump_close(struct trace_dump *d);

#endif
