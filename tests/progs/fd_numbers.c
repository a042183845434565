/* fd_numbers: locks a heap block (an audited call: the shim captures its stack), then opens
 * /dev/null three times, locking again between the opens, and prints the descriptors it got: on
 * one line ("3 4 5" for a program started with only 0, 1 and 2 open). Whatever the shim does may
 * not change them (tests/robust/unwinder.sh). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	char *p = malloc(64);
	int i, fd;

	if (!p)
		return 2;
	mlock(p, 64);
	for (i = 0; i < 3; i++) {
		fd = open("/dev/null", O_RDONLY);
		printf(i ? " %d" : "%d", fd);
		mlock(p, 64);
	}
	printf("\n");
	munlock(p, 64);
	free(p);
	return 0;
}
