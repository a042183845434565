/* trace_frontend.c: the engine's front-end over a traced process (trace_frontend.h): memory by
 * process_vm_readv on its pid, /proc/PID, stacks from the supervisor's unwinder at the current
 * call's stop (trace_stack.c: wrappers of libc and Go trimmed), modules from the ELF files the
 * unwinder found (path, load bias, build id), the program break from the brk results seen. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "tools/trace_frontend.h"

static int t_mem_read(void *ctx, uintptr_t addr, void *buf, size_t n)
{
	struct tfe_proc *t = ctx;

	if (t->tp && trace_stack_prefetched(t->tp, addr, buf, n))
		return 0; /* read with the call's stack (trace_sink_engine.c's on_enter) */
	return trace_mem_read(t->pid, addr, buf, n) == (ssize_t)n ? 0 : -1;
}

static void t_path(const struct tfe_proc *t, char *path, size_t cap, const char *name)
{
	snprintf(path, cap, "/proc/%d/%s", (int)t->pid, name);
}

static ssize_t t_proc_read(void *ctx, const char *name, char *buf, size_t cap)
{
	char path[64];
	ssize_t n, got = 0;
	int fd;

	t_path(ctx, path, sizeof path, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < cap && (n = read(fd, buf + got, cap - (size_t)got)) > 0)
		got += n;
	close(fd);
	return got;
}

static int t_proc_lines(void *ctx, const char *name, void (*fn)(char *line, void *arg), void *arg)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	t_path(ctx, path, sizeof path, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		fn(line, arg);
	}
	free(line);
	fclose(f);
	return 0;
}

static ssize_t t_proc_link(void *ctx, const char *name, char *buf, size_t cap)
{
	char path[64];

	t_path(ctx, path, sizeof path, name);
	return readlink(path, buf, cap);
}

static int t_memlock_rlimit(void *ctx, uint64_t *soft, uint64_t *hard)
{
	struct tfe_proc *t = ctx;
	struct rlimit rl;

	if (prlimit(t->pid, RLIMIT_MEMLOCK, NULL, &rl) != 0)
		return -1;
	*soft = rl.rlim_cur;
	*hard = rl.rlim_max;
	return 0;
}

/* argv[0]'s last component, as program_invocation_short_name is; else the comm. */
static const char *t_progname(void *ctx, char *buf, int cap)
{
	struct tfe_proc *t = ctx;
	const char *a = t->tp && t->tp->argv && t->tp->argv[0] ? t->tp->argv[0] : NULL, *s;
	ssize_t n;

	if (a && a[0]) {
		s = strrchr(a, '/');
		return s ? s + 1 : a;
	}
	n = t_proc_read(ctx, "comm", buf, (size_t)cap - 1);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Before the first brk result: the initial break (the engine read it from /proc/PID/stat). */
static uintptr_t t_brk_now(void *ctx)
{
	struct tfe_proc *t = ctx;

	return t->brk ? t->brk : t->ep.start_brk;
}

static void t_capture(void *ctx, struct engine_frames *f)
{
	struct tfe_proc *t = ctx;
	uint64_t pcs[ENGINE_MAX_FRAMES];
	size_t i, n = 0;

	if (t->tp && t->regs)
		n = trace_stack_capture(t->tp, t->tid, t->regs, pcs, ENGINE_MAX_FRAMES);
	for (i = 0; i < n; i++)
		f->ip[i] = (uintptr_t)pcs[i];
	f->n = (int)n;
	f->memo_key = 0;
}

static uint64_t t_now_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static pid_t t_tid(void *ctx)
{
	struct tfe_proc *t = ctx;

	return t->tid ? t->tid : t->pid;
}

static void t_nolock(void *ctx)
{
	(void)ctx;
}

static void *t_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return calloc(1, size ? size : 1);
}

static void *t_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	return realloc(ptr, size ? size : 1);
}

static void t_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

static struct engine_module *t_module_by_id(void *ctx, uint32_t id)
{
	struct tfe_proc *t = ctx;

	return id >= 1 && id <= t->nmods ? t->mods[id - 1] : NULL;
}

static void hex(char *out, const unsigned char *b, int n)
{
	static const char d[] = "0123456789abcdef";
	int i;

	for (i = 0; i < n && i < 20; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * i] = '\0';
}

/* A new module record: ids from 1, never reused while the image lives. */
static struct engine_module *add_module(struct tfe_proc *t, const char *path, uint64_t bias,
					const unsigned char *bid, int bid_len)
{
	struct engine_module *m, **n;

	if (t->nmods == t->capmods) {
		n = realloc(t->mods, (t->capmods ? 2 * t->capmods : 16) * sizeof *n);
		if (!n)
			return NULL;
		t->mods = n;
		t->capmods = t->capmods ? 2 * t->capmods : 16;
	}
	m = calloc(1, sizeof *m);
	if (!m || !(m->path = strdup(path))) {
		free(m);
		return NULL;
	}
	m->id = (uint32_t)t->nmods + 1;
	m->base = (uintptr_t)bias;
	m->live = 1;
	hex(m->build_id, bid, bid_len);
	t->mods[t->nmods++] = m;
	return m;
}

