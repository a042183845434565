/* logfile.c: see logfile.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#if defined(__has_include) && __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#endif
#include <time.h>
#include <unistd.h>

#include "shim/logwriter/logfile.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* include/uapi/asm-generic/mman-common.h, Linux 5.14 */
#endif

/* libc's own, for a writer that is not inside a preload library (logfile_use_sys). */
static int libc_getrlimit(int res, struct rlimit *rl)
{
	return getrlimit(res, rl);
}

static int libc_setrlimit(int res, const struct rlimit *rl)
{
	return setrlimit(res, rl);
}

/* getpid, cached: asked per record, and a system call each time in glibc 2.25 and later. A writer
 * outside a preload library (the supervisor of trace mode) forks only to start its command, which
 * writes no log; a fork child drops the cache all the same (pthread_atfork). */
static pid_t cached_pid;

static void forget_pid(void)
{
	cached_pid = 0;
}

static pid_t libc_getpid(void)
{
	static int registered;

	if (!cached_pid) {
		if (!registered)
			registered = pthread_atfork(NULL, NULL, forget_pid) == 0;
		cached_pid = getpid();
	}
	return cached_pid;
}

/* One thread: glibc's __libc_single_threaded (2.32), false once a thread was created. A writer
 * outside a preload library forks only to start its command, which writes no log. */
static int libc_alone(void)
{
#if defined(__has_include) && __has_include(<sys/single_threaded.h>)
	return __libc_single_threaded;
#else
	return 0;
#endif
}

static const struct logfile_sys libc_sys = {mmap, munmap, sysconf, libc_getrlimit, libc_setrlimit,
					    libc_getpid, madvise, libc_alone};
static const struct logfile_sys *sys = &libc_sys;

void logfile_use_sys(const struct logfile_sys *s)
{
	sys = s;
}

/* The file is allocated one page at first: most logs are a header and an exit record (a process
 * that makes no audited call), and at exit the file is cut to the bytes written. Cutting it frees
 * the blocks allocated beyond them, which on a file system mounted with `discard` is a discard
 * request to the disk: 2.5-3 ms for the 60 KiB of a 64 KiB first chunk here, against 14 us when
 * no block is freed. The allocation then doubles (the next end is at most twice the size), so
 * that the unused part at exit stays within the last block as long as the log is small. */
/* The mapping: allocated chunks double up to its size, so that a long log grows once per move of
 * the window. Each growth or move runs the helper process (do_op), whose exit walks every mapping
 * of the memory it shares (the kernel's acct_collect): in a program with 30,000 mappings about a
 * millisecond. (A larger window would be more of the program's memory: mlockall(MCL_CURRENT)
 * locks it and charges it to the program's RLIMIT_MEMLOCK.) */
#define WINDOW (1u << 20)
#define PREDICTABLE_NAMES 16     /* .log, .1.log ... .15.log; then unpredictable names */
#define RANDOM_NAMES 100

/* glibc's clone(2) wrapper, under its own name: a wrapper of clone in this library (or in another
 * preloaded one) must not see the helper. */
extern int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);

/* Reasons said on stderr, once each. */
enum { SAID_SPACE = 1, SAID_FD = 2, SAID_REPLACED = 4, SAID_OTHER = 8 };

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t page_size(void)
{
	static size_t ps;

	if (!ps)
		ps = (size_t)sys->sysconf(_SC_PAGESIZE);
	return ps;
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

/* Ten characters of [a-z0-9] that another user cannot predict (getrandom(2); should it fail, the
 * clock and an address, which are not guessable in advance either, to a planter of names). */
static void random_suffix(char out[11])
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t r = 0;
	int i;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = mono_ns() * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)&r;
	for (i = 0; i < 10; i++) {
		out[i] = chars[r % 36];
		r /= 36;
	}
	out[10] = '\0';
}

