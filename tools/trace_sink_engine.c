/* trace_sink_engine.c: each traced system call to the engine as the preload library's wrappers
 * describe the same call (shim/mman.c, shim/syscall.c: every call here is a system call, so
 * `via` is "syscall" as for syscall(2)), one engine object per process image (docs/engine.md's
 * lifecycle):
 *
 * - start, and exec: a new log (the old image's ends without an exit record, as when the preload
 *   library's process execs; the report links the new one by pid);
 * - fork (TRACE_FORK): the parent's fork event (its stack: the forking thread's, found by its
 *   system call), a copy of its object for the child, a new log naming the parent's;
 * - vfork and clone(CLONE_VM) children share the parent's memory: no model of their own; the
 *   preload library audits nothing there (shim_own_process), the supervisor sees their calls
 *   and charges them to the parent's model, the memory they change, until they exec;
 * - with MEMAUDIT_MEMLOCK_LIMIT the process's own RLIMIT_MEMLOCK calls (prlimit64 of pid 0 or of
 *   the process, getrlimit, setrlimit: trace_filter_rlimit) are answered from the engine's model
 *   (engine_memlock, as shim/rlimit.c does) and do not run; without it they run and the model
 *   follows what they report and set;
 * - exiting (memory still readable): engine_exit, the exit rules (protection-lost, VmLck, lock-leak)
 *   and the exit record; a process killed by a signal gets none (its log reads incomplete).
 */
#include "config.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy/engine/settings.h"
#include "policy/engine/engine.h"
#include "policy/engine/heapgrow.h"
#include "policy/engine/memlock.h"
#include "policy/engine/syscalls.h"
#include "policy/pages.h"
#include "policy/rules.h"
#include "tools/trace_frontend.h"
#include "tools/trace_sink_engine.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447 /* include/uapi/asm-generic/unistd.h, the same on x86_64 */
#endif

/* What a traced process's log header says it could not be checked for: free() and realloc() make
 * no system call, nor does an allocation served from memory the process has. */
static const char *const unchecked[] = {"lock-freed", "realloc-protected", "align-waste", NULL};
/* ... and what only some of its calls check: release-unwiped at munlock and munmap, not at free. */
static const char *const partly[] = {"release-unwiped", NULL};

struct trace_engine {
	struct engine_proc conf;   /* the configuration every process starts with */
	int status;                /* trace_engine_status */
};

static void say(const char *a, const char *b, const char *c)
{
	fprintf(stderr, "memaudit: %s%s%s\n", a, b, c);
}

/* Does the executable have a section of Go's (.go.buildinfo, .gopclntab, .note.go.buildid)? Its
 * malloc is not glibc's then (heap.h reads glibc's chunk headers only when it is). ELF64 only. */
static int go_exe(pid_t pid)
{
	char path[64], names[4096];
	Elf64_Ehdr eh;
	Elf64_Shdr sh, str;
	int fd, found = 0, i;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shstrndx >= eh.e_shnum ||
	    pread(fd, &str, sizeof str, (off_t)(eh.e_shoff + (uint64_t)eh.e_shstrndx * eh.e_shentsize)) != sizeof str)
		goto out;
	memset(names, 0, sizeof names);
	if (pread(fd, names, sizeof names - 1 < str.sh_size ? sizeof names - 1 : str.sh_size,
		  (off_t)str.sh_offset) <= 0)
		goto out;
	for (i = 0; i < eh.e_shnum && !found; i++) {
		if (pread(fd, &sh, sizeof sh, (off_t)(eh.e_shoff + (uint64_t)i * eh.e_shentsize)) != sizeof sh)
			break;
		found = sh.sh_name < sizeof names - 1 &&
			(strcmp(names + sh.sh_name, ".go.buildinfo") == 0 ||
			 strcmp(names + sh.sh_name, ".gopclntab") == 0 ||
			 strcmp(names + sh.sh_name, ".note.go.buildid") == 0);
	}
out:
	close(fd);
	return found;
}

