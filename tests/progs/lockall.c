/* lockall FLAGS: mlockall(current|future|current,future), then munlockall; prints the result. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "current";
	int flags = strcmp(what, "future") == 0 ? MCL_FUTURE
		    : strcmp(what, "both") == 0 ? MCL_CURRENT | MCL_FUTURE
						 : MCL_CURRENT;
	int r = mlockall(flags);

	printf("mlockall(%s): %s\n", what, r ? strerrorname_np(errno) : "ok");
	if (r == 0)
		munlockall();
	return r ? 1 : 0;
}
