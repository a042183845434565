/* report_sarif.h: the SARIF 2.1.0 report (memaudit-report --format sarif), for code scanning.
 *
 * One run, tool.driver "memaudit" with every rule of the registry, policy/rules.h (and any rule
 * name a log has that this tool does not know, after them). Each rule has its help (explanation
 * and fix, as text and Markdown), a helpUri at its anchor in the rules page that `make install`
 * puts into the documentation directory (file://DOCDIR/rules.html#RULE, docs/rules2html.c), and
 * the properties code scanning reads: the tag "security" and the registry's security-severity.
 *
 * One result per finding entry (process, rule, stack): its level is the finding's severity, its
 * message the same in every run of the same program: the finding's message without addresses
 * (sarif_text.h), its count and the program's name; the pid, the executable and the log's whole
 * message are in its properties. Its location is the first frame in the program's own code
 * (ma_frames_own): a source file and line when the frame has them, else the module's file (code
 * scanning rejects a SARIF file in which a location names no file), with a logical location
 * naming the function or module+offset, and module+offset in the message too. The whole stack
 * is in result.stacks; the second call site of a collateral finding is a related location (and a
 * second stack). partialFingerprints["memaudit/v1"] hashes rule, function and source file name,
 * plus the result's occurrence among the results with the same hash, counted in the order of
 * their contents (not of the processes, whose start order parallel runs change), so that code
 * scanning follows a finding across runs and line moves.
 *
 * Suppressed findings are kept, with suppressions: [{"kind": "external", "status": "accepted"}],
 * so that a SARIF consumer shows them as suppressed instead of losing them; they do not count for
 * --fail-on. The notes of each process (unreadable module files, incomplete logs) are the
 * invocation's toolExecutionNotifications.
 */
#ifndef MEMAUDIT_TOOLS_REPORT_SARIF_H
#define MEMAUDIT_TOOLS_REPORT_SARIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

/* The $schema the report names: the OASIS schema of SARIF 2.1.0 with errata 01. */
#define MA_SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

struct ma_sarif_options {
	const char *source_root; /* --source-root DIR; NULL: the current directory */
	bool inputs_ok;          /* every input could be read: invocation.executionSuccessful */
};

/* Write the SARIF report of procs[0..n) (linked, symbolized, suppressed) to out. Returns 0, or -1
 * when the write failed (errno set). */
int ma_write_sarif(FILE *out, struct ma_process *const *procs, size_t n,
		   const struct ma_sarif_options *opt);

#endif
