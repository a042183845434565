/* init.c: bootstrap, configuration, and the process lifecycle hooks (fork child, exit).
 *
 * Init order, each step needing the ones before it:
 *   1. guard        every allocation made from here on by libc on our behalf goes to the arena
 *   2. real symbols dlsym(RTLD_NEXT) for every wrapped function (real.c)
 *   3. environment  MEMAUDIT_* read once; a bad value stops the program before main
 *   4. tracker      in arena memory
 *   5. modules      dl_iterate_phdr walk; a first unwind to warm the unwinder
 *   6. log          created, header written; auditing starts
 *   7. hooks        pthread_atfork (fork child gets its own log), on_exit (exit record with status)
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "alignwaste.h"
#include "arena.h"
#include "findings.h"
#include "modules.h"
#include "engine/frontend.h"
#include "environ.h"
#include "guard.h"
#include "policy/envparse.h"
#include "policy/rlimitmodel.h"
#include "policy/tracker.h"
#include "procfs.h"
#include "real.h"
#include "records.h"
#include "regions.h"
#include "rlimit.h"
#include "stack.h"
#include "state.h"
#include "suppress.h"

/* Exit status of a process whose MEMAUDIT_* configuration is invalid (docs/memaudit.7). */
#define CONFIG_ERROR_STATUS 125
/* Default MEMAUDIT_EXITCODE: strict's status for a process with findings (docs/memaudit.7). */
#define DEFAULT_EXITCODE 99

struct shim_state S;

static pthread_mutex_t state_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Cancellation is off while the lock is held: write(2) is a cancellation point, and a thread
 * cancelled inside the shim would leave the lock held forever (pthread_cancel(3)). Turned off and
 * back on as guard.h's cancel_off() and cancel_restore() say (the exit value of a thread cancelled
 * meanwhile must stay PTHREAD_CANCELED). */
static __thread struct cancel_saved saved_cancel __attribute__((tls_model("initial-exec")));

void state_lock(void)
{
	struct cancel_saved c;

	cancel_off(&c);
	pthread_mutex_lock(&state_mutex);
	saved_cancel = c;
}

void state_unlock(void)
{
	struct cancel_saved c = saved_cancel;

	pthread_mutex_unlock(&state_mutex);
	cancel_restore(&c);
}

/* Take the lock unless this thread may already hold it: exit(), _exit() or fork() called from a
 * signal handler that interrupted the shim (the guard was held). Returns 1 when taken. */
static int state_lock_unless_reentered(int prev_guard)
{
	struct cancel_saved c;

	if (!prev_guard) {
		state_lock();
		return 1;
	}
	cancel_off(&c);
	if (pthread_mutex_trylock(&state_mutex) != 0) {
		cancel_restore(&c);
		return 0;
	}
	saved_cancel = c;
	return 1;
}

uint64_t shim_now(void)
{
	return S.fe->now_ns(S.fe_ctx) - S.t0;
}

/* A fork child made by a signal handler that interrupted the shim while it held the state lock
 * (fork_prepare could not take it): the model it inherited may be half updated, so the child
 * audits nothing and its model is not read; its log gets its header and, at exit, its exit record
 * (a complete log of an unaudited process, not one reported incomplete). */
static int child_unaudited;

uint64_t shim_locked_bytes(void)
{
	if (child_unaudited)
		return 0;
	return S.tracker ? (uint64_t)tracker_locked_pages(S.tracker) * S.page_size : 0;
}

int shim_own_process(void)
{
	return getpid() == S.pid;
}

/* The pid check comes last (one system call per audited call): a child made by clone(2) with
 * CLONE_VM and without CLONE_THREAD (or by vfork) shares this process's memory, and, without
 * CLONE_SETTLS, the thread-local storage of the thread that made it: the guard, the shim's locks and
 * its model. It must touch none of them, or the two processes set and clear each other's guard and
 * hang on the state lock (tests/stress/clone_vm.sh: 47 of 50 runs hung). It runs unaudited, as
 * clone(2) children without atfork handlers always were meant to. */
int shim_auditing(void)
{
	if (guard_held())
		return 0;
	if (unlikely(!__atomic_load_n(&S.active, __ATOMIC_ACQUIRE)))
		shim_init();
	return __atomic_load_n(&S.active, __ATOMIC_ACQUIRE) && !S.exited && !child_unaudited &&
	       shim_own_process();
}

