/* proc.h: the engine's state of one audited process (struct engine_proc): its configuration, its
 * log, and the model of what the target kernel would hold for it (pages locked and advised, the
 * regions each call named, lockall, the simulated RLIMIT_MEMLOCK, what-if limits, map count).
 *
 * The preload library owns exactly one, its own process's (shim/state.h: shim_proc()); a
 * supervisor owns one per traced process. Every engine function takes the process it works on;
 * none reaches a global. Fields marked "config" are set before the log is started and not changed
 * afterwards (the fork child's copy excepted, before it runs); everything else is changed only
 * with the front-end's lock held (frontend.h lock/unlock). docs/engine.md has the lifecycle.
 */
#ifndef MEMAUDIT_ENGINE_PROC_H
#define MEMAUDIT_ENGINE_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/envparse.h"
#include "policy/engine/frontend.h"
#include "shim/logwriter/logfile.h"
#include "policy/tracker.h"

enum engine_policy { POLICY_OFF, POLICY_AUDIT, POLICY_WARN, POLICY_ENFORCE, POLICY_STRICT };


struct engine_proc {
	const struct engine_frontend *fe; /* config: how the process is reached (frontend.h) */
	void *fe_ctx;            /* config: the front-end's context for it */

	/* configuration (config) */
	enum engine_policy policy;
	size_t page_size;        /* simulated page size */
	size_t real_page_size;
	long max_map_count;
	const char *log_dir;
	int glibc_malloc;        /* the process's malloc is glibc's (its chunk layout is known) */
	int fail_on;             /* enum severity (policy/rules.h), SEV_NONE for never */
	int exitcode;            /* MEMAUDIT_EXITCODE */
	int abort_on_finding;    /* MEMAUDIT_ABORT */
	int argv_first;          /* MEMAUDIT_ARGV=first: the log keeps argv[0] only */
	char run_id[ENVPARSE_RUN_ID_MAX + 1]; /* MEMAUDIT_RUN_ID (the launcher's run), "" unset */
	int cap_ipc_lock;        /* the process had CAP_IPC_LOCK at start (the log header says so) */
	int memlock_modelled;    /* MEMAUDIT_MEMLOCK_LIMIT is set: RLIMIT_MEMLOCK of the process is
				  * answered from the model */
	const char *frontend;    /* NULL: the preload library; "trace": the supervisor (log header) */
	const char *const *unchecked; /* NULL-terminated: rules this front-end cannot check at all,
				  * and (partly) those it checks only at some calls (log header) */
	const char *const *partly_checked;

	/* the simulated RLIMIT_MEMLOCK */
	long long memlock_limit; /* soft, bytes, -1 unlimited */
	uint64_t memlock_max;    /* hard (RLIM64_INFINITY: unlimited) */
	int memlock_read;        /* the process read its RLIMIT_MEMLOCK (logged once): set under the
				  * lock, read without it as a hint */

	/* the log */
	pid_t pid;               /* the process the log belongs to */
	pid_t ppid;              /* its parent (a fork child: the parent's pid) */
	uint64_t t0;             /* CLOCK_MONOTONIC ns at start (or fork) */
	uint32_t log_gen;        /* bumped per log file: stacks and modules are re-emitted */
	uint64_t seq;            /* events recorded */
	uint64_t lost;           /* records that could not be written */
	struct logfile log;
	char parent_log[256];    /* fork child: the parent's log name */
	int exited;              /* the exit record is written: record nothing more */

