/* memlock.c: see memlock.h. */
#include "config.h"

#include <errno.h>

#include "policy/engine/frontend.h"
#include "policy/engine/memlock.h"
#include "policy/engine/stacks.h"
#include "shim/logwriter/records.h"

/* Make now the simulated limit. Lock held. The configured what-if row follows it until a lock call
 * fails there: after that failure the program would not have gone on under that limit. */
static void follow(struct engine_proc *p, const struct rlim_pair *now)
{
	long long bytes = rlimitmodel_bytes(now->cur);

	p->memlock_max = now->max;
	if (bytes == p->memlock_limit)
		return;
	p->memlock_limit = bytes;
	if (!p->whatif[3].call) {
		p->whatif[3].limit = bytes;
		p->whatif_floor_set = 0;
	}
}

int engine_memlock(struct engine_proc *p, const char *op, int via, struct rlim_pair *old,
		   const struct rlim_pair *want, int real_err)
{
	struct memlock_call mc = {.op = op, .via_syscall = via, .read = old != NULL,
				  .set = want != NULL, .modelled = p->memlock_modelled,
				  .err = real_err};
	struct engine_frames cap;
	struct rlim_pair now;
	int saved = errno, logged;

	logged = want || !__atomic_load_n(&p->memlock_read, __ATOMIC_RELAXED);
	if (logged)
		p->fe->capture(p->fe_ctx, &cap);
	p->fe->lock(p->fe_ctx);
	now = (struct rlim_pair){rlimitmodel_value(p->memlock_limit), p->memlock_max};
	if (p->memlock_modelled) {
		if (old)
			*old = now;
		if (want)
			mc.err = rlimitmodel_set(&now, want);
	} else if (!real_err) {
		/* The kernel's limit is the simulated one: what it reports, then what it took. */
		if (old)
			now = *old;
		if (want)
			now = *want;
	}
	if (!mc.err)
		follow(p, &now);
	if (logged && !p->exited && (want || !p->memlock_read)) {
		if (want) {
			mc.want_cur = want->cur;
			mc.want_max = want->max;
		}
		mc.stack = engine_stack_intern(p, &cap);
		mc.soft = p->memlock_limit;
		mc.hard = p->memlock_max;
		rec_memlock(p, &mc);
	}
	if (old && !mc.err)
		__atomic_store_n(&p->memlock_read, 1, __ATOMIC_RELAXED);
	p->fe->unlock(p->fe_ctx);
	errno = saved;
	return mc.err;
}

void engine_memlock_fork_child(struct engine_proc *p)
{
	struct memlock_call mc = {.op = "fork", .read = 1, .modelled = p->memlock_modelled};

	if (!p->memlock_read)
		return;
	mc.soft = p->memlock_limit;
	mc.hard = p->memlock_max;
	rec_memlock(p, &mc);
}
