/* state.h: the shim's process-wide state.
 *
 * Init order (shim_init, init.c): 1. guard, 2. real symbols (real.h), 3. configuration from the
 * environment, 4. arena-backed tracker, 5. module map and unwinder, 6. log file and header,
 * 7. fork and exit hooks. Fields marked "immutable" are written only there (and in a fork child
 * before it runs any other code); everything else is guarded by the state lock.
 */
#ifndef MEMAUDIT_SHIM_STATE_H
#define MEMAUDIT_SHIM_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "logfile.h"

enum shim_policy { POLICY_OFF, POLICY_AUDIT, POLICY_WARN, POLICY_ENFORCE, POLICY_STRICT };

struct tracker;
struct engine_frontend;

struct shim_state {
	int active;              /* audit calls: initialized, policy not off, log open */
	enum shim_policy policy; /* immutable */
	size_t page_size;        /* immutable: simulated page size */
	size_t real_page_size;   /* immutable */
	long long memlock_limit; /* simulated RLIMIT_MEMLOCK (soft) in bytes, -1 unlimited: set at
				  * init, then changed only by rlimit.c, under the lock */
	uint64_t memlock_max;    /* its hard limit (RLIM64_INFINITY: unlimited); lock held */
	int memlock_modelled;    /* immutable: MEMAUDIT_MEMLOCK_LIMIT is set: RLIMIT_MEMLOCK of this
				  * process is answered from the model (rlimit.c) */
	int memlock_read;        /* the process read its RLIMIT_MEMLOCK (logged once): set under the
				  * lock, read without it as a hint */
	long max_map_count;      /* immutable */
	const char *log_dir;     /* immutable */
	pid_t pid;               /* the process the log belongs to (changes in a fork child) */
	pid_t ppid;              /* its parent: getppid() at load; in a fork child the parent's pid
				  * (not getppid(), which is 1 or a subreaper once the parent exited) */
	uint64_t t0;             /* CLOCK_MONOTONIC ns at load (or fork) */
	uint32_t log_gen;        /* bumped per log file: stacks and modules are re-emitted */
	uint64_t seq;            /* events recorded */
	uint64_t lost;           /* records that could not be written */
	struct logfile log;
	char parent_log[256];    /* fork child: the parent's log name */
	struct tracker *tracker;
	struct tracker *regions; /* what each lock call meant to lock, in bytes (logical regions) */
	int lockall_future;      /* MCL_FUTURE in effect */
	int lockall_active;      /* mlockall(MCL_CURRENT and/or MCL_FUTURE) in effect */
	int glibc_malloc;        /* immutable: the next malloc is glibc's (its chunk layout is known) */
	int fail_on;             /* immutable: findings.h enum severity, SEV_NONE for never */
	int exitcode;            /* immutable: MEMAUDIT_EXITCODE */
	int abort_on_finding;    /* immutable: MEMAUDIT_ABORT */
	int argv_first;          /* immutable: MEMAUDIT_ARGV=first: the log keeps argv[0] only */
	uint64_t lock_calls;     /* lock calls so far: the what-if "call" index counts these */
	int map_count_off;       /* the map-count check found the target exceeded (audit): stopped */
	struct whatif {
		long long limit;     /* bytes, -1 unlimited */
		uint64_t call;       /* first lock call refused at this limit, 0 = none yet */
	} whatif[4];             /* 32 KiB, 64 KiB, 8 MiB, the configured limit (the simulated
				  * limit in force, until a call fails there: rlimit.c) */
	int exited;              /* the exit record is written: record nothing more */
	const struct engine_frontend *fe; /* immutable: how the process is reached (frontend.h) */
	void *fe_ctx;            /* immutable: the front-end's context for it */
};

extern struct shim_state S;

void state_lock(void);
void state_unlock(void);

/* Write the exit record (how: "exit" or "_exit") unless this is a vfork child. Returns the exit
 * status the process should end with (strict policy may replace a 0). */
int shim_exit_record(const char *how, int status);

/* The policy refuses calls that the simulated target would refuse. */
static inline int shim_enforcing(void)
{
	return S.policy >= POLICY_ENFORCE;
}

/* The preload library's front-end (frontend_self.c): this process, from inside. */
extern const struct engine_frontend shim_self_frontend;

/* Make sure the shim is initialized (constructor, or the first wrapped call if it comes first). */
void shim_init(void);

/* Should this call be audited? False inside the shim, before init, under policy off, after exit. */
int shim_auditing(void);

/* This is the process the log belongs to: false in a vfork child and in a clone(2) child that
 * shares this memory (CLONE_VM), which must touch none of the shim's state (init.c). */
int shim_own_process(void);

/* Nanoseconds of CLOCK_MONOTONIC since S.t0. */
uint64_t shim_now(void);

/* Bytes memaudit believes locked now (tracker pages times the page size). Lock held. */
uint64_t shim_locked_bytes(void);

#endif
