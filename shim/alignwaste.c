/* alignwaste.c: see alignwaste.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alignwaste.h"
#include "findings.h"
#include "policy/pages.h"
#include "stack.h"
#include "state.h"

/* Call sites counted: open addressing on the stack id (0 = free slot). A process with more
 * page-aligned allocation sites than this has the rest uncounted. */
#define SITES 1024

static struct site {
	uint32_t stack;
	int reported;
	uint64_t calls, requested, reserved;
} sites[SITES];

/* The slot of stack, NULL when the table is full. Lock held. */
static struct site *slot(uint32_t stack)
{
	size_t i = (stack * 0x9e3779b1u) & (SITES - 1), n;

	for (n = 0; n < SITES; n++, i = (i + 1) & (SITES - 1)) {
		if (sites[i].stack == stack)
			return &sites[i];
		if (!sites[i].stack) {
			sites[i].stack = stack;
			return &sites[i];
		}
	}
	return NULL;
}

void alignwaste_note(const char *op, size_t size)
{
	struct stack_capture cap;
	struct site *s;
	uint32_t id;
	char msg[320];

	stack_capture(&cap);
	state_lock();
	if (S.exited) {
		state_unlock();
		return;
	}
	id = stack_intern(&cap);
	s = id ? slot(id) : NULL;
	if (s) {
		s->calls++;
		s->requested += size;
		/* the object starts on a page boundary: it keeps every page it reaches to itself */
		s->reserved += page_up(size ? size : 1, S.page_size);
		if (!s->reported && s->reserved >= ALIGN_WASTE_RATIO * s->requested) {
			s->reported = 1;
			snprintf(msg, sizeof msg,
				 "%s: %llu page-aligned allocations here reserve %llu bytes for %llu requested (%llux): sub-allocate small secrets from one locked pool instead of giving each its own pages",
				 op, (unsigned long long)s->calls, (unsigned long long)s->reserved,
				 (unsigned long long)s->requested,
				 (unsigned long long)(s->requested ? s->reserved / s->requested : 0));
			finding(RULE_ALIGN_WASTE, 0, s->stack, 0, msg);
		}
	}
	state_unlock();
}

void alignwaste_reset(void)
{
	memset(sites, 0, sizeof sites);
}
