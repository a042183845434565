/* report_text.c: the human-readable report (see report_text.h). */
#include <config.h>

#include "report_text.h"
#include "names.h"
#include "rule_info.h"
#include "util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#define MAX_FRAMES_SHOWN 8

/* ---------------------------------------------------------------------
 * Line output
 * --------------------------------------------------------------------- */

/* Write s to out as one line: control characters (C0, DEL, and C1 in its UTF-8 form U+0080 to
 * U+009F, which some terminals obey too) become '?', and the line stops after MA_TEXT_WIDTH columns
 * (a UTF-8 sequence counts as one column). */
static void put_line(FILE *out, const char *s)
{
	int cols = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s, next = (unsigned char)s[1];

		if ((c & 0xc0) != 0x80 && ++cols > MA_TEXT_WIDTH)
			break;
		if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {
			fputc('?', out);
			s++;
			continue;
		}
		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
	fputc('\n', out);
}

/* printf-style put_line. */
static void line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(FILE *out, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	put_line(out, buf);
}

/* Write text as lines of at most MA_TEXT_WIDTH columns, each starting with indent spaces, breaking
 * at spaces (a word longer than a line is cut by put_line). */
static void wrapped(FILE *out, int indent, const char *text)
{
	int width = MA_TEXT_WIDTH - indent;
	const char *p = text;

	while (*p) {
		const char *end = p, *brk = NULL;
		int cols = 0;

		while (*end && cols < width) {
			if (*end == ' ')
				brk = end;
			if (((unsigned char)*end & 0xc0) != 0x80)
				cols++;
			end++;
		}
		if (*end && *end != ' ' && brk)
			end = brk;
		line(out, "%*s%.*s", indent, "", (int)(end - p), p);
		p = end;
		while (*p == ' ')
			p++;
	}
}

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
static void frame_line(FILE *out, size_t i, const struct ma_sym_frame *f)
{
	char mod[512];

	if (f->module)
		snprintf(mod, sizeof mod, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		snprintf(mod, sizeof mod, "0x%" PRIx64, f->offset);
	if (f->file)
		line(out, "      #%zu %s at %s:%d (%s)", i, f->function ? f->function : "??",
		     f->file, f->line, mod);
	else
		line(out, "      #%zu %s (%s)", i, f->function ? f->function : "??", mod);
}

/* Write the frames of stack id of p (at most MAX_FRAMES_SHOWN). */
static void stack_lines(FILE *out, const struct ma_process *p, int64_t id)
{
	size_t n;
	const struct ma_sym_frame *frames = ma_process_frames(p, id, &n);

	if (!n)
		line(out, "      (no stack)");
	for (size_t i = 0; i < n && i < MAX_FRAMES_SHOWN; i++)
		frame_line(out, i, &frames[i]);
	if (n > MAX_FRAMES_SHOWN)
		line(out, "      ... %zu more frames (see --format json)", n - MAX_FRAMES_SHOWN);
}

/* ---------------------------------------------------------------------
 * Sections
 * --------------------------------------------------------------------- */

/* Write the header lines of p. */
static void header(FILE *out, const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	char pid[32] = "?", ppid[32] = "?", a[32], b[32], c[32], d[32], argv[2048] = "";
	size_t used = 0;

	if (l->has_pid)
		snprintf(pid, sizeof pid, "%" PRId64, l->pid);
	if (l->has_ppid)
		snprintf(ppid, sizeof ppid, "%" PRId64, l->ppid);
	for (size_t i = 0; i < l->argc && used < sizeof argv - 1; i++)
		used += (size_t)snprintf(argv + used, sizeof argv - used, "%s%s", i ? " " : "",
					 l->argv[i]);
	line(out, "== %s (pid %s, ppid %s)", l->exe ? l->exe : "(unknown program)", pid, ppid);
	if (l->argc)
		line(out, "   argv:    %s", argv);
	line(out, "   log:     %s", p->path);
	if (l->parent_log)
		line(out, "   forked:  from the process of %s", l->parent_log);
	if (!p->complete)
		line(out, "   status:  INCOMPLETE: %s",
		     p->incomplete_reason ? p->incomplete_reason : "?");
	else if (!strcmp(p->ended_by, "exec"))
		line(out, "   status:  complete: replaced its image by execve (see the next log)");
	else if (l->has_exit_status)
		line(out, "   status:  complete (%s), exit status %" PRId64, p->ended_by,
		     l->exit_status);
	else
		line(out, "   status:  complete (%s)", p->ended_by);
	line(out, "   policy:  %s, page size %s, memlock limit %s", l->policy ? l->policy : "?",
	     l->has_page_size ? size_str(l->page_size, a, sizeof a) : "?",
	     l->has_memlock_limit ? size_str(l->memlock_limit, b, sizeof b) : "unlimited");
	line(out, "   locked:  peak %s, at exit %s", size_str(p->peak_locked, c, sizeof c),
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
static void sites(FILE *out, const struct ma_process *p)
{
	char op[128], fail[256], where[1024];
	int fw = 12;

	if (!p->nsites) {
		line(out, "   no calls to lock or advise memory");
		return;
	}
	/* the failures column is as wide as its widest entry, within limits */
	for (size_t i = 0; i < p->nsites; i++) {
		int n = (int)strlen(failures_str(&p->sites[i], fail, sizeof fail));

		if (n > fw)
			fw = n < 40 ? n : 40;
	}
	line(out, "   %-22s %7s %11s %7s  %-*s  %s", "call site (by pages)", "calls", "bytes",
	     "pages", fw, "failures", "where");
	for (size_t i = 0; i < p->nsites; i++) {
		const struct ma_site *s = &p->sites[i];
		size_t n;
		const struct ma_sym_frame *frames = ma_process_frames(p, s->stack, &n);

		line(out, "   %-22.22s %7" PRIu64 " %11" PRIu64 " %7" PRIu64 "  %-*s  %s",
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
static void whatif(FILE *out, const struct ma_process *p)
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
	line(out, "   what-if (RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK)");
	for (size_t i = 0; i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];
		size_t n = 0;
		const struct ma_sym_frame *frames =
			w->hit ? ma_process_frames(p, w->stack, &n) : NULL;

		if (w->hit)
			line(out, "   %-*s  %-*s  %s", w1, lim[i], w2, res[i],
			     where_str(ma_frames_own(frames, n), where, sizeof where));
		else
			line(out, "   %-*s  %s", w1, lim[i], res[i]);
	}
}

/* Write the explanation and the fix of rule (nothing for a rule this tool does not know). */
static void rule_help(FILE *out, const char *rule)
{
	const struct ma_rule_info *r = ma_rule_info(rule);
	char text[2048];

	if (!r)
		return;
	snprintf(text, sizeof text, "why: %s", r->explanation);
	wrapped(out, 5, text);
	snprintf(text, sizeof text, "fix: %s", r->fix);
	wrapped(out, 5, text);
}

/* Write the findings of p that are not suppressed, grouped by rule (they are sorted by severity,
 * then rule). Adds the counts by severity to counts[]. */
static void findings(FILE *out, const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
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
			line(out, "   %s [%s]: %" PRIu64 " time%s at %zu call site%s", f->rule,
			     f->severity ? f->severity : "?", times, plural(times), sites,
			     plural(sites));
			rule_help(out, f->rule);
		}
		for (; i < j; i++) {
			const struct ma_finding *g = &p->findings[i];
			char msg[4096];

			if (g->suppressed)
				continue;
			snprintf(msg, sizeof msg, "%" PRIu64 "x %s", g->count,
				 g->message ? g->message : "(no message)");
			wrapped(out, 5, msg);
			stack_lines(out, p, g->stack);
			if (g->related_stack >= 0) {
				line(out, "     related call site:");
				stack_lines(out, p, g->related_stack);
			}
		}
	}
}

/* Write the whole section of one process; add its finding counts to counts[]. */
static void process(FILE *out, const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
{
	uint64_t mine[MA_SEV_NONE] = { 0 }, calls = 0, pages = 0;

	header(out, p);
	line(out, "%s", "");
	sites(out, p);
	line(out, "%s", "");
	if (p->log.nwhatif) {
		whatif(out, p);
		line(out, "%s", "");
	}
	findings(out, p, mine);
	if (!mine[MA_SEV_ERROR] && !mine[MA_SEV_WARNING] && !mine[MA_SEV_NOTE] &&
	    !mine[MA_SEV_UNKNOWN])
		line(out, "   no findings%s", p->suppressed ? " (all suppressed)" : "");
	for (size_t i = 0; i < p->nnotes; i++) {
		char note[1100];

		snprintf(note, sizeof note, "note: %s", p->notes[i]);
		wrapped(out, 3, note);
	}
	for (size_t i = 0; i < p->nsites; i++) {
		calls = sat_add(calls, p->sites[i].calls);
		pages = sat_add(pages, p->sites[i].pages);
	}
	line(out, "   totals: %zu call site%s, %" PRIu64 " calls, %" PRIu64 " pages; %" PRIu64
	     " error%s, %" PRIu64 " warning%s, %" PRIu64 " note%s; %" PRIu64 " suppressed",
	     p->nsites, plural(p->nsites), calls, pages, mine[MA_SEV_ERROR],
	     plural(mine[MA_SEV_ERROR]), mine[MA_SEV_WARNING], plural(mine[MA_SEV_WARNING]),
	     mine[MA_SEV_NOTE], plural(mine[MA_SEV_NOTE]), p->suppressed);
	line(out, "%s", "");
	for (int s = 0; s < MA_SEV_NONE; s++)
		counts[s] = sat_add(counts[s], mine[s]);
}

/* Write the text report; see report_text.h. */
int ma_write_text(FILE *out, struct ma_process *const *procs, size_t n)
{
	uint64_t counts[MA_SEV_NONE] = { 0 };

	if (!n)
		line(out, "memaudit: no logs to report");
	for (size_t i = 0; i < n; i++)
		process(out, procs[i], counts);
	if (n > 1)
		line(out, "memaudit: %zu processes; %" PRIu64 " error%s, %" PRIu64 " warning%s, %"
		     PRIu64 " note%s", n, counts[MA_SEV_ERROR], plural(counts[MA_SEV_ERROR]),
		     counts[MA_SEV_WARNING], plural(counts[MA_SEV_WARNING]), counts[MA_SEV_NOTE],
		     plural(counts[MA_SEV_NOTE]));
	return ferror(out) ? -1 : 0;
}