/* Start auditing tp's image in t: configuration, the engine's tables, the log. */
static int start(struct trace_engine *e, struct tfe_proc *t, struct trace_proc *tp)
{
	char name[64], comm[32];
	long long ppid = trace_status_field(tp->tgid, "PPid");
	int err;

	t->ep = e->conf;
	t->ep.fe = &trace_frontend;
	t->ep.fe_ctx = t;
	t->ep.frontend = "trace";
	t->ep.unchecked = unchecked;
	t->ep.partly_checked = partly;
	t->ep.pid = tp->tgid;
	t->ep.ppid = ppid > 0 ? (pid_t)ppid : tp->ppid;
	t->ep.glibc_malloc = !go_exe(tp->tgid);
	tfe_at(t, tp, tp->tgid, NULL);
	t->ep.t0 = t->ep.fe->now_ns(t);
	if (engine_proc_start(&t->ep) != 0)
		return ENOMEM;
	logfile_safe_name(trace_frontend.progname(t, comm, sizeof comm), name, sizeof name);
	err = engine_start_log(&t->ep, name);
	if (err)
		return err;
	t->audited = 1;
	return 0;
}

/* No log for tp: the command itself does not run unaudited (as the preload library, which ends
 * it before main with ENGINE_CONFIG_ERROR_STATUS); a process it started runs on unaudited. */
static void start_failed(struct trace_engine *e, struct trace_proc *tp, int err)
{
	if (tp->ppid == 0) {
		fprintf(stderr, "memaudit: MEMAUDIT_LOG_DIR: cannot create a log in %s: %s\n",
			e->conf.log_dir, strerror(err));
		e->status = ENGINE_CONFIG_ERROR_STATUS;
		kill(tp->tgid, SIGKILL);
		return;
	}
	fprintf(stderr, "memaudit: cannot create the log of process %d in %s: %s; it is not audited\n",
		(int)tp->tgid, e->conf.log_dir, strerror(err));
}

static void on_start(void *ctx, struct trace_proc *tp)
{
	struct trace_engine *e = ctx;
	struct tfe_proc *t;
	int err;

	if (e->conf.policy == POLICY_OFF || !(t = tfe_new()))
		return;
	tp->data = t;
	err = start(e, t, tp);
	if (err)
		start_failed(e, tp, err);
}

static struct tfe_call *slot(struct tfe_proc *t, const struct trace_call *c, int take)
{
	int i;

	for (i = 0; i < TFE_CALLS; i++)
		if (t->calls[i].key == c)
			return &t->calls[i];
	if (!take)
		return NULL;
	for (i = 0; i < TFE_CALLS - 1 && t->calls[i].key; i++)
		; /* the last when all are taken (calls of threads killed in them never exit) */
	memset(&t->calls[i], 0, sizeof t->calls[i]);
	t->calls[i].key = c;
	return &t->calls[i];
}

/* The process's engine object, when it is audited (a CLONE_VM child: its parent's). */
static struct tfe_proc *audited(struct trace_proc *tp)
{
	struct tfe_proc *t = tp->data;

	return t && t->audited && !t->ep.exited ? t : NULL;
}

/* pid names the traced process tgid: 0, tgid, or one of its threads (prlimit(2) takes any thread
 * id; the limits belong to the thread group), as shim/rlimit.c's own_process. */
