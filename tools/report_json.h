/* report_json.h: the JSON report (SPEC "Report": {"memaudit_report": 1, "processes": [...]}). */
#ifndef MEMAUDIT_TOOLS_REPORT_JSON_H
#define MEMAUDIT_TOOLS_REPORT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "report_merge.h"
#include "report_model.h"

/* Write the report of procs[0..n) (linked, symbolized, suppressed) to out. Every key the SPEC lists
 * is present (null where unknown); suppressed findings are left out. With merged (--merge; NULL
 * otherwise) the report also has "merged": one entry per executable (memaudit-report(1)). Returns
 * 0, or -1 when out of memory or the write failed (errno set). */
int ma_write_json(FILE *out, struct ma_process *const *procs, size_t n,
		  const struct ma_merged *merged);

#endif
