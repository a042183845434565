/* report_html.c: the self-contained HTML report (see report_html.h). */
#include <config.h>

#include "report_html.h"
#include "names.h"
#include "report_fmt.h"
#include "report_svg.h"
#include "trace_note.h"
#include "policy/rules.h"
#include "policy/utf8.h"
#include "util.h"
#include "trace_note.h"
#include "whatif_note.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES_OPEN 8 /* frames of a stack shown before the rest is folded away */

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;color:#212529;margin:0 auto;padding:0 24px 48px;"
	"max-width:1280px}\n"
	"h1{font-size:24px;margin:24px 0 8px}h2{font-size:20px;margin:36px 0 8px;padding-top:12px;"
	"border-top:3px solid #dee2e6}h3{font-size:16px;margin:20px 0 6px}\n"
	"code,.mono{font-family:ui-monospace,monospace;font-size:13px}\n"
	"dl.header{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}\n"
	"dl.header dt{font-weight:600}dl.header dd{margin:0;overflow-wrap:anywhere}\n"
	"table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #dee2e6;"
	"padding:3px 8px;text-align:left;vertical-align:top}th{background:#f1f3f5}\n"
	"td,ol.stack li{overflow-wrap:normal;word-break:normal}\n"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.op,td.num,td .module,code.rule-id,.seg{white-space:nowrap}\n"
	"div.table{overflow-x:auto}\n"
	"table.findings{width:100%}td.message{width:40%}\n"
	"figure{margin:8px 0}svg.chart{width:100%;max-width:960px;height:auto;display:block}\n"
	"figcaption{color:#495057;font-size:13px;max-width:960px}\n"
	".complete{color:#2b8a3e;font-weight:600}.incomplete{color:#c92a2a;font-weight:600}\n"
	".rule{margin:12px 0 20px;padding:4px 12px;border-left:5px solid #adb5bd}\n"
	".rule.sev-error{border-color:#c92a2a}.rule.sev-warning{border-color:#e67700}"
	".rule.sev-note{border-color:#1864ab}\n"
	".sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;background:#868e96;"
	"font-size:12px;vertical-align:middle}\n"
	".sev-error .sev,.sev.sev-error{background:#c92a2a}.sev-warning .sev,.sev.sev-warning"
	"{background:#e67700}.sev-note .sev,.sev.sev-note{background:#1864ab}\n"
	"ol.stack{margin:2px 0;padding-left:28px}\n"
	".module,.file{color:#495057}.muted{color:#868e96}\n"
	"p.why,p.fix{margin:4px 0;max-width:960px}\n"
	"ul.notes li{color:#862e9c}\n"
	"p.whatif-note{color:#862e9c}\n";

/* ---------------------------------------------------------------------
 * Escaping
 * --------------------------------------------------------------------- */

/* Write s (NULL writes nothing) as HTML text, safe both as element content and inside a quoted
 * attribute value: & < > " ' become character references, and hidden characters (control and
 * bidirectional ones: utf8_hidden, but tab and newline) and bytes that are not UTF-8 become
 * U+FFFD, so nothing from a log can become markup, break the page or read otherwise than it is. */
static void esc(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		uint32_t cp;
		size_t len = utf8_seq(p, strnlen((const char *)p, 4), &cp);

		if (!len || (utf8_hidden(cp) && cp != '\t' && cp != '\n')) {
			fputs("&#xfffd;", out);
			p += len ? len : 1;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fwrite(p, 1, len, out); break;
		}
		p += len;
	}
}

