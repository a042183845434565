/* logfile.h: the per-process log file: created exclusively, written one record per write(2), and
 * kept out of the application's way.
 *
 * The descriptor is moved to a high number (F_DUPFD_CLOEXEC) so that it does not take the low
 * numbers the application expects from open(2). Before every write the descriptor's identity
 * (st_dev, st_ino) is checked: a program that closes every descriptor (closefrom, close_range, the
 * classic daemonize loop) or dup2()s over it gets the log reopened by path, and no record is lost
 * (torsocks only notices close(); Onload issue #111 shows ssh doing this).
 *
 * Callers serialize (the shim's state lock).
 */
#ifndef MEMAUDIT_SHIM_LOGFILE_H
#define MEMAUDIT_SHIM_LOGFILE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct logfile {
	int fd;               /* -1 when closed or never opened */
	dev_t dev;
	ino_t ino;
	char path[PATH_MAX];  /* absolute */
	const char *name;     /* basename, inside path */
	int reopened;         /* times the descriptor had to be reopened */
};

/* Create dir/memaudit.<progname>.<pid>.log (or .<n>.log when taken). dir may be relative: it is
 * made absolute now so that a later chdir() does not move the log. Returns 0, or an errno value. */
int logfile_create(struct logfile *lf, const char *dir, const char *progname, pid_t pid);

/* Write len bytes with one write(2) (continuing after a short write or EINTR). Returns 0 or an
 * errno value; the record is then lost, and the caller counts it. */
int logfile_write(struct logfile *lf, const char *buf, size_t len);

/* Forget the descriptor without closing it (a fork child must not touch the parent's file
 * position, and the number may belong to someone else by then). */
void logfile_forget(struct logfile *lf);

/* Close it: after the exit record. */
void logfile_close(struct logfile *lf);

#endif
