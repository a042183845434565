/* logfile.h: the per-process log file: created exclusively, written through a shared file mapping
 * (issue 10, items 5-8 and 13).
 *
 * Records are stored into a MAP_SHARED window of the file, never written through a descriptor: the
 * page cache keeps what a killed process stored, and no descriptor number exists that the program
 * could close, dup2() over or need (a write(2) on a number the program had taken over wrote records
 * into the program's own file, 8 of 20 runs). The file is opened only for a moment: to create it,
 * to grow it (fallocate, so that a full disk is an error and never SIGBUS on a store: one page at
 * first, then doubling, by at most 1 MiB a step), to move the window (one mapping of 1 MiB, moved with
 * MAP_FIXED over itself: the program's count of mappings, which the map-count model follows, does
 * not change while it runs) and to trim it to the bytes written at exit. The first window is mapped
 * through the descriptor that created the file (before main, or in a fork child: one thread).
 * Growing and trimming open the file by path
 * (O_NOFOLLOW, O_NONBLOCK: a FIFO planted there must not block; the inode must be the log's) in a
 * helper that shares our memory but has its own copy of the descriptor table (clone(2) CLONE_VM |
 * CLONE_VFORK without CLONE_FILES, as posix_spawn(3) does): the program's threads cannot dup2()
 * over that descriptor between the check and the use, the program's numbers stay untouched, and
 * when every number below RLIMIT_NOFILE is taken the helper raises its own limit, or closes its
 * copies, to get one. Where
 * that helper cannot run (clone refused, or valgrind, which turns it into a fork), and in a
 * process of one thread (logfile_sys.alone), the calling thread does the same with a descriptor
 * of its own, for a moment.
 *
 * Space is reserved with a fetch-add on the write offset; the window then covers the record, which
 * is copied in. A record is whole or absent: only the part of the window below the allocated
 * size of the file is ever stored to, and a process killed while copying leaves NUL bytes, which
 * readers skip (docs/log-format.md). A killed process's file ends in the NUL bytes of the rest of
 * its last chunk.
 *
 * When the file cannot grow (no space, no descriptor, the file replaced), records are lost and
 * counted by the caller; the reason is said once on stderr; growing is retried at most every
 * LOGFILE_RETRY_NS, and the log goes on after the gap.
 *
 * Callers serialize (the engine's lock: frontend.h lock/unlock).
 */
#ifndef MEMAUDIT_LOGWRITER_LOGFILE_H
#define MEMAUDIT_LOGWRITER_LOGFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LOGFILE_RETRY_NS 10000000u /* 10 ms between attempts to grow a log that could not grow */

struct logfile {
	char path[PATH_MAX];  /* absolute; "" when there is no log */
	const char *name;     /* basename, inside path */
	dev_t dev;
	ino_t ino;
	pid_t owner;          /* the process that writes it: a vfork or _Fork child never does */
	char *win;            /* the window: [win_off, win_off + win_len) of the file, or NULL; only
			       * the part below `size` is used */
	uint64_t win_off;
	size_t win_len;
	uint64_t off;         /* bytes reserved for records: the next record's offset */
	uint64_t size;        /* the file's size: allocated by fallocate */
	int err;              /* why the last record was lost (0: the log is writable) */
	uint64_t retry_at;    /* CLOCK_MONOTONIC ns: no attempt to grow before */
	unsigned said;        /* reasons already said on stderr (bits) */
	int reopened;         /* times the window moved */
};

/* The calls the writer makes that a preload library wraps (mmap, munmap, sysconf, getrlimit,
 * setrlimit, madvise), and getpid: the preload library hands over its real ones (shim/real.h), so that the
 * log's own mappings and limits never pass through its wrappers, and its cached pid (a system call
 * per record otherwise); a supervisor keeps libc's (the default; its getpid cached).
 * Set once, before the first log is created. */
struct rlimit;
struct logfile_sys {
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);
	long (*sysconf)(int name);
	int (*getrlimit)(int res, struct rlimit *rl);
	int (*setrlimit)(int res, const struct rlimit *rl);
	pid_t (*getpid)(void); /* asked per record: the preload library's is cached */
	int (*madvise)(void *addr, size_t len, int advice);
	/* No other thread, nor a child that may share our descriptor table: nobody can close or
	 * dup2() over a number between its open and its close, so the file is opened in the calling
	 * thread, without the helper (a clone: 30 us, and its exit). NULL: never. */
	int (*alone)(void);
};
void logfile_use_sys(const struct logfile_sys *sys);

/* The program name part of a log's name: name (NULL: none) with every byte outside [A-Za-z0-9._-]
 * replaced by '_', "unknown" when empty, NUL-terminated in out (cap > 7). */
void logfile_safe_name(const char *name, char *out, size_t cap);

/* Create dir/memaudit.<progname>.<pid>.log (or .<n>.log when taken, and after a few taken names
 * one with an unpredictable suffix). dir may be relative: it is made absolute now so that a later
 * chdir() does not move the log. Maps the first window; when that fails (a full disk) the file
 * exists, lf->err says why, and writes are retried later. Returns 0, or an errno value when no
 * file could be created. */
int logfile_create(struct logfile *lf, const char *dir, const char *progname, pid_t pid);

/* Store len bytes (one record) at the end of the log. Returns 0, or an errno value: the record is
 * then lost, and the caller counts it. */
int logfile_write(struct logfile *lf, const char *buf, size_t len);

/* Whether the next len bytes fit the file and the window as they are: logfile_write (or
 * logfile_put) then stores them without a system call, and so without touching errno. */
static inline int logfile_fits(const struct logfile *lf, size_t len)
{
	return lf->win && lf->off + len <= lf->size && lf->off + len <= lf->win_off + lf->win_len;
}

/* logfile_write of a record that logfile_fits. */
int logfile_put(struct logfile *lf, const char *buf, size_t len);

/* Make sure the next len bytes can be stored without growing the file (growing it now if need be).
 * Returns 0 or an errno value. */
int logfile_ensure(struct logfile *lf, size_t len);

/* The next logfile_write may try to grow the file at once (the exit record). */
void logfile_retry_now(struct logfile *lf);

/* Forget the log without touching the file: a fork child (its copy of the parent's window is
 * unmapped; the parent's file is the parent's). */
void logfile_forget(struct logfile *lf);

/* Trim the file to the bytes written and unmap it: after the exit record. */
void logfile_close(struct logfile *lf);

/* Give the log to uid (fchown(2) by path, the inode checked), for a process about to become that
 * user: it must still open its log by path to grow it. Returns 0 or an errno value. */
int logfile_chown(struct logfile *lf, uid_t uid);

#endif
