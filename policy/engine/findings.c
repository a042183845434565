/* findings.c: see findings.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/engine/findings.h"
#include "policy/engine/heap.h"
#include "policy/engine/proc.h"
#include "policy/engine/stacks.h"
#include "policy/engine/target.h"
#include "shim/logwriter/records.h"
#include "policy/tracker.h"


/* p->fnd: the highest severity recorded in the process, and the (rule, stack) pairs already
 * printed: open addressing over 64-bit keys, in the arena. */

/* Returns 1 the first time a key is seen. On out of memory: 1 (print again rather than never). */
static int first_time(struct engine_proc *p, uint64_t key)
{
	size_t i;

	if ((p->fnd.printed_n + 1) * 2 > p->fnd.printed_cap) {
		size_t ncap = p->fnd.printed_cap ? p->fnd.printed_cap * 2 : 256, j;
		uint64_t *n = p->fe->alloc(p->fe_ctx, (ncap) * sizeof *n);
		if (!n)
			return 1;
		for (j = 0; j < p->fnd.printed_cap; j++) {
			if (!p->fnd.printed[j])
				continue;
			for (i = p->fnd.printed[j] * 0x9e3779b97f4a7c15ull >> 20 & (ncap - 1); n[i]; i = (i + 1) & (ncap - 1))
				;
			n[i] = p->fnd.printed[j];
		}
		p->fe->free(p->fe_ctx, p->fnd.printed);
		p->fnd.printed = n;
		p->fnd.printed_cap = ncap;
	}
	for (i = key * 0x9e3779b97f4a7c15ull >> 20 & (p->fnd.printed_cap - 1); p->fnd.printed[i]; i = (i + 1) & (p->fnd.printed_cap - 1))
		if (p->fnd.printed[i] == key)
			return 0;
	p->fnd.printed[i] = key;
	p->fnd.printed_n++;
	return 1;
}

/* One line on stderr, written with one write(2). */
static void print_line(struct engine_proc *p, const char *sev, const char *rule, const char *msg, uint32_t stack, int frames)
{
	char where[1024], line[2048];
	int n;
	ssize_t r;

	p->fe->describe(p->fe_ctx, p, stack, frames, where, sizeof where);
	n = snprintf(line, sizeof line, "memaudit[%d]: %s: %s: %s\n    at %s\n", (int)p->pid, sev, rule,
		     msg, where);
	if (n > (int)sizeof line)
		n = sizeof line;
	r = write(2, line, (size_t)n);
	(void)r;
}

/* The registry's row of a rule: rules_by_id searches the table, once per rule here (a finding made
 * on every audited call paid a search each time). A cache of a constant table: shared by every
 * process of a tracer, the lock is held. */
static const struct rule_def *rule_row(enum rule rule)
{
	static const struct rule_def *rows[NRULES];

	if ((unsigned)rule >= NRULES)
		return rules_by_id(rule);
	if (!rows[rule])
		rows[rule] = rules_by_id(rule);
	return rows[rule];
}

void finding(struct engine_proc *p, enum rule rule, uint64_t seq, uint32_t stack, uint32_t related_stack, const char *msg)
{
	finding_kept(p, rule, seq, stack, related_stack, msg, 0);
}

void finding_kept(struct engine_proc *p, enum rule rule, uint64_t seq, uint32_t stack,
		  uint32_t related_stack, const char *msg, uint64_t msg_gen)
{
	const struct rule_def *r = rule_row(rule);
	enum severity sev = r->severity;
	const char *sev_name = rules_severity_name(sev);
	int reaches = p->fail_on != SEV_NONE && sev >= (enum severity)p->fail_on;

	if (p->fe->suppressed(p->fe_ctx, p, r->name, stack)) {
		rec_finding(p, r->name, sev_name, seq, stack, related_stack, msg, msg_gen, 1);
		return;
	}
	rec_finding(p, r->name, sev_name, seq, stack, related_stack, msg, msg_gen, 0);
	if (p->fnd.worst == SEV_NONE || (int)sev > p->fnd.worst)
		p->fnd.worst = sev;
	if (p->abort_on_finding && reaches) {
		print_line(p, sev_name, r->name, msg, stack, ENGINE_MAX_FRAMES);
		rec_exit(p, "abort", 128 + 6, 128 + 6, target_vmlck_bytes(p->fe, p->fe_ctx));
		p->exited = 1;
		p->fe->abort(p->fe_ctx);
	}
	if (p->policy >= POLICY_WARN && first_time(p, ((uint64_t)rule + 1) << 32 | stack))
		print_line(p, sev_name, r->name, msg, stack, 3);
}

int findings_exit_status(struct engine_proc *p, int status)
{
	if (p->policy != POLICY_STRICT || status != 0 || p->fnd.worst == SEV_NONE || p->fail_on == SEV_NONE ||
	    p->fnd.worst < p->fail_on)
		return status;
	return p->exitcode;
}

const char *errno_name(int err, char *buf, size_t cap)
{
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(buf, cap, "errno %d", err);
	return buf;
}

void findings_reset(struct engine_proc *p)
{
	p->fnd.worst = SEV_NONE;
}

/* lock-leak: pages per call site, gathered from the tracker at exit. */
struct leaks {
	struct engine_proc *p;
	int n;
	struct {
		uint32_t site;
		size_t pages;
	} s[64];
};

static int gather_leak(const struct tracker_range *r, void *arg)
{
	struct leaks *l = arg;
	struct engine_proc *p = l->p;
	uint32_t site = r->site[0]; /* TRACK_LOCKED is bit 0 */
	size_t pages = (r->end - r->start) / p->page_size;
	int i;

	if (!(r->attrs & TRACK_LOCKED) || !heap_contains(p, 0, r->start, r->end))
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->s[i].site == site) {
			l->s[i].pages += pages;
			return 0;
		}
	if (l->n < 64) {
		l->s[l->n].site = site;
		l->s[l->n++].pages = pages;
	}
	return 0;
}

void findings_at_exit(struct engine_proc *p)
{
	struct leaks l = {.p = p};
	char msg[256];
	int i;

	tracker_foreach(p->tracker, 0, UINTPTR_MAX, gather_leak, &l);
	for (i = 0; i < l.n; i++) {
		snprintf(msg, sizeof msg,
			 "%zu heap pages locked here are still locked at exit: the program never unlocked them (unrelated later allocations on those pages were locked too)",
			 l.s[i].pages);
		finding(p, RULE_LOCK_LEAK, 0, l.s[i].site, 0, msg);
	}
}
