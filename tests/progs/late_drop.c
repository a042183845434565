/* late_drop N: as a daemon that starts as root and then gives up its privileges (memcached -u,
 * privilege separation): setresuid to 65534, then N pairs of MADV_DONTDUMP and MADV_DODUMP on a
 * page of its own, enough audit records to grow the log well past its first window. Exit status
 * 0, or 2 when a call fails. */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || setresuid(65534, 65534, 65534) != 0)
		return 2;
	for (int i = 0; i < n; i++)
		if (madvise(p, 4096, MADV_DONTDUMP) != 0 || madvise(p, 4096, MADV_DODUMP) != 0)
			return 2;
	return 0;
}
