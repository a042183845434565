/* suppress.c (shim): see suppress.h. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "elfsym.h"
#include "policy/engine/findings.h"
#include "policy/engine/stacks.h"
#include "modules.h"
#include "policy/rules.h"
#include "policy/suppress.h"
#include "procfs.h"
#include "stack.h"
#include "suppress.h"

#define FILE_MAX (1 << 20) /* a suppressions file larger than this is refused */

static struct line {
	char *rule, *pattern;
} *lines;
static size_t nlines;

int shim_suppress_load(const char *path, char *err, size_t cap)
{
	char *text, *p, *nl, why[160];
	ssize_t n;
	size_t lineno = 0, max = 1;
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, cap, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > FILE_MAX) {
		snprintf(err, cap, "%s: %s", path,
			 S_ISREG(st.st_mode) ? "larger than 1 MiB" : "not a regular file");
		return -1;
	}
	text = arena_malloc((size_t)st.st_size + 1);
	if (!text) {
		snprintf(err, cap, "%s: out of memory", path);
		return -1;
	}
	n = procfs_read(path, text, (size_t)st.st_size);
	if (n < 0) {
		snprintf(err, cap, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (memchr(text, '\0', (size_t)n)) {
		snprintf(err, cap, "%s: NUL byte in the file", path);
		return -1;
	}
	text[n] = '\0';
	for (p = text; *p; p++)
		max += *p == '\n';
	lines = arena_calloc(max, sizeof *lines);
	if (!lines) {
		snprintf(err, cap, "%s: out of memory", path);
		return -1;
	}
	for (p = text; p; p = nl ? nl + 1 : NULL) {
		const char *bad;
		char *rule, *pattern;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		bad = suppress_parse_line(p, &rule, &pattern, rules_known, why, sizeof why);
		if (bad) {
			snprintf(err, cap, "%s:%zu: %s", path, lineno, bad);
			return -1;
		}
		if (rule) {
			lines[nlines].rule = rule;
			lines[nlines++].pattern = pattern;
		}
	}
	return 0;
}

/* Does pattern match one of the names frame i of stack id is known by? */
static int frame_matches(const struct engine_proc *p, const char *pattern, uint32_t id, int i)
{
	uintptr_t ip, off;
	uint32_t mod;
	const struct engine_module *m;
	Dl_info info;

	if (!engine_stack_frame(p, id, i, &ip, &mod, &off))
		return 0;
	m = module_by_id(mod);
	if (m && suppress_name_matches(pattern, m->path))
		return 1;
	/* ip is a return address: the call is the byte before it */
	if (dladdr((void *)(ip - 1), &info) && info.dli_sname &&
	    suppress_name_matches(pattern, info.dli_sname))
		return 1;
	return m && suppress_name_matches(pattern, elfsym_function(m, off - 1));
}

/* Is a finding of rule at stack suppressed? Matching walks every line and frame (and a module's
 * symbol table per frame): the answers are kept, direct-mapped, since a call site in a loop asks
 * the same question again and again. */
static int matches(const struct engine_proc *p, const char *rule, uint32_t stack)
{
	size_t i;
	int f;

	for (i = 0; i < nlines; i++) {
		if (!suppress_rule_matches(lines[i].rule, rule))
			continue;
		for (f = 0; engine_stack_frame(p, stack, f, NULL, NULL, NULL); f++)
			if (frame_matches(p, lines[i].pattern, stack, f))
				return 1;
	}
	return 0;
}

int shim_suppressed(const struct engine_proc *p, const char *rule, uint32_t stack)
{
	static struct answer {
		const char *rule; /* the rules table's name: one pointer per rule */
		uint32_t stack;
		int suppressed;
	} answers[4096];
	struct answer *a;

	if (!nlines)
		return 0;
	a = &answers[(stack * 0x9e3779b1u ^ (uint32_t)(uintptr_t)rule) & 4095];
	if (a->rule != rule || a->stack != stack) {
		a->rule = rule;
		a->stack = stack;
		a->suppressed = matches(p, rule, stack);
	}
	return a->suppressed;
}
