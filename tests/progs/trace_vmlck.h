/* trace_vmlck.h: the kernel's VmLck of the calling process in bytes (-1024 when unknown), read
 * from /proc/self/status, for the trace-mode test programs' quiescent checks. */
#ifndef MEMAUDIT_TESTS_TRACE_VMLCK_H
#define MEMAUDIT_TESTS_TRACE_VMLCK_H

#include <stdio.h>

static long vmlck(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmLck: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

#endif