/* Say on stderr, once per reason, that records of this log are being lost. */
static void say_lost(struct logfile *lf, int err)
{
	const char *why;
	unsigned bit;
	char line[PATH_MAX + 256];
	size_t n = 0;
	ssize_t r;

	if (err == ENOSPC || err == EDQUOT || err == EFBIG) {
		bit = SAID_SPACE;
		why = strerror(err);
	} else if (err == EMFILE || err == ENFILE) {
		bit = SAID_FD;
		why = "no file descriptor free";
	} else if (err == ESTALE) {
		bit = SAID_REPLACED;
		why = "the file of that name is no longer the log";
	} else {
		bit = SAID_OTHER;
		why = strerror(err);
	}
	if (lf->said & bit)
		return;
	lf->said |= bit;
	if (append(line, &n, sizeof line, "memaudit: log ") ||
	    append(line, &n, sizeof line, lf->path) || append(line, &n, sizeof line, ": ") ||
	    append(line, &n, sizeof line, why) ||
	    append(line, &n, sizeof line, "; records are lost until it can grow again "
					  "(the exit record counts them)\n"))
		return;
	r = write(2, line, n);
	(void)r;
}

/* ---------------------------------------------------------------------------------------------
 * Operations on the file by path, with a descriptor of a private descriptor table */

enum file_op_kind { OP_CREATE, OP_GROW, OP_TRIM, OP_CHOWN };

struct file_op {
	enum file_op_kind kind;
	const char *path;
	dev_t dev;            /* OP_GROW, OP_TRIM: the log's identity; OP_CREATE: set */
	ino_t ino;
	uint64_t from, to;    /* OP_GROW: allocate [from, to); OP_TRIM: truncate to `to` */
	uid_t uid;            /* OP_CHOWN: the new owner */
	uint64_t map_off;     /* OP_GROW with map_len: the window to map at file offset map_off, */
	size_t map_len;       /* over the old one at fixed (MAP_FIXED: the count of mappings, */
	void *fixed;          /* which the map-count model follows, never changes), or anywhere */
	int map_lost;         /* the MAP_FIXED mmap failed: the old window may be gone too */
	int private_fds;      /* running in the helper: its descriptor table is its own */
	volatile int ran;     /* the helper ran in our memory */
	int err;              /* 0 or an errno value */
	void *map;            /* OP_GROW: the window, or MAP_FAILED */
};

/* Every number below the helper's RLIMIT_NOFILE is taken: make one free. The helper is a process
 * of its own, so its limits are its own: raise its soft limit when the hard one allows; else close
 * its copies of the program's descriptors (copies: the program's stay open, and POSIX locks, owned
 * by the program's descriptor table, stay held). */
static void free_a_number(void)
{
	struct rlimit rl;
	int fd, top = 1024;

	if (sys->getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur++;
			if (sys->setrlimit(RLIMIT_NOFILE, &rl) == 0)
				return;
			rl.rlim_cur--;
		}
		if (rl.rlim_cur < 65536)
			top = (int)rl.rlim_cur;
	}
	if (syscall(SYS_close_range, 0, ~0u, 0) == 0)
		return;
	for (fd = 0; fd < top; fd++)
		close(fd);
}

static int open_for(struct file_op *op)
{
	int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int fd;

	if (op->kind == OP_CREATE)
		flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
	fd = open(op->path, flags, 0600);
	if (fd < 0 && errno == EMFILE && op->private_fds) {
		free_a_number();
		fd = open(op->path, flags, 0600);
	}
	return fd;
}

/* Is fd the log (a regular file, the same inode)? For OP_CREATE, record its identity. */
static int is_the_log(struct file_op *op, int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (op->kind == OP_CREATE) {
		op->dev = st.st_dev;
		op->ino = st.st_ino;
		return 1;
	}
	return st.st_dev == op->dev && st.st_ino == op->ino;
}

/* Allocate [from, to) of fd: fallocate(2), or zeros written where the file system has no
 * fallocate (the blocks are then allocated all the same). Returns 0 or an errno value. */
