/* procfs.c: see procfs.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

ssize_t procfs_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

int procfs_lines(const char *path, void (*fn)(char *line, void *arg), void *arg)
{
	static char buf[65536], line[4096 + 256]; /* the lock is held: not on a small caller stack */
	size_t ll = 0;
	ssize_t got, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof buf)) > 0 || (got < 0 && errno == EINTR)) {
		for (i = 0; i < got; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof line - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = '\0';
			ll = 0;
			fn(line, arg);
		}
	}
	close(fd);
	return got < 0 ? -1 : 0;
}

long procfs_max_map_count(void)
{
	char buf[32];
	ssize_t n = procfs_read("/proc/sys/vm/max_map_count", buf, sizeof buf - 1);

	if (n <= 0)
		return 65530;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}