/* Write "memaudit: a b c\n" to stderr with one write(2). */
static void say(const char *a, const char *b, const char *c)
{
	char line[512];
	size_t n = 0;
	const char *parts[] = {"memaudit: ", a, b, c, "\n"};
	ssize_t r;
	size_t i, l;

	for (i = 0; i < 5; i++) {
		l = parts[i] ? strlen(parts[i]) : 0;
		if (n + l > sizeof line)
			l = sizeof line - n;
		memcpy(line + n, parts[i], l);
		n += l;
	}
	r = write(2, line, n);
	(void)r;
}

/* A MEMAUDIT_* variable has a value we do not accept: say which and what it takes, and stop. The
 * process must not run unaudited when its user asked for an audit. */
static void bad_value(const char *var, const char *accepts)
{
	say(var, ": invalid value; accepted: ", accepts);
	real._exit(CONFIG_ERROR_STATUS);
}

static void read_config(void)
{
	const char *v;
	int pol = POLICY_AUDIT;
	struct rlimit rl;

	S.real_page_size = (size_t)real.sysconf(_SC_PAGESIZE); /* sysconf is wrapped (pagesize.c) */
	if ((v = shim_getenv("MEMAUDIT_POLICY")) && envparse_policy(v, &pol) != 0)
		bad_value("MEMAUDIT_POLICY", "off, audit, warn, enforce, strict");
	S.policy = (enum shim_policy)pol;

	S.page_size = S.real_page_size;
	if ((v = shim_getenv("MEMAUDIT_PAGE_SIZE")) &&
	    envparse_page_size(v, S.real_page_size, &S.page_size) != 0)
		bad_value("MEMAUDIT_PAGE_SIZE", "a power of two at least the real page size, e.g. 16384 or 64K");

	/* Default: the soft limit as the kernel applies it to a process without CAP_IPC_LOCK. */
	S.memlock_limit = -1;
	S.memlock_max = RLIMITMODEL_INFINITY;
	if (real.getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		S.memlock_limit = rl.rlim_cur == RLIM_INFINITY ? -1 : rlimitmodel_bytes(rl.rlim_cur);
		S.memlock_max = rl.rlim_max == RLIM_INFINITY ? RLIMITMODEL_INFINITY : rl.rlim_max;
	}
	if ((v = shim_getenv("MEMAUDIT_MEMLOCK_LIMIT"))) {
		if (envparse_size(v, &S.memlock_limit) != 0)
			bad_value("MEMAUDIT_MEMLOCK_LIMIT", "bytes with an optional K, M or G suffix, or unlimited");
		/* the target's soft and hard limit, as after `ulimit -l` (rlimit.c) */
		S.memlock_max = rlimitmodel_value(S.memlock_limit);
		S.memlock_modelled = 1;
	}

	S.max_map_count = procfs_max_map_count();
	if ((v = shim_getenv("MEMAUDIT_MAX_MAP_COUNT")) &&
	    envparse_count(v, 1, 1L << 30, &S.max_map_count) != 0)
		bad_value("MEMAUDIT_MAX_MAP_COUNT", "a count from 1 to 1073741824");

	S.fail_on = SEV_ERROR;
	if ((v = shim_getenv("MEMAUDIT_FAIL_ON"))) {
		if (strcmp(v, "error") == 0)
			S.fail_on = SEV_ERROR;
		else if (strcmp(v, "warning") == 0)
			S.fail_on = SEV_WARNING;
		else if (strcmp(v, "note") == 0)
			S.fail_on = SEV_NOTE;
		else
			bad_value("MEMAUDIT_FAIL_ON", "error, warning, note");
	}
	S.exitcode = DEFAULT_EXITCODE;
	if ((v = shim_getenv("MEMAUDIT_EXITCODE"))) {
		long code;
		if (envparse_count(v, 1, 255, &code) != 0)
			bad_value("MEMAUDIT_EXITCODE", "a status from 1 to 255");
		S.exitcode = (int)code;
	}
	if ((v = shim_getenv("MEMAUDIT_ABORT"))) {
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			bad_value("MEMAUDIT_ABORT", "0 or 1");
		S.abort_on_finding = v[0] == '1';
	}
	if ((v = shim_getenv("MEMAUDIT_ARGV"))) {
		int mode;
		if (envparse_argv(v, &mode) != 0)
			bad_value("MEMAUDIT_ARGV", "full, first");
		S.argv_first = mode == ENVPARSE_ARGV_FIRST;
	}
	S.whatif[0].limit = 32 << 10; /* the old MLOCK_LIMIT, 8 pages ("GPG wants 32kB") */
	S.whatif[1].limit = 64 << 10; /* the long-time default, and many distributions' today */
	S.whatif[2].limit = 8 << 20;  /* the default since Linux 5.16 */
	S.whatif[3].limit = S.memlock_limit;

	/* Variables naming files are ignored in secure-execution mode (secure_getenv(3)). */
	if ((v = shim_secure_getenv("MEMAUDIT_SUPPRESSIONS")) && *v) {
		char why[512];
		if (shim_suppress_load(v, why, sizeof why) != 0) {
			say("MEMAUDIT_SUPPRESSIONS: ", why, "");
			real._exit(CONFIG_ERROR_STATUS);
		}
	}
	S.log_dir = shim_secure_getenv("MEMAUDIT_LOG_DIR");
	if (S.log_dir && !S.log_dir[0])
		bad_value("MEMAUDIT_LOG_DIR", "a directory");
	if (!S.log_dir)
		S.log_dir = ".";
}

