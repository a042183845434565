/* gen_suppress.c: the suppressions that memaudit-report --gen-suppressions writes (see
 * gen_suppress.h). */
#include <config.h>

#include "gen_suppress.h"
#include "policy/utf8.h"
#include "util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SITES_SHOWN 3 /* call sites a comment names; more are counted */

/* One finding as a suppression: what its line and its comment say. */
struct gen {
	const char *rule, *severity;
	enum ma_severity rank;
	char *pattern;     /* escaped; NULL when the stack has no frame to name */
	const char *kind;  /* what pattern names: "function", "file" or "module" */
	char *site;        /* the call site, for the comment */
	uint64_t count;    /* finding records */
};

/* Return a new string, printf-style. */
static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)(len < 0 ? 0 : len) + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Return name as an fnmatch(3) pattern that matches it, and that the suppressions reader reads
 * back whole: wildcards escaped; control characters, and blanks at the ends (which the reader
 * trims), as '?', which matches them. */
static char *escape(const char *name)
{
	size_t len = strlen(name), k = 0;
	char *p = xmalloc(2 * len + 1);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		bool end = i == 0 || i == len - 1;

		if (c == '*' || c == '?' || c == '[' || c == '\\') {
			p[k++] = '\\';
			p[k++] = (char)c;
		} else if (c < 0x20 || c == 0x7f || (end && c == ' ')) {
			p[k++] = '?';
		} else {
			p[k++] = (char)c;
		}
	}
	p[k] = '\0';
	return p;
}

/* Return the frame a suppression names: the innermost frame in the program's own code that is not
 * an inlined call (the library knows only the functions of symbol tables), else the innermost frame
 * that is not inlined, else NULL. */
static const struct ma_sym_frame *named_frame(const struct ma_sym_frame *frames, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!frames[i].inlined && frames[i].module && !ma_is_system_module(frames[i].module))
			return &frames[i];
	for (size_t i = 0; i < n; i++)
		if (!frames[i].inlined)
			return &frames[i];
	return NULL;
}

/* Fill g's pattern, kind and site from frame f (NULL: none). */
static void describe(struct gen *g, const struct ma_sym_frame *f)
{
	const char *fn = f ? f->function : NULL;
	const char *mod = f && f->module ? base_name(f->module) : "?";

	if (!f) {
		g->site = xprintf("no frame");
		return;
	}
	if (fn) {
		g->pattern = escape(f->symbol ? f->symbol : fn);
		g->kind = "function";
	} else if (f->file) {
		g->pattern = escape(base_name(f->file));
		g->kind = "file";
	} else if (f->module) {
		g->pattern = escape(mod);
		g->kind = "module";
	}
	if (fn && f->file && f->line > 0)
		g->site = xprintf("%s (%s:%d)", fn, base_name(f->file), f->line);
	else if (fn)
		g->site = xprintf("%s (%s+0x%" PRIx64 ")", fn, mod, f->offset);
	else if (f->file && f->line > 0)
		g->site = xprintf("%s:%d", base_name(f->file), f->line);
	else
		g->site = xprintf("%s+0x%" PRIx64, mod, f->offset);
}

/* qsort: by severity (highest first), rule, pattern (none last), site. */
static int cmp_gen(const void *a, const void *b)
{
	const struct gen *x = a, *y = b;
	int c;

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)))
		return c;
	if (!x->pattern != !y->pattern)
		return x->pattern ? -1 : 1;
	if (x->pattern && (c = strcmp(x->pattern, y->pattern)))
		return c;
	return strcmp(x->site, y->site);
}

/* Does b belong to the same suppression line as a? */
static bool same_line(const struct gen *a, const struct gen *b)
{
	return !strcmp(a->rule, b->rule) && !a->pattern == !b->pattern &&
	       (!a->pattern || !strcmp(a->pattern, b->pattern));
}

/* Write s for a comment line: characters that are not UTF-8, control and bidirectional ones as
 * '?' (the file may be read on a terminal). */
static void put_comment_text(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t cp;
		size_t len = utf8_seq(p, strnlen((const char *)p, 4), &cp);

		if (!len || utf8_hidden(cp))
			fputc('?', out);
		else
			fwrite(p, 1, len, out);
		p += len ? len : 1;
	}
}

/* Write the entry of gens[0..n) (one suppression line): its comment, then the line. */
static void write_entry(FILE *out, const struct gen *gens, size_t n)
{
	const struct gen *g = &gens[0];
	uint64_t count = 0;
	size_t sites = 0;

	for (size_t i = 0; i < n; i++)
		count = sat_add(count, gens[i].count);
	fprintf(out, "# %s (%s), %" PRIu64 " finding%s at ", g->rule, g->severity, count,
		count == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(gens[i].site, gens[i - 1].site))
			continue;
		if (sites < SITES_SHOWN) {
			fputs(sites ? ", " : "", out);
			put_comment_text(out, gens[i].site);
		}
		sites++;
	}
	if (sites > SITES_SHOWN)
		fprintf(out, " and %zu more", sites - SITES_SHOWN);
	if (!g->pattern)
		fputs(": no stack to name, cannot be suppressed by a pattern\n", out);
	else if (!strcmp(g->kind, "file"))
		fputs(" (no function name: by source file, which only memaudit-report matches)\n",
		      out);
	else if (!strcmp(g->kind, "module"))
		fputs(" (no function name: by module, which covers all of its code)\n", out);
	else
		fputc('\n', out);
	if (g->pattern)
		fprintf(out, "%s:%s\n", g->rule, g->pattern);
}

/* Write the suppressions; see gen_suppress.h. */
int ma_write_suppressions(FILE *out, struct ma_process **procs, size_t n)
{
	struct gen *gens = NULL;
	size_t ngens = 0, cap = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < procs[i]->nfindings; j++) {
			const struct ma_finding *f = &procs[i]->findings[j];
			const struct ma_sym_frame *frames;
			size_t nframes;

			if (f->suppressed || !f->rule)
				continue;
			frames = ma_process_frames(procs[i], f->stack, &nframes);
			GROW(gens, cap, ngens);
			gens[ngens] = (struct gen){ .rule = f->rule,
						    .severity = f->severity ? f->severity : "?",
						    .rank = ma_severity_rank(f->severity),
						    .count = f->count };
			describe(&gens[ngens], named_frame(frames, nframes));
			ngens++;
		}
	sort_array(gens, ngens, sizeof *gens, cmp_gen);

	fputs("# memaudit suppressions (memaudit-report --gen-suppressions): one rule:pattern line\n"
	      "# per finding, by the function that made the call. A line leaves out the findings of\n"
	      "# its rule whose stack passes through that function.\n",
	      out);
	if (!ngens)
		fputs("# (no findings)\n", out);
	for (size_t i = 0, k; i < ngens; i = k) {
		for (k = i + 1; k < ngens && same_line(&gens[i], &gens[k]); k++)
			;
		write_entry(out, gens + i, k - i);
	}
	for (size_t i = 0; i < ngens; i++) {
		free(gens[i].pattern);
		free(gens[i].site);
	}
	free(gens);
	return ferror(out) ? -1 : 0;
}
