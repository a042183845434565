/* report_model.h: what the report says about each process, computed from its log.
 *
 * A process is one log. Reading it aggregates the events into call sites, one per (op, stack), and
 * the finding records into findings, one per (rule, stack). ma_processes_link (process_tree.c) then
 * looks across logs: it links the images into a fork/exec tree (a log without exit record followed
 * by a later log of the same pid: the image exec'd; a log whose ppid and parent_log name another:
 * a fork child) and puts the processes in tree order; ma_process_symbolize resolves the stacks the
 * report shows, and ma_process_suppress applies a suppressions file. The writers (report_json.c,
 * report_text.c) only read the result.
 */
#ifndef MEMAUDIT_TOOLS_REPORT_MODEL_H
#define MEMAUDIT_TOOLS_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idmap.h"
#include "log_reader.h"
#include "suppress.h"
#include "symbolize.h"
#include "timeline.h"

/* The calls that make call sites (free and realloc appear only when they touched tracked pages). */
enum ma_op {
	MA_OP_MLOCK, MA_OP_MLOCK2, MA_OP_MUNLOCK, MA_OP_MLOCKALL, MA_OP_MUNLOCKALL,
	MA_OP_MADVISE, MA_OP_POSIX_MADVISE, MA_OP_MMAP, MA_OP_MUNMAP, MA_OP_MREMAP,
	MA_OP_MPROTECT, MA_OP_MEMFD_SECRET, MA_OP_FREE, MA_OP_REALLOC, MA_OP_HEAP_GROW,
	MA_OP_COUNT
};

/* Severities, ordered; MA_SEV_NONE is above all (--fail-on none never fails). */
enum ma_severity { MA_SEV_UNKNOWN, MA_SEV_NOTE, MA_SEV_WARNING, MA_SEV_ERROR, MA_SEV_NONE };

struct ma_errcount {
	int64_t err;
	uint64_t count;
	uint64_t injected; /* of count: refused by the policy without the real call */
};

struct ma_site {
	enum ma_op op;
	int64_t stack;
	uint64_t calls, bytes, pages;
	uint64_t peak_locked;          /* the most bytes locked right after a call from here */
	struct ma_errcount *failures; /* sorted by count, descending */
	size_t nfailures, failures_cap;
	uint64_t injected;             /* failures the policy injected (counted in failures too) */
	uint64_t advice_seen;          /* bit a: advice value a (0..63) was given */
	bool advice_other;             /* an advice value >= 64 or < 0 was given */
};

struct ma_finding {
	char *rule;
	char *severity, *message;        /* the first record's (may be NULL) */
	int64_t stack, related_stack;    /* related_stack -1: none */
	uint64_t count;
	bool suppressed;
	bool suppressed_in_process;      /* by MEMAUDIT_SUPPRESSIONS (the records say so) */
};

/* How a process came to be, relative to its parent in the process tree. */
enum ma_relation {
	MA_REL_ROOT, /* no parent among the logs of the report */
	MA_REL_FORK, /* forked by its tree parent */
	MA_REL_EXEC, /* the image its tree parent (same pid, no exit record) replaced itself with */
};

/* A stack as shown: symbolized, memaudit's own frames left out. */
struct ma_rstack {
	struct ma_sym_frame *frames;
	size_t nframes;
	bool partial;              /* only up to the frame ma_frames_own picks */
};

struct ma_process {
	char *path;                /* the log file */
	struct ma_log log;

	bool complete;
	const char *ended_by;      /* "exit", "_exit", "exec" (static or log-owned), or NULL */
	char *incomplete_reason;   /* when !complete: why, for people */
	uint64_t peak_locked;
	struct ma_timeline timeline; /* locked bytes over time (bounded; see timeline.h) */

	struct ma_site *sites;
	size_t nsites, sites_cap;
	struct idmap site_ids;     /* (op, stack) -> index */