/* The file name part of the log: the program's short name, restricted to a safe character set. */
static void progname(char *out, size_t cap)
{
	char comm[32];
	const char *p = shim_progname(comm, sizeof comm);
	size_t i;

	for (i = 0; p && p[i] && i + 1 < cap; i++) {
		char c = p[i];
		int okc = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.';
		out[i] = okc ? c : '_';
	}
	if (i == 0)
		memcpy(out, "unknown", (i = 7));
	out[i] = '\0';
}

/* Create this process's log and write its header. Returns 0 or an errno value. */
static int start_log(void)
{
	char name[64];
	int e;

	progname(name, sizeof name);
	e = logfile_create(&S.log, S.log_dir, name, S.pid);
	if (e)
		return e;
	S.log_gen++;
	rec_header();
	return 0;
}

int shim_exit_record(const char *how, int status)
{
	int g = guard_enter();

	if (!state_lock_unless_reentered(g)) {
		guard_leave(g);
		return status; /* the log stays without exit record: reported incomplete, never a deadlock */
	}
	/* A vfork child shares our memory and descriptors: it must not end the parent's log. */
	if (S.active && !S.exited && getpid() == S.pid) {
		if (!child_unaudited) {
			findings_at_exit();
			alignwaste_at_exit();
			regions_at_exit();
			status = findings_exit_status(status);
		}
		rec_exit(how, status);
		S.exited = 1;
		logfile_close(&S.log);
	}
	state_unlock();
	guard_leave(g);
	return status;
}

/* on_exit(3) handler: registered in the constructor, before __libc_start_main registers the
 * dynamic linker's destructor runner, so it runs after every destructor and sees their calls. */
static void at_exit(int status, void *arg)
{
	int final;

	(void)arg;
	final = shim_exit_record("exit", status);
	if (final != status) {
		/* strict: the process had findings and would have exited 0. exit(3) cannot change its
		 * status from a handler, so end here, after flushing what exit() would still flush. */
		fflush(NULL);
		real._exit(final);
	}
}

/* fork prepare: take every lock in a fixed order (stack captures, which run outside the state lock
 * and allocate from the arena; state; arena: the state lock is held while allocating from the
 * arena, never the other way), so the child inherits them consistent. Called by a signal handler
 * that interrupted the shim on this thread (reentered), it only tries: waiting would wait on the
 * interrupted code (signal-safety(7)). Cancellation is off from prepare to parent/child, so that
 * no lock is left taken by a thread cancelled in between (guard.h). One fork at a time gets past
 * the capture lock, hence plain statics. */
static int fork_took_locks, fork_took_capture, fork_took_arena;
static __thread struct cancel_saved fork_cancel __attribute__((tls_model("initial-exec")));

static void fork_prepare(void)
{
	int reentered = guard_held();
	struct cancel_saved c;

	cancel_off(&c);
	fork_cancel = c;
	fork_took_capture = stack_fork_prepare(reentered);
	fork_took_locks = state_lock_unless_reentered(reentered);
	fork_took_arena = fork_took_locks ? arena_fork_prepare(reentered) : 0;
}

