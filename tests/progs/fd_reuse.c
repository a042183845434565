/* fd_reuse A B: a program that closes every descriptor above 2 (as daemons do) and then opens its
 * own files, which take the lowest numbers (3 and 4): A, 16 bytes, read-only; B, empty, write-only.
 * It then locks memory from code with large stack frames (an 8 KiB buffer per level, as parsers
 * and crypto code have). Prints A's file offset and B's size: both must stay 0, since the program
 * itself never reads A nor writes B. Anything that keeps using descriptors it opened before the
 * close (an unwinder's private pipe, say) reads the program's A and writes memory into its B. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *block;

static int nested(int n)
{
	volatile char frame[8192];
	int r;

	frame[0] = (char)n;
	frame[sizeof frame - 1] = frame[0];
	r = n == 0 ? mlock(block, 32) : nested(n - 1);
	return r + (frame[sizeof frame - 1] != (char)n);
}

int main(int argc, char **argv)
{
	int a, b, i, failed = 0;
	int fd;

	if (argc < 3)
		return 2;
	block = malloc(64);
	if (!block || mlock(block, 32) != 0)
		return 3;
#if defined(HAVE_CLOSE_RANGE)
	close_range(3, ~0U, 0);
#else
	for (fd = 3; fd < 1024; fd++)
		close(fd);
#endif
	(void)fd;
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "AAAAAAAAAAAAAAAA", 16) != 16 || close(fd) != 0)
		return 4;
	a = open(argv[1], O_RDONLY);
	b = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (a < 0 || b < 0)
		return 5;
	for (i = 0; i < 40; i++)
		failed += nested(i % 8) != 0;
	printf("a=%d b=%d a_offset=%ld b_size=%ld failed=%d\n", a, b, (long)lseek(a, 0, SEEK_CUR),
	       (long)lseek(b, 0, SEEK_END), failed);
	return 0;
}
