/* trace_suppress.c: MEMAUDIT_SUPPRESSIONS in trace mode, applied as the preload library applies it
 * (shim/suppress.c): a suppressed finding is still logged, marked so, but neither printed (warn,
 * enforce, strict) nor counted for strict's exit status nor MEMAUDIT_ABORT (findings.c). The file
 * is read with the report tool's reader (suppress.c), and a frame is known by the names the report
 * gives it: function, source file and module, from the supervisor's symbolizer. */
#include "config.h"

#include <stdlib.h>

#include "policy/engine/stacks.h"
#include "tools/suppress.h"
#include "tools/trace_frontend.h"

static struct ma_suppressions *supp;

/* One answer per (rule, stack) of a process, direct-mapped: a call site in a loop asks the same
 * question again and again, and symbolizing its stack costs far more than the call. */
#define ANSWERS 256
struct tfe_supp_answer {
	const char *rule; /* the rules table's name: one pointer per rule */
	uint32_t stack;   /* 0: empty (stack ids start at 1) */
	int suppressed;
};

int trace_suppress_load(const char *path, char *err, size_t errlen)
{
	supp = ma_supp_read(path, err, errlen);
	return supp ? 0 : -1;
}

static int matches(struct tfe_proc *t, struct engine_proc *p, const char *rule, uint32_t stack)
{
	struct ma_sym_frame f[ENGINE_MAX_FRAMES];
	uintptr_t ip, off;
	size_t n = 0;

	for (; n < ENGINE_MAX_FRAMES && engine_stack_frame(p, stack, (int)n, &ip, NULL, &off); n++) {
		f[n] = (struct ma_sym_frame){.offset = off};
		if (t->tp)
			trace_stack_symbolize(t->tp, ip, &f[n].function, &f[n].file, &f[n].line, &f[n].module,
					      NULL);
	}
	return ma_supp_match(supp, rule, f, n);
}

int tfe_suppressed(struct tfe_proc *t, struct engine_proc *p, const char *rule, uint32_t stack)
{
	struct tfe_supp_answer *a;

	if (!supp)
		return 0;
	if (!t->supp_answers && !(t->supp_answers = calloc(ANSWERS, sizeof *t->supp_answers)))
		return matches(t, p, rule, stack);
	a = &t->supp_answers[(stack * 0x9e3779b1u ^ (uint32_t)(uintptr_t)rule) % ANSWERS];
	if (a->rule != rule || a->stack != stack) {
		a->rule = rule;
		a->stack = stack;
		a->suppressed = matches(t, p, rule, stack);
	}
	return a->suppressed;
}

void tfe_suppress_forget(struct tfe_proc *t)
{
	free(t->supp_answers);
	t->supp_answers = NULL;
}
