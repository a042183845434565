/* sigkill: three mlock calls, then the process kills itself with SIGKILL (no exit handler runs,
 * so its log has no exit record). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		char *p = malloc(32);
		if (!p || mlock(p, 32) != 0)
			return 1;
	}
	printf("locked 3\n");
	fflush(stdout);
	kill(getpid(), SIGKILL);
	pause();
	return 2;
}
