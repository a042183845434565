/* report_text_merged.h: the text report under --merge: one section per executable instead of one
 * per process (see report_merge.h), each with its processes summed up, its merged call site
 * table (with a column of process counts), its what-if table across the processes and its merged
 * findings ("N x in P processes").
 */
#ifndef MEMAUDIT_TOOLS_REPORT_TEXT_MERGED_H
#define MEMAUDIT_TOOLS_REPORT_TEXT_MERGED_H

#include <stdint.h>

#include "report_merge.h"
#include "text_out.h"

/* Write a section for each group of m; add the finding counts by severity to counts[]. */
void ma_text_merged(struct text_out *out, const struct ma_merged *m,
		    uint64_t counts[MA_SEV_NONE]);

#endif
