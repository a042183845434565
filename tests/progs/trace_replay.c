/* trace_replay PAGESIZE MARKER: replays a traced call stream into policy/tracker.c (the model the
 * engine uses) and prints the model's locked bytes at every marker call. Input on stdin, one
 * call a line as tests/trace/threads.sh extracts it from memaudit-trace --dump:
 *   NAME ARG0 ARG1 RET
 * A call that failed (RET < 0) changes nothing; "madvise MARKER ..." prints "vmlck BYTES". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/tracker.h"

static void *alloc(size_t size, void *ctx)
{
	return malloc(size);
}

static void release(void *p, size_t size, void *ctx)
{
	free(p);
}

int main(int argc, char **argv)
{
	struct tracker_alloc a = {alloc, release, NULL};
	unsigned long long page, marker, a0, a1;
	struct tracker *t;
	char name[32];
	long long ret;

	if (argc != 3)
		return 2;
	page = strtoull(argv[1], NULL, 10);
	marker = strtoull(argv[2], NULL, 10);
	t = tracker_new(page, &a);
	if (!t)
		return 2;
	while (scanf("%31s %llu %llu %lld", name, &a0, &a1, &ret) == 4) {
		uintptr_t s = a0 & ~(page - 1), e = (a0 + a1 + page - 1) & ~(page - 1);

		if (ret < 0)
			continue;
		if (strcmp(name, "mlock") == 0)
			tracker_set(t, s, e, TRACK_LOCKED, 0);
		else if (strcmp(name, "munlock") == 0)
			tracker_clear(t, s, e, TRACK_LOCKED);
		else if (strcmp(name, "munmap") == 0)
			tracker_remove(t, s, e);
		else if (strcmp(name, "madvise") == 0 && a0 == marker)
			printf("vmlck %llu\n", (unsigned long long)tracker_locked_pages(t) * page);
	}
	tracker_destroy(t);
	return 0;
}
