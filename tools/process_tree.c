/* process_tree.c: ma_processes_link (report_model.h): the fork/exec tree of the processes of a
 * report, their completeness, and their order.
 *
 * Each log is one process image. Two relations link them:
 * - exec: a log without exit record followed (by start time) by the next log of the same pid is an
 *   image that replaced itself by execve(2); the later log is its exec'd image. (A pid reused after
 *   a process was killed looks the same; the report cannot tell the two apart.)
 * - fork: a log whose header names a parent_log was forked under memaudit. Its parent is, in this
 *   order: the image whose fork event names the child's pid and whose log file is called
 *   parent_log; the image of the header's ppid called parent_log; the latest image whose fork
 *   event names the child's pid (log files renamed); the latest image of ppid. The ppid of such a
 *   log is the pid the parent's shim had at the fork; older shims wrote getppid(), which is
 *   1 (or a subreaper) when the parent exited first, so the fork event comes before the ppid.
 *   A log without parent_log (the first process, or one spawned without fork(3): posix_spawn,
 *   vfork) is the child of the latest image of its ppid, its real parent, when that is a log.
 * Each step takes only images that started before the child.
 * A parent always comes before its child in start order (ties broken by pid and log path), so the
 * links never make a cycle, whatever the logs say. Processes whose parent is not among the logs
 * are roots. The tree is walked without recursion: a hostile log set cannot exhaust the stack.
 */
#include <config.h>

#include "report_model.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Return the name of a relation. */
const char *ma_relation_name(enum ma_relation r)
{
	return r == MA_REL_FORK ? "fork" : r == MA_REL_EXEC ? "exec" : "root";
}

/* Return <0, 0, >0 as a started before, with, after b (an unknown start counts as 0). */
static int cmp_start(const struct ma_process *a, const struct ma_process *b)
{
	int64_t as = a->log.has_start ? a->log.start_sec : 0;
	int64_t bs = b->log.has_start ? b->log.start_sec : 0;
	int64_t an = a->log.has_start ? a->log.start_nsec : 0;
	int64_t bn = b->log.has_start ? b->log.start_nsec : 0;

	if (as != bs)
		return as < bs ? -1 : 1;
	return (an > bn) - (an < bn);
}

/* qsort: processes by start time, pid, log path. */
static int cmp_process(const void *a, const void *b)
{
	const struct ma_process *x = *(struct ma_process *const *)a;
	const struct ma_process *y = *(struct ma_process *const *)b;
	int64_t xp = x->log.has_pid ? x->log.pid : -1, yp = y->log.has_pid ? y->log.pid : -1;
	int c = cmp_start(x, y);

	if (c)
		return c;
	if (xp != yp)
		return xp < yp ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* One process with a pid, at position index of the start-ordered array. */
struct pid_entry {
	int64_t pid;
	size_t index;
};

/* qsort: by pid, then start order. */
static int cmp_pid_entry(const void *a, const void *b)
{
	const struct pid_entry *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Return the position in e[0..n) of the first entry not below (pid, index). */
static size_t lower_bound(const struct pid_entry *e, size_t n, int64_t pid, size_t index)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid].pid < pid || (e[mid].pid == pid && e[mid].index < index))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Return the start-order index of the latest image of pid that comes before index, or SIZE_MAX. */
static size_t latest_before(const struct pid_entry *e, size_t n, int64_t pid, size_t index)
{
	size_t k = lower_bound(e, n, pid, index);

	return k > 0 && e[k - 1].pid == pid ? e[k - 1].index : SIZE_MAX;
}

/* Return the start-order index of an image in e[0..n) keyed by pid, before index, whose log file is
 * called name, or SIZE_MAX. */
static size_t named_before(struct ma_process **procs, const struct pid_entry *e, size_t n,
			   int64_t pid, size_t index, const char *name)
{
	for (size_t k = lower_bound(e, n, pid, 0); k < n && e[k].pid == pid; k++)
		if (e[k].index < index && !strcmp(base_name(procs[e[k].index]->path), name))
			return e[k].index;
	return SIZE_MAX;
}

/* Return the start-order index of the fork parent of procs[i], or SIZE_MAX; see the file comment.
 * e[0..ne) keys the images by pid, f[0..nf) by the child pids of their fork events. */
static size_t fork_parent(struct ma_process **procs, size_t i, const struct pid_entry *e,
			  size_t ne, const struct pid_entry *f, size_t nf)
{
	const struct ma_log *l = &procs[i]->log;
	size_t k = SIZE_MAX;

	if (l->parent_log) {
		if (l->has_pid)
			k = named_before(procs, f, nf, l->pid, i, l->parent_log);
		if (k == SIZE_MAX && l->has_ppid)
			k = named_before(procs, e, ne, l->ppid, i, l->parent_log);
		if (k == SIZE_MAX && l->has_pid)
			k = latest_before(f, nf, l->pid, i);
	}
	if (k == SIZE_MAX && l->has_ppid)
		k = latest_before(e, ne, l->ppid, i);
	return k;
}