	struct ma_finding *findings;
	size_t nfindings, findings_cap;
	struct idmap finding_ids;  /* (hash(rule), stack) -> index */
	uint64_t suppressed;       /* finding records left out by suppressions */

	struct ma_rstack *rstacks;
	size_t nrstacks, rstacks_cap;
	struct idmap rstack_ids;   /* stack id -> index */

	char **notes;              /* things the reader of the report should know */
	size_t nnotes, notes_cap;

	/* the process tree (ma_processes_link) */
	struct ma_process *tree_parent;  /* the image it was forked from or exec'd by, or NULL */
	enum ma_relation relation;       /* how it came from tree_parent */
	struct ma_process *exec_next;    /* the image that replaced it by execve, or NULL */
	struct ma_process **children;    /* forked children and the exec'd image, by start time */
	size_t nchildren, children_cap;
	size_t depth;                    /* 0 for a root */
	int64_t *forked;                 /* the child pids its fork events name, in log order */
	size_t nforked, forked_cap;
};

/* Read the log at path into a new process with aggregated sites and findings, sorted. Returns NULL
 * with errno set when the file cannot be read; otherwise check p->log.status (not a log, unknown
 * version) and p->log.stop_line (cut short). */
struct ma_process *ma_process_load(const char *path);
/* The same for the log in the open file fd (left open), called name in the report. */
struct ma_process *ma_process_load_fd(const char *name, int fd);
/* The same for a log held in memory, buf[0..len), called name in the report (tests, fuzzing). */
struct ma_process *ma_process_parse(const char *name, const char *buf, size_t len);
/* Free a process (NULL is fine). */
void ma_process_free(struct ma_process *p);

/* Link the processes into their fork/exec tree, decide completeness across them (exec inference)
 * and reorder procs[0..n) into tree order: roots by start time, each followed by its subtree
 * (children by start time). Implemented in process_tree.c. */
void ma_processes_link(struct ma_process **procs, size_t n);
/* Return the name of a relation: "root", "fork" or "exec". */
const char *ma_relation_name(enum ma_relation r);
/* Symbolize every stack that a site, finding or what-if entry of p shows; with sites_own_only, a
 * site's stack only up to the frame ma_frames_own picks (all the text report shows of it). */
void ma_process_symbolize(struct ma_process *p, struct ma_sym *sym, bool sites_own_only);
/* Mark the findings of p that s suppresses (after ma_process_symbolize). */
void ma_process_suppress(struct ma_process *p, const struct ma_suppressions *s);

/* Return the symbolized frames of stack id (none when it was not symbolized or is unknown). */
const struct ma_sym_frame *ma_process_frames(const struct ma_process *p, int64_t stack, size_t *n);
/* Return the first frame in the program's own code (not libc, ld.so or memaudit), else the
 * innermost one, else NULL. */
const struct ma_sym_frame *ma_frames_own(const struct ma_sym_frame *frames, size_t n);

/* Add count failures with errno err to s, injected of them refused by the policy. */
void ma_site_add_failures(struct ma_site *s, int64_t err, uint64_t count, uint64_t injected);
/* Sort the failures of s by count, descending (then errno). */
void ma_site_sort_failures(struct ma_site *s);
/* qsort on struct ma_site: by pages, then calls, descending; then op and stack. */
int ma_site_cmp(const void *a, const void *b);
/* qsort on struct ma_finding: by severity descending, rule, count descending, stack. */
int ma_finding_cmp(const void *a, const void *b);

/* Add the records of p's findings that are not suppressed to counts[] by severity. */
void ma_process_count_findings(const struct ma_process *p, uint64_t counts[MA_SEV_NONE]);

/* Return the name of an op ("mlock"). */
const char *ma_op_name(enum ma_op op);
/* Return the rank of a severity name (MA_SEV_UNKNOWN for NULL and names it does not know). */
enum ma_severity ma_severity_rank(const char *name);

#endif
