/* report_text.c: the human-readable report (see report_text.h). */
#include <config.h>

#include "report_text.h"
#include "text_out.h"
#include "names.h"
#include "rule_info.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

#define MAX_FRAMES_SHOWN 8
#define MAX_DEPTH_SHOWN 16 /* the process tree indents no deeper; deeper entries say their depth */

/* Return "s" unless n is 1 (for plurals). */
static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* Write v as a short size ("512 B", "64 KiB", "1.5 MiB") into buf and return buf. */
static const char *size_str(uint64_t v, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	int u = 0;

	if (v < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", v);
		return buf;
	}
	while (d >= 1024 && u < 6) {
		d /= 1024;
		u++;
	}
	if (d == (double)(uint64_t)d)
		snprintf(buf, len, "%.0f %s", d, units[u]);
	else
		snprintf(buf, len, "%.1f %s", d, units[u]);
	return buf;
}

/* Write a short "where" for a frame: "function file:line", "function (module)", "module+0x..". */
static const char *where_str(const struct ma_sym_frame *f, char *buf, size_t len)
{
	if (!f)
		snprintf(buf, len, "(no stack)");
	else if (f->function && f->file)
		snprintf(buf, len, "%s %s:%d", f->function, base_name(f->file), f->line);
	else if (f->function)
		snprintf(buf, len, "%s (%s)", f->function, f->module ? base_name(f->module) : "?");
	else if (f->file)
		snprintf(buf, len, "%s:%d", base_name(f->file), f->line);
	else if (f->module)
		snprintf(buf, len, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		snprintf(buf, len, "0x%" PRIx64, f->offset);
	return buf;
}

/* Write one frame of a finding's stack. */
static void frame_line(struct text_out *out, size_t i, const struct ma_sym_frame *f)
{
	char mod[512];

	if (f->module)
		snprintf(mod, sizeof mod, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		snprintf(mod, sizeof mod, "0x%" PRIx64, f->offset);
	if (f->file)
		tx_line(out, "      #%zu %s at %s:%d (%s)", i, f->function ? f->function : "??",
		        f->file, f->line, mod);
	else
		tx_line(out, "      #%zu %s (%s)", i, f->function ? f->function : "??", mod);
}

/* Write the frames of stack id of p (at most MAX_FRAMES_SHOWN). */
static void stack_lines(struct text_out *out, const struct ma_process *p, int64_t id)
{
	size_t n;
	const struct ma_sym_frame *frames = ma_process_frames(p, id, &n);

	if (!n)
		tx_line(out, "      (no stack)");
	for (size_t i = 0; i < n && i < MAX_FRAMES_SHOWN; i++)
		frame_line(out, i, &frames[i]);
	if (n > MAX_FRAMES_SHOWN)
		tx_line(out, "      ... %zu more frames (see --format json)", n - MAX_FRAMES_SHOWN);
}

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
		tx_line(out, "   argv:    %s", argv);
	tx_line(out, "   log:     %s", p->path);
	if (l->parent_log)
		tx_line(out, "   forked:  from the process of %s", l->parent_log);
	if (p->relation == MA_REL_EXEC)
		tx_line(out, "   exec:    the image that replaced %s", p->tree_parent->path);
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
}

/* Write "ENOMEM 3,EPERM 1" for the failures of s into buf; failures the policy injected are
 * marked: "ENOMEM 8649 (injected)" when all were, "ENOMEM 9 (8 injected)" when some were. */
static const char *failures_str(const struct ma_site *s, char *buf, size_t len)
{
	size_t used = 0;
	char name[32];

	buf[0] = '\0';
	for (size_t i = 0; i < s->nfailures && used < len - 1; i++) {
		const struct ma_errcount *e = &s->failures[i];

		used += (size_t)snprintf(buf + used, len - used, "%s%s %" PRIu64, i ? "," : "",
					 errno_name(e->err, name, sizeof name), e->count);
		if (e->injected == e->count && used < len - 1)
			used += (size_t)snprintf(buf + used, len - used, " (injected)");
		else if (e->injected && used < len - 1)
			used += (size_t)snprintf(buf + used, len - used, " (%" PRIu64 " injected)",
						 e->injected);
	}
	if (!s->nfailures)
		snprintf(buf, len, "-");
	return buf;
}

/* Write "madvise DONTDUMP" (the op, and for madvise sites the advice given) into buf. */
static const char *op_str(const struct ma_site *s, char *buf, size_t len)
{
	int posix = s->op == MA_OP_POSIX_MADVISE, shown = 0;
	size_t used = (size_t)snprintf(buf, len, "%s", ma_op_name(s->op));

	for (int a = 0; a < 64 && used < len - 1; a++) {
		const char *nm = advice_name(a, posix);

		if (!(s->advice_seen & (UINT64_C(1) << a)))
			continue;
		used += (size_t)snprintf(buf + used, len - used, shown ? "+%s" : " %s",
					 nm ? nm : "?");
		shown++;
	}
	return buf;
}

/* Write the call site table of p. */
static void sites(struct text_out *out, const struct ma_process *p)
{
	char op[128], fail[256], where[1024];
	int fw = 12;

	if (!p->nsites) {
		tx_line(out, "   no calls to lock or advise memory");
		return;
	}
	/* the failures column is as wide as its widest entry, within limits */
	for (size_t i = 0; i < p->nsites; i++) {
		int n = (int)strlen(failures_str(&p->sites[i], fail, sizeof fail));

		if (n > fw)
			fw = n < 40 ? n : 40;
	}
	tx_line(out, "   %-22s %7s %11s %7s  %-*s  %s", "call site (by pages)", "calls", "bytes",
	        "pages", fw, "failures", "where");
	for (size_t i = 0; i < p->nsites; i++) {
		const struct ma_site *s = &p->sites[i];
		size_t n;
		const struct ma_sym_frame *frames = ma_process_frames(p, s->stack, &n);

		tx_line(out, "   %-22.22s %7" PRIu64 " %11" PRIu64 " %7" PRIu64 "  %-*s  %s",
		        op_str(s, op, sizeof op), s->calls, s->bytes, s->pages, fw,
		        failures_str(s, fail, sizeof fail),
		        where_str(ma_frames_own(frames, n), where, sizeof where));
	}
}

/* Write a what-if limit exactly ("32 KiB", "8 MiB", "65537 B", "unlimited") into buf. */
static const char *limit_str(const struct ma_whatif *w, char *buf, size_t len)
{
	static const char *const units[] = { "EiB", "PiB", "TiB", "GiB", "MiB", "KiB" };
	uint64_t v = w->limit;

	if (w->unlimited) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	for (int u = 0; u < 6; u++) {
		uint64_t unit = UINT64_C(1) << (10 * (6 - u));

		if (v && v % unit == 0) {
			snprintf(buf, len, "%" PRIu64 " %s", v / unit, units[u]);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64 " B", v);
	return buf;
}

/* Write the what-if table of p: for each limit of its log, the first lock call that a process
 * without CAP_IPC_LOCK would see refused, with its errno and call site. Nothing for a log of an
 * older shim, which has no what-if limits. */
static void whatif(struct text_out *out, const struct ma_process *p)
{
	char lim[MA_LOG_MAX_WHATIF][64], res[MA_LOG_MAX_WHATIF][96], lb[32], name[32], where[1024];
	int w1 = 0, w2 = 0;

	if (!p->log.nwhatif)
		return;
	for (size_t i = 0; i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];
		int n;

		n = snprintf(lim[i], sizeof lim[i], "RLIMIT_MEMLOCK %s%s",
			     limit_str(w, lb, sizeof lb), w->configured ? " (configured)" : "");
		if (n > w1)
			w1 = n;
		if (w->hit)
			n = snprintf(res[i], sizeof res[i], "fails at lock call %" PRIu64 " (%s)",
				     w->call, errno_name(w->err, name, sizeof name));
		else
			n = snprintf(res[i], sizeof res[i], "no lock call fails%s",
				     p->complete ? "" : " (in what was logged)");
		if (n > w2)
			w2 = n;
	}
	tx_line(out, "   what-if (RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK)");
	for (size_t i = 0; i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];
		size_t n = 0;
		const struct ma_sym_frame *frames =
			w->hit ? ma_process_frames(p, w->stack, &n) : NULL;

		if (w->hit)
			tx_line(out, "   %-*s  %-*s  %s", w1, lim[i], w2, res[i],
			        where_str(ma_frames_own(frames, n), where, sizeof where));
		else
			tx_line(out, "   %-*s  %s", w1, lim[i], res[i]);
	}
}

