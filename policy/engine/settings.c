/* settings.c: see settings.h. */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "policy/engine/settings.h"
#include "policy/envparse.h"
#include "policy/rlimitmodel.h"
#include "policy/rules.h"

#define BAD(var, what)             \
	do {                       \
		*accepts = (what); \
		return (var);      \
	} while (0)

/* The simulated RLIMIT_MEMLOCK: MEMAUDIT_MEMLOCK_LIMIT, else the real soft limit as the kernel
 * applies it to a process without CAP_IPC_LOCK. */
static int read_memlock(struct engine_proc *p, const struct engine_env *env)
{
	const char *v;

	p->memlock_limit = -1;
	p->memlock_max = RLIMITMODEL_INFINITY;
	if (env->have_rlimit) {
		p->memlock_limit = env->rlim_cur == RLIM_INFINITY ? -1 : rlimitmodel_bytes(env->rlim_cur);
		p->memlock_max = env->rlim_max == RLIM_INFINITY ? RLIMITMODEL_INFINITY : env->rlim_max;
	}
	if ((v = env->get("MEMAUDIT_MEMLOCK_LIMIT"))) {
		if (envparse_size(v, &p->memlock_limit) != 0)
			return -1;
		/* the target's soft and hard limit, as after `ulimit -l` (shim/rlimit.c) */
		p->memlock_max = rlimitmodel_value(p->memlock_limit);
		p->memlock_modelled = 1;
	}
	return 0;
}

static int read_fail_on(struct engine_proc *p, const char *v)
{
	if (strcmp(v, "error") == 0)
		p->fail_on = SEV_ERROR;
	else if (strcmp(v, "warning") == 0)
		p->fail_on = SEV_WARNING;
	else if (strcmp(v, "note") == 0)
		p->fail_on = SEV_NOTE;
	else
		return -1;
	return 0;
}

/* The variables that decide what is reported and how the process ends. */
static const char *read_outcome(struct engine_proc *p, const struct engine_env *env,
				const char **accepts)
{
	const char *v;
	long n;
	int mode;

	p->fail_on = SEV_ERROR;
	if ((v = env->get("MEMAUDIT_FAIL_ON")) && read_fail_on(p, v) != 0)
		BAD("MEMAUDIT_FAIL_ON", "error, warning, note");
	p->exitcode = ENGINE_DEFAULT_EXITCODE;
	if ((v = env->get("MEMAUDIT_EXITCODE"))) {
		if (envparse_count(v, 1, 255, &n) != 0)
			BAD("MEMAUDIT_EXITCODE", "a status from 1 to 255");
		p->exitcode = (int)n;
	}
	if ((v = env->get("MEMAUDIT_ABORT"))) {
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			BAD("MEMAUDIT_ABORT", "0 or 1");
		p->abort_on_finding = v[0] == '1';
	}
	if ((v = env->get("MEMAUDIT_ARGV"))) {
		if (envparse_argv(v, &mode) != 0)
			BAD("MEMAUDIT_ARGV", "full, first");
		p->argv_first = mode == ENVPARSE_ARGV_FIRST;
	}
	/* The launcher's token for the logs of its run: with several launchers sharing one log
	 * directory (make -j), each reports only the logs of the processes it started. */
	if ((v = env->get("MEMAUDIT_RUN_ID"))) {
		if (envparse_run_id(v) != 0)
			BAD("MEMAUDIT_RUN_ID", "1 to 64 characters of A-Z a-z 0-9 . _ -");
		memcpy(p->run_id, v, strlen(v) + 1);
	}
	return NULL;
}

const char *engine_config_read(struct engine_proc *p, const struct engine_env *env,
			       const char **accepts)
{
	const char *v, *bad;
	int pol = POLICY_AUDIT;

	p->real_page_size = env->real_page_size;
	if ((v = env->get("MEMAUDIT_POLICY")) && envparse_policy(v, &pol) != 0)
		BAD("MEMAUDIT_POLICY", "off, audit, warn, enforce, strict");
	p->policy = (enum engine_policy)pol;
	p->page_size = p->real_page_size;
	if ((v = env->get("MEMAUDIT_PAGE_SIZE")) &&
	    envparse_page_size(v, p->real_page_size, &p->page_size) != 0)
		BAD("MEMAUDIT_PAGE_SIZE", "a power of two at least the real page size, e.g. 16384 or 64K");
	if (read_memlock(p, env) != 0)
		BAD("MEMAUDIT_MEMLOCK_LIMIT", "bytes with an optional K, M or G suffix, or unlimited");
	p->max_map_count = env->max_map_count;
	if ((v = env->get("MEMAUDIT_MAX_MAP_COUNT")) &&
	    envparse_count(v, 1, 1L << 30, &p->max_map_count) != 0)
		BAD("MEMAUDIT_MAX_MAP_COUNT", "a count from 1 to 1073741824");
	if ((bad = read_outcome(p, env, accepts)) != NULL)
		return bad;
	/* variables naming files are ignored in secure-execution mode (secure_getenv(3)) */
	p->log_dir = env->get_secure("MEMAUDIT_LOG_DIR");
	if (p->log_dir && !p->log_dir[0])
		BAD("MEMAUDIT_LOG_DIR", "a directory");
	if (!p->log_dir)
		p->log_dir = ".";
	return NULL;
}
