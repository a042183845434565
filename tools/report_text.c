/* report_text.c: the human-readable report (see report_text.h). */
#include <config.h>

#include "report_text.h"
#include "report_text_merged.h"
#include "text_sections.h"
#include "report_fmt.h"
#include "names.h"
#include "util.h"
#include "trace_note.h"
#include "whatif_note.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH_SHOWN 16 /* the process tree indents no deeper; deeper entries say their depth */

/* ---------------------------------------------------------------------
 * Sections
 * --------------------------------------------------------------------- */

/* Add the command line of l to ln: its arguments separated by spaces, each one whole (a line is
 * broken between arguments, never inside one). */
static void add_argv(struct tx_builder *ln, const struct ma_log *l)
{
	for (size_t i = 0; i < l->argc; i++) {
		if (i)
			tx_add(ln, TX_PLAIN, " ", false);
		tx_add(ln, TX_PLAIN, l->argv[i], true);
	}
}

#define FIELD_HANG 12 /* "   status:  ": where a header field's value starts and continues */

/* Write a header field: "   name:    " then before, whole (never broken; NULL: none) and
 * after, continued under the value. */
static void field(struct text_out *out, const char *name, const char *before, const char *whole,
		  const char *after)
{
	struct tx_builder ln = { 0 };

	tx_add_owned(&ln, tx_strf("   %-8s %s", name, before), false);
	if (whole)
		tx_add(&ln, TX_PLAIN, whole, true);
	tx_add(&ln, TX_PLAIN, after, false);
	tx_put(out, &ln, FIELD_HANG);
}

/* Write the header lines of p. */
static void header(struct text_out *out, const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	char pid[32] = "?", ppid[32] = "?", a[32], b[32], c[32], d[32], list[2048];
	struct tx_builder ln = { 0 };
	char *text;

	if (l->has_pid)
		snprintf(pid, sizeof pid, "%" PRId64, l->pid);
	if (l->has_ppid)
		snprintf(ppid, sizeof ppid, "%" PRId64, l->ppid);
	tx_add(&ln, TX_PLAIN, "== ", false);
	tx_add(&ln, TX_PLAIN, l->exe ? l->exe : "(unknown program)", true);
	tx_add(&ln, TX_PLAIN, " ", false);
	tx_add_owned(&ln, tx_strf("(pid %s, ppid %s)", pid, ppid), true);
	tx_put(out, &ln, -1);
	if (l->argc) {
		tx_add(&ln, TX_PLAIN, "   argv:    ", false);
		add_argv(&ln, l);
		if (l->argv_first)
			tx_add(&ln, TX_PLAIN, " (arguments not recorded: MEMAUDIT_ARGV=first)", false);
		tx_put(out, &ln, FIELD_HANG);
	}
	field(out, "log:", "", p->path, "");
	if (l->parent_log)
		field(out, "forked:", "from the process of ", l->parent_log, "");
	if (p->relation == MA_REL_EXEC)
		field(out, "exec:", "the image that replaced ", base_name(p->tree_parent->path), "");
	if (!p->complete) {
		field(out, "status:", "INCOMPLETE: ", NULL,
		      p->incomplete_reason ? p->incomplete_reason : "?");
	} else if (!strcmp(p->ended_by, "exec")) {
		field(out, "status:", "complete: replaced its image by execve (see the next log)",
		      NULL, "");
	} else if (l->has_exit_status) {
		text = tx_strf("complete (%s), exit status %" PRId64, p->ended_by, l->exit_status);
		field(out, "status:", text, NULL, "");
		free(text);
	} else {
		text = tx_strf("complete (%s)", p->ended_by);
		field(out, "status:", text, NULL, "");
		free(text);
	}
	if (l->lost_records) {
		text = tx_strf("%" PRIu64 " record%s could not be written (the process said why on "
			       "stderr): what %s held is missing from this report", l->lost_records,
			       plural(l->lost_records), l->lost_records == 1 ? "it" : "they");
		field(out, "lost:", text, NULL, "");
		free(text);
	}
	text = tx_strf("%s, page size %s, memlock limit %s", l->policy ? l->policy : "?",
		       l->has_page_size ? size_str(l->page_size, a, sizeof a) : "?",
		       l->has_memlock_limit ? size_str(l->memlock_limit, b, sizeof b) : "unlimited");
	field(out, "policy:", text, NULL, "");
	free(text);
	text = tx_strf("peak %s, at exit %s", size_str(p->peak_locked, c, sizeof c),
		       l->has_exit_locked ? size_str(l->exit_locked_bytes, d, sizeof d) : "unknown");
	field(out, "locked:", text, NULL, "");
	free(text);
	if (!ma_is_traced(l))
		return;
	field(out, "traced:", "by memaudit-trace; free() and realloc() make no system call:", NULL, "");
	if (ma_trace_list(l->unchecked, l->nunchecked, list, sizeof list))
		field(out, "", "not checked: ", NULL, list);
	if (ma_trace_list(l->partly, l->npartly, list, sizeof list))
		field(out, "", "checked only at munlock and munmap: ", NULL, list);
}

