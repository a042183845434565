/* lock_loop [N]: N times malloc(32) + mlock of it, never unlocked nor freed (the pattern that
 * works as root and fails for a user after a few hundred objects). Prints how far it got; exits 0
 * when every lock succeeded, 1 at the first failing mlock (after printing its index and errno). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const char *errname(int e)
{
	switch (e) {
	case ENOMEM: return "ENOMEM";
	case EPERM: return "EPERM";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	}
	return "other";
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	long i;

	for (i = 0; i < n; i++) {
		char *p = malloc(32);
		int e;

		if (!p) {
			printf("malloc failed at i=%ld\n", i);
			return 2;
		}
		if (mlock(p, 32) == 0) /* lock_loop: mlock site */
			continue;
		e = errno;
		printf("mlock failed at i=%ld errno=%d %s\n", i, e, errname(e));
		return 1;
	}
	printf("locked %ld\n", n);
	return 0;
}
