/* report_merge.c: the merged view of --merge (see report_merge.h). */
#include <config.h>

#include "report_merge.h"
#include "util.h"

#include <string.h>

/* Return whether two possibly-NULL strings are equal. */
static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Return h with the possibly-NULL string s folded in (NULL and "" differ). */
static uint64_t hash_str_into(uint64_t h, const char *s)
{
	return s ? hash_add(h, s, strlen(s) + 1) : hash_add(h, "\xff", 1);
}

/* Return h with the frames folded in, every field that is shown. */
static uint64_t hash_frames(uint64_t h, const struct ma_sym_frame *f, size_t n)
{
	h = hash_add(h, &n, sizeof n);
	for (size_t i = 0; i < n; i++) {
		h = hash_str_into(h, f[i].function);
		h = hash_str_into(h, f[i].file);
		h = hash_str_into(h, f[i].module);
		h = hash_add(h, &f[i].line, sizeof f[i].line);
		h = hash_add(h, &f[i].offset, sizeof f[i].offset);
		h = hash_add(h, &f[i].inlined, sizeof f[i].inlined);
	}
	return h;
}

/* Return whether two stacks are shown the same. */
static bool same_frames(const struct ma_sym_frame *a, size_t na, const struct ma_sym_frame *b,
			size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!same_str(a[i].function, b[i].function) || !same_str(a[i].file, b[i].file) ||
		    !same_str(a[i].module, b[i].module) || a[i].line != b[i].line ||
		    a[i].offset != b[i].offset || a[i].inlined != b[i].inlined)
			return false;
	return true;
}

/* Return <0, 0, >0 as stack a sorts before, with, after b (function names, then offsets). */
static int cmp_frames(const struct ma_sym_frame *a, size_t na, const struct ma_sym_frame *b,
		      size_t nb)
{
	for (size_t i = 0; i < na && i < nb; i++) {
		int c = strcmp(a[i].function ? a[i].function : "", b[i].function ? b[i].function : "");

		if (c)
			return c;
		if (a[i].offset != b[i].offset)
			return a[i].offset < b[i].offset ? -1 : 1;
	}
	return (na > nb) - (na < nb);
}

/* ---------------------------------------------------------------------
 * Groups
 * --------------------------------------------------------------------- */

/* Return the group of executable exe (NULL: unknown) in m, adding it when it is new. */
static struct ma_group *get_group(struct ma_merged *m, const char *exe)
{
	int64_t h = (int64_t)hash_str_into(MA_HASH_INIT, exe);
	struct ma_group *g;
	size_t i;

	if (idmap_get(&m->group_ids, h, 0, &i) && same_str(m->groups[i].exe, exe))
		return &m->groups[i];
	for (i = 0; i < m->ngroups; i++) /* a hash collision */
		if (same_str(m->groups[i].exe, exe))
			return &m->groups[i];
	GROW(m->groups, m->groups_cap, m->ngroups);
	g = &m->groups[m->ngroups];
	memset(g, 0, sizeof *g);
	g->exe = exe;
	idmap_init(&g->site_ids);
	idmap_init(&g->finding_ids);
	idmap_put(&m->group_ids, h, 0, m->ngroups++);
	return g;
}

/* Add site s of p (the pi-th process) to g. */
static void merge_site(struct ma_group *g, const struct ma_process *p, size_t pi,
		       const struct ma_site *s)
{
	size_t nf, i;
	const struct ma_sym_frame *frames = ma_process_frames(p, s->stack, &nf);
	int64_t h = (int64_t)hash_frames(MA_HASH_INIT, frames, nf);
	struct ma_merged_site *m = NULL;

	if (idmap_get(&g->site_ids, h, s->op, &i))
		for (; i < g->nsites && !m; i++)
			if (g->sites[i].sum.op == s->op &&
			    same_frames(g->sites[i].frames, g->sites[i].nframes, frames, nf))
				m = &g->sites[i];
	if (!m) {
		GROW(g->sites, g->sites_cap, g->nsites);
		m = &g->sites[g->nsites];
		memset(m, 0, sizeof *m);
		m->sum.op = s->op;
		m->sum.stack = -1;
		m->frames = frames;
		m->nframes = nf;
		idmap_put(&g->site_ids, h, s->op, g->nsites++);
	}
	m->sum.calls = sat_add(m->sum.calls, s->calls);
	m->sum.bytes = sat_add(m->sum.bytes, s->bytes);
	m->sum.pages = sat_add(m->sum.pages, s->pages);
	if (s->peak_locked > m->sum.peak_locked)
		m->sum.peak_locked = s->peak_locked;
	for (size_t k = 0; k < s->nfailures; k++)
		ma_site_add_failures(&m->sum, s->failures[k].err, s->failures[k].count,
				     s->failures[k].injected);
	m->sum.advice_seen |= s->advice_seen;
	m->sum.advice_other = m->sum.advice_other || s->advice_other;
	if (m->last != pi + 1) {
		m->last = pi + 1;
		m->processes++;
	}
}

/* Add finding f of p (the pi-th process) to g. */
static void merge_finding(struct ma_group *g, const struct ma_process *p, size_t pi,
			  struct ma_finding *f)
{
	size_t nf, nr = 0, i;
	const struct ma_sym_frame *frames = ma_process_frames(p, f->stack, &nf);
	const struct ma_sym_frame *related =
		f->related_stack >= 0 ? ma_process_frames(p, f->related_stack, &nr) : NULL;
	uint64_t hh = hash_frames(hash_frames(MA_HASH_INIT, frames, nf), related, nr);
	int64_t h = (int64_t)hash_add(hh, &(bool){ f->related_stack >= 0 }, sizeof(bool));
	int64_t r = (int64_t)hash_str_into(MA_HASH_INIT, f->rule);
	struct ma_merged_finding *m = NULL;

