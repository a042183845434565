/* report_text.h: the human-readable report (memaudit-report --format text, the default).
 *
 * With more than one process that made an audited call, first the process tree of those (one line
 * per image, indented under its fork parent or the image it replaced). Then per such process, in
 * tree order: a header (exe, pid, ppid, policy, complete or not, lost records, exit status, peak
 * locked), the call sites by pages, the findings grouped by rule with their stacks, notes and
 * totals. The processes that made no audited call (tx_quiet) are one line in all, at the end.
 * No line is cut: on a terminal long lines are wrapped at its width, elsewhere written whole
 * (text_out.h); control characters from the log are shown as '?'; severities and rule names may
 * be in colour. With --merge, one section per executable instead (report_text_merged.h).
 */
#ifndef MEMAUDIT_TOOLS_REPORT_TEXT_H
#define MEMAUDIT_TOOLS_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report_merge.h"
#include "report_model.h"
#include "text_out.h"

/* How to write the text report. */
struct ma_text_options {
	bool color;                     /* severities and rule names in colour (see text_out.h) */
	const struct ma_merged *merged; /* --merge: one section per executable, not per process */
};

/* Write the report of procs[0..n) to out (opt NULL: the defaults, all false). Returns 0, or -1
 * when a write failed. */
int ma_write_text(FILE *out, struct ma_process *const *procs, size_t n,
		  const struct ma_text_options *opt);

#endif
