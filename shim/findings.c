/* findings.c: see findings.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "findings.h"
#include "heap.h"
#include "policy/tracker.h"
#include "real.h"
#include "records.h"
#include "stack.h"
#include "state.h"
#include "suppress.h"

static enum severity worst = SEV_NONE; /* highest severity recorded in this process */

/* (rule, stack) pairs already printed: open addressing over 64-bit keys, in the arena. */
static uint64_t *printed;
static size_t printed_cap, printed_n;

/* Returns 1 the first time a key is seen. On out of memory: 1 (print again rather than never). */
static int first_time(uint64_t key)
{
	size_t i;

	if ((printed_n + 1) * 2 > printed_cap) {
		size_t ncap = printed_cap ? printed_cap * 2 : 256, j;
		uint64_t *n = arena_calloc(ncap, sizeof *n);
		if (!n)
			return 1;
		for (j = 0; j < printed_cap; j++) {
			if (!printed[j])
				continue;
			for (i = printed[j] * 0x9e3779b97f4a7c15ull >> 20 & (ncap - 1); n[i]; i = (i + 1) & (ncap - 1))
				;
			n[i] = printed[j];
		}
		arena_free(printed);
		printed = n;
		printed_cap = ncap;
	}
	for (i = key * 0x9e3779b97f4a7c15ull >> 20 & (printed_cap - 1); printed[i]; i = (i + 1) & (printed_cap - 1))
		if (printed[i] == key)
			return 0;
	printed[i] = key;
	printed_n++;
	return 1;
}

/* One line on stderr, written with one write(2). */
static void print_line(const char *sev, const char *rule, const char *msg, uint32_t stack, int frames)
{
	char where[1024], line[2048];
	int n;
	ssize_t r;

	stack_describe(stack, frames, where, sizeof where);
	n = snprintf(line, sizeof line, "memaudit[%d]: %s: %s: %s\n    at %s\n", (int)S.pid, sev, rule,
		     msg, where);
	if (n > (int)sizeof line)
		n = sizeof line;
	r = write(2, line, (size_t)n);
	(void)r;
}

void finding(enum rule rule, uint64_t seq, uint32_t stack, uint32_t related_stack, const char *msg)
{
	const struct rule_def *r = rules_by_id(rule);
	enum severity sev = r->severity;
	const char *sev_name = rules_severity_name(sev);
	int reaches = S.fail_on != SEV_NONE && sev >= (enum severity)S.fail_on;

	if (shim_suppressed(r->name, stack)) {
		rec_finding(r->name, sev_name, seq, stack, related_stack, msg, 1);
		return;
	}
	rec_finding(r->name, sev_name, seq, stack, related_stack, msg, 0);
	if (worst == SEV_NONE || sev > worst)
		worst = sev;
	if (S.abort_on_finding && reaches) {
		print_line(sev_name, r->name, msg, stack, ENGINE_MAX_FRAMES);
		rec_exit("abort", 128 + 6);
		S.exited = 1;
		abort();
	}
	if (S.policy >= POLICY_WARN && first_time(((uint64_t)rule + 1) << 32 | stack))
		print_line(sev_name, r->name, msg, stack, 3);
}

int findings_exit_status(int status)
{
	if (S.policy != POLICY_STRICT || status != 0 || worst == SEV_NONE || S.fail_on == SEV_NONE ||
	    worst < (enum severity)S.fail_on)
		return status;
	return S.exitcode;
}

const char *errno_name(int err, char *buf, size_t cap)
{
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(buf, cap, "errno %d", err);
	return buf;
}

void findings_reset(void)
{
	worst = SEV_NONE;
}

/* lock-leak: pages per call site, gathered from the tracker at exit. */
struct leaks {
	int n;
	struct {
		uint32_t site;
		size_t pages;
	} s[64];
};

static int gather_leak(const struct tracker_range *r, void *arg)
{
	struct leaks *l = arg;
	uint32_t site = r->site[0]; /* TRACK_LOCKED is bit 0 */
	size_t pages = (r->end - r->start) / S.page_size;
	int i;

	if (!(r->attrs & TRACK_LOCKED) || !heap_contains(0, r->start, r->end))
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

void findings_at_exit(void)
{
	struct leaks l = {0};
	char msg[256];
	int i;

	tracker_foreach(S.tracker, 0, UINTPTR_MAX, gather_leak, &l);
	for (i = 0; i < l.n; i++) {
		snprintf(msg, sizeof msg,
			 "%zu heap pages locked here are still locked at exit: the program never unlocked them (unrelated later allocations on those pages were locked too)",
			 l.s[i].pages);
		finding(RULE_LOCK_LEAK, 0, l.s[i].site, 0, msg);
	}
}