/* Write the explanation and the fix of rule (nothing for a rule this tool does not know). */
static void rule_help(struct text_out *out, const char *rule)
{
	const struct ma_rule_info *r = ma_rule_info(rule);
	char text[2048];

	if (!r)
		return;
	snprintf(text, sizeof text, "why: %s", r->explanation);
	tx_wrapped(out, 5, text);
	snprintf(text, sizeof text, "fix: %s", r->fix);
	tx_wrapped(out, 5, text);
}

/* Return the style of a severity name (plain for names this tool does not know). */
static enum tx_style severity_style(const char *severity)
{
	static const enum tx_style styles[MA_SEV_NONE] = {
		[MA_SEV_UNKNOWN] = TX_PLAIN, [MA_SEV_NOTE] = TX_NOTE,
		[MA_SEV_WARNING] = TX_WARNING, [MA_SEV_ERROR] = TX_ERROR,
	};

	return styles[ma_severity_rank(severity)];
}

/* Write the heading of a rule's findings: "   rule [severity]: T times at S call sites", the rule
 * name and the severity in colour. */
static void rule_heading(struct text_out *out, const char *rule, const char *severity,
			 uint64_t times, size_t sites)
{
	char sev[64], rest[128];
	struct tx_piece pieces[] = {
		{ TX_PLAIN, "   " }, { TX_RULE, rule }, { TX_PLAIN, " [" },
		{ severity_style(severity), sev }, { TX_PLAIN, rest },
	};

	snprintf(sev, sizeof sev, "%s", severity ? severity : "?");
	snprintf(rest, sizeof rest, "]: %" PRIu64 " time%s at %zu call site%s", times,
		 plural(times), sites, plural(sites));
	tx_pieces(out, pieces, sizeof pieces / sizeof pieces[0]);
}

