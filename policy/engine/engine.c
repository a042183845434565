/* engine.c: see engine.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "policy/engine/alignwaste.h"
#include "policy/engine/engine.h"
#include "policy/engine/findings.h"
#include "policy/engine/readable.h"
#include "policy/engine/regions.h"
#include "policy/engine/target.h"
#include "shim/logwriter/records.h"
#include "policy/tracker.h"

/* The trackers' nodes, one size, come and go at every audited call (a lock, its region, then their
 * undoing): up to SPARES freed ones are kept for the next, rather than given back to the front-end
 * (issue 13: the arena's allocation and free were 300 instructions a call). Lock held. */
#define SPARES 32

struct spare_node {
	struct spare_node *next;
};

static void *tracker_alloc_cb(size_t size, void *ctx)
{
	struct engine_proc *p = ctx;
	struct spare_node *n = p->spare;

	if (n && size == p->spare_size) {
		p->spare = n->next;
		p->spares--;
		/* not cleared: a tracker writes every field of a node it takes (tracker.h) */
		return n;
	}
	return p->fe->alloc(p->fe_ctx, size);
}

static void tracker_free_cb(void *ptr, size_t size, void *ctx)
{
	struct engine_proc *p = ctx;
	struct spare_node *n = ptr;

	if (p->spares < SPARES && size >= sizeof *n && (!p->spares || size == p->spare_size)) {
		p->spare_size = size;
		n->next = p->spare;
		p->spare = n;
		p->spares++;
		return;
	}
	p->fe->free(p->fe_ctx, ptr);
}

static void drop_spares(struct engine_proc *p)
{
	while (p->spare) {
		struct spare_node *n = p->spare;

		p->spare = n->next;
		p->fe->free(p->fe_ctx, n);
	}
	p->spares = 0;
}

int engine_proc_start(struct engine_proc *p)
{
	p->talloc = (struct tracker_alloc){tracker_alloc_cb, tracker_free_cb, p};
	p->whatif[0].limit = ENGINE_WHATIF_32K;
	p->whatif[1].limit = ENGINE_WHATIF_64K;
	p->whatif[2].limit = ENGINE_WHATIF_8M;
	p->whatif[3].limit = p->memlock_limit;
	p->whatif_floor_set = 0;
	p->maps.bound = -1;
	p->fnd.worst = SEV_NONE;
	p->tracker = tracker_new(p->page_size, &p->talloc);
	p->regions = tracker_new(1, &p->talloc); /* a "page" of one byte: exact ranges */
	return p->tracker && p->regions ? 0 : ENOMEM;
}

int engine_start_log(struct engine_proc *p, const char *progname)
{
	int e;

	p->cap_ipc_lock = target_has_cap_ipc_lock(p->fe, p->fe_ctx);
	e = logfile_create(&p->log, p->log_dir, progname, p->pid);
	if (e)
		return e;
	p->log_gen++;
	rec_header(p);
	return 0;
}

/* The parent's log name, for the child's header. */
static void name_parent_log(struct engine_proc *p, const struct logfile *parent)
{
	size_t n = strlen(parent->name ? parent->name : "");

	if (n >= sizeof p->parent_log)
		n = sizeof p->parent_log - 1;
	memcpy(p->parent_log, parent->name ? parent->name : "", n);
	p->parent_log[n] = '\0';
}

void engine_fork_child(struct engine_proc *p, pid_t pid, int model_ok)
{
	int i;

	if (p->log.name)
		name_parent_log(p, &p->log);
	logfile_forget(&p->log); /* the child's copy of the parent's window */
	p->ppid = p->pid; /* the parent's pid, known before any code of the child runs */
	p->pid = pid;
	p->t0 = p->fe->now_ns(p->fe_ctx);
	p->seq = 0;
	p->lost = 0;
	p->lockall_future = 0;
	p->lockall_active = 0;
	p->lock_calls = 0;
	for (i = 0; i < 4; i++)
		p->whatif[i].call = 0;
	p->whatif_floor_set = 0;
	if (!model_ok) {
		p->unaudited = 1;
		return;
	}
	findings_reset(p);
	tracker_clear_all(p->tracker, TRACK_LOCKED | TRACK_DONTFORK);
	regions_fork_child(p);
	alignwaste_reset(p);
}

int engine_exit(struct engine_proc *p, const char *how, int status)
{
	int program_status = status;

	if (p->exited)
		return status;
	if (!p->unaudited) {
		findings_at_exit(p);
		alignwaste_at_exit(p);
		regions_at_exit(p);
		status = findings_exit_status(p, status);
	}
	rec_exit(p, how, status, program_status, target_vmlck_bytes(p->fe, p->fe_ctx));
	p->exited = 1;
	logfile_close(&p->log);
	return status;
}

/* Copy each range of one tracker into another, attribute by attribute, with its site. */
static int copy_range(const struct tracker_range *r, void *arg)
{
	unsigned b;

	for (b = 0; b < TRACK_NATTRS; b++)
		if ((r->attrs & (1u << b)) && tracker_set(arg, r->start, r->end, 1u << b, r->site[b]) < 0)
			return 1;
	return 0;
}

static struct tracker *copy_tracker(struct engine_proc *p, const struct tracker *from,
				    size_t page_size)
{
	struct tracker *t = tracker_new(page_size, &p->talloc);

	if (t && tracker_foreach(from, 0, UINTPTR_MAX, copy_range, t) != 0) {
		tracker_destroy(t);
		t = NULL;
	}
	return t;
}

int engine_proc_copy(struct engine_proc *child, const struct engine_proc *parent, void *fe_ctx)
{
	*child = *parent;
	child->fe_ctx = fe_ctx;
	child->talloc = (struct tracker_alloc){tracker_alloc_cb, tracker_free_cb, child};
	name_parent_log(child, &parent->log);
	memset(&child->log, 0, sizeof child->log); /* the parent's window stays the parent's */
	child->tracker = child->regions = child->unreadable = NULL;
	child->spare = NULL; /* the parent's */
	child->spares = 0;
	memset(&child->rids, 0, sizeof child->rids);
	memset(&child->fnd, 0, sizeof child->fnd);
	child->fnd.worst = parent->fnd.worst;
	memset(&child->aw, 0, sizeof child->aw);
	memset(&child->st, 0, sizeof child->st);
	rec_forget_tables(child); /* the parent's stay the parent's: the child's log has none */
	child->tracker = copy_tracker(child, parent->tracker, parent->page_size);
	child->regions = copy_tracker(child, parent->regions, 1);
	if (!child->tracker || !child->regions || regions_copy(child, parent) != 0 ||
	    readable_copy(child, parent) != 0 ||
	    engine_stacks_copy(child, parent) != 0) {
		engine_proc_destroy(child);
		return ENOMEM;
	}
	return 0;
}

void engine_proc_destroy(struct engine_proc *p)
{
	if (p->tracker)
		tracker_destroy(p->tracker);
	if (p->regions)
		tracker_destroy(p->regions);
	p->tracker = p->regions = NULL;
	readable_destroy(p); /* a tracker too: its nodes may go to the spares */
	drop_spares(p);
	engine_stacks_destroy(p);
	rec_free_tables(p);
	p->fe->free(p->fe_ctx, p->rids.calls);
	p->fe->free(p->fe_ctx, p->fnd.printed);
	p->fe->free(p->fe_ctx, p->aw.sites);
	p->fe->free(p->fe_ctx, p->aw.tab);
	p->rids.calls = NULL;
	p->fnd.printed = NULL;
	p->aw.sites = NULL;
	p->aw.tab = NULL;
}
