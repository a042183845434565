/* report_text_merged.c: the text report under --merge (see report_text_merged.h). */
#include <config.h>

#include "report_text_merged.h"
#include "names.h"
#include "text_sections.h"
#include "report_fmt.h"
#include "util.h"
#include "whatif_note.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STATUSES_SHOWN 6 /* distinct exit statuses listed in a group's status line */
#define MAX_PIDS_SHOWN 12    /* pids listed in a group's header */

/* Write the pids of g's processes into buf, at most MAX_PIDS_SHOWN of them, then how many more. */
static void pids_str(const struct ma_group *g, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < g->nprocs && used < len; i++) {
		const struct ma_log *l = &g->procs[i]->log;

		if (i == MAX_PIDS_SHOWN) {
			snprintf(buf + used, len - used, " ... and %zu more (see --format json)",
				 g->nprocs - i);
			return;
		}
		if (l->has_pid)
			used += (size_t)snprintf(buf + used, len - used, "%s%" PRId64, i ? " " : "",
						 l->pid);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s?", i ? " " : "");
	}
}

/* Write g's status line: how many processes are complete, and their exit statuses with counts. */
static void status_line(struct text_out *out, const struct ma_group *g)
{
	int64_t status[MAX_STATUSES_SHOWN];
	uint64_t count[MAX_STATUSES_SHOWN] = { 0 }, execs = 0;
	size_t ns = 0, used;
	bool more = false;
	char buf[512];

	for (size_t i = 0; i < g->nprocs; i++) {
		const struct ma_process *p = g->procs[i];
		size_t k;

		if (p->complete && !strcmp(p->ended_by, "exec"))
			execs++;
		if (!p->log.has_exit_status)
			continue;
		for (k = 0; k < ns && status[k] != p->log.exit_status; k++)
			;
		if (k == ns && ns == MAX_STATUSES_SHOWN) {
			more = true;
			continue;
		}
		if (k == ns)
			status[ns++] = p->log.exit_status;
		count[k]++;
	}
	used = (size_t)snprintf(buf, sizeof buf, "   status:  %zu complete",
				(size_t)(g->nprocs - g->incomplete));
	if (g->incomplete)
		used += (size_t)snprintf(buf + used, sizeof buf - used, ", %" PRIu64 " INCOMPLETE",
					 g->incomplete);
	if (execs)
		used += (size_t)snprintf(buf + used, sizeof buf - used, " (%" PRIu64 " by execve)",
					 execs);
	for (size_t k = 0; k < ns && used < sizeof buf; k++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%" PRId64 " in %" PRIu64,
					 k ? ", " : "; exit status ", status[k], count[k]);
	if (more && used < sizeof buf)
		snprintf(buf + used, sizeof buf - used, ", ...");
	tx_line(out, "%s", buf);
}

/* Write the header lines of group g. */
static void group_header(struct text_out *out, const struct ma_group *g)
{
	const struct ma_log *l = &g->procs[0]->log;
	char pids[512], a[32], b[32], c[32];
	bool same = true;

	for (size_t i = 1; i < g->nprocs && same; i++) {
		const struct ma_log *o = &g->procs[i]->log;

		same = !strcmp(o->policy ? o->policy : "", l->policy ? l->policy : "") &&
		       o->has_page_size == l->has_page_size && o->page_size == l->page_size &&
		       o->has_memlock_limit == l->has_memlock_limit &&
		       o->memlock_limit == l->memlock_limit;
	}
	pids_str(g, pids, sizeof pids);
	tx_line(out, "== %s: %zu process%s (merged)", g->exe ? g->exe : "(unknown program)",
		g->nprocs, g->nprocs == 1 ? "" : "es");
	tx_line(out, "   pids:    %s", pids);
	status_line(out, g);
	tx_line(out, "   policy:  %s, page size %s, memlock limit %s%s", l->policy ? l->policy : "?",
		l->has_page_size ? size_str(l->page_size, a, sizeof a) : "?",
		l->has_memlock_limit ? size_str(l->memlock_limit, b, sizeof b) : "unlimited",
		same ? "" : " (the first process's; others differ)");
	tx_line(out, "   locked:  peak %s (the most any one process had locked)",
		size_str(g->peak_locked, c, sizeof c));
}

/* Write g's what-if table: per limit, how many processes would have failed, and the earliest lock
 * call that would have, with its call site. */
