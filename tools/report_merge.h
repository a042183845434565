/* report_merge.h: --merge: the call sites and findings of every process of one executable in one
 * table.
 *
 * A test suite runs hundreds of processes of a few programs, and their sections repeat the same
 * call sites. Merged, each executable (the log header's exe) is one group: its sites summed per
 * (op, stack), its findings per (rule, stack, related stack), its what-if results per limit, and
 * each entry says how many processes it covers. Stacks are compared as shown, frame by frame
 * (function, file, line, module, offset, inlined), so ma_merge runs after symbolization and
 * suppression; two processes of one program have the same stack where their logs' (module,
 * offset) frames are the same, whatever the load addresses. Suppressed findings are left out, and
 * counted.
 *
 * The merged view borrows the processes' strings and frames: free it before them.
 */
#ifndef MEMAUDIT_TOOLS_REPORT_MERGE_H
#define MEMAUDIT_TOOLS_REPORT_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idmap.h"
#include "report_model.h"

struct ma_merged_site {
	struct ma_site sum;                 /* op, calls, bytes, pages, failures, advice; stack -1 */
	const struct ma_sym_frame *frames;  /* the stack, as the first process shows it */
	size_t nframes;
	uint64_t processes;                 /* how many processes have this site */
	size_t last;                        /* 1 + index of the last process counted (internal) */
};

struct ma_merged_finding {
	struct ma_finding sum;              /* rule, severity, message: the first process's; count */
	const struct ma_sym_frame *frames, *related; /* related: NULL when there is none */
	size_t nframes, nrelated;
	uint64_t processes;
	size_t last;
};

/* One what-if limit across the processes whose logs evaluated it. */
struct ma_merged_whatif {
	bool unlimited;
	uint64_t limit;
	bool configured;                    /* the configured limit of some process */
	uint64_t processes;                 /* processes whose log has this limit */
	uint64_t failing;                   /* of those, the ones a lock call of would have failed */
	uint64_t call;                      /* the smallest such call index (failing > 0) */
	int64_t err;                        /* and its errno */
	const struct ma_sym_frame *frames;  /* and its call site */
	size_t nframes;
};

/* The processes of one executable. */
struct ma_group {
	const char *exe;                    /* NULL: unknown */
	struct ma_process **procs;          /* in the report's (tree) order */
	size_t nprocs, procs_cap;
	uint64_t incomplete, suppressed, peak_locked; /* peak: the largest of one process */

	struct ma_merged_site *sites;       /* sorted as a process's sites */
	size_t nsites, sites_cap;
	struct idmap site_ids;              /* (stack hash, op) -> index (internal) */

	struct ma_merged_finding *findings; /* sorted as a process's findings */
	size_t nfindings, findings_cap;
	struct idmap finding_ids;           /* (stack hash, rule hash) -> index (internal) */

	struct ma_merged_whatif *whatif;    /* limits in the order they were first seen */
	size_t nwhatif, whatif_cap;

	const char **notes;                 /* the processes' notes, each once */
	size_t nnotes, notes_cap;
};

struct ma_merged {
	struct ma_group *groups;            /* in order of their first process */
	size_t ngroups, groups_cap;
	struct idmap group_ids;             /* (exe hash, 0) -> index (internal) */
};

/* Merge procs[0..n) (linked, symbolized, suppressed) into m, by executable. */
void ma_merge(struct ma_merged *m, struct ma_process *const *procs, size_t n);
/* Free what m holds. */
void ma_merged_free(struct ma_merged *m);

#endif
