/* report_html.h: the HTML report (memaudit-report --format html).
 *
 * One self-contained file: inline CSS, an inline SVG chart per process (report_svg.h), no script
 * and no reference to anything outside the file (no src, no external href, no url(), no @import).
 * Per process: a header (program, argv, pid, ppid, policy, limit, page size, complete or not and
 * why, exit status), the locked-memory chart, the call site table, the what-if table, the findings
 * grouped by rule with the rule's explanation and fix and symbolized stacks, notes and totals.
 * Every string that comes from a log or from debug information is escaped: it can never become
 * markup.
 */
#ifndef MEMAUDIT_TOOLS_REPORT_HTML_H
#define MEMAUDIT_TOOLS_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

/* Write the report of procs[0..n) to out. Returns 0, or -1 when a write failed. */
int ma_write_html(FILE *out, struct ma_process *const *procs, size_t n);

#endif