	if (idmap_get(&g->finding_ids, h, r, &i))
		for (; i < g->nfindings && !m; i++) {
			struct ma_merged_finding *c = &g->findings[i];

			if (!strcmp(c->sum.rule, f->rule) &&
			    same_frames(c->frames, c->nframes, frames, nf) &&
			    (c->sum.related_stack >= 0) == (f->related_stack >= 0) &&
			    same_frames(c->related, c->nrelated, related, nr))
				m = c;
		}
	if (!m) {
		GROW(g->findings, g->findings_cap, g->nfindings);
		m = &g->findings[g->nfindings];
		memset(m, 0, sizeof *m);
		m->sum = *f; /* borrows rule, severity and message */
		m->sum.count = 0;
		m->sum.stack = -1;
		m->sum.related_stack = f->related_stack >= 0 ? 0 : -1;
		m->frames = frames;
		m->nframes = nf;
		m->related = related;
		m->nrelated = nr;
		idmap_put(&g->finding_ids, h, r, g->nfindings++);
	}
	m->sum.count = sat_add(m->sum.count, f->count);
	if (m->last != pi + 1) {
		m->last = pi + 1;
		m->processes++;
	}
}

/* Add the what-if entries of p to g. */
static void merge_whatif(struct ma_group *g, const struct ma_process *p)
{
	for (size_t k = 0; k < p->log.nwhatif; k++) {
		const struct ma_whatif *w = &p->log.whatif[k];
		struct ma_merged_whatif *m = NULL;

		for (size_t i = 0; i < g->nwhatif && !m; i++)
			if (g->whatif[i].unlimited == w->unlimited &&
			    (w->unlimited || g->whatif[i].limit == w->limit))
				m = &g->whatif[i];
		if (!m) {
			GROW(g->whatif, g->whatif_cap, g->nwhatif);
			m = &g->whatif[g->nwhatif++];
			memset(m, 0, sizeof *m);
			m->unlimited = w->unlimited;
			m->limit = w->limit;
		}
		m->processes++;
		m->configured = m->configured || w->configured;
		if (!w->hit)
			continue;
		if (!m->failing++ || w->call < m->call) {
			m->call = w->call;
			m->err = w->err;
			m->frames = ma_process_frames(p, w->stack, &m->nframes);
		}
	}
}

/* Add the notes of p to g, each text once. */
static void merge_notes(struct ma_group *g, const struct ma_process *p)
{
	for (size_t k = 0; k < p->nnotes; k++) {
		bool seen = false;

		for (size_t i = 0; i < g->nnotes && !seen; i++)
			seen = !strcmp(g->notes[i], p->notes[k]);
		if (!seen) {
			GROW(g->notes, g->notes_cap, g->nnotes);
			g->notes[g->nnotes++] = p->notes[k];
		}
	}
}

/* qsort: merged sites as a process's sites, then by stack. */
static int cmp_merged_site(const void *a, const void *b)
{
	const struct ma_merged_site *x = a, *y = b;
	int c = ma_site_cmp(&x->sum, &y->sum);

	return c ? c : cmp_frames(x->frames, x->nframes, y->frames, y->nframes);
}

/* qsort: merged findings as a process's findings, then by stack. */
static int cmp_merged_finding(const void *a, const void *b)
{
	const struct ma_merged_finding *x = a, *y = b;
	int c = ma_finding_cmp(&x->sum, &y->sum);

	return c ? c : cmp_frames(x->frames, x->nframes, y->frames, y->nframes);
}

/* Merge procs into m; see report_merge.h. */
void ma_merge(struct ma_merged *m, struct ma_process *const *procs, size_t n)
{
	memset(m, 0, sizeof *m);
	idmap_init(&m->group_ids);
	for (size_t pi = 0; pi < n; pi++) {
		struct ma_process *p = procs[pi];
		struct ma_group *g = get_group(m, p->log.exe);

		GROW(g->procs, g->procs_cap, g->nprocs);
		g->procs[g->nprocs++] = p;
		g->incomplete += !p->complete;
		g->suppressed = sat_add(g->suppressed, p->suppressed);
		if (p->peak_locked > g->peak_locked)
			g->peak_locked = p->peak_locked;
		for (size_t i = 0; i < p->nsites; i++)
			merge_site(g, p, pi, &p->sites[i]);
		for (size_t i = 0; i < p->nfindings; i++)
			if (!p->findings[i].suppressed)
				merge_finding(g, p, pi, &p->findings[i]);
		merge_whatif(g, p);
		merge_notes(g, p);
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		struct ma_group *g = &m->groups[i];

		for (size_t k = 0; k < g->nsites; k++)
			ma_site_sort_failures(&g->sites[k].sum);
		sort_array(g->sites, g->nsites, sizeof *g->sites, cmp_merged_site);
		sort_array(g->findings, g->nfindings, sizeof *g->findings, cmp_merged_finding);
		idmap_free(&g->site_ids);
		idmap_free(&g->finding_ids);
	}
	idmap_free(&m->group_ids);
}

/* Free what m holds. */
void ma_merged_free(struct ma_merged *m)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		struct ma_group *g = &m->groups[i];

		for (size_t k = 0; k < g->nsites; k++)
			free(g->sites[k].sum.failures);
		free(g->sites);
		free(g->findings);
		free(g->whatif);
		free(g->notes);
		free(g->procs);
		idmap_free(&g->site_ids);
		idmap_free(&g->finding_ids);
	}
	free(m->groups);
	idmap_free(&m->group_ids);
	memset(m, 0, sizeof *m);
}