/* Write <tag class="cls">, s escaped (or fallback when s is NULL, also escaped) and </tag>. */
static void elem(FILE *out, const char *tag, const char *cls, const char *s, const char *fallback)
{
	fprintf(out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	esc(out, s ? s : fallback);
	fprintf(out, "</%s>", tag);
}

/* Write path escaped (esc), each of its parts in a span that never breaks (class "seg": not at the
 * '-' of "wt-sarif" either) and a <wbr> after each '/': a table cell or stack frame breaks a long
 * path between its directories, and nowhere else. */
static void esc_path(FILE *out, const char *path)
{
	const char *slash;

	while (path && (slash = strchr(path, '/'))) {
		char *part = xstrndup(path, (size_t)(slash - path) + 1);

		fputs("<span class=\"seg\">", out);
		esc(out, part);
		fputs("</span><wbr>", out);
		free(part);
		path = slash + 1;
	}
	if (path && *path)
		elem(out, "span", "seg", path, NULL);
}

/* Return the CSS class of a severity name (never text from the log itself). */
static const char *sev_class(const char *severity)
{
	switch (ma_severity_rank(severity)) {
	case MA_SEV_ERROR: return "sev-error";
	case MA_SEV_WARNING: return "sev-warning";
	case MA_SEV_NOTE: return "sev-note";
	default: return "sev-unknown";
	}
}

/* ---------------------------------------------------------------------
 * Frames
 * --------------------------------------------------------------------- */

/* Write "module+0xoffset" (the module's base name; its full path as the tooltip). */
static void module_html(FILE *out, const struct ma_sym_frame *f)
{
	if (!f->module) {
		fprintf(out, "<span class=\"module\">0x%" PRIx64 "</span>", f->offset);
		return;
	}
	fputs("<span class=\"module\" title=\"", out);
	esc(out, f->module);
	fputs("\">", out);
	esc(out, base_name(f->module));
	fprintf(out, "+0x%" PRIx64 "</span>", f->offset);
}

/* Write one frame: "function at file:line (module+0xoffset)". */
static void frame_html(FILE *out, const struct ma_sym_frame *f)
{
	elem(out, "code", "fn", f->function, "??");
	if (f->file) {
		fputs(" at <span class=\"file\">", out);
		esc_path(out, f->file);
		fprintf(out, ":%d</span>", f->line);
	}
	fputs(" (", out);
	module_html(out, f);
	fputs(")", out);
}

/* Write the frames [from, to) of a stack as list items. */
static void frame_items(FILE *out, const struct ma_sym_frame *frames, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		fputs("<li>", out);
		frame_html(out, &frames[i]);
		fputs("</li>\n", out);
	}
}

/* Write the symbolized stack id of p, innermost frame first (#0); frames past FRAMES_OPEN are in
 * a folded <details> element. */
static void stack_html(FILE *out, const struct ma_process *p, int64_t id)
{
	size_t n;
	const struct ma_sym_frame *frames = ma_process_frames(p, id, &n);

	if (!n) {
		fputs("<span class=\"muted\">(no stack)</span>\n", out);
		return;
	}
	fputs("<ol class=\"stack\" start=\"0\">\n", out);
	frame_items(out, frames, 0, n < FRAMES_OPEN ? n : FRAMES_OPEN);
	fputs("</ol>\n", out);
	if (n > FRAMES_OPEN) {
		fprintf(out, "<details><summary>%zu more frames</summary><ol class=\"stack\" "
			"start=\"%d\">\n", n - FRAMES_OPEN, FRAMES_OPEN);
		frame_items(out, frames, FRAMES_OPEN, n);
		fputs("</ol></details>\n", out);
	}
}

/* Write three cells for where a call came from (the first frame in the program's own code):
 * function, file:line and module. */
static void where_cells(FILE *out, const struct ma_process *p, int64_t stack)
{
	size_t n;
	const struct ma_sym_frame *frames = ma_process_frames(p, stack, &n);
	const struct ma_sym_frame *f = ma_frames_own(frames, n);

	if (!f) {
		fputs("<td class=\"muted\">(no stack)</td><td></td><td></td>", out);
		return;
	}
	fputs("<td>", out);
	elem(out, "code", "fn", f->function, "??");
	fputs("</td><td class=\"file\">", out);
	if (f->file) {
		esc_path(out, f->file);
		fprintf(out, ":%d", f->line);
	}
	fputs("</td><td>", out);
	module_html(out, f);
	fputs("</td>", out);
}

/* ---------------------------------------------------------------------
 * Sections of a process
 * --------------------------------------------------------------------- */

/* Write one row of the header list: a fixed term and its value, escaped. */
static void header_row(FILE *out, const char *term, const char *value)
{
	fprintf(out, "<dt>%s</dt><dd>", term);
	esc(out, value);
	fputs("</dd>\n", out);
}

/* Write the status row: complete (how it ended, exit status) or incomplete and why. */
static void status_row(FILE *out, const struct ma_process *p)
{
	fputs("<dt>status</dt><dd>", out);
	if (!p->complete) {
		fputs("<span class=\"incomplete\">incomplete</span>: ", out);
		esc(out, p->incomplete_reason ? p->incomplete_reason : "?");
	} else if (!strcmp(p->ended_by, "exec")) {
		fputs("<span class=\"complete\">complete</span>: replaced its image by execve "
		      "(see the next process)", out);
	} else {
		fputs("<span class=\"complete\">complete</span> (", out);
		esc(out, p->ended_by);
		fputs(")", out);
	}
	fputs("</dd>\n<dt>exit status</dt><dd>", out);
	if (p->log.has_exit_status)
		fprintf(out, "%" PRId64, p->log.exit_status);
	else
		fputs("<span class=\"muted\">unknown</span>", out);
	fputs("</dd>\n", out);
}