static void fork_parent(void)
{
	struct cancel_saved c = fork_cancel;

	arena_fork_parent(fork_took_arena);
	if (fork_took_locks)
		state_unlock();
	if (fork_took_capture)
		stack_fork_parent();
	cancel_restore(&c);
}

/* fork child: new locks, a log of its own (a copy of the parent's locks and DONTFORK ranges
 * does not exist here: mlock(2) "Memory locks are not inherited by a child created via fork(2)";
 * madvise(2) MADV_DONTFORK ranges are absent in the child).
 *
 * A child forked by a signal handler that interrupted the shim (signal-safety(7) lists fork) runs
 * the rest of the handler with the guard held, so its calls there are not audited; its _exit still
 * writes the exit record (process.c), so its log is complete. When prepare could not take the
 * state lock, the model is left alone (child_unaudited). */
static void fork_child(void)
{
	int g = guard_enter();
	struct cancel_saved c = fork_cancel;
	size_t n;

	arena_reinit_child(fork_took_arena);
	pthread_mutex_init(&state_mutex, NULL);
	stack_fork_child();
	if (fork_took_locks)
		cancel_restore(&saved_cancel);
	if (!S.active)
		goto out;
	n = strlen(S.log.name ? S.log.name : "");
	if (n >= sizeof S.parent_log)
		n = sizeof S.parent_log - 1;
	memcpy(S.parent_log, S.log.name ? S.log.name : "", n);
	S.parent_log[n] = '\0';
	logfile_forget(&S.log); /* the child's copy of the parent's window */
	S.ppid = S.pid; /* the parent's pid, known before any code of the child runs */
	S.pid = getpid();
	S.t0 = S.fe->now_ns(S.fe_ctx);
	S.seq = 0;
	S.lost = 0;
	S.lockall_future = 0;
	S.lockall_active = 0;
	S.lock_calls = 0;
	for (int i = 0; i < 4; i++)
		S.whatif[i].call = 0;
	if (fork_took_locks) {
		findings_reset();
		tracker_clear_all(S.tracker, TRACK_LOCKED | TRACK_DONTFORK);
		regions_fork_child();
		alignwaste_reset();
	} else {
		child_unaudited = 1;
	}
	if (start_log() != 0) {
		say("cannot create the log of fork child in ", S.log_dir, "; the child is not audited");
		S.active = 0;
	} else if (fork_took_locks) {
		rlimit_fork_child();
	}
out:
	guard_leave(g);
	cancel_restore(&c);
}

static void really_init(void)
{
	static const struct tracker_alloc talloc = {arena_alloc_cb, arena_free_cb, NULL};
	int g = guard_enter();
	int e;

	real_resolve();
	S.fe = &shim_self_frontend;
	S.fe_ctx = NULL;
	/* glibc's chunk layout may be read only when the next malloc is glibc's own. */
	S.glibc_malloc = dlsym(RTLD_NEXT, "__libc_malloc") == (void *)real.malloc;
	read_config();
	S.pid = getpid();
	S.ppid = getppid();
	S.t0 = S.fe->now_ns(S.fe_ctx);
	if (S.policy == POLICY_OFF)
		goto out;
	S.tracker = tracker_new(S.page_size, &talloc);
	S.regions = tracker_new(1, &talloc); /* a "page" of one byte: exact ranges */
	if (!S.tracker || !S.regions || modules_refresh() != 0) {
		say("out of memory at start; this process is not audited", "", "");
		goto out;
	}
	stack_setup();
	e = start_log();
	if (e) {
		char why[160] = ": ";
		strncat(why, strerror(e), sizeof why - 3);
		say("MEMAUDIT_LOG_DIR: cannot create a log in ", S.log_dir, why);
		real._exit(CONFIG_ERROR_STATUS);
	}
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	on_exit(at_exit, NULL);
	__atomic_store_n(&S.active, 1, __ATOMIC_RELEASE);
out:
	guard_leave(g);
}

void shim_init(void)
{
	pthread_once(&init_once, really_init);
}

__attribute__((constructor)) static void shim_constructor(void)
{
	shim_init();
}
