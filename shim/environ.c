/* environ.c: see environ.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "environ.h"
#include "procfs.h"

extern char **__environ;

/* The MEMAUDIT_* entries of /proc/self/environ, "NAME=value\0" one after another, read once.
 * Only these are kept: the whole environment may be large, and nothing else is needed. */
static char early[16384];
static size_t early_len;
static int early_read;

/* Keep entry [p, p + n) when it is one of ours and fits. */
static void keep(const char *p, size_t n)
{
	if (n > 9 && memcmp(p, "MEMAUDIT_", 9) == 0 && early_len + n + 1 <= sizeof early) {
		memcpy(early + early_len, p, n);
		early_len += n;
		early[early_len++] = '\0';
	}
}

static void read_early(void)
{
	static char buf[4096], entry[4096 + 64];
	size_t el = 0;
	int over = 0;
	ssize_t got, i;
	int fd;

	early_read = 1;
	fd = open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((got = read(fd, buf, sizeof buf)) > 0 || (got < 0 && errno == EINTR)) {
		for (i = 0; i < got; i++) {
			if (buf[i]) {
				if (el < sizeof entry)
					entry[el++] = buf[i];
				else
					over = 1; /* longer than any value we accept: dropped */
				continue;
			}
			if (!over)
				keep(entry, el);
			el = 0;
			over = 0;
		}
	}
	close(fd);
}

const char *shim_getenv(const char *name)
{
	size_t n = strlen(name), i;

	if (__environ)
		return getenv(name);
	if (!early_read)
		read_early();
	for (i = 0; i < early_len; i += strlen(early + i) + 1)
		if (strncmp(early + i, name, n) == 0 && early[i + n] == '=')
			return early + i + n + 1;
	return NULL;
}

const char *shim_secure_getenv(const char *name)
{
	if (__environ)
		return secure_getenv(name);
	return getauxval(AT_SECURE) ? NULL : shim_getenv(name);
}

const char *shim_progname(char *buf, int cap)
{
	ssize_t n;

	if (program_invocation_short_name && program_invocation_short_name[0])
		return program_invocation_short_name;
	/* comm: the executable's name, cut at 15 bytes (proc(5)) */
	n = procfs_read("/proc/self/comm", buf, (size_t)cap - 1);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}