/* Write the header of p: program, argv, ids, log, policy, sizes, status, locked bytes. */
static void header(FILE *out, const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	char a[32], b[32], note[1024];

	fputs("<dl class=\"header\">\n", out);
	header_row(out, "program", l->exe ? l->exe : "(unknown program)");
	fputs("<dt>argv</dt><dd><code>", out);
	for (size_t i = 0; i < l->argc; i++) {
		fputs(i ? " " : "", out);
		esc(out, l->argv[i]);
	}
	fputs("</code>", out);
	if (l->argv_first)
		fputs(" <span class=\"muted\">(arguments not recorded: MEMAUDIT_ARGV=first)</span>", out);
	fputs("</dd>\n<dt>pid</dt><dd>", out);
	if (l->has_pid)
		fprintf(out, "%" PRId64, l->pid);
	else
		fputs("?", out);
	fputs("</dd>\n<dt>ppid</dt><dd>", out);
	if (l->has_ppid)
		fprintf(out, "%" PRId64, l->ppid);
	else
		fputs("?", out);
	fputs("</dd>\n", out);
	header_row(out, "log", p->path);
	if (l->parent_log)
		header_row(out, "forked from", l->parent_log);
	header_row(out, "policy", l->policy ? l->policy : "?");
	if (ma_trace_note(l, note, sizeof note))
		header_row(out, "traced", note + strlen("traced (trace mode): "));
	header_row(out, "memlock limit",
		   l->has_memlock_limit ? size_str(l->memlock_limit, a, sizeof a)
					: "unlimited or unknown");
	header_row(out, "page size", l->has_page_size ? size_str(l->page_size, b, sizeof b) : "?");
	status_row(out, p);
	fprintf(out, "<dt>locked</dt><dd>peak %s, at exit ", size_str(p->peak_locked, a, sizeof a));
	if (l->has_exit_locked)
		fputs(size_str(l->exit_locked_bytes, b, sizeof b), out);
	else
		fputs("unknown", out);
	fputs("</dd>\n</dl>\n", out);
}

