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

/* Write the command line of l (its argv joined by spaces, cut at len) into buf and return buf. */
static const char *argv_str(const struct ma_log *l, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->argc && used < len - 1; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", l->argv[i]);
	return buf;
}

/* Write the header lines of p. */
static void header(struct text_out *out, const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	char pid[32] = "?", ppid[32] = "?", a[32], b[32], c[32], d[32], argv[2048];

	if (l->has_pid)
		snprintf(pid, sizeof pid, "%" PRId64, l->pid);
	if (l->has_ppid)
		snprintf(ppid, sizeof ppid, "%" PRId64, l->ppid);
	argv_str(l, argv, sizeof argv);
	tx_line(out, "== %s (pid %s, ppid %s)", l->exe ? l->exe : "(unknown program)", pid, ppid);
	if (l->argc)
		tx_line(out, "   argv:    %s%s", argv,
		        l->argv_first ? " (arguments not recorded: MEMAUDIT_ARGV=first)" : "");
	tx_line(out, "   log:     %s", p->path);
	if (l->parent_log)
		tx_line(out, "   forked:  from the process of %s", l->parent_log);
	if (p->relation == MA_REL_EXEC)
		tx_line(out, "   exec:    the image that replaced %s", base_name(p->tree_parent->path));
	if (!p->complete)
		tx_line(out, "   status:  INCOMPLETE: %s",
		        p->incomplete_reason ? p->incomplete_reason : "?");
	else if (!strcmp(p->ended_by, "exec"))
		tx_line(out, "   status:  complete: replaced its image by execve (see the next log)");
	else if (l->has_exit_status)
		tx_line(out, "   status:  complete (%s), exit status %" PRId64, p->ended_by,
		        l->exit_status);
	else
		tx_line(out, "   status:  complete (%s)", p->ended_by);
	tx_line(out, "   policy:  %s, page size %s, memlock limit %s", l->policy ? l->policy : "?",
	        l->has_page_size ? size_str(l->page_size, a, sizeof a) : "?",
	        l->has_memlock_limit ? size_str(l->memlock_limit, b, sizeof b) : "unlimited");
	tx_line(out, "   locked:  peak %s, at exit %s", size_str(p->peak_locked, c, sizeof c),
	        l->has_exit_locked ? size_str(l->exit_locked_bytes, d, sizeof d) : "unknown");
	if (!ma_is_traced(l))
		return;
	tx_line(out, "   traced:  by memaudit-trace; free() and realloc() make no system call:");
	if (ma_trace_list(l->unchecked, l->nunchecked, argv, sizeof argv))
		tx_line(out, "            not checked: %s", argv);
	if (ma_trace_list(l->partly, l->npartly, argv, sizeof argv))
		tx_line(out, "            checked only at munlock and munmap: %s", argv);
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

/* Copy into buf (of len bytes) at most cols columns of s, ending in "..." when s is longer. */
static void fit_columns(char *buf, size_t len, const char *s, int cols)
{
	size_t used = 0;
	int n = 0;

	for (const char *c = s; *c; c++)
		n += ((unsigned char)*c & 0xc0) != 0x80;
	if (n <= cols) {
		snprintf(buf, len, "%s", s);
		return;
	}
	for (n = 0; *s && used + 4 < len; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80 && ++n > cols - 3)
			break;
		buf[used++] = *s;
	}
	snprintf(buf + used, len - used, "...");
}

/* Write one line of the process tree for p: pid, command line, how it came from its parent, and
 * its findings by severity (coloured). The command line is shortened so that the rest fits. */
static void tree_line(struct text_out *out, const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	uint64_t c[MA_SEV_NONE] = { 0 };
	char cmd[2048], label[2048], head[2400], rel[32] = "", pid[64], deep[32] = "";
	char counts[3][48];
	const char *sep = ": ";
	struct tx_piece pieces[7];
	size_t np = 1, depth = p->depth < MAX_DEPTH_SHOWN ? p->depth : MAX_DEPTH_SHOWN;
	int indent = 3 + 2 * (int)depth, room = MA_TEXT_WIDTH - indent - 1;

	if (p->depth > MAX_DEPTH_SHOWN)
		snprintf(deep, sizeof deep, "[depth %zu] ", p->depth);
	if (l->has_pid)
		snprintf(pid, sizeof pid, "%s%" PRId64, deep, l->pid);
	else
		snprintf(pid, sizeof pid, "%s?", deep);
	if (l->argc)
		argv_str(l, cmd, sizeof cmd);
	else
		snprintf(cmd, sizeof cmd, "%s", l->exe ? l->exe : "(unknown program)");
	snprintf(rel, sizeof rel, "%s%s%s%s", p->relation != MA_REL_ROOT ? " (" : "",
		 p->relation != MA_REL_ROOT ? ma_relation_name(p->relation) : "",
		 p->relation != MA_REL_ROOT ? ")" : "", p->complete ? "" : " INCOMPLETE");
	ma_process_count_findings(p, c);
	for (int s = MA_SEV_ERROR; s >= MA_SEV_NOTE; s--) {
		char *text = counts[MA_SEV_ERROR - s];

		if (!c[s])
			continue;
		snprintf(text, sizeof counts[0], "%" PRIu64 " %s%s", c[s], severity_names[s],
			 plural(c[s]));
		pieces[np++] = (struct tx_piece){ TX_PLAIN, sep };
		sep = ", ";
		pieces[np++] = (struct tx_piece){ tx_severity_style(severity_names[s]), text };
		room -= 2 + (int)strlen(text);
	}
	room -= (int)strlen(pid) + (int)strlen(rel);
	fit_columns(label, sizeof label, cmd, room > 10 ? room : 10);
	snprintf(head, sizeof head, "%*s%s %s%s", indent, "", pid, label, rel);
	pieces[0] = (struct tx_piece){ TX_PLAIN, head };
	tx_pieces(out, pieces, np);
}

/* Write the process tree of procs[0..n) (in tree order). */
static void tree_overview(struct text_out *out, struct ma_process *const *procs, size_t n)
{
	tx_line(out, "process tree: %zu processes", n);
	for (size_t i = 0; i < n; i++)
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

/* Write the text report; see report_text.h. */
int ma_write_text(FILE *f, struct ma_process *const *procs, size_t n,
		  const struct ma_text_options *opt)
{
	uint64_t counts[MA_SEV_NONE] = { 0 };
	struct text_out o = { f, opt && opt->color }, *out = &o;
	const struct ma_merged *merged = opt ? opt->merged : NULL;

	if (!n) {
		tx_line(out, "memaudit: no logs to report");
	} else if (merged) {
		ma_text_merged(out, merged, counts);
	} else {
		if (n > 1)
			tree_overview(out, procs, n);
		for (size_t i = 0; i < n; i++)
			process(out, procs[i], counts);
	}
	if (n > 1 || (merged && n))
		tx_line(out, "memaudit: %zu processes; %" PRIu64 " error%s, %" PRIu64 " warning%s, %"
		        PRIu64 " note%s", n, counts[MA_SEV_ERROR], plural(counts[MA_SEV_ERROR]),
		        counts[MA_SEV_WARNING], plural(counts[MA_SEV_WARNING]), counts[MA_SEV_NOTE],
		        plural(counts[MA_SEV_NOTE]));
	return ferror(f) ? -1 : 0;
}
