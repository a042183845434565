/* trace_sink_engine.h: the sink (trace.h) that feeds the engine (policy/engine/engine.h) through
 * the trace front-end (trace_frontend.h): memaudit-trace's default consumer, writing the same
 * memaudit logs as the preload library (docs/log-format.md), one per process image. */
#ifndef MEMAUDIT_TOOLS_TRACE_SINK_ENGINE_H
#define MEMAUDIT_TOOLS_TRACE_SINK_ENGINE_H

#include "tools/trace.h"

struct trace_engine;

/* Read the MEMAUDIT_* configuration from the environment (policy/engine/settings.h). NULL after
 * one line on stderr naming the invalid variable; *status is then the status to exit with
 * (ENGINE_CONFIG_ERROR_STATUS). */
struct trace_engine *trace_engine_open(int *status);
void trace_engine_sink(struct trace_engine *e, struct trace_sink *sink);
/* The status memaudit-trace exits with for the command's wait status: strict's replacement when
 * the command's process had findings (its exit record's status), the log directory's error when
 * the command's log could not be created, else -1 (the command's own). */
int trace_engine_status(const struct trace_engine *e);
void trace_engine_close(struct trace_engine *e);

#endif
