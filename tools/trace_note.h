/* trace_note.h: what the report says about a traced process (a log whose header has
 * "frontend":"trace", docs/log-format.md): the rules its log could not be checked for, because
 * free() and realloc() make no system call, so that a report without those findings is not read
 * as clean. Text, HTML and SARIF print the sentence; JSON has the header's lists. */
#ifndef MEMAUDIT_TOOLS_TRACE_NOTE_H
#define MEMAUDIT_TOOLS_TRACE_NOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "log_reader.h"

/* Write the sentence for l into buf and return true when l was written by the supervisor; false
 * (buf empty) for the preload library's logs. */
bool ma_trace_note(const struct ma_log *l, char *buf, size_t len);

/* The log was written by the supervisor. */
bool ma_is_traced(const struct ma_log *l);
/* v[0..n) comma-separated into buf; false when n is 0. */
bool ma_trace_list(char *const *v, size_t n, char *buf, size_t len);

#endif