/* Write the findings of p that are not suppressed, grouped by rule (they are sorted by severity,
 * then rule). Adds the counts by severity to counts[]. */
static void findings(struct text_out *out, const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
{
	size_t i = 0;

	while (i < p->nfindings) {
		const struct ma_finding *f = &p->findings[i];
		size_t j, sites = 0;
		uint64_t times = 0;

		for (j = i; j < p->nfindings && !strcmp(p->findings[j].rule, f->rule); j++)
			if (!p->findings[j].suppressed) {
				sites++;
				times = sat_add(times, p->findings[j].count);
				counts[ma_severity_rank(p->findings[j].severity)] =
					sat_add(counts[ma_severity_rank(p->findings[j].severity)],
						p->findings[j].count);
			}
		if (sites) {
			rule_heading(out, f->rule, f->severity, times, sites);
			rule_help(out, f->rule);
		}
		for (; i < j; i++) {
			const struct ma_finding *g = &p->findings[i];
			char msg[4096];

			if (g->suppressed)
				continue;
			snprintf(msg, sizeof msg, "%" PRIu64 "x %s", g->count,
				 g->message ? g->message : "(no message)");
			tx_wrapped(out, 5, msg);
			stack_lines(out, p, g->stack);
			if (g->related_stack >= 0) {
				tx_line(out, "     related call site:");
				stack_lines(out, p, g->related_stack);
			}
		}
	}
}

/* Add the counts by severity of p's findings that are not suppressed to counts[]. */
static void count_findings(const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
{
	for (size_t i = 0; i < p->nfindings; i++) {
		const struct ma_finding *f = &p->findings[i];
		enum ma_severity s = ma_severity_rank(f->severity);

		if (!f->suppressed)
			counts[s] = sat_add(counts[s], f->count);
	}
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
	count_findings(p, c);
	for (int s = MA_SEV_ERROR; s >= MA_SEV_NOTE; s--) {
		char *text = counts[MA_SEV_ERROR - s];

		if (!c[s])
			continue;
		snprintf(text, sizeof counts[0], "%" PRIu64 " %s%s", c[s], severity_names[s],
			 plural(c[s]));
		pieces[np++] = (struct tx_piece){ TX_PLAIN, sep };
		sep = ", ";
		pieces[np++] = (struct tx_piece){ severity_style(severity_names[s]), text };
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
	uint64_t mine[MA_SEV_NONE] = { 0 }, calls = 0, pages = 0;

	header(out, p);
	tx_line(out, "%s", "");
	sites(out, p);
	tx_line(out, "%s", "");
	if (p->log.nwhatif) {
		whatif(out, p);
		tx_line(out, "%s", "");
	}
	findings(out, p, mine);
	if (!mine[MA_SEV_ERROR] && !mine[MA_SEV_WARNING] && !mine[MA_SEV_NOTE] &&
	    !mine[MA_SEV_UNKNOWN])
		tx_line(out, "   no findings%s", p->suppressed ? " (all suppressed)" : "");
	for (size_t i = 0; i < p->nnotes; i++) {
		char note[1100];

		snprintf(note, sizeof note, "note: %s", p->notes[i]);
		tx_wrapped(out, 3, note);
	}
	for (size_t i = 0; i < p->nsites; i++) {
		calls = sat_add(calls, p->sites[i].calls);
		pages = sat_add(pages, p->sites[i].pages);
	}
	tx_line(out, "   totals: %zu call site%s, %" PRIu64 " calls, %" PRIu64 " pages; %" PRIu64
	        " error%s, %" PRIu64 " warning%s, %" PRIu64 " note%s; %" PRIu64 " suppressed",
	        p->nsites, plural(p->nsites), calls, pages, mine[MA_SEV_ERROR],
	        plural(mine[MA_SEV_ERROR]), mine[MA_SEV_WARNING], plural(mine[MA_SEV_WARNING]),
	        mine[MA_SEV_NOTE], plural(mine[MA_SEV_NOTE]), p->suppressed);
	tx_line(out, "%s", "");
	for (int s = 0; s < MA_SEV_NONE; s++)
		counts[s] = sat_add(counts[s], mine[s]);
}

/* Write the text report; see report_text.h. */
int ma_write_text(FILE *f, struct ma_process *const *procs, size_t n,
		  const struct ma_text_options *opt)
{
	uint64_t counts[MA_SEV_NONE] = { 0 };
	struct text_out o = { f, opt && opt->color }, *out = &o;

	if (!n)
		tx_line(out, "memaudit: no logs to report");
	if (n > 1)
		tree_overview(out, procs, n);
	for (size_t i = 0; i < n; i++)
		process(out, procs[i], counts);
	if (n > 1)
		tx_line(out, "memaudit: %zu processes; %" PRIu64 " error%s, %" PRIu64 " warning%s, %"
		        PRIu64 " note%s", n, counts[MA_SEV_ERROR], plural(counts[MA_SEV_ERROR]),
		        counts[MA_SEV_WARNING], plural(counts[MA_SEV_WARNING]), counts[MA_SEV_NOTE],
		        plural(counts[MA_SEV_NOTE]));
	return ferror(f) ? -1 : 0;
}