/* Write the call site table of p. */
static void sites(FILE *out, const struct ma_process *p)
{
	char buf[1024], peak[32];

	fputs("<h3>Call sites</h3>\n", out);
	if (!p->nsites) {
		fputs("<p class=\"muted\">No calls to lock or advise memory.</p>\n", out);
		return;
	}
	fputs("<div class=\"table\"><table class=\"sites\">\n<thead><tr><th>op</th><th>calls</th>"
	      "<th>bytes</th><th>pages</th>"
	      "<th title=\"the most bytes locked right after a call from this site\">peak locked</th>"
	      "<th>failures</th><th>function</th><th>file:line</th><th>module</th></tr></thead>\n"
	      "<tbody>\n", out);
	for (size_t i = 0; i < p->nsites; i++) {
		const struct ma_site *s = &p->sites[i];

		fputs("<tr>", out);
		elem(out, "td", "op", op_str(s, buf, sizeof buf), NULL);
		fprintf(out, "<td class=\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64 "</td>"
			"<td class=\"num\">%" PRIu64 "</td><td class=\"num\">%s</td>", s->calls,
			s->bytes, s->pages, size_str(s->peak_locked, peak, sizeof peak));
		elem(out, "td", "failures", failures_str(s, buf, sizeof buf), NULL);
		where_cells(out, p, s->stack);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></div>\n", out);
}

/* Write the what-if table of p (nothing for a log of an older shim, which has no limits). */
static void whatif(FILE *out, const struct ma_process *p)
{
	char lim[64], name[32], note[1024];

	if (!p->log.nwhatif)
		return;
	fputs("<h3>What-if: RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK</h3>\n"
	      "<div class=\"table\"><table class=\"whatif\">\n<thead><tr><th>limit</th><th>result</th>"
	      "<th>lock call</th><th>errno</th><th>function</th><th>file:line</th><th>module</th>"
	      "</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];

		fprintf(out, "<tr><td>%s%s</td>", limit_str(w, lim, sizeof lim),
			w->set_by_program ? " (configured, set by the program)"
			: w->configured ? " (configured)" : "");
		if (!w->hit) {
			fprintf(out, "<td>no lock call fails%s</td><td></td><td></td><td></td><td></td>"
				"<td></td></tr>\n", p->complete ? "" : " (in what was logged)");
			continue;
		}
		fprintf(out, "<td class=\"fails\">fails</td><td class=\"num\">%" PRIu64 "</td>"
			"<td>%s</td>", w->call, errno_name(w->err, name, sizeof name));
		where_cells(out, p, w->stack);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></div>\n", out);
	if (ma_whatif_note(p, note, sizeof note)) {
		elem(out, "p", "whatif-note", note, NULL);
		fputc('\n', out);
	}
}

/* Write the heading and the explanation and fix of the rule of findings[from, to) of p, which
 * share it. */
static void rule_head(FILE *out, const struct ma_process *p, size_t from, size_t to)
{
	const struct ma_finding *f = &p->findings[from];
	const struct rule_def *r = rules_by_name(f->rule);
	uint64_t times = 0;
	size_t sites = 0;

	for (size_t i = from; i < to; i++)
		if (!p->findings[i].suppressed) {
			sites++;
			times = sat_add(times, p->findings[i].count);
		}
	fprintf(out, "<div class=\"rule %s\">\n<h4>", sev_class(f->severity));
	elem(out, "code", "rule-id", f->rule, NULL);
	fputs(" ", out);
	elem(out, "span", "sev", f->severity, "?");
	fprintf(out, " %" PRIu64 " time%s at %zu call site%s</h4>\n", times, plural(times), sites,
		plural(sites));
	if (r) {
		elem(out, "p", "summary", r->summary, NULL);
		fputs("\n<p class=\"why\"><b>Why:</b> ", out);
		esc(out, r->explanation);
		fputs("</p>\n<p class=\"fix\"><b>Fix:</b> ", out);
		esc(out, r->fix);
		fputs("</p>\n", out);
	} else {
		fputs("<p class=\"muted\">This version of memaudit-report does not know this "
		      "rule.</p>\n", out);
	}
}

/* Write the findings of p that are not suppressed, grouped by rule (they are sorted by
 * severity, then rule), each with its count, message and stacks. */
static void findings(FILE *out, const struct ma_process *p)
{
	size_t i = 0;
	uint64_t counts[MA_SEV_NONE] = { 0 };

	fputs("<h3>Findings</h3>\n", out);
	ma_process_count_findings(p, counts);
	if (!counts[MA_SEV_ERROR] && !counts[MA_SEV_WARNING] && !counts[MA_SEV_NOTE] &&
	    !counts[MA_SEV_UNKNOWN])
		fprintf(out, "<p class=\"muted\">No findings%s.</p>\n",
			p->suppressed ? " (all suppressed)" : "");
	while (i < p->nfindings) {
		size_t j = i;
		bool any = false;

		for (; j < p->nfindings && !strcmp(p->findings[j].rule, p->findings[i].rule); j++)
			any = any || !p->findings[j].suppressed;
		if (!any) {
			i = j;
			continue;
		}
		rule_head(out, p, i, j);
		fputs("<div class=\"table\"><table class=\"findings\">\n<thead><tr><th>count</th>"
		      "<th>message</th><th>stack</th></tr></thead>\n<tbody>\n", out);
		for (; i < j; i++) {
			const struct ma_finding *f = &p->findings[i];

			if (f->suppressed)
				continue;
			fprintf(out, "<tr class=\"finding\"><td class=\"num\">%" PRIu64 "</td>",
				f->count);
			elem(out, "td", "message", f->message, "(no message)");
			fputs("<td>", out);
			stack_html(out, p, f->stack);
			if (f->related_stack >= 0) {
				fputs("<div>related call site:</div>\n", out);
				stack_html(out, p, f->related_stack);
			}
			fputs("</td></tr>\n", out);
		}
		fputs("</tbody></table></div>\n</div>\n", out);
	}
}

/* Write the notes of p and its totals line; add its finding counts to counts[]. */
static void totals(FILE *out, const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
{
	uint64_t mine[MA_SEV_NONE] = { 0 }, calls = 0, pages = 0;

	if (p->nnotes) {
		fputs("<h3>Notes</h3>\n<ul class=\"notes\">\n", out);
		for (size_t i = 0; i < p->nnotes; i++) {
			elem(out, "li", NULL, p->notes[i], NULL);
			fputs("\n", out);
		}
		fputs("</ul>\n", out);
	}
	ma_process_count_findings(p, mine);
	for (size_t i = 0; i < p->nsites; i++) {
		calls = sat_add(calls, p->sites[i].calls);
		pages = sat_add(pages, p->sites[i].pages);
	}
	fprintf(out, "<p class=\"totals\"><b>Totals:</b> %zu call site%s, %" PRIu64 " calls, %"
		PRIu64 " pages; %" PRIu64 " error%s, %" PRIu64 " warning%s, %" PRIu64 " note%s; %"
		PRIu64 " suppressed</p>\n", p->nsites, plural(p->nsites), calls, pages,
		mine[MA_SEV_ERROR], plural(mine[MA_SEV_ERROR]), mine[MA_SEV_WARNING],
		plural(mine[MA_SEV_WARNING]), mine[MA_SEV_NOTE], plural(mine[MA_SEV_NOTE]),
		p->suppressed);
	for (int s = 0; s < MA_SEV_NONE; s++)
		counts[s] = sat_add(counts[s], mine[s]);
}

/* Write the heading of process number i (1-based): program and pid. */
static void process_title(FILE *out, const struct ma_process *p, size_t i)
{
	fprintf(out, "<h2 id=\"process-%zu\">%zu. ", i, i);
	esc(out, p->log.exe ? base_name(p->log.exe) : "(unknown program)");
	if (p->log.has_pid)
		fprintf(out, " (pid %" PRId64 ")", p->log.pid);
	fputs("</h2>\n", out);
}

/* Write the whole section of process number i; add its finding counts to counts[]. */
static void process(FILE *out, const struct ma_process *p, size_t i,
		    uint64_t counts[MA_SEV_NONE])
{
	fputs("<section class=\"process\">\n", out);
	process_title(out, p, i);
	header(out, p);
	fputs("<h3>Locked memory over time</h3>\n", out);
	ma_svg_timeline(out, p);
	sites(out, p);
	whatif(out, p);
	findings(out, p);
	totals(out, p, counts);
	fputs("</section>\n", out);
}

/* Write the list of processes, each linked to its section. */
static void contents(FILE *out, struct ma_process *const *procs, size_t n)
{
	fputs("<ol class=\"contents\">\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct ma_process *p = procs[i];
		uint64_t c[MA_SEV_NONE] = { 0 };

		ma_process_count_findings(p, c);
		fprintf(out, "<li><a href=\"#process-%zu\">", i + 1);
		esc(out, p->log.exe ? p->log.exe : "(unknown program)");
		if (p->log.has_pid)
			fprintf(out, " (pid %" PRId64 ")", p->log.pid);
		fprintf(out, "</a>: %" PRIu64 " error%s, %" PRIu64 " warning%s, %" PRIu64 " note%s%s"
			"</li>\n", c[MA_SEV_ERROR], plural(c[MA_SEV_ERROR]), c[MA_SEV_WARNING],
			plural(c[MA_SEV_WARNING]), c[MA_SEV_NOTE], plural(c[MA_SEV_NOTE]),
			p->complete ? "" : " (incomplete)");
	}
	fputs("</ol>\n", out);
}

/* Write the HTML report; see report_html.h. */
int ma_write_html(FILE *out, struct ma_process *const *procs, size_t n)
{
	uint64_t counts[MA_SEV_NONE] = { 0 };

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"memaudit-report %s\">\n"
		"<title>memaudit report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		"<h1>memaudit report</h1>\n", PACKAGE_VERSION, style);
	if (!n)
		fputs("<p>No logs to report.</p>\n", out);
	else
		contents(out, procs, n);
	for (size_t i = 0; i < n; i++)
		process(out, procs[i], i + 1, counts);
	fprintf(out, "<p class=\"summary\"><b>memaudit:</b> %zu process%s; %" PRIu64 " error%s, %"
		PRIu64 " warning%s, %" PRIu64 " note%s</p>\n</body>\n</html>\n", n,
		n == 1 ? "" : "es", counts[MA_SEV_ERROR], plural(counts[MA_SEV_ERROR]),
		counts[MA_SEV_WARNING], plural(counts[MA_SEV_WARNING]), counts[MA_SEV_NOTE],
		plural(counts[MA_SEV_NOTE]));
	return ferror(out) ? -1 : 0;
}