static struct engine_module *t_module_find(void *ctx, uintptr_t ip)
{
	struct tfe_proc *t = ctx;
	const unsigned char *bid = NULL;
	const char *path;
	uint64_t bias;
	int bid_len = 0;
	size_t i;

	if (!t->tp || !trace_stack_module(t->tp, ip, &path, &bias, &bid, &bid_len) || !path)
		return NULL;
	for (i = 0; i < t->nmods; i++)
		if (t->mods[i]->base == bias && strcmp(t->mods[i]->path, path) == 0)
			return t->mods[i];
	return add_module(t, path, bias, bid, bid_len);
}

/* For a stderr line (warn, enforce, strict): function names where the unwinder knows them. */
static void t_describe(void *ctx, struct engine_proc *p, uint32_t stack, int max_frames, char *buf,
		       size_t cap)
{
	struct tfe_proc *t = ctx;
	const char *fn, *mod;
	uintptr_t ip, off;
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < max_frames && engine_stack_frame(p, stack, i, &ip, NULL, &off) && len < cap; i++) {
		fn = mod = NULL;
		if (t->tp)
			trace_stack_symbolize(t->tp, ip, &fn, NULL, NULL, &mod, NULL);
		len += (size_t)snprintf(buf + len, cap - len, "%s%s (%s+0x%lx)", i ? " <- " : "",
					fn ? fn : "?", mod ? (strrchr(mod, '/') ? strrchr(mod, '/') + 1 : mod) : "?",
					(unsigned long)off);
	}
}

static int t_suppressed(void *ctx, struct engine_proc *p, const char *rule, uint32_t stack)
{
	return tfe_suppressed(ctx, p, rule, stack);
}

static void t_abort(void *ctx)
{
	struct tfe_proc *t = ctx;

	kill(t->pid, SIGABRT);
}

static int t_heap_known(void *ctx, uintptr_t s, uintptr_t e)
{
	return tfe_heap_known(ctx, s, e);
}

const struct engine_frontend trace_frontend = {
	.mem_read = t_mem_read,
	.proc_read = t_proc_read,
	.proc_lines = t_proc_lines,
	.proc_link = t_proc_link,
	.memlock_rlimit = t_memlock_rlimit,
	.progname = t_progname,
	.brk_now = t_brk_now,
	.capture = t_capture,
	.now_ns = t_now_ns,
	.tid = t_tid,
	.lock = t_nolock,
	.unlock = t_nolock,
	.alloc = t_alloc,
	.realloc = t_realloc,
	.free = t_free,
	.module_find = t_module_find,
	.module_by_id = t_module_by_id,
	.describe = t_describe,
	.suppressed = t_suppressed,
	.heap_known = t_heap_known,
	.abort = t_abort,
};

struct tfe_proc *tfe_new(void)
{
	struct tfe_proc *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->ep.fe = &trace_frontend;
	t->ep.fe_ctx = t;
	t->refs = 1;
	return t;
}

void tfe_forget_known(struct tfe_proc *t)
{
	size_t i;

	for (i = 0; i < t->nmods; i++) {
		free((char *)t->mods[i]->path);
		free(t->mods[i]);
	}
	free(t->mods);
	free(t->heap);
	free(t->other);
	t->mods = NULL;
	t->heap = t->other = NULL;
	t->nmods = t->capmods = t->nheap = t->capheap = t->nother = t->capother = 0;
	t->brk = 0;
}

void tfe_free(struct tfe_proc *t)
{
	if (!t)
		return;
	tfe_forget_known(t);
	tfe_suppress_forget(t);
	free(t);
}

void tfe_at(struct tfe_proc *t, struct trace_proc *tp, pid_t tid, const struct user_regs_struct *regs)
{
	t->tp = tp;
	t->pid = tp->tgid;
	t->tid = tid;
	t->regs = regs;
}

static int copy_ranges(struct tfe_range **to, size_t *n, size_t *cap, const struct tfe_range *from,
		       size_t nfrom)
{
	if (!nfrom)
		return 0;
	*to = malloc(nfrom * sizeof **to);
	if (!*to)
		return -1;
	memcpy(*to, from, nfrom * sizeof **to);
	*n = *cap = nfrom;
	return 0;
}

int tfe_copy_known(struct tfe_proc *to, const struct tfe_proc *from)
{
	size_t i;

	for (i = 0; i < from->nmods; i++) {
		const struct engine_module *m = from->mods[i];
		struct engine_module *c = add_module(to, m->path, m->base, NULL, 0);
		if (!c)
			return -1;
		memcpy(c->build_id, m->build_id, sizeof c->build_id);
		c->logged_gen = 0;
	}
	if (copy_ranges(&to->heap, &to->nheap, &to->capheap, from->heap, from->nheap) != 0 ||
	    copy_ranges(&to->other, &to->nother, &to->capother, from->other, from->nother) != 0)
		return -1;
	to->brk = from->brk;
	return 0;
}
