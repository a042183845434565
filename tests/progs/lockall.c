/* lockall FLAGS: mlockall(current|future|both), then munlockall; prints the result.
 * lockall future-map: mlockall(MCL_FUTURE), then a 1 MiB anonymous mmap, which the kernel charges
 * against RLIMIT_MEMLOCK (mlock_future_ok); prints both results with write(2), so that no malloc
 * (whose heap growth MCL_FUTURE would charge too) runs after the mlockall. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <stdio.h>
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

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "current";

	if (strcmp(what, "future-map") == 0)
		return future_map();
	int flags = strcmp(what, "future") == 0 ? MCL_FUTURE
		    : strcmp(what, "both") == 0 ? MCL_CURRENT | MCL_FUTURE
						 : MCL_CURRENT;
	int r = mlockall(flags);

	printf("mlockall(%s): %s\n", what, r ? strerrorname_np(errno) : "ok");
	if (r == 0)
		munlockall();
	return r ? 1 : 0;
}