/* Return the rows of p's call site table (free them). */
static struct tx_site_row *site_rows(const struct ma_process *p)
{
	struct tx_site_row *rows = xcalloc(p->nsites, sizeof *rows);

	for (size_t i = 0; i < p->nsites; i++) {
		rows[i].site = &p->sites[i];
		rows[i].frames = ma_process_frames(p, p->sites[i].stack, &rows[i].nframes);
	}
	return rows;
}

/* Return the rows of p's findings that are not suppressed, their number in *n (free them). */
static struct tx_finding_row *finding_rows(const struct ma_process *p, size_t *n)
{
	struct tx_finding_row *rows = xcalloc(p->nfindings, sizeof *rows);

	*n = 0;
	for (size_t i = 0; i < p->nfindings; i++) {
		const struct ma_finding *f = &p->findings[i];
		struct tx_finding_row *r = &rows[*n];

		if (f->suppressed)
			continue;
		r->finding = f;
		r->frames = ma_process_frames(p, f->stack, &r->nframes);
		r->has_related = f->related_stack >= 0;
		if (r->has_related)
			r->related = ma_process_frames(p, f->related_stack, &r->nrelated);
		(*n)++;
	}
	return rows;
}

/* Write the what-if table of p: for each limit of its log, the first lock call that a process
 * without CAP_IPC_LOCK would see refused, with its errno and call site. Nothing for a log of an
 * older shim, which has no what-if limits. */
static void whatif(struct text_out *out, const struct ma_process *p)
{
	struct tx_whatif_row rows[MA_LOG_MAX_WHATIF];
	char lb[32], name[32], note[1024];

	for (size_t i = 0; i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];
		struct tx_whatif_row *r = &rows[i];

		snprintf(r->limit, sizeof r->limit, "RLIMIT_MEMLOCK %s%s",
			 tx_limit(w->unlimited, w->limit, lb, sizeof lb),
			 w->set_by_program ? " (configured, set by the program)"
			 : w->configured ? " (configured)" : "");
		r->fails = w->hit;
		r->frames = NULL;
		r->nframes = 0;
		if (w->hit) {
			snprintf(r->result, sizeof r->result, "fails at lock call %" PRIu64 " (%s)",
				 w->call, errno_name(w->err, name, sizeof name));
			r->frames = ma_process_frames(p, w->stack, &r->nframes);
		} else {
			snprintf(r->result, sizeof r->result, "no lock call fails%s",
				 p->complete ? "" : " (in what was logged)");
		}
	}
	ma_whatif_note(p, note, sizeof note);
	tx_whatif_table(out, rows, p->log.nwhatif, note);
}

static const char *const severity_names[MA_SEV_NONE] = {
	[MA_SEV_UNKNOWN] = "unknown", [MA_SEV_NOTE] = "note", [MA_SEV_WARNING] = "warning",
	[MA_SEV_ERROR] = "error",
};

/* Return the depth of p among the processes the report shows (its quiet ancestors left out). */
static size_t shown_depth(const struct ma_process *p)
{
	size_t depth = 0;

	for (const struct ma_process *a = p->tree_parent; a; a = a->tree_parent)
		depth += !tx_quiet(a);
	return depth;
}

/* Write one line of the process tree for p: pid, command line, how it came from its parent, and
 * its findings by severity (coloured). The command line is whole, however long. */
