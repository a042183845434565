/* whatif_note.h: what the what-if table cannot know about a program that reads its limit.
 *
 * The what-if rows replay the program's lock calls against other limits. A program that sized its
 * locking by getrlimit(RLIMIT_MEMLOCK) (the shim tells it the simulated limit, shim/rlimit.c) would
 * lock less under a smaller limit, so those rows say what happens without it adapting; only a run
 * with that limit simulated gives the exact answer.
 */
#ifndef MEMAUDIT_TOOLS_WHATIF_NOTE_H
#define MEMAUDIT_TOOLS_WHATIF_NOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "report_model.h"

/* Write the note for p into buf and return true when p read its RLIMIT_MEMLOCK and its what-if
 * table has limits below the configured one; return false (buf empty) otherwise. */
bool ma_whatif_note(const struct ma_process *p, char *buf, size_t len);

#endif