static int allocate(int fd, uint64_t from, uint64_t to)
{
	static const char zeros[4096];

	if (to <= from)
		return 0;
	if (fallocate(fd, 0, (off_t)from, (off_t)(to - from)) == 0)
		return 0;
	if (errno != EOPNOTSUPP)
		return errno;
	while (from < to) {
		size_t n = to - from < sizeof zeros ? (size_t)(to - from) : sizeof zeros;
		ssize_t w = pwrite(fd, zeros, n, (off_t)from);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		from += (uint64_t)w;
	}
	return 0;
}

/* Do op on fd, a descriptor of the log opened by path (closed here). */
static void run_op_on(struct file_op *op, int fd)
{
	if (!is_the_log(op, fd)) {
		op->err = ESTALE;
		/* Here only: in the calling thread, the number may be the program's by now. */
		if (op->private_fds)
			close(fd);
		return;
	}
	op->err = 0;
	if (op->kind == OP_TRIM) {
		if (ftruncate(fd, (off_t)op->to) != 0)
			op->err = errno;
	} else if (op->kind == OP_CHOWN) {
		if (fchown(fd, op->uid, (gid_t)-1) != 0)
			op->err = errno;
	} else if ((op->err = allocate(fd, op->from, op->to)) == 0 && op->map_len) {
		op->map = sys->mmap(op->fixed, op->map_len, PROT_READ | PROT_WRITE,
				    MAP_SHARED | (op->fixed ? MAP_FIXED : 0), fd, (off_t)op->map_off);
		if (op->map == MAP_FAILED) {
			op->err = errno;
			op->map_lost = op->fixed != NULL;
		} else if (!op->private_fds && !is_the_log(op, fd)) {
			/* replaced between the check and mmap: not our mapping */
			sys->munmap(op->map, op->map_len);
			op->map = MAP_FAILED;
			op->map_lost = op->fixed != NULL;
			op->err = ESTALE;
			return;
		}
	}
	close(fd);
}

static void run_op(struct file_op *op)
{
	int fd = open_for(op);

	op->map = MAP_FAILED;
	if (fd < 0) {
		op->err = errno;
		return;
	}
	run_op_on(op, fd);
}

static int helper_main(void *arg)
{
	struct file_op *op = arg;

	op->ran = 1;
	run_op(op);
	return 0;
}

/* The helper's stack; one helper at a time (callers serialize; the flag guards against a
 * re-entered caller, which then does the work itself). */
static char helper_stack[32768] __attribute__((aligned(64)));
static int helper_busy;

/* Run op with a descriptor of a private descriptor table: in a helper process that shares our
 * memory and is created with every signal blocked (it runs none of the program's handlers), while
 * this thread waits (CLONE_VFORK). Where that cannot be, in this thread. Keeps errno. */
static void do_op(struct file_op *op)
{
	sigset_t all, old;
	int saved = errno;
	pid_t pid = -1;

	op->ran = 0;
	if (sys->alone && sys->alone()) {
		/* nobody else to take the number: this thread, unless every number is taken */
		op->private_fds = 0;
		run_op(op);
		if (op->err != EMFILE && op->err != ENFILE) {
			errno = saved;
			return;
		}
	}
	op->private_fds = 1;
	if (!__atomic_exchange_n(&helper_busy, 1, __ATOMIC_ACQUIRE)) {
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		pid = __clone(helper_main, helper_stack + sizeof helper_stack, CLONE_VM | CLONE_VFORK,
			      op);
		if (pid > 0)
			while (waitpid(pid, NULL, __WCLONE) < 0 && errno == EINTR)
				;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		__atomic_store_n(&helper_busy, 0, __ATOMIC_RELEASE);
	}
	if (pid <= 0 || !op->ran) {
		/* clone refused (seccomp, RLIMIT_NPROC), or valgrind made it a fork */
		op->private_fds = 0;
		run_op(op);
	}
	errno = saved;
}

