/* close_fds: locks in five rounds of five mlock calls; between rounds it closes every descriptor
 * above 2 (close_range(3, ~0U, 0), then close() of 3..1023), then points all of 3..1023 at
 * /dev/null with dup2 and closes them again, as daemons and sandboxes do. Prints the number of
 * successful locks (25) and exits 0 when all succeeded. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAXFD 1024

static int locked;

static void lock_round(void)
{
	int k;

	for (k = 0; k < 5; k++) {
		char *p = malloc(32);
		if (p && mlock(p, 32) == 0)
			locked++;
	}
}

static void close_all(void)
{
	int fd;

	for (fd = 3; fd < MAXFD; fd++)
		close(fd);
}

int main(void)
{
	int fd, devnull;

	lock_round();
#if defined(HAVE_CLOSE_RANGE)
	close_range(3, ~0U, 0);
#elif defined(SYS_close_range)
	syscall(SYS_close_range, 3, ~0U, 0);
#else
	close_all();
#endif
	lock_round();
	close_all();
	lock_round();
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0)
		return 2;
	for (fd = 3; fd < MAXFD; fd++)
		if (fd != devnull)
			dup2(devnull, fd);
	lock_round();
	close_all();
	lock_round();
	printf("locked %d\n", locked);
	return locked == 25 ? 0 : 1;
}
