/* rlimit_fit MODE [N]: a program that sizes its locking by RLIMIT_MEMLOCK, as several libraries do.
 *
 *   fit N     read getrlimit(RLIMIT_MEMLOCK), then mmap and mlock page-sized buffers, at most N,
 *             only while they fit under the limit; print how many it locked; unlock them
 *   ignore N  lock N page-sized buffers whatever the limit (the true twin: it does get refused)
 *   set       read the limit every way (getrlimit, getrlimit64, prlimit of pid 0 and of its own
 *             pid, syscall(SYS_prlimit64)), lower it, raise it back, try to raise the hard limit,
 *             set soft above hard, lower the hard limit, try to raise it again, and fit 64 buffers
 *             under what is left; print each result
 *   parent    read the limit of the parent process with prlimit (not its own: never simulated)
 *   raw       the getrlimit and setrlimit system calls (not glibc's prlimit64): read the limit,
 *             lower the soft limit to 32 KiB, read it again; then RLIMIT_NOFILE (never simulated)
 *   fork N    as fit, but the limit is read before fork() and the child does the locking
 *
 * Exits 0 when every lock it tried succeeded, 1 at the first refused one (after printing it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENOMEM: return "ENOMEM";
	case EPERM: return "EPERM";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	}
	return "other";
}

static void show(const char *what, unsigned long long cur, unsigned long long max)
{
	if (cur == (unsigned long long)RLIM_INFINITY)
		printf("%s: soft unlimited", what);
	else
		printf("%s: soft %llu", what, cur);
	if (max == (unsigned long long)RLIM_INFINITY)
		printf(" hard unlimited\n");
	else
		printf(" hard %llu\n", max);
}

/* Lock up to n buffers of one page each, each its own mapping; stop early when fit is set and the
 * next one would exceed the soft limit. Prints the count; returns 1 when a lock was refused. */
static int lock_buffers(long n, int fit, int forked)
{
	long page = sysconf(_SC_PAGESIZE), i, locked = 0;
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	char **bufs = calloc((size_t)n, sizeof *bufs);
	int ret = 0, status;

	if (!bufs || (fit && getrlimit(RLIMIT_MEMLOCK, &rl) != 0)) { /* ignore never asks */
		printf("getrlimit failed\n");
		return 2;
	}
	if (forked) {
		pid_t child = fork();

		if (child > 0) {
			waitpid(child, &status, 0);
			return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
		}
		if (child < 0)
			return 2;
	}
	for (i = 0; i < n; i++) {
		if (fit && rl.rlim_cur != RLIM_INFINITY && (unsigned long long)(locked + 1) * page > rl.rlim_cur)
			break;
		bufs[i] = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (bufs[i] == MAP_FAILED) {
			printf("mmap failed at i=%ld\n", i);
			return 2;
		}
		if (mlock(bufs[i], (size_t)page) != 0) { /* rlimit_fit: mlock site */
			printf("mlock failed at i=%ld errno=%s\n", i, errname(errno));
			ret = 1;
			break;
		}
		locked++;
	}
	printf("locked %ld buffers%s\n", locked, forked ? " in the child" : "");
	for (i = 0; i < locked; i++)
		munlock(bufs[i], (size_t)page);
	return ret;
}

/* setrlimit of RLIMIT_MEMLOCK to (cur, max): prints the errno it gives. */
static void try_set(const char *what, rlim_t cur, rlim_t max)
{
	struct rlimit rl = {cur, max};
	int r = setrlimit(RLIMIT_MEMLOCK, &rl);

	printf("%s: %s\n", what, errname(r == 0 ? 0 : errno));
}