/* ---------------------------------------------------------------------------------------------
 * The log */

/* Try a name: create it. Returns 0, EEXIST, or another errno value; on 0, *fd is the
 * descriptor the calling thread created it with (the caller maps the first window through it
 * and closes it), or -1 when the helper created it. */
static int try_create(struct logfile *lf, int *fd)
{
	struct file_op op = {.kind = OP_CREATE, .path = lf->path};

	*fd = open_for(&op);
	if (*fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		/* every number the program may use is taken: the helper has a table of its own */
		do_op(&op);
		if (op.err)
			return op.err;
	} else if (*fd < 0) {
		return errno;
	} else if (!is_the_log(&op, *fd)) {
		close(*fd);
		*fd = -1;
		return ESTALE;
	}
	lf->dev = op.dev;
	lf->ino = op.ino;
	return 0;
}

/* Make [lf->off, end) storable: allocate more of the file, and map the window over it when it
 * is beyond the mapped one. The window is one mapping of WINDOW bytes, of which the part below
 * the file's size is used (no store ever reaches past it: no SIGBUS). Returns 0 or an errno
 * value (lf->err, said once). */
static int grow_on(struct logfile *lf, uint64_t end, int fd)
{
	struct file_op op = {.kind = OP_GROW, .path = lf->path, .dev = lf->dev, .ino = lf->ino};
	uint64_t ps = page_size(), chunk, base = lf->win_off;

	if (lf->err && mono_ns() < lf->retry_at)
		return lf->err;
	if (!lf->win || end > lf->win_off + WINDOW) {
		base = lf->off & ~(ps - 1);
		op.map_off = base;
		op.map_len = WINDOW;
		op.fixed = lf->win;
	}
	chunk = lf->size > WINDOW ? WINDOW : lf->size; /* 0 at creation: the first page only */
	op.from = lf->size;
	op.to = lf->size + chunk;
	if (op.to < ((end + ps - 1) & ~(ps - 1)))
		op.to = (end + ps - 1) & ~(ps - 1);
	if (op.to > base + WINDOW)
		op.to = base + WINDOW;
	if (op.to < lf->size)
		op.to = lf->size;
	if (fd >= 0) {
		int saved = errno;

		op.map = MAP_FAILED;
		run_op_on(&op, fd); /* private_fds 0: the mapping is checked to be the log's */
		errno = saved;
	} else {
		do_op(&op);
	}
	if (op.map_lost)
		lf->win = NULL;
	if (op.err) {
		lf->err = op.err;
		lf->retry_at = mono_ns() + LOGFILE_RETRY_NS;
		say_lost(lf, op.err);
		return op.err;
	}
	if (op.map_len) {
		lf->reopened += lf->win != NULL;
		lf->win = op.map;
		lf->win_off = op.map_off;
		lf->win_len = op.map_len;
	}
	/* Fault the new part of the window in, writable, now: a page fault per 4 KiB of records
	 * (the file system's page_mkwrite each time) was a tenth of an audited call. Linux 5.14;
	 * where it fails, records fault their pages in as before. */
	if (op.to > lf->size && lf->size >= lf->win_off)
		sys->madvise(lf->win + (lf->size - lf->win_off), (size_t)(op.to - lf->size),
			     MADV_POPULATE_WRITE);
	lf->size = op.to;
	lf->err = 0;
	return 0;
}

static int grow(struct logfile *lf, uint64_t end)
{
	return grow_on(lf, end, -1);
}

void logfile_safe_name(const char *name, char *out, size_t cap)
{
	size_t i;

	for (i = 0; name && name[i] && i + 1 < cap; i++) {
		char c = name[i];
		int okc = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.';
		out[i] = okc ? c : '_';
	}
	if (i == 0)
		memcpy(out, "unknown", (i = 7));
	out[i] = '\0';
}

