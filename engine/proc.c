/* proc.c: see proc.h. */
#include "config.h"

#include "engine/frontend.h"
#include "engine/proc.h"
#include "policy/tracker.h"

uint64_t engine_now(const struct engine_proc *p)
{
	return p->fe->now_ns(p->fe_ctx) - p->t0;
}

uint64_t engine_locked_bytes(const struct engine_proc *p)
{
	if (p->unaudited)
		return 0;
	return p->tracker ? (uint64_t)tracker_locked_pages(p->tracker) * p->page_size : 0;
}
