/* report_svg.h: the locked-memory chart of the HTML report, an inline SVG figure.
 *
 * A step line of the bytes locked after each call (the process's timeline, see timeline.h) over
 * time since the program started, or over the event number when some event has no time, against
 * horizontal lines for RLIMIT_MEMLOCK of 32 KiB, 64 KiB, 8 MiB and the configured limit, each
 * labelled. The vertical scale is logarithmic (base 2) from 1 KiB up, so that 64 KiB and 8 MiB are
 * both readable; smaller values, 0 included, lie on the bottom line. The figure's caption says so.
 * Nothing from the log is written but numbers: the output needs no escaping.
 */
#ifndef MEMAUDIT_TOOLS_REPORT_SVG_H
#define MEMAUDIT_TOOLS_REPORT_SVG_H

#include <stdio.h>

#include "report_model.h"

/* Write the <figure> with the chart of p to out. */
void ma_svg_timeline(FILE *out, const struct ma_process *p);

#endif
