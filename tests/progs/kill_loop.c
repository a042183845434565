/* kill_loop [N [PIDFILE]]: the lock loop of issue 13, N times (default 100,000,000: until killed)
 * malloc(32), fill it, mlock, munlock, free, for tests/robust/sigkill_loop.sh, which kills it with
 * SIGKILL at random moments. Each iteration makes two audited calls and findings (heap memory
 * locked, released unwiped). Prints "ready" once its first iteration is done (its log has its
 * header and first records by then) and writes its pid into PIDFILE first, when given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000000L, i;

	if (argc > 2) {
		FILE *f = fopen(argv[2], "w");

		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
			return 2;
	}
	for (i = 0; i < n; i++) {
		char *p = malloc(32);

		if (!p)
			return 2;
		memset(p, (int)(i % 255) + 1, 32);
		if (mlock(p, 32) == 0)
			munlock(p, 32);
		free(p);
		if (i == 0) {
			puts("ready");
			fflush(stdout);
		}
	}
	puts("done");
	return 0;
}
