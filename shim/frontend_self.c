/* frontend_self.c: the preload library's front-end (policy/engine/frontend.h): the audited process is
 * this one. Memory is read with process_vm_readv(2) on the own pid (a PROT_NONE or unmapped page
 * fails instead of faulting), /proc is /proc/self, stacks come from libgcc's unwinder (stack.c),
 * and the engine's state is guarded by the shim's state lock (every thread calls in). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef HAVE_SYS_SINGLE_THREADED_H
#include <sys/single_threaded.h>
#endif
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "policy/engine/frontend.h"
#include "environ.h"
#include "heapblocks.h"
#include "shim/logwriter/logfile.h"
#include "modules.h"
#include "procfs.h"
#include "real.h"
#include "selfpid.h"
#include "stack.h"
#include "stackcache.h"
#include "state.h"
#include "suppress.h"

static int self_mem_read(void *ctx, uintptr_t addr, void *buf, size_t n)
{
	struct iovec local = {buf, n}, remote = {(void *)addr, n};

	(void)ctx;
	return process_vm_readv(shim_pid(), &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}

/* Only for bytes the engine proved readable (policy/engine/readable.h): a plain copy, no system
 * call. */
static const void *self_view(void *ctx, uintptr_t addr, size_t n)
{
	(void)ctx;
	(void)n;
	return (const void *)addr;
}

/* No other thread can run: glibc clears __libc_single_threaded when pthread_create makes the
 * first thread (nptl/pthread_create.c) and never sets it again while threads may exist; a thread
 * glibc does not know of comes from clone(2) or syscall(SYS_clone, ...), which set shim_forked
 * (selfpid.h). */
static int self_one_thread(void *ctx)
{
	(void)ctx;
#ifdef HAVE_SYS_SINGLE_THREADED_H
	return __libc_single_threaded && !__atomic_load_n(&shim_forked, __ATOMIC_ACQUIRE);
#else
	return 0;
#endif
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

static void self_stack_memo(void *ctx, uint32_t key, uint32_t id, uint32_t gen)
{
	(void)ctx;
	stackcache_memo(key, id, gen);
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
	return shim_tid();
}

static int self_heap_maybe_chunk(void *ctx, uintptr_t blk)
{
	(void)ctx;
	return heapblocks_maybe_mmapped(blk);
}

static int self_heap_maybe_arena(void *ctx, uintptr_t h)
{
	(void)ctx;
	return heapblocks_maybe_heap(h);
}

static void *self_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return arena_calloc(1, size);
}

static void *self_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	return arena_realloc(ptr, size);
}

static void self_free(void *ctx, void *ptr)
{
	(void)ctx;
	arena_free(ptr);
}

static struct engine_module *self_module_find(void *ctx, uintptr_t ip)
{
	(void)ctx;
	return modules_find(ip);
}

static struct engine_module *self_module_by_id(void *ctx, uint32_t id)
{
	(void)ctx;
	return module_by_id(id);
}

static void self_describe(void *ctx, struct engine_proc *p, uint32_t stack, int max_frames,
			  char *buf, size_t cap)
{
	(void)ctx;
	stack_describe(p, stack, max_frames, buf, cap);
}

static int self_suppressed(void *ctx, struct engine_proc *p, const char *rule, uint32_t stack)
{
	(void)ctx;
	return shim_suppressed(p, rule, stack);
}

static const char *self_progname(void *ctx, char *buf, int cap)
{
	(void)ctx;
	return shim_progname(buf, cap);
}

static void self_abort(void *ctx)
{
	(void)ctx;
	abort();
}

/* The log writer's calls that this library wraps go straight to libc (shim/logwriter/logfile.h). */
static void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return real.mmap(addr, len, prot, flags, fd, off);
}

static int sys_munmap(void *addr, size_t len)
{
	return real.munmap(addr, len);
}

static int sys_madvise(void *addr, size_t len, int advice)
{
	return real.madvise(addr, len, advice);
}

static long sys_sysconf(int name)
{
	return real.sysconf(name);
}

static int sys_getrlimit(int res, struct rlimit *rl)
{
	return real.getrlimit(res, rl);
}

static int sys_setrlimit(int res, const struct rlimit *rl)
{
	return real.setrlimit(res, rl);
}

const struct logfile_sys shim_log_sys = {sys_mmap, sys_munmap, sys_sysconf, sys_getrlimit,
					 sys_setrlimit, shim_pid, sys_madvise, shim_alone};

const struct engine_frontend shim_self_frontend = {
	.mem_read = self_mem_read,
	.view = self_view,
	.one_thread = self_one_thread,
	.proc_read = self_proc_read,
	.proc_lines = self_proc_lines,
	.proc_link = self_proc_link,
	.memlock_rlimit = self_memlock_rlimit,
	.brk_now = self_brk_now,
	.capture = self_capture,
	.stack_memo = self_stack_memo,
	.now_ns = self_now_ns,
	.tid = self_tid,
	.lock = state_lock_fe,
	.unlock = state_unlock_fe,
	.alloc = self_alloc,
	.realloc = self_realloc,
	.free = self_free,
	.module_find = self_module_find,
	.module_by_id = self_module_by_id,
	.describe = self_describe,
	.suppressed = self_suppressed,
	.progname = self_progname,
	.abort = self_abort,
	.heap_maybe_chunk = self_heap_maybe_chunk,
	.heap_maybe_arena = self_heap_maybe_arena,
};