	/* the model */
	struct tracker_alloc talloc; /* the trackers' memory: the front-end's (engine.c) */
	struct spare_node *spare; /* tracker nodes freed, kept for the next (engine.c) */
	unsigned spares;         /* ... how many */
	size_t spare_size;       /* ... their size */
	struct tracker *tracker; /* the kernel's page state: locked, dontdump, dontfork, wipeonfork */
	struct tracker *regions; /* what each lock or advice call named, in bytes (regions.h) */
	int lockall_future;      /* MCL_FUTURE in effect: read without the lock as a hint */
	int lockall_active;      /* mlockall(MCL_CURRENT and/or MCL_FUTURE) in effect */
	uint64_t lock_calls;     /* lock calls so far: the what-if "call" index counts these */
	int map_count_off;       /* the map-count check found the target exceeded (audit): stopped */
	struct whatif {
		long long limit;     /* bytes, -1 unlimited */
		uint64_t call;       /* first lock call refused at this limit, 0 = none yet */
	} whatif[4];             /* 32 KiB, 64 KiB, 8 MiB, the configured limit (the simulated
				  * limit in force, until a call fails there) */
	int whatif_floor_set;    /* call.c: whatif_floor is that of whatif[] now; whoever changes a
				  * limit or a call of whatif[] clears it */
	int whatif_undecided;    /* ... some what-if has no refused call yet */
	long long whatif_floor;  /* ... the smallest limit of those, bytes, -1 unlimited */
	/* Tracked-page bounds for a lock-free free()/realloc() filter: nothing is tracked outside
	 * [track_lo, track_hi). Written under the lock, read without it (relaxed atomics).
	 * track_gen moves whenever the tracker changed (publish_bounds, events.c): the shim's
	 * per-thread caches of untracked pages (shim/freegap.h) hold while it stays. track_changes:
	 * the tracker's change count at that publication. */
	uintptr_t track_lo, track_hi;
	unsigned long track_gen;
	uint64_t track_changes;
	int unaudited;           /* a fork child made while the model was half updated (a signal
				  * handler forked inside the engine): audit nothing, read no model */

	/* the engine's own tables of this process (each module's, see its header) */
	struct engine_region_ids {          /* regions.c: the calls behind the regions */
		struct region_call *calls;
		uint32_t cap, used, free_head;
	} rids;
	struct engine_findings {            /* findings.c */
		int worst;                  /* enum severity: the highest recorded */
		uint64_t *printed;          /* (rule, stack) pairs already printed */
		size_t printed_cap, printed_n;
	} fnd;
	struct engine_alignwaste {          /* alignwaste.c */
		struct aw_site *sites;      /* AW_SITES call sites, allocated at first use */
		struct aw_block *tab;       /* live page-aligned blocks */
		size_t tab_cap, tab_used, tab_live;
		int live;                   /* some block is live: read without the lock */
	} aw;
	struct engine_maps {                /* maps.c: the bound of the mapping count */
		long bound;                 /* -1 until the first read */
		unsigned since_read;
	} maps;
	uintptr_t start_brk;                /* heap.c: the initial program break, 0 until read */
	struct tracker *unreadable;         /* readable.c: pages a seen call may have made unreadable */
	int readable_off;                   /* readable.c: no in-process copy any more */
	struct engine_stacks {              /* stacks.c: interned stacks */
		struct interned **table;    /* open addressing, capacity a power of two */
		size_t capacity, count;
		uint32_t next_id;           /* 0 until the first: then from 1 */
		struct interned **by_id;    /* by_id[id - 1] */
		size_t by_id_cap;
		struct interned *recent[16]; /* a stack by its innermost frame: tried first */
	} st;
	struct engine_records {             /* records.c */
		int header_written;         /* the header of this log is in it */
		int batch;                  /* rec_batch_begin: in a batch */
		uint64_t lost_noted;        /* lost records already reported */
		struct engine_rec_table {   /* open addressing, in the front-end's memory */
			struct rec_slot *slots;
			size_t cap, n;
		} defs,                     /* the findings' finding_def records */
		  last;                     /* per stack, the last event (again records) */
	} rec;
};

/* The policy refuses calls that the simulated target would refuse. */
static inline int engine_enforcing(const struct engine_proc *p)
{
	return p->policy >= POLICY_ENFORCE;
}

/* Nanoseconds since the process's start (p->t0), by its front-end's clock. */
static inline uint64_t engine_now(const struct engine_proc *p)
{
	return p->fe->now_ns(p->fe_ctx) - p->t0;
}

/* Bytes the model holds locked now (tracker pages times the page size). Lock held. */
static inline uint64_t engine_locked_bytes(const struct engine_proc *p)
{
	if (p->unaudited)
		return 0;
	return p->tracker ? (uint64_t)tracker_locked_pages(p->tracker) * p->page_size : 0;
}

#endif
