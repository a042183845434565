/* init.c: bootstrap, configuration, and the process lifecycle hooks (fork child, exit).
 *
 * Init order, each step needing the ones before it:
 *   1. guard        every allocation made from here on by libc on our behalf goes to the arena
 *   2. real symbols dlsym(RTLD_NEXT) for every wrapped function (real.c); the log writer gets
 *                   the real ones it needs (logfile_use_sys), the engine its front-end
 *   3. environment  MEMAUDIT_* read once into the process's engine_proc; a bad value stops the
 *                   program before main
 *   4. engine       engine_proc_start: the model's tables, in arena memory
 *   5. modules      dl_iterate_phdr walk; a first unwind to warm the unwinder
 *   6. log          engine_start_log: created, header written; auditing starts
 *   7. hooks        pthread_atfork (fork child gets its own log), on_exit (exit record with status)
 */
#include "config.h"
#include "policy/engine/engine.h"
#include "policy/engine/memlock.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "policy/engine/alignwaste.h"
#include "policy/engine/settings.h"
#include "policy/engine/findings.h"
#include "policy/engine/frontend.h"
#include "policy/engine/regions.h"
#include "policy/engine/target.h"
#include "environ.h"
#include "guard.h"
#include "shim/logwriter/records.h"
#include "modules.h"
#include "policy/tracker.h"
#include "procfs.h"
#include "real.h"
#include "rlimit.h"
#include "selfpid.h"
#include "stack.h"
#include "state.h"
#include "suppress.h"

/* Exit status of a process whose MEMAUDIT_* configuration is invalid (docs/memaudit.7). */
#define CONFIG_ERROR_STATUS ENGINE_CONFIG_ERROR_STATUS

/* The engine's object of this process (state.h: reached through shim_proc() only). */
struct engine_proc shim_proc_storage = {.maps.bound = -1, .fnd.worst = SEV_NONE};
int shim_active;

static pthread_mutex_t state_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Cancellation is off while the lock is held: write(2) is a cancellation point, and a thread
 * cancelled inside the shim would leave the lock held forever (pthread_cancel(3)). Turned off and
 * back on as guard.h's cancel_off() and cancel_restore() say (the exit value of a thread cancelled
 * meanwhile must stay PTHREAD_CANCELED). */
static __thread struct cancel_saved saved_cancel __attribute__((tls_model("initial-exec")));

/* Held without the mutex (issue 13: the mutex's calls were 212 instructions of the lock loop's
 * 7,088): while the process has one thread (guard.h, shim_one_thread), the lock can be wanted
 * meanwhile only by this thread, from a signal handler that interrupted the shim (guard held),
 * which only tries (state_lock_unless_reentered, fork_prepare): it sees the flag. The thread
 * cannot make a second one while it holds the lock, so the lock is given back as it was taken. */
static int state_held_alone;

/* Inside the guard cancellation is off already, or cannot come (guard.h), and stays so until after
 * the matching state_unlock, which then sees shim_guard_cancel_off still set: turning it off again
 * would save "off" and restore "off". Outside (fork_prepare, not from a signal handler), what it
 * was is saved for state_unlock. */
void state_lock(void)
{
	struct cancel_saved c;
	int off = shim_guard_cancel_off;

	if (likely(off == GUARD_ALONE)) { /* one thread (guard.h) */
		state_held_alone = 1;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		return;
	}
	if (!off) {
		cancel_off(&c);
		saved_cancel = c;
	}
	if (likely(shim_one_thread())) {
		state_held_alone = 1;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	} else {
		pthread_mutex_lock(&state_mutex);
	}
}

void state_unlock(void)
{
	if (likely(shim_guard_cancel_off == GUARD_ALONE)) { /* one thread: taken alone (guard.h) */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		state_held_alone = 0;
		return;
	}
	if (state_held_alone) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		state_held_alone = 0;
	} else {
		pthread_mutex_unlock(&state_mutex);
	}
	if (!shim_guard_cancel_off)
		cancel_restore(&saved_cancel);
}

/* The front-end's lock and unlock (frontend_self.c), with the lock's code in them. */
void state_lock_fe(void *ctx)
{
	(void)ctx;
	state_lock();
}

void state_unlock_fe(void *ctx)
{
	(void)ctx;
	state_unlock();
}

/* Take the lock unless this thread may already hold it: exit(), _exit() or fork() called from a
 * signal handler that interrupted the shim (the guard was held). Returns 1 when taken. */
static int state_lock_unless_reentered(int prev_guard)
{
	struct cancel_saved c = {0, -1}; /* type -1: nothing to restore */

	if (!prev_guard) {
		state_lock();
		return 1;
	}
	if (!shim_guard_cancel_off) /* as state_lock */
		cancel_off(&c);
	if (state_held_alone || pthread_mutex_trylock(&state_mutex) != 0) {
		cancel_restore(&c);
		return 0;
	}
	saved_cancel = c;
	return 1;
}

/* A fork child made by a signal handler that interrupted the shim while it held the state lock
 * (fork_prepare could not take it): the model it inherited may be half updated, so the child
 * audits nothing and its model is not read (engine_proc's unaudited); its log gets its header and,
 * at exit, its exit record (a complete log of an unaudited process, not one reported incomplete). */

int shim_own_process(void)
{
	return shim_pid() == shim_proc()->pid;
}

