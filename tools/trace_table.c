/* trace_table.c: threads by tid (a chained hash) and processes (a list), for the event loop. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/trace_table.h"

#define NBUCKETS 1024

static struct tthread *buckets[NBUCKETS];
static size_t nthreads, nheld;
static struct tproc *procs;

struct tthread *ttable_find(pid_t tid)
{
	struct tthread *t;

	for (t = buckets[(unsigned)tid % NBUCKETS]; t; t = t->hnext)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct tthread *ttable_get(pid_t tid)
{
	struct tthread *t = ttable_find(tid);

	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->tid = tid;
	t->hnext = buckets[(unsigned)tid % NBUCKETS];
	buckets[(unsigned)tid % NBUCKETS] = t;
	nthreads++;
	return t;
}

static void unhold_one(struct tproc *p, struct tthread *t)
{
	struct tthread **pp = &p->held, *last = NULL;

	while (*pp) {
		if (*pp == t) {
			*pp = t->next_held;
			continue;
		}
		last = *pp;
		pp = &(*pp)->next_held;
	}
	p->held_tail = last;
	t->is_held = false;
	t->next_held = NULL;
	nheld--;
}

void ttable_remove(struct tthread *t)
{
	struct tthread **pp = &buckets[(unsigned)t->tid % NBUCKETS];

	while (*pp != t)
		pp = &(*pp)->hnext;
	*pp = t->hnext;
	nthreads--;
	if (t->proc) {
		if (t->is_held)
			unhold_one(t->proc, t);
		if (t->proc->busy == t)
			t->proc->busy = NULL;
		t->proc->pub.nthreads--;
		if (t->exiting)
			t->proc->pub.nexiting--;
	}
	free(t);
}

void ttable_foreach(void (*fn)(struct tthread *t, void *arg), void *arg)
{
	struct tthread *t;
	size_t i;

	for (i = 0; i < NBUCKETS; i++)
		for (t = buckets[i]; t; t = t->hnext)
			fn(t, arg);
}

size_t ttable_count(void)
{
	return nthreads;
}

static char **copy_argv(char *const *argv)
{
	size_t n = 0, i;
	char **v;

	while (argv && argv[n])
		n++;
	v = calloc(n + 1, sizeof *v);
	for (i = 0; v && i < n; i++)
		v[i] = strdup(argv[i]);
	return v;
}

static void free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

struct tproc *tproc_new(pid_t tgid, pid_t ppid, const struct trace_proc *from)
{
	struct tproc *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->pub.tgid = tgid;
	p->pub.ppid = ppid;
	if (from) {
		p->pub.exe = from->exe ? strdup(from->exe) : NULL;
		p->pub.argv = copy_argv(from->argv);
	}
	p->next = procs;
	procs = p;
	return p;
}

void tproc_attach(struct tproc *p, struct tthread *t)
{
	t->proc = p;
	p->pub.nthreads++;
}

void tproc_free(struct tproc *p)
{
	struct tproc **pp = &procs;

	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (*pp)
		*pp = p->next;
	trace_stack_free(&p->pub);
	free(p->pub.exe);
	free_argv(p->pub.argv);
	free(p);
}

/* /proc/PID/cmdline as a NULL-terminated vector */
static char **read_cmdline(pid_t pid)
{
	char path[64], buf[65536];
	char *v[4096];
	ssize_t n, r;
	size_t i = 0, off = 0;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return copy_argv(NULL);
	for (n = 0; n < (ssize_t)sizeof buf - 1; n += r) {
		r = read(fd, buf + n, sizeof buf - 1 - (size_t)n);
		if (r <= 0)
			break;
	}
	close(fd);
	buf[n] = 0;
	while (off < (size_t)n && i < 4095) {
		v[i++] = buf + off;
		off += strlen(buf + off) + 1;
	}
	v[i] = NULL;
	return copy_argv(v);
}

void tproc_read_identity(struct tproc *p)
{
	char path[64], exe[4096];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)p->pub.tgid);
	n = readlink(path, exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	free(p->pub.exe);
	p->pub.exe = strdup(exe);
	free_argv(p->pub.argv);
	p->pub.argv = read_cmdline(p->pub.tgid);
}

void tproc_hold(struct tproc *p, struct tthread *t)
{
	t->is_held = true;
	t->next_held = NULL;
	nheld++;
	if (p->held_tail)
		p->held_tail->next_held = t;
	else
		p->held = t;
	p->held_tail = t;
}

struct tthread *tproc_unhold(struct tproc *p)
{
	struct tthread *t = p->held;

	if (!t)
		return NULL;
	p->held = t->next_held;
	if (!p->held)
		p->held_tail = NULL;
	t->is_held = false;
	t->next_held = NULL;
	nheld--;
	return t;
}

size_t tproc_held_total(void)
{
	return nheld;
}

void tproc_foreach(void (*fn)(struct tproc *p, void *arg), void *arg)
{
	struct tproc *p;

	for (p = procs; p; p = p->next)
		fn(p, arg);
}
