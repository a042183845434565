/* settings.h: the MEMAUDIT_* configuration of an audited process (SPEC "Environment"), read into its
 * engine_proc the same way by both front-ends: the preload library reads its own environment at
 * load (shim/init.c), the trace supervisor its environment, which the traced command inherits
 * (tools/trace_sink_engine.c). One parser (policy/envparse.c), one set of defaults and messages.
 * MEMAUDIT_SUPPRESSIONS is the front-end's (it names a file the front-end loads itself).
 */
#ifndef MEMAUDIT_ENGINE_SETTINGS_H
#define MEMAUDIT_ENGINE_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/proc.h"

/* Exit status of a process whose MEMAUDIT_* configuration is invalid (docs/memaudit.7). */
#define ENGINE_CONFIG_ERROR_STATUS 125
/* Default MEMAUDIT_EXITCODE: strict's status for a process with findings (docs/memaudit.7). */
#define ENGINE_DEFAULT_EXITCODE 99

/* Where the values come from. */
struct engine_env {
	const char *(*get)(const char *name);        /* getenv(3) */
	const char *(*get_secure)(const char *name); /* secure_getenv(3): variables naming files */
	size_t real_page_size;
	int have_rlimit;                             /* the real RLIMIT_MEMLOCK is known: */
	uint64_t rlim_cur, rlim_max;                 /* ... soft, hard (RLIM_INFINITY: unlimited) */
	long max_map_count;                          /* /proc/sys/vm/max_map_count */
};

/* Read the configuration into p (policy, page sizes, memlock limit, map count, fail_on, exitcode,
 * abort, argv, log_dir). Returns NULL, or the name of the first variable with an invalid value;
 * *accepts then says what it takes (for one line on stderr; the process must not run unaudited). */
const char *engine_config_read(struct engine_proc *p, const struct engine_env *env,
			       const char **accepts);

#endif