static int set_mode(void)
{
	struct rlimit rl, before;
	struct rlimit64 rl64;
	rlim_t hard;

	errno = 4242;
	getrlimit(RLIMIT_MEMLOCK, &before);
	show("getrlimit", before.rlim_cur, before.rlim_max);
	printf("errno after a successful getrlimit: %s\n", errno == 4242 ? "kept" : "changed");
	getrlimit64(RLIMIT_MEMLOCK, &rl64);
	show("getrlimit64", rl64.rlim_cur, rl64.rlim_max);
	prlimit(0, RLIMIT_MEMLOCK, NULL, &rl);
	show("prlimit(0)", rl.rlim_cur, rl.rlim_max);
	prlimit(getpid(), RLIMIT_MEMLOCK, NULL, &rl);
	show("prlimit(getpid())", rl.rlim_cur, rl.rlim_max);
	syscall(SYS_prlimit64, 0, RLIMIT_MEMLOCK, NULL, &rl64);
	show("syscall(SYS_prlimit64)", rl64.rlim_cur, rl64.rlim_max);
	hard = before.rlim_max;

	try_set("lower the soft limit to 32 KiB", 32768, hard);
	getrlimit(RLIMIT_MEMLOCK, &rl);
	show("then getrlimit", rl.rlim_cur, rl.rlim_max);
	try_set("raise it back to the hard limit", hard, hard);
	try_set("raise the hard limit", hard * 2, hard * 2);
	try_set("raise it to unlimited", RLIM_INFINITY, RLIM_INFINITY);
	try_set("soft above hard", hard * 2, hard);
	rl = (struct rlimit){16384, 32768};
	errno = 0;
	printf("prlimit lowers the hard limit to 32 KiB: %s",
	       errname(prlimit(0, RLIMIT_MEMLOCK, &rl, &before) == 0 ? 0 : errno));
	show(", old", before.rlim_cur, before.rlim_max);
	try_set("raise the hard limit back", hard, hard);
	getrlimit(RLIMIT_MEMLOCK, &rl);
	show("now", rl.rlim_cur, rl.rlim_max);
	return lock_buffers(64, 1, 0);
}

/* syscall(SYS_getrlimit) and syscall(SYS_setrlimit) themselves, as other C libraries make them */
static int raw_mode(void)
{
	struct rlimit rl;
	long r;

	r = syscall(SYS_getrlimit, RLIMIT_MEMLOCK, &rl);
	printf("SYS_getrlimit: %s, ", errname(r == 0 ? 0 : errno));
	show("limit", rl.rlim_cur, rl.rlim_max);
	rl.rlim_cur = 32768;
	r = syscall(SYS_setrlimit, RLIMIT_MEMLOCK, &rl);
	printf("SYS_setrlimit to 32 KiB: %s\n", errname(r == 0 ? 0 : errno));
	r = syscall(SYS_getrlimit, RLIMIT_MEMLOCK, &rl);
	printf("SYS_getrlimit: %s, ", errname(r == 0 ? 0 : errno));
	show("limit", rl.rlim_cur, rl.rlim_max);
	r = syscall(SYS_getrlimit, RLIMIT_MEMLOCK, (void *)8);
	printf("SYS_getrlimit to a bad pointer: %s\n", r == 0 ? "ok" : errno == EFAULT ? "EFAULT" : errname(errno));
	r = prlimit(0, RLIMIT_MEMLOCK, NULL, (struct rlimit *)8);
	printf("prlimit to a bad pointer: %s\n", r == 0 ? "ok" : errno == EFAULT ? "EFAULT" : errname(errno));
	getrlimit(RLIMIT_NOFILE, &rl);
	show("RLIMIT_NOFILE", rl.rlim_cur, rl.rlim_max);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 256;

	if (argc > 1 && !strcmp(argv[1], "fit"))
		return lock_buffers(n, 1, 0);
	if (argc > 1 && !strcmp(argv[1], "ignore"))
		return lock_buffers(n, 0, 0);
	if (argc > 1 && !strcmp(argv[1], "fork"))
		return lock_buffers(n, 1, 1);
	if (argc > 1 && !strcmp(argv[1], "set"))
		return set_mode();
	if (argc > 1 && !strcmp(argv[1], "raw"))
		return raw_mode();
	if (argc > 1 && !strcmp(argv[1], "parent")) {
		struct rlimit rl;

		if (prlimit(getppid(), RLIMIT_MEMLOCK, NULL, &rl) != 0) {
			printf("prlimit(parent): %s\n", errname(errno));
			return 1;
		}
		show("prlimit(parent)", rl.rlim_cur, rl.rlim_max);
		return 0;
	}
	fprintf(stderr, "usage: rlimit_fit fit|ignore|fork [N] | set | raw | parent\n");
	return 2;
}