static void group_whatif(struct text_out *out, const struct ma_group *g)
{
	struct tx_whatif_row *rows = xcalloc(g->nwhatif, sizeof *rows);
	char lb[32], name[32], note[1024];

	for (size_t i = 0; i < g->nwhatif; i++) {
		const struct ma_merged_whatif *w = &g->whatif[i];
		struct tx_whatif_row *r = &rows[i];

		snprintf(r->limit, sizeof r->limit, "RLIMIT_MEMLOCK %s%s",
			 tx_limit(w->unlimited, w->limit, lb, sizeof lb),
			 w->configured ? " (configured)" : "");
		r->fails = w->failing > 0;
		r->frames = w->frames;
		r->nframes = w->nframes;
		if (w->failing)
			snprintf(r->result, sizeof r->result,
				 "fails in %" PRIu64 " of %" PRIu64 " processes, first at lock call %"
				 PRIu64 " (%s)", w->failing, w->processes, w->call,
				 errno_name(w->err, name, sizeof name));
		else
			snprintf(r->result, sizeof r->result,
				 "no lock call fails in %" PRIu64 " process%s%s", w->processes,
				 w->processes == 1 ? "" : "es",
				 g->incomplete ? " (in what was logged)" : "");
	}
	/* the note of its first process that has one (the group shares its executable) */
	for (size_t i = 0; i < g->nprocs && !ma_whatif_note(g->procs[i], note, sizeof note); i++)
		continue;
	tx_whatif_table(out, rows, g->nwhatif, note);
	free(rows);
}

/* Write the section of group g; add its finding counts to counts[]. */
static void group(struct text_out *out, const struct ma_group *g, uint64_t counts[MA_SEV_NONE])
{
	struct tx_site_row *sites = xcalloc(g->nsites, sizeof *sites);
	struct tx_finding_row *findings = xcalloc(g->nfindings, sizeof *findings);
	uint64_t mine[MA_SEV_NONE] = { 0 };

	for (size_t i = 0; i < g->nsites; i++)
		sites[i] = (struct tx_site_row){ &g->sites[i].sum, g->sites[i].frames,
						 g->sites[i].nframes, g->sites[i].processes };
	for (size_t i = 0; i < g->nfindings; i++) {
		const struct ma_merged_finding *f = &g->findings[i];

		findings[i] = (struct tx_finding_row){ &f->sum, f->frames, f->related, f->nframes,
						       f->nrelated, f->sum.related_stack >= 0,
						       f->processes };
	}
	group_header(out, g);
	tx_line(out, "%s", "");
	tx_site_table(out, sites, g->nsites, true);
	tx_line(out, "%s", "");
	group_whatif(out, g);
	tx_findings(out, findings, g->nfindings, true, mine);
	tx_section_end(out, sites, g->nsites, mine, g->suppressed, g->notes, g->nnotes);
	for (int s = 0; s < MA_SEV_NONE; s++)
		counts[s] = sat_add(counts[s], mine[s]);
	free(sites);
	free(findings);
}

/* Return whether every process of g is quiet (tx_quiet): the group is folded into one line. */
static bool group_quiet(const struct ma_group *g)
{
	for (size_t i = 0; i < g->nprocs; i++)
		if (!tx_quiet(g->procs[i]))
			return false;
	return true;
}

/* Write the section of every group that is not quiet, then one line for the quiet ones. */
void ma_text_merged(struct text_out *out, const struct ma_merged *m,
		    uint64_t counts[MA_SEV_NONE])
{
	size_t n = 0, nquiet = 0, shown = 0;
	const char **quiet;

	for (size_t i = 0; i < m->ngroups; i++)
		n += m->groups[i].nprocs;
	quiet = xcalloc(n ? n : 1, sizeof *quiet);
	for (size_t i = 0; i < m->ngroups; i++)
		shown += !group_quiet(&m->groups[i]);
	if (shown)
		tx_line(out, "merged: %zu process%s of %zu program%s, one section per program", n,
			n == 1 ? "" : "es", m->ngroups, plural(m->ngroups));
	if (shown)
		tx_line(out, "%s", "");
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct ma_group *g = &m->groups[i];

		if (!group_quiet(g)) {
			group(out, g, counts);
			continue;
		}
		for (size_t k = 0; k < g->nprocs; k++)
			quiet[nquiet++] = g->exe ? base_name(g->exe) : "(unknown program)";
	}
	if (nquiet)
		tx_quiet_line(out, quiet, nquiet, shown > 0);
	free(quiet);
}