/* The pid check comes last (selfpid.h: a system call only while a child may share this memory,
 * or during a fork): a child made by clone(2) with
 * CLONE_VM and without CLONE_THREAD (or by vfork) shares this process's memory, and, without
 * CLONE_SETTLS, the thread-local storage of the thread that made it: the guard, the shim's locks and
 * its model. It must touch none of them, or the two processes set and clear each other's guard and
 * hang on the state lock (tests/stress/clone_vm.sh: 47 of 50 runs hung). It runs unaudited, as
 * clone(2) children without atfork handlers always were meant to. */
int shim_auditing(void)
{
	if (guard_held())
		return 0;
	if (unlikely(!__atomic_load_n(&shim_active, __ATOMIC_ACQUIRE)))
		shim_init();
	return __atomic_load_n(&shim_active, __ATOMIC_ACQUIRE) && !shim_proc()->exited && !shim_proc()->unaudited &&
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
	struct engine_proc *p = shim_proc();
	struct engine_env env = {.get = shim_getenv, .get_secure = shim_secure_getenv};
	const char *bad, *accepts = "", *v;
	struct rlimit rl;

	env.real_page_size = (size_t)real.sysconf(_SC_PAGESIZE); /* sysconf is wrapped (pagesize.c) */
	if (real.getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		env.have_rlimit = 1;
		env.rlim_cur = rl.rlim_cur;
		env.rlim_max = rl.rlim_max;
	}
	env.max_map_count = procfs_max_map_count();
	if ((bad = engine_config_read(p, &env, &accepts)) != NULL)
		bad_value(bad, accepts);
	/* Variables naming files are ignored in secure-execution mode (secure_getenv(3)). */
	if ((v = shim_secure_getenv("MEMAUDIT_SUPPRESSIONS")) && *v) {
		char why[512];
		if (shim_suppress_load(v, why, sizeof why) != 0) {
			say("MEMAUDIT_SUPPRESSIONS: ", why, "");
			real._exit(CONFIG_ERROR_STATUS);
		}
	}
}

/* The file name part of the log: the program's short name, restricted to a safe character set. */
static void progname(char *out, size_t cap)
{
	char comm[32];

	logfile_safe_name(shim_progname(comm, sizeof comm), out, cap);
}

/* Create this process's log and write its header. Returns 0 or an errno value. */
static int start_log(void)
{
	char name[64];

	progname(name, sizeof name);
	return engine_start_log(shim_proc(), name);
}

int shim_exit_record(const char *how, int status)
{
	struct engine_proc *p = shim_proc();
	int g = guard_enter();

	if (!state_lock_unless_reentered(g)) {
		guard_leave(g);
		return status; /* the log stays without exit record: reported incomplete, never a deadlock */
	}
	/* A vfork child shares our memory and descriptors: it must not end the parent's log. */
	if (shim_active && !p->exited && getpid() == p->pid) {
		status = engine_exit(p, how, status);
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

	selfpid_fork_prepare();
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
	selfpid_fork_parent();
}

/* fork child: new locks, a log of its own (a copy of the parent's locks and DONTFORK ranges
 * does not exist here: mlock(2) "Memory locks are not inherited by a child created via fork(2)";
 * madvise(2) MADV_DONTFORK ranges are absent in the child).
 *
 * A child forked by a signal handler that interrupted the shim (signal-safety(7) lists fork) runs
 * the rest of the handler with the guard held, so its calls there are not audited; its _exit still
 * writes the exit record (process.c), so its log is complete. When prepare could not take the
 * state lock, the model is left alone (engine_proc unaudited). */
static void fork_child(void)
{
	struct engine_proc *p = shim_proc();
	int g = guard_enter();
	struct cancel_saved c = fork_cancel;

	arena_reinit_child(fork_took_arena);
	pthread_mutex_init(&state_mutex, NULL);
	state_held_alone = 0;
	stack_fork_child();
	if (fork_took_locks)
		cancel_restore(&saved_cancel);
	selfpid_child(getpid());
	if (!shim_active)
		goto out;
	engine_fork_child(p, getpid(), fork_took_locks);
	if (start_log() != 0) {
		say("cannot create the log of fork child in ", p->log_dir, "; the child is not audited");
		shim_active = 0;
	} else if (fork_took_locks) {
		engine_memlock_fork_child(p);
	}
out:
	guard_leave(g);
	cancel_restore(&c);
}

static void really_init(void)
{
	struct engine_proc *p = shim_proc();
	int g = guard_enter();
	int e;

	real_resolve();
	logfile_use_sys(&shim_log_sys);
	p->fe = &shim_self_frontend;
	p->fe_ctx = NULL;
	/* glibc's chunk layout may be read only when the next malloc is glibc's own. */
	p->glibc_malloc = dlsym(RTLD_NEXT, "__libc_malloc") == (void *)real.malloc;
	read_config();
	p->pid = getpid();
	p->ppid = getppid();
	p->t0 = p->fe->now_ns(p->fe_ctx);
	if (p->policy == POLICY_OFF)
		goto out;
	if (engine_proc_start(p) != 0 || modules_refresh() != 0) {
		say("out of memory at start; this process is not audited", "", "");
		goto out;
	}
	stack_setup();
	e = start_log();
	if (e) {
		char why[160] = ": ";
		strncat(why, strerror(e), sizeof why - 3);
		say("MEMAUDIT_LOG_DIR: cannot create a log in ", p->log_dir, why);
		real._exit(CONFIG_ERROR_STATUS);
	}
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	on_exit(at_exit, NULL);
	__atomic_store_n(&shim_active, 1, __ATOMIC_RELEASE);
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
