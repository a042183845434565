/* target.c: see target.h. */
#include "config.h"

#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>

#include "policy/engine/target.h"

long long target_status(const struct engine_frontend *fe, void *ctx, const char *key, int base,
			int *found)
{
	char buf[4096], *p;
	ssize_t n = fe->proc_read(ctx, "status", buf, sizeof buf - 1);
	size_t kl = strlen(key);

	*found = 0;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, kl) == 0) {
			*found = 1;
			return (long long)strtoull(p + kl, NULL, base);
		}
	return 0;
}

int target_has_cap_ipc_lock(const struct engine_frontend *fe, void *ctx)
{
	int found;
	unsigned long long v = (unsigned long long)target_status(fe, ctx, "CapEff:", 16, &found);

	return found && (v >> CAP_IPC_LOCK) & 1;
}

long long target_vmlck_bytes(const struct engine_frontend *fe, void *ctx)
{
	int found;
	long long v = target_status(fe, ctx, "VmLck:", 10, &found); /* "VmLck:\t     0 kB" */

	return found ? v * 1024 : -1;
}

long long target_vm_size_bytes(const struct engine_frontend *fe, void *ctx)
{
	int found;
	long long v = target_status(fe, ctx, "VmSize:", 10, &found);

	return found ? v * 1024 : 0;
}
