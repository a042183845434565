/* logfile.c: see logfile.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logfile.h"

/* Lowest descriptor number the log may take: high, but below the soft RLIMIT_NOFILE, since
 * F_DUPFD fails with EINVAL at or above it (fcntl(2)). */
static int high_fd_floor(void)
{
	struct rlimit rl;
	rlim_t top = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		top = rl.rlim_cur < 1024 ? rl.rlim_cur : 1024;
	return top > 64 ? (int)(top - 32) : 3;
}

/* Move fd to a high number; returns the new descriptor (fd itself when that fails). */
static int move_high(int fd)
{
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, high_fd_floor());

	if (hi < 0)
		return fd;
	close(fd);
	return hi;
}

/* Append s to buf at *len (bounded); returns -1 when it does not fit. */
static int append(char *buf, size_t *len, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > cap)
		return -1;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return 0;
}

static void utoa(char *out, unsigned long v)
{
	char tmp[24];
	int i = sizeof tmp;

	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(out, tmp + i, sizeof tmp - (size_t)i);
}

int logfile_create(struct logfile *lf, const char *dir, const char *progname, pid_t pid)
{
	char num[24], seq[24];
	size_t len = 0, base;
	struct stat st;
	int n, fd;

	lf->fd = -1;
	lf->reopened = 0;
	lf->path[0] = '\0';
	if (dir[0] != '/') {
		if (!getcwd(lf->path, sizeof lf->path))
			return errno;
		len = strlen(lf->path);
		if (append(lf->path, &len, sizeof lf->path, "/"))
			return ENAMETOOLONG;
	}
	if (append(lf->path, &len, sizeof lf->path, dir) ||
	    append(lf->path, &len, sizeof lf->path, "/memaudit.") ||
	    append(lf->path, &len, sizeof lf->path, progname))
		return ENAMETOOLONG;
	utoa(num, (unsigned long)pid);
	if (append(lf->path, &len, sizeof lf->path, ".") ||
	    append(lf->path, &len, sizeof lf->path, num))
		return ENAMETOOLONG;
	base = len;
	/* After execve(2) the pid is the same and the old image's log exists: take the next suffix. */
	for (n = 0; n < 10000; n++) {
		len = base;
		if (n) {
			utoa(seq, (unsigned long)n);
			if (append(lf->path, &len, sizeof lf->path, ".") ||
			    append(lf->path, &len, sizeof lf->path, seq))
				return ENAMETOOLONG;
		}
		if (append(lf->path, &len, sizeof lf->path, ".log"))
			return ENAMETOOLONG;
		fd = open(lf->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_APPEND, 0600);
		if (fd >= 0)
			break;
		if (errno != EEXIST)
			return errno;
	}
	if (fd < 0)
		return EEXIST;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return e;
	}
	lf->fd = move_high(fd);
	lf->dev = st.st_dev;
	lf->ino = st.st_ino;
	lf->name = strrchr(lf->path, '/') + 1;
	return 0;
}

/* Is lf->fd still our file? */
static int still_ours(const struct logfile *lf)
{
	struct stat st;

	return lf->fd >= 0 && fstat(lf->fd, &st) == 0 && st.st_dev == lf->dev && st.st_ino == lf->ino;
}

/* The application closed or replaced the descriptor: open the same file again (never a different
 * one: O_NOFOLLOW and the inode check refuse a file swapped in behind our back). */
static int reopen(struct logfile *lf)
{
	struct stat st;
	int fd = open(lf->path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0 || st.st_dev != lf->dev || st.st_ino != lf->ino) {
		close(fd);
		return ESTALE;
	}
	lf->fd = move_high(fd);
	lf->reopened++;
	return 0;
}

int logfile_write(struct logfile *lf, const char *buf, size_t len)
{
	size_t done = 0;
	int e;

	if (lf->path[0] == '\0')
		return EBADF;
	if (!still_ours(lf) && (e = reopen(lf)) != 0)
		return e;
	while (done < len) {
		ssize_t w = write(lf->fd, buf + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		done += (size_t)w;
	}
	return 0;
}

void logfile_forget(struct logfile *lf)
{
	lf->fd = -1;
	lf->path[0] = '\0';
}

void logfile_close(struct logfile *lf)
{
	if (still_ours(lf))
		close(lf->fd);
	logfile_forget(lf);
}