int logfile_create(struct logfile *lf, const char *dir, const char *progname, pid_t pid)
{
	char num[24], seq[24];
	size_t len = 0, base;
	int n, e = EEXIST, fd = -1;

	memset(lf, 0, sizeof *lf);
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
	/* After execve(2) the pid is the same and the old image's log exists: take the next suffix.
	 * After a few taken names, an unpredictable one: names planted in advance by another user
	 * (issue 10, item 13) cannot stop the program. */
	for (n = 0; n < PREDICTABLE_NAMES + RANDOM_NAMES && e == EEXIST; n++) {
		len = base;
		if (n >= PREDICTABLE_NAMES)
			random_suffix(seq);
		else if (n)
			utoa(seq, (unsigned long)n);
		if ((n && (append(lf->path, &len, sizeof lf->path, ".") ||
			   append(lf->path, &len, sizeof lf->path, seq))) ||
		    append(lf->path, &len, sizeof lf->path, ".log")) {
			lf->path[0] = '\0';
			return ENAMETOOLONG;
		}
		e = try_create(lf, &fd);
	}
	if (e) {
		lf->path[0] = '\0';
		return e;
	}
	lf->name = strrchr(lf->path, '/') + 1;
	lf->owner = sys->getpid();
	/* The first window through the descriptor that created the file, in this thread: no
	 * helper (a clone and a second open). A log is created before main (the preload library's
	 * constructor: no thread of the program yet), in a fork child (one thread) or by trace
	 * mode's supervisor (one thread, its own descriptors), so no other thread can close or
	 * dup2() over the number meanwhile; the mapping is checked to be the log's all the same. */
	grow_on(lf, 1, fd); /* a full disk: the file exists, writes are retried */
	return 0;
}

int logfile_ensure(struct logfile *lf, size_t len)
{
	if (lf->path[0] == '\0')
		return EBADF;
	if (!logfile_fits(lf, len))
		return grow(lf, lf->off + len);
	return 0;
}

/* Copy the record into the window, which holds it. */
static void store(struct logfile *lf, const char *buf, size_t len)
{
	uint64_t at = __atomic_fetch_add(&lf->off, len, __ATOMIC_RELAXED);

	memcpy(lf->win + (at - lf->win_off), buf, len);
}

int logfile_write(struct logfile *lf, const char *buf, size_t len)
{
	int e;

	if (lf->path[0] == '\0')
		return EBADF;
	/* A vfork child shares this memory, a child of _Fork(3) or clone(2) this mapping: only the
	 * process the log belongs to writes it. */
	if (sys->getpid() != lf->owner)
		return EPERM;
	if ((e = logfile_ensure(lf, len)) != 0)
		return e;
	store(lf, buf, len);
	return 0;
}

int logfile_put(struct logfile *lf, const char *buf, size_t len)
{
	/* a window is mapped (logfile_fits): the log has its path */
	if (sys->getpid() != lf->owner)
		return EPERM;
	store(lf, buf, len);
	return 0;
}

void logfile_retry_now(struct logfile *lf)
{
	lf->retry_at = 0;
}

void logfile_forget(struct logfile *lf)
{
	if (lf->win) /* never in a vfork child: logfile_close checks */
		sys->munmap(lf->win, lf->win_len);
	lf->win = NULL;
	lf->path[0] = '\0';
}

int logfile_chown(struct logfile *lf, uid_t uid)
{
	struct file_op op = {.kind = OP_CHOWN, .path = lf->path, .dev = lf->dev, .ino = lf->ino,
			     .uid = uid};

	if (sys->getpid() != lf->owner || !lf->path[0])
		return EBADF;
	do_op(&op);
	return op.err;
}

void logfile_close(struct logfile *lf)
{
	struct file_op op = {.kind = OP_TRIM, .path = lf->path, .dev = lf->dev, .ino = lf->ino};

	if (sys->getpid() != lf->owner)
		return; /* a vfork child: the window is its parent's */
	if (lf->path[0] && lf->size > lf->off) {
		op.to = lf->off;
		do_op(&op);
	}
	logfile_forget(lf);
}
