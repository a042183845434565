/* frontend_self.c: the preload library's front-end (engine/frontend.h): the audited process is
 * this one. Memory is read with process_vm_readv(2) on the own pid (a PROT_NONE or unmapped page
 * fails instead of faulting), /proc is /proc/self, stacks come from libgcc's unwinder (stack.c),
 * and the engine's state is guarded by the shim's state lock (every thread calls in). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "engine/frontend.h"
#include "procfs.h"
#include "real.h"
#include "stack.h"
#include "state.h"

static int self_mem_read(void *ctx, uintptr_t addr, void *buf, size_t n)
{
	struct iovec local = {buf, n}, remote = {(void *)addr, n};

	(void)ctx;
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}

static void self_path(char *path, size_t cap, const char *name)
{
	snprintf(path, cap, "/proc/self/%s", name);
}

static ssize_t self_proc_read(void *ctx, const char *name, char *buf, size_t cap)
{
	char path[64];

	(void)ctx;
	self_path(path, sizeof path, name);
	return procfs_read(path, buf, cap);
}

static int self_proc_lines(void *ctx, const char *name, void (*fn)(char *line, void *arg), void *arg)
{
	char path[64];

	(void)ctx;
	self_path(path, sizeof path, name);
	return procfs_lines(path, fn, arg);
}

static ssize_t self_proc_link(void *ctx, const char *name, char *buf, size_t cap)
{
	char path[64];

	(void)ctx;
	self_path(path, sizeof path, name);
	return readlink(path, buf, cap);
}

/* getrlimit is wrapped (rlimit.c): the kernel's own limit comes from the real one. */
static int self_memlock_rlimit(void *ctx, uint64_t *soft, uint64_t *hard)
{
	struct rlimit rl;

	(void)ctx;
	if (real.getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return -1;
	*soft = rl.rlim_cur;
	*hard = rl.rlim_max;
	return 0;
}

static uintptr_t self_brk_now(void *ctx)
{
	(void)ctx;
	return (uintptr_t)sbrk(0);
}

static void self_capture(void *ctx, struct engine_frames *f)
{
	(void)ctx;
	stack_capture(f);
}

static uint64_t self_now_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static pid_t self_tid(void *ctx)
{
	(void)ctx;
	return gettid();
}

static void self_lock(void *ctx)
{
	(void)ctx;
	state_lock();
}

static void self_unlock(void *ctx)
{
	(void)ctx;
	state_unlock();
}

static void self_abort(void *ctx)
{
	(void)ctx;
	abort();
}

const struct engine_frontend shim_self_frontend = {
	.mem_read = self_mem_read,
	.proc_read = self_proc_read,
	.proc_lines = self_proc_lines,
	.proc_link = self_proc_link,
	.memlock_rlimit = self_memlock_rlimit,
	.brk_now = self_brk_now,
	.capture = self_capture,
	.now_ns = self_now_ns,
	.tid = self_tid,
	.lock = self_lock,
	.unlock = self_unlock,
	.abort = self_abort,
};