static int own_process(pid_t tgid, pid_t pid)
{
	char path[64];

	if (pid == 0 || pid == tgid)
		return 1;
	if (pid < 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/task/%d", (int)tgid, (int)pid);
	return access(path, F_OK) == 0;
}

/* The own RLIMIT_MEMLOCK, modelled (MEMAUDIT_MEMLOCK_LIMIT): the call is answered here as
 * shim/rlimit.c answers it, and does not run. The kernel's order: the new limit is read (EFAULT
 * before anything), set, then the old one written (EFAULT after the set took effect). A read whose
 * pointer cannot be written fails with EFAULT and is not logged (the library's real call fails
 * so). */
/* Where an RLIMIT_MEMLOCK call of the filter's (trace_filter_rlimit) reads the new limit and
 * writes the old one (0: it does not); false when it is not about the own process (prlimit64 of
 * another: it runs untouched) or names neither. */
static bool rlimit_args(const struct trace_proc *tp, const struct trace_call *c, uint64_t *want_at,
			uint64_t *old_at)
{
	const uint64_t *a = c->args;

	*want_at = *old_at = 0;
	switch (c->nr) {
	case SYS_prlimit64:
		if (!own_process(tp->tgid, (pid_t)a[0]))
			return false; /* another process's limit: the real call runs */
		*want_at = a[2];
		*old_at = a[3];
		break;
	case SYS_getrlimit:
		*old_at = a[1];
		break;
	case SYS_setrlimit:
		*want_at = a[1];
		break;
	}
	/* prlimit64(0, RLIMIT_MEMLOCK, NULL, NULL): runs, and changes nothing */
	return *want_at || *old_at;
}

static void answer_rlimit(struct tfe_proc *t, struct trace_proc *tp, struct trace_call *c)
{
	uint64_t want_at, old_at, v[2];
	struct rlim_pair o, w;
	int err;

	if (!rlimit_args(tp, c, &want_at, &old_at))
		return;
	c->answered = true;
	c->ret = -EFAULT;
	if (want_at) {
		if (trace_mem_read(tp->tgid, want_at, v, sizeof v) != (ssize_t)sizeof v)
			return;
		w = (struct rlim_pair){v[0], v[1]};
	} else {
		v[0] = rlimitmodel_value(t->ep.memlock_limit);
		v[1] = t->ep.memlock_max;
		if (trace_mem_write(tp->tgid, old_at, v, sizeof v) != (ssize_t)sizeof v)
			return;
	}
	tfe_at(t, tp, c->tid, &c->regs);
	err = engine_memlock(&t->ep, trace_call_name(c->nr), 1, old_at ? &o : NULL,
			     want_at ? &w : NULL, 0);
	if (err) {
		c->ret = -err;
		return;
	}
	if (old_at) {
		v[0] = o.cur;
		v[1] = o.max;
		if (trace_mem_write(tp->tgid, old_at, v, sizeof v) != (ssize_t)sizeof v)
			return;
	}
	c->ret = 0;
}

static int owner(const struct trace_proc *tp);

/* The own RLIMIT_MEMLOCK without MEMAUDIT_MEMLOCK_LIMIT: the real call runs, and the model follows
 * what it reports and sets (shim/rlimit.c's rlimit_entry); the new limit is read before it runs. */
static void rlimit_enter(struct tfe_proc *t, struct trace_proc *tp, struct trace_call *c)
{
	uint64_t want_at, old_at;
	struct tfe_call *s;

	if (!rlimit_args(tp, c, &want_at, &old_at) || !(s = slot(t, c, 1)))
		return;
	s->rl_old_at = old_at;
	s->rl_has_want = want_at &&
		trace_mem_read(tp->tgid, want_at, s->rl_want, sizeof s->rl_want) == (ssize_t)sizeof s->rl_want;
	if (want_at && !s->rl_has_want)
		s->key = NULL; /* the kernel fails it with EFAULT before anything: it changes nothing */
}

/* ... and after it: a read that failed tells the program nothing (not logged). */
static void rlimit_exit(struct tfe_proc *t, const struct trace_call *c, struct tfe_call *s, int ok,
			int err)
{
	struct rlim_pair o, w = {s->rl_want[0], s->rl_want[1]};
	uint64_t v[2];
	int have_old = ok && s->rl_old_at &&
		       trace_mem_read(t->pid, s->rl_old_at, v, sizeof v) == (ssize_t)sizeof v;

	if (!ok && !s->rl_has_want)
		return;
	if (have_old)
		o = (struct rlim_pair){v[0], v[1]};
	engine_memlock(&t->ep, trace_call_name(c->nr), 1, have_old ? &o : NULL, s->rl_has_want ? &w : NULL,
		       ok ? 0 : err);
}

/* exit_group(2) under strict (trace_filter_exit_group): the process's log ends here, memory still
 * readable, as the preload library's ends in its at_exit handler, and a process whose findings
 * reach MEMAUDIT_FAIL_ON exits with MEMAUDIT_EXITCODE instead of 0: every process of the tree, not
 * only the command (findings_exit_status). A vfork or CLONE_VM child's exit_group ends nothing of
 * its parent's. A process that ends otherwise (its last thread's exit(2), a signal) is handled at
 * its exit as before (on_exiting). */
static void exit_group_enter(struct trace_engine *e, struct tfe_proc *t, struct trace_proc *tp,
			     struct trace_call *c)
{
	int status = (int)(c->args[0] & 0xff), final; /* the kernel's: (code & 0xff) << 8 */

	if (!owner(tp))
		return;
	tfe_at(t, tp, c->tid, &c->regs);
	final = engine_exit(&t->ep, "exit", status);
	if (final == status)
		return;
	c->args[0] = (uint64_t)final;
	c->rewritten = true;
	if (tp->ppid == 0 && e->status < 0)
		e->status = final;
}

static int on_enter(void *ctx, struct trace_proc *tp, struct trace_call *c)
{
	struct tfe_proc *t = audited(tp);
	struct tfe_call *s;
	int e;

	if (!t)
		return 0;
	if (c->nr == SYS_exit_group) {
		exit_group_enter(ctx, t, tp, c);
		return 0;
	}
	if (trace_filter_is_rlimit(c->nr)) {
		if (t->ep.memlock_modelled)
			answer_rlimit(t, tp, c);
		else
			rlimit_enter(t, tp, c);
		return 0;
	}
	s = slot(t, c, 1);
	tfe_at(t, tp, c->tid, &c->regs);
	s->brk_before = trace_frontend.brk_now(t);
	if (c->nr == SYS_brk && engine_brk_refused(&t->ep, s->brk_before, (uintptr_t)c->args[0])) {
		c->answered = true; /* brk(2) fails by returning the break it could not move */
		c->ret = (long)s->brk_before;
		return 0;
	}
	if (!engine_call_of_syscall(c->nr, (const long *)c->args, &s->c))
		return 0;
	s->checked = 1;
	/* munlock's bytes, which the wipe check (release-unwiped) reads when they are locked, are read
	 * with the stack in one system call; served to the engine during this stop only */
	if (c->nr == SYS_munlock)
		trace_stack_prefetch(tp, c->args[0], c->args[1]);
	e = engine_call_begin(&t->ep, &s->c);
	trace_stack_prefetch(tp, 0, 0);
	return e;
}

/* The result of a call that is only recorded (shim/mman.c, shim/syscall.c's record). */
static void record(struct tfe_proc *t, const struct trace_call *c, struct tfe_call *s, int ok, int err)
{
	const uint64_t *a = c->args;

	switch (c->nr) {
	case SYS_prlimit64:
	case SYS_getrlimit:
	case SYS_setrlimit:
		rlimit_exit(t, c, s, ok, err);
		break;
	case SYS_munlockall:
		engine_munlockall(&t->ep, 1, ok ? 0 : -1, err);
		break;
	case SYS_mremap:
		if (ok) /* glibc's realloc of a chunk mapped on its own moves it so */
			tfe_heap_moved(t, a[0], a[0] + a[1], (uintptr_t)c->ret, (uintptr_t)c->ret + a[2]);
		engine_mremap(&t->ep, (void *)a[0], a[1], a[2], (int)a[3], ok ? (void *)c->ret : MAP_FAILED, err);
		break;
	case SYS_memfd_secret:
		engine_memfd_secret(&t->ep, (unsigned)a[0], ok ? c->ret : -1, err);
		break;
	case SYS_brk:
		/* brk(2) returns the new break, or the old one when it could not move it */
		t->brk = (uintptr_t)c->ret;
		if (t->brk > s->brk_before && s->brk_before && t->ep.lockall_future)
			engine_heap_grow(&t->ep, NULL, s->brk_before, "brk", 0);
		break;
	}
}

static void on_exit_call(void *ctx, struct trace_proc *tp, const struct trace_call *c)
{
	struct tfe_proc *t = audited(tp);
	struct tfe_call *s = t ? slot(t, c, 0) : NULL;
	int ok = c->ret >= 0 || c->ret < -4095, err = ok ? 0 : (int)-c->ret;

	(void)ctx;
	if (!s)
		return;
	tfe_at(t, tp, c->tid, &c->regs);
	if (s->checked) {
		if (c->nr == SYS_mmap && ok)
			tfe_note_mmap(t, (uintptr_t)c->ret, page_up((uintptr_t)c->ret + c->args[1], t->ep.real_page_size),
				      s->c.stack);
		else if (c->nr == SYS_munmap && ok)
			tfe_unmap(t, c->args[0], c->args[0] + c->args[1]);
		engine_call_end(&t->ep, &s->c, ok, err, c->refused,
				c->nr == SYS_mmap ? (ok ? (uintptr_t)c->ret : (uintptr_t)MAP_FAILED) : 0);
	} else {
		record(t, c, s, ok, err);
	}
	s->key = NULL;
}

/* A fork child's own copy of its parent's object (engine_proc_copy), and its log. */
static void fork_copy(struct trace_engine *e, struct tfe_proc *pt, struct trace_proc *child)
{
	struct tfe_proc *ct = tfe_new();
	char name[64], comm[32];
	int err;

	if (!ct)
		return;
	if (engine_proc_copy(&ct->ep, &pt->ep, ct) != 0 || tfe_copy_known(ct, pt) != 0) {
		tfe_free(ct);
		return;
	}
	child->data = ct;
	tfe_at(ct, child, child->tgid, NULL);
	engine_fork_child(&ct->ep, child->tgid, 1);
	logfile_safe_name(trace_frontend.progname(ct, comm, sizeof comm), name, sizeof name);
	err = engine_start_log(&ct->ep, name);
	if (err) {
		start_failed(e, child, err);
		return;
	}
	ct->audited = 1;
	engine_memlock_fork_child(&ct->ep);
}

/* The parent's thread that forked: the one of its threads whose current system call
 * (/proc/PID/task/TID/syscall, its first field) makes processes: clone, fork, vfork, clone3. It is
 * stopped at its fork event, so its registers can be read (for the fork event's stack). 0: none. */
static pid_t forking_thread(pid_t tgid, struct user_regs_struct *regs)
{
	char path[320], buf[32];
	struct dirent *d;
	pid_t tid = 0;
	long nr;
	DIR *dir;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/task", (int)tgid);
	if (!(dir = opendir(path)))
		return 0;
	while (!tid && (d = readdir(dir))) {
		snprintf(path, sizeof path, "/proc/%d/task/%s/syscall", (int)tgid, d->d_name);
		if (d->d_name[0] == '.' || !(f = fopen(path, "re")))
			continue;
		nr = fgets(buf, sizeof buf, f) ? strtol(buf, NULL, 10) : -1;
		fclose(f);
		if (nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone3)
			tid = (pid_t)strtol(d->d_name, NULL, 10);
	}
	closedir(dir);
	return tid && ptrace(PTRACE_GETREGS, tid, 0L, regs) == 0 ? tid : 0;
}

static void on_fork(void *ctx, struct trace_proc *parent, struct trace_proc *child,
		    enum trace_fork_kind kind)
{
	struct tfe_proc *pt = audited(parent);
	struct user_regs_struct regs;
	pid_t tid;

	if (!pt)
		return;
	if (kind != TRACE_FORK) { /* the same memory: the parent's model */
		child->data = pt;
		pt->refs++;
		return;
	}
	tid = forking_thread(parent->tgid, &regs);
	tfe_at(pt, parent, tid ? tid : parent->tgid, tid ? &regs : NULL);
	engine_fork(&pt->ep, child->tgid, 0);
	fork_copy(ctx, pt, child);
}

/* Let go of tp's share of t; the last one frees it. */
static void release(struct trace_proc *tp)
{
	struct tfe_proc *t = tp->data;

	tp->data = NULL;
	if (!t || --t->refs > 0)
		return;
	if (t->audited && !t->ep.exited)
		logfile_close(&t->ep.log); /* killed: no exit record, the log reads incomplete */
	engine_proc_destroy(&t->ep);
	tfe_free(t);
}

static int owner(const struct trace_proc *tp)
{
	const struct tfe_proc *t = tp->data;

	return t && t->ep.pid == tp->tgid;
}

static void on_exec(void *ctx, struct trace_proc *tp)
{
	struct tfe_proc *t = tp->data;

	if (t && owner(tp) && t->audited && !t->ep.exited) {
		logfile_forget(&t->ep.log); /* the old image's log ends as the preload library's */
		t->ep.exited = 1;
	}
	release(tp);
	on_start(ctx, tp);
}

static void on_exiting(void *ctx, struct trace_proc *tp, pid_t tid, int st)
{
	struct trace_engine *e = ctx;
	struct tfe_proc *t = audited(tp);
	int final;

	if (!t || !owner(tp) || !WIFEXITED(st))
		return;
	tfe_at(t, tp, tid, NULL);
	final = engine_exit(&t->ep, "exit", WEXITSTATUS(st));
	if (tp->ppid == 0 && final != WEXITSTATUS(st) && e->status < 0)
		e->status = final;
}

static void on_exit_proc(void *ctx, struct trace_proc *tp, int st)
{
	(void)ctx;
	(void)st;
	release(tp);
}

static const char *env_get(const char *name)
{
	return getenv(name);
}

static const char *env_get_secure(const char *name)
{
	return secure_getenv(name);
}

struct trace_engine *trace_engine_open(int *status)
{
	struct trace_engine *e = calloc(1, sizeof *e);
	struct engine_env env = {.get = env_get, .get_secure = env_get_secure};
	const char *bad, *accepts = "";
	struct rlimit rl;
	char buf[32];
	FILE *f;

	if (!e) {
		*status = 1;
		return NULL;
	}
	e->status = -1;
	e->conf.maps.bound = -1;
	e->conf.fnd.worst = SEV_NONE;
	env.real_page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		env.have_rlimit = 1;
		env.rlim_cur = rl.rlim_cur;
		env.rlim_max = rl.rlim_max;
	}
	env.max_map_count = 65530;
	if ((f = fopen("/proc/sys/vm/max_map_count", "re"))) {
		if (fgets(buf, sizeof buf, f))
			env.max_map_count = strtol(buf, NULL, 10);
		fclose(f);
	}
	if ((bad = engine_config_read(&e->conf, &env, &accepts)) != NULL) {
		say(bad, ": invalid value; accepted: ", accepts);
		free(e);
		*status = ENGINE_CONFIG_ERROR_STATUS;
		return NULL;
	}
	/* as the preload library (shim/init.c): a file it cannot use ends the run before the program */
	if ((bad = secure_getenv("MEMAUDIT_SUPPRESSIONS")) && *bad) {
		char why[512];

		if (trace_suppress_load(bad, why, sizeof why) != 0) {
			say("MEMAUDIT_SUPPRESSIONS: ", why, "");
			free(e);
			*status = ENGINE_CONFIG_ERROR_STATUS;
			return NULL;
		}
	}
	return e;
}

void trace_engine_sink(struct trace_engine *e, struct trace_sink *sink)
{
	trace_filter_rlimit(e->conf.policy != POLICY_OFF);
	trace_filter_exit_group(e->conf.policy == POLICY_STRICT);
	*sink = (struct trace_sink){.ctx = e, .process_start = on_start, .call_enter = on_enter,
				    .call_exit = on_exit_call, .fork = on_fork, .exec = on_exec,
				    .exiting = on_exiting, .exit = on_exit_proc};
}

int trace_engine_status(const struct trace_engine *e)
{
	return e->status;
}

void trace_engine_close(struct trace_engine *e)
{
	free(e);
}