static void tree_line(struct text_out *out, const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	uint64_t c[MA_SEV_NONE] = { 0 };
	const char *sep = ": ";
	struct tx_builder ln = { 0 };
	size_t d = shown_depth(p), depth = d < MAX_DEPTH_SHOWN ? d : MAX_DEPTH_SHOWN;
	char deep[32] = "", pid[32] = "?";

	if (d > MAX_DEPTH_SHOWN)
		snprintf(deep, sizeof deep, "[depth %zu] ", d);
	if (l->has_pid)
		snprintf(pid, sizeof pid, "%" PRId64, l->pid);
	tx_add_owned(&ln, tx_strf("%*s%s%s ", 3 + 2 * (int)depth, "", deep, pid), false);
	if (l->argc)
		add_argv(&ln, l);
	else
		tx_add(&ln, TX_PLAIN, l->exe ? l->exe : "(unknown program)", true);
	if (p->relation != MA_REL_ROOT)
		tx_add_owned(&ln, tx_strf(" (%s)", ma_relation_name(p->relation)), false);
	if (!p->complete)
		tx_add(&ln, TX_PLAIN, " INCOMPLETE", false);
	ma_process_count_findings(p, c);
	for (int s = MA_SEV_ERROR; s >= MA_SEV_NOTE; s--) {
		if (!c[s])
			continue;
		tx_add(&ln, TX_PLAIN, sep, false);
		sep = ", ";
		tx_add_owned(&ln, tx_strf("%" PRIu64 " %s%s", c[s], severity_names[s], plural(c[s])),
			     true);
		ln.p[ln.n - 1].style = tx_severity_style(severity_names[s]);
	}
	tx_put(out, &ln, -1);
}

/* Write the process tree of the processes in procs[0..n) that are not quiet (in tree order), of
 * which there are shown. */
static void tree_overview(struct text_out *out, struct ma_process *const *procs, size_t n,
			  size_t shown)
{
	if (shown < n)
		tx_line(out, "process tree: %zu of %zu processes (the other %zu made no audited call)",
			shown, n, n - shown);
	else
		tx_line(out, "process tree: %zu processes", n);
	for (size_t i = 0; i < n; i++)
		if (!tx_quiet(procs[i]))
			tree_line(out, procs[i]);
	tx_line(out, "%s", "");
}

/* Write the whole section of one process; add its finding counts to counts[]. */
static void process(struct text_out *out, const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
{
	uint64_t mine[MA_SEV_NONE] = { 0 };
	struct tx_site_row *sites = site_rows(p);
	size_t nfindings;
	struct tx_finding_row *findings = finding_rows(p, &nfindings);

	header(out, p);
	tx_line(out, "%s", "");
	tx_site_table(out, sites, p->nsites, false);
	tx_line(out, "%s", "");
	whatif(out, p);
	tx_findings(out, findings, nfindings, false, mine);
	tx_section_end(out, sites, p->nsites, mine, p->suppressed, (const char *const *)p->notes,
		       p->nnotes);
	for (int s = 0; s < MA_SEV_NONE; s++)
		counts[s] = sat_add(counts[s], mine[s]);
	free(sites);
	free(findings);
}

/* Return the name of p's program: the one its log is named by, else its executable's. */
static const char *program_name(const struct ma_process *p)
{
	if (p->log.progname && *p->log.progname)
		return p->log.progname;
	return p->log.exe ? base_name(p->log.exe) : "(unknown program)";
}

/* Write the text report; see report_text.h. */
int ma_write_text(FILE *f, struct ma_process *const *procs, size_t n,
		  const struct ma_text_options *opt)
{
	uint64_t counts[MA_SEV_NONE] = { 0 };
	struct text_out o = { f, opt && opt->color, tx_width(fileno(f)) }, *out = &o;
	const struct ma_merged *merged = opt ? opt->merged : NULL;

	if (!n) {
		tx_line(out, "memaudit: no logs to report");
	} else if (merged) {
		ma_text_merged(out, merged, counts);
	} else {
		size_t shown = 0, nquiet = 0;
		const char **quiet = xcalloc(n, sizeof *quiet);

		for (size_t i = 0; i < n; i++)
			if (tx_quiet(procs[i]))
				quiet[nquiet++] = program_name(procs[i]);
		shown = n - nquiet;
		if (shown > 1)
			tree_overview(out, procs, n, shown);
		for (size_t i = 0; i < n; i++)
			if (!tx_quiet(procs[i]))
				process(out, procs[i], counts);
		if (nquiet)
			tx_quiet_line(out, quiet, nquiet, shown > 0);
		free(quiet);
	}
	if (n > 1 || (merged && n))
		tx_line(out, "memaudit: %zu processes; %" PRIu64 " error%s, %" PRIu64 " warning%s, %"
		        PRIu64 " note%s", n, counts[MA_SEV_ERROR], plural(counts[MA_SEV_ERROR]),
		        counts[MA_SEV_WARNING], plural(counts[MA_SEV_WARNING]), counts[MA_SEV_NOTE],
		        plural(counts[MA_SEV_NOTE]));
	return ferror(f) ? -1 : 0;
}
