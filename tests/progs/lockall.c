/* lockall FLAGS: mlockall(current|future|both), then munlockall; prints the result.
 * lockall future-map: mlockall(MCL_FUTURE), then a 1 MiB anonymous mmap, which the kernel charges
 * against RLIMIT_MEMLOCK (mlock_future_ok); prints both results with write(2), so that no malloc
 * (whose heap growth MCL_FUTURE would charge too) runs after the mlockall.
 * lockall future-malloc: mlockall(MCL_FUTURE), then up to 10000 malloc(1024): the heap's growth
 * is charged; prints where malloc first returned NULL. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int future_map(void)
{
	static char line[128];
	int r = mlockall(MCL_FUTURE), n;
	void *p = r ? MAP_FAILED : mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	n = snprintf(line, sizeof line, "mlockall(future): %s, mmap(1 MiB): %s\n",
		     r ? strerrorname_np(errno) : "ok", p == MAP_FAILED ? (r ? "-" : strerrorname_np(errno)) : "ok");
	if (write(1, line, (size_t)n) != n)
		return 2;
	return p == MAP_FAILED ? 1 : 0;
}

static int future_malloc(void)
{
	static char line[128];
	int r = mlockall(MCL_FUTURE), n, e = 0;
	long i;

	for (i = 0; r == 0 && i < 10000; i++) {
		char *p = malloc(1024);
		if (!p) {
			e = errno;
			break;
		}
		memset(p, 1, 1024);
	}
	n = snprintf(line, sizeof line, "mlockall(future): %s, malloc(1024) %s %ld%s%s\n",
		     r ? strerrorname_np(errno) : "ok", e ? "failed at" : "succeeded", e ? i : i,
		     e ? " with " : "", e ? strerrorname_np(e) : "");
	if (write(1, line, (size_t)n) != n)
		return 2;
	return e ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "current";

	if (strcmp(what, "future-map") == 0)
		return future_map();
	if (strcmp(what, "future-malloc") == 0)
		return future_malloc();
	int flags = strcmp(what, "future") == 0 ? MCL_FUTURE
		    : strcmp(what, "both") == 0 ? MCL_CURRENT | MCL_FUTURE
						 : MCL_CURRENT;
	int r = mlockall(flags);

	printf("mlockall(%s): %s\n", what, r ? strerrorname_np(errno) : "ok");
	if (r == 0)
		munlockall();
	return r ? 1 : 0;
}