/* Set tree_parent, relation and exec_next of procs[0..n) (in start order). */
static void find_parents(struct ma_process **procs, size_t n)
{
	struct pid_entry *e = xcalloc(n, sizeof *e), *f = NULL;
	size_t ne = 0, nf = 0, fcap = 0;

	for (size_t i = 0; i < n; i++) {
		if (procs[i]->log.has_pid)
			e[ne++] = (struct pid_entry){ procs[i]->log.pid, i };
		for (size_t j = 0; j < procs[i]->nforked; j++) {
			GROW(f, fcap, nf);
			f[nf++] = (struct pid_entry){ procs[i]->forked[j], i };
		}
	}
	sort_array(e, ne, sizeof *e, cmp_pid_entry);
	sort_array(f, nf, sizeof *f, cmp_pid_entry);
	for (size_t i = 0; i < n; i++) {
		struct ma_process *q = procs[i];
		size_t k = SIZE_MAX;

		if (q->log.has_pid)
			k = latest_before(e, ne, q->log.pid, i);
		if (k != SIZE_MAX && !procs[k]->log.has_exit && procs[k]->log.has_start &&
		    q->log.has_start && cmp_start(q, procs[k]) > 0) {
			q->tree_parent = procs[k];
			q->relation = MA_REL_EXEC;
			procs[k]->exec_next = q;
			continue;
		}
		k = fork_parent(procs, i, e, ne, f, nf);
		if (k != SIZE_MAX) {
			q->tree_parent = procs[k];
			q->relation = MA_REL_FORK;
		}
	}
	free(e);
	free(f);
}

/* Write procs[0..n) (start order, parents linked) into out[0..n) in tree order: each root, then
 * its subtree depth first; sets children and depth. */
static void tree_order(struct ma_process **procs, size_t n, struct ma_process **out)
{
	struct ma_process **stack = xcalloc(n, sizeof *stack);
	size_t *next = xcalloc(n, sizeof *next), used = 0, top = 0;

	for (size_t i = 0; i < n; i++) {
		struct ma_process *parent = procs[i]->tree_parent;

		if (parent) {
			GROW(parent->children, parent->children_cap, parent->nchildren);
			parent->children[parent->nchildren++] = procs[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (procs[i]->tree_parent)
			continue;
		procs[i]->depth = 0;
		out[used++] = procs[i];
		stack[0] = procs[i];
		next[0] = 0;
		top = 1;
		while (top) {
			struct ma_process *p = stack[top - 1];

			if (next[top - 1] == p->nchildren) {
				top--;
				continue;
			}
			p = p->children[next[top - 1]++];
			p->depth = top;
			out[used++] = p;
			stack[top] = p;
			next[top++] = 0;
		}
	}
	free(stack);
	free(next);
}

/* Set complete, ended_by and incomplete_reason of p (after the exec links are known). */
static void set_completeness(struct ma_process *p)
{
	char buf[512];

	free(p->incomplete_reason);
	p->incomplete_reason = NULL;
	p->complete = false;
	p->ended_by = NULL;
	if (p->log.stop_line) {
		snprintf(buf, sizeof buf, "log cut short at line %zu: %s", p->log.stop_line,
			 p->log.stop_reason);
		p->incomplete_reason = xstrdup(buf);
	} else if (p->log.has_exit) {
		p->complete = true;
		p->ended_by = p->log.exit_how ? p->log.exit_how : "exit";
	} else if (p->exec_next) {
		p->complete = true;
		p->ended_by = "exec";
	} else {
		p->incomplete_reason = xstrdup("no exit record: the process was killed, "
					       "crashed or is still running");
	}
}

/* Link, decide completeness and order; see report_model.h. */
void ma_processes_link(struct ma_process **procs, size_t n)
{
	struct ma_process **order = xcalloc(n, sizeof *order);

	for (size_t i = 0; i < n; i++) {
		procs[i]->tree_parent = procs[i]->exec_next = NULL;
		procs[i]->relation = MA_REL_ROOT;
		procs[i]->nchildren = 0;
		procs[i]->depth = 0;
	}
	sort_array(procs, n, sizeof *procs, cmp_process);
	find_parents(procs, n);
	for (size_t i = 0; i < n; i++)
		set_completeness(procs[i]);
	tree_order(procs, n, order);
	if (n)
		memcpy(procs, order, n * sizeof *procs);
	free(order);
}
