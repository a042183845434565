/* text_sections.c: the sections a process and a merged executable share (see text_sections.h). */
#include <config.h>

#include "text_sections.h"
#include "names.h"
#include "report_fmt.h"
#include "policy/rules.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_FRAMES_SHOWN 8

/* Write a limit exactly into buf ("unlimited" when it is). */
const char *tx_limit(bool unlimited, uint64_t v, char *buf, size_t len)
{
	if (unlimited) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	return exact_size_str(v, buf, len);
}

/* Return the style of a severity name. */
enum tx_style tx_severity_style(const char *severity)
{
	static const enum tx_style styles[MA_SEV_NONE] = {
		[MA_SEV_UNKNOWN] = TX_PLAIN, [MA_SEV_NOTE] = TX_NOTE,
		[MA_SEV_WARNING] = TX_WARNING, [MA_SEV_ERROR] = TX_ERROR,
	};

	return styles[ma_severity_rank(severity)];
}

/* Add a short "where" for frame f (NULL: no stack) to ln: "function file:line", "function
 * (module)", "file:line", "module+0x..", the names and file:line whole. */
static void add_where(struct tx_builder *ln, const struct ma_sym_frame *f)
{
	if (!f) {
		tx_add(ln, TX_PLAIN, "(no stack)", false);
	} else if (f->function && f->file) {
		tx_add(ln, TX_PLAIN, f->function, true);
		tx_add(ln, TX_PLAIN, " ", false);
		tx_add_owned(ln, tx_strf("%s:%d", base_name(f->file), f->line), true);
	} else if (f->function) {
		tx_add(ln, TX_PLAIN, f->function, true);
		tx_add(ln, TX_PLAIN, " ", false);
		tx_add_owned(ln, tx_strf("(%s)", f->module ? base_name(f->module) : "?"), true);
	} else if (f->file) {
		tx_add_owned(ln, tx_strf("%s:%d", base_name(f->file), f->line), true);
	} else if (f->module) {
		tx_add_owned(ln, tx_strf("%s+0x%" PRIx64, base_name(f->module), f->offset), true);
	} else {
		tx_add_owned(ln, tx_strf("0x%" PRIx64, f->offset), true);
	}
}

/* Write one frame of a finding's stack: "#i function at file:line (module+0x..)"; an inlined call
 * says so instead of its module+offset, which are those of the frame it was inlined into (the
 * next one). The function, the file:line and the module are never broken. */
static void frame_line(struct text_out *out, size_t i, const struct ma_sym_frame *f)
{
	struct tx_builder ln = { 0 };

	tx_add_owned(&ln, tx_strf("      #%zu ", i), false);
	tx_add(&ln, TX_PLAIN, f->function ? f->function : "??", true);
	if (f->file) {
		tx_add(&ln, TX_PLAIN, " at ", false);
		tx_add_owned(&ln, tx_strf("%s:%d", f->file, f->line), true);
	}
	tx_add(&ln, TX_PLAIN, " ", false);
	if (f->inlined)
		tx_add(&ln, TX_PLAIN, "(inlined)", true);
	else if (f->module)
		tx_add_owned(&ln, tx_strf("(%s+0x%" PRIx64 ")", base_name(f->module), f->offset),
			     true);
	else
		tx_add_owned(&ln, tx_strf("(0x%" PRIx64 ")", f->offset), true);
	tx_put(out, &ln, -1);
}

/* Write the frames (at most MAX_FRAMES_SHOWN). */
static void stack_lines(struct text_out *out, const struct ma_sym_frame *frames, size_t n)
{
	if (!n)
		tx_line(out, "      (no stack)");
	for (size_t i = 0; i < n && i < MAX_FRAMES_SHOWN; i++)
		frame_line(out, i, &frames[i]);
	if (n > MAX_FRAMES_SHOWN)
		tx_line(out, "      ... %zu more frames (see --format json)", n - MAX_FRAMES_SHOWN);
}

/* ---------------------------------------------------------------------
 * Call sites
 * --------------------------------------------------------------------- */

/* Raise *w to the columns of s. */
static void widen(int *w, const char *s)
{
	int n = tx_columns(s);

	if (n > *w)
		*w = n;
}

/* The texts of one row of the call site table (room for every advice and every errno). */
struct site_cells {
	char op[1024], procs[32], calls[32], bytes[32], pages[32], peak[32], fail[1024];
};

/* Add one row of the call site table to ln: the cells as wide as the widths w[], each whole; the
 * procs column only when merged; the numbers right-aligned. */
static void add_site_row(struct tx_builder *ln, const struct site_cells *c, const int w[7],
			 bool merged)
{
	static const char *const before[7] = { "   ", " ", " ", " ", " ", " ", "  " };
	const char *const text[7] = { c->op, c->procs, c->calls, c->bytes, c->pages, c->peak,
				      c->fail };

	for (int k = 0; k < 7; k++) {
		if (k == 1 && !merged)
			continue;
		tx_add(ln, TX_PLAIN, before[k], false);
		tx_add_cell(ln, text[k], w[k], k > 0 && k < 6);
	}
	tx_add(ln, TX_PLAIN, "  ", false);
}

/* Write the call site table: every column as wide as its widest entry (never cut), the "where"
 * last. On a terminal too narrow for a row, the row breaks between cells. */
void tx_site_table(struct text_out *out, const struct tx_site_row *rows, size_t n, bool merged)
{
	static const struct site_cells head = {
		"call site (by pages)", "procs", "calls", "bytes", "pages", "peak", "failures"
	};
	/* the least widths are those the columns had before issue 11, so that tables look alike */
	int w[7] = { 20, 6, 6, 10, 6, 8, 8 };
	struct site_cells *c;
	struct tx_builder ln = { 0 };

	if (!n) {
		tx_line(out, "   no calls to lock or advise memory");
		return;
	}
	c = xcalloc(n + 1, sizeof *c);
	c[0] = head;
	for (size_t i = 0; i < n; i++) {
		const struct ma_site *s = rows[i].site;
		struct site_cells *r = &c[i + 1];

		op_str(s, r->op, sizeof r->op);
		snprintf(r->procs, sizeof r->procs, "%" PRIu64, rows[i].processes);
		snprintf(r->calls, sizeof r->calls, "%" PRIu64, s->calls);
		snprintf(r->bytes, sizeof r->bytes, "%" PRIu64, s->bytes);
		snprintf(r->pages, sizeof r->pages, "%" PRIu64, s->pages);
		size_str(s->peak_locked, r->peak, sizeof r->peak);
		failures_str(s, r->fail, sizeof r->fail);
	}
	for (size_t i = 0; i <= n; i++) {
		widen(&w[0], c[i].op);
		widen(&w[1], c[i].procs);
		widen(&w[2], c[i].calls);
		widen(&w[3], c[i].bytes);
		widen(&w[4], c[i].pages);
		widen(&w[5], c[i].peak);
		widen(&w[6], c[i].fail);
	}
	add_site_row(&ln, &c[0], w, merged);
	tx_add(&ln, TX_PLAIN, "where", false);
	tx_put(out, &ln, -1);
	for (size_t i = 0; i < n; i++) {
		add_site_row(&ln, &c[i + 1], w, merged);
		add_where(&ln, ma_frames_own(rows[i].frames, rows[i].nframes));
		tx_put(out, &ln, -1);
	}
	free(c);
}

/* ---------------------------------------------------------------------
 * Findings
 * --------------------------------------------------------------------- */

/* Write the explanation and the fix of rule (nothing for a rule this tool does not know). */
static void rule_help(struct text_out *out, const char *rule)
{
	const struct rule_def *r = rules_by_name(rule);

	if (!r)
		return;
	tx_line_hang(out, 10, "     why: %s", r->explanation);
	tx_line_hang(out, 10, "     fix: %s", r->fix);
}

/* Write the heading of a rule's findings: "   rule [severity]: T times at S call sites", the rule
 * name and the severity in colour. */
static void rule_heading(struct text_out *out, const char *rule, const char *severity,
			 uint64_t times, size_t sites)
{
	char sev[64], rest[128];
	struct tx_piece pieces[] = {
		{ TX_PLAIN, "   ", false }, { TX_RULE, rule, true }, { TX_PLAIN, " [", false },
		{ tx_severity_style(severity), sev, false }, { TX_PLAIN, rest, false },
	};

	snprintf(sev, sizeof sev, "%s", severity ? severity : "?");
	snprintf(rest, sizeof rest, "]: %" PRIu64 " time%s at %zu call site%s", times,
		 plural(times), sites, plural(sites));
	tx_pieces(out, pieces, sizeof pieces / sizeof pieces[0]);
}

/* Write the findings grouped by rule. */
void tx_findings(struct text_out *out, const struct tx_finding_row *rows, size_t n, bool merged,
		 uint64_t counts[MA_SEV_NONE])
{
	size_t i = 0;

	while (i < n) {
		const struct ma_finding *f = rows[i].finding;
		size_t j;
		uint64_t times = 0;

		for (j = i; j < n && !strcmp(rows[j].finding->rule, f->rule); j++) {
			const struct ma_finding *g = rows[j].finding;
			enum ma_severity s = ma_severity_rank(g->severity);

			times = sat_add(times, g->count);
			counts[s] = sat_add(counts[s], g->count);
		}
		rule_heading(out, f->rule, f->severity, times, j - i);
		rule_help(out, f->rule);
		for (; i < j; i++) {
			const struct ma_finding *g = rows[i].finding;
			char procs[64] = "";
			struct tx_builder ln = { 0 };

			if (merged)
				snprintf(procs, sizeof procs, " in %" PRIu64 " process%s:",
					 rows[i].processes, rows[i].processes == 1 ? "" : "es");
			tx_line(out, "     %" PRIu64 "x%s %s", g->count, procs,
				g->message ? g->message : "(no message)");
			/* where in the program's own code, before the whole stack */
			tx_add(&ln, TX_PLAIN, "     at ", false);
			add_where(&ln, ma_frames_own(rows[i].frames, rows[i].nframes));
			tx_put(out, &ln, -1);
			stack_lines(out, rows[i].frames, rows[i].nframes);
			if (rows[i].has_related) {
				tx_line(out, "     related call site:");
				stack_lines(out, rows[i].related, rows[i].nrelated);
			}
		}
	}
}

/* ---------------------------------------------------------------------
 * What-if and totals
 * --------------------------------------------------------------------- */

/* Write the what-if table: limit, result and, for a limit that fails, the call site; then the
 * note (whatif_note.h), if any. */
void tx_whatif_table(struct text_out *out, const struct tx_whatif_row *rows, size_t n,
		     const char *note)
{
	int w1 = 0, w2 = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		if ((int)strlen(rows[i].limit) > w1)
			w1 = (int)strlen(rows[i].limit);
		if ((int)strlen(rows[i].result) > w2)
			w2 = (int)strlen(rows[i].result);
	}
	tx_line(out, "   what-if (RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK)");
	for (size_t i = 0; i < n; i++) {
		struct tx_builder ln = { 0 };

		tx_add(&ln, TX_PLAIN, "   ", false);
		tx_add_cell(&ln, rows[i].limit, w1, false);
		tx_add(&ln, TX_PLAIN, "  ", false);
		if (!rows[i].fails) {
			tx_add(&ln, TX_PLAIN, rows[i].result, true);
		} else {
			tx_add_cell(&ln, rows[i].result, w2, false);
			tx_add(&ln, TX_PLAIN, "  ", false);
			add_where(&ln, ma_frames_own(rows[i].frames, rows[i].nframes));
		}
		tx_put(out, &ln, -1);
	}
	if (note && *note)
		tx_line_hang(out, 9, "   note: %s", note);
	tx_line(out, "%s", "");
}

/* Write "no findings", the notes and the totals line. */
void tx_section_end(struct text_out *out, const struct tx_site_row *rows, size_t nsites,
		    const uint64_t counts[MA_SEV_NONE], uint64_t suppressed,
		    const char *const *notes, size_t nnotes)
{
	uint64_t calls = 0, pages = 0;

	if (!counts[MA_SEV_ERROR] && !counts[MA_SEV_WARNING] && !counts[MA_SEV_NOTE] &&
	    !counts[MA_SEV_UNKNOWN])
		tx_line(out, "   no findings%s", suppressed ? " (all suppressed)" : "");
	for (size_t i = 0; i < nnotes; i++)
		tx_line_hang(out, 9, "   note: %s", notes[i]);
	for (size_t i = 0; i < nsites; i++) {
		calls = sat_add(calls, rows[i].site->calls);
		pages = sat_add(pages, rows[i].site->pages);
	}
	tx_line(out, "   totals: %zu call site%s, %" PRIu64 " calls, %" PRIu64 " pages; %" PRIu64
		" error%s, %" PRIu64 " warning%s, %" PRIu64 " note%s; %" PRIu64 " suppressed",
		nsites, plural(nsites), calls, pages, counts[MA_SEV_ERROR],
		plural(counts[MA_SEV_ERROR]), counts[MA_SEV_WARNING],
		plural(counts[MA_SEV_WARNING]), counts[MA_SEV_NOTE],
		plural(counts[MA_SEV_NOTE]), suppressed);
	tx_line(out, "%s", "");
}

/* ---------------------------------------------------------------------
 * Processes that made no audited call
 * --------------------------------------------------------------------- */

/* Return whether p is quiet; see text_sections.h. */
bool tx_quiet(const struct ma_process *p)
{
	const struct ma_log *l = &p->log;

	for (size_t i = 0; i < l->nwhatif; i++)
		if (l->whatif[i].set_by_program || l->whatif[i].hit)
			return false;
	return p->complete && !l->stop_line && !l->events && !p->nsites && !p->nfindings &&
	       !p->suppressed && !p->nnotes && !l->lost_records && !l->memlock_read;
}

/* A program name among the quiet processes, and how many there are of it. */
struct quiet_name {
	const char *name;
	size_t count, first;
};

/* qsort: the most processes first, then the name seen first. */
static int quiet_name_cmp(const void *a, const void *b)
{
	const struct quiet_name *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Write the line of the quiet processes; see text_sections.h. */
void tx_quiet_line(struct text_out *out, const char *const *names, size_t n, bool more)
{
	struct quiet_name *q = xcalloc(n ? n : 1, sizeof *q);
	struct tx_piece *pieces = xcalloc(2 * n + 1, sizeof *pieces);
	char **texts = xcalloc(n ? n : 1, sizeof *texts);
	size_t nq = 0, np = 0;
	char *head;

	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < nq && strcmp(q[k].name, names[i]); k++)
			continue;
		if (k == nq)
			q[nq++] = (struct quiet_name){ names[i], 0, i };
		q[k].count++;
	}
	sort_array(q, nq, sizeof *q, quiet_name_cmp);
	head = tx_strf("%zu %sprocess%s made no audited call: ", n, more ? "more " : "",
		       n == 1 ? "" : "es");
	pieces[np++] = (struct tx_piece){ TX_PLAIN, head, false };
	for (size_t k = 0; k < nq; k++) {
		if (q[k].count > 1)
			texts[k] = tx_strf("%s (%zu)%s", q[k].name, q[k].count,
					   k + 1 < nq ? "," : "");
		else
			texts[k] = tx_strf("%s%s", q[k].name, k + 1 < nq ? "," : "");
		if (k)
			pieces[np++] = (struct tx_piece){ TX_PLAIN, " ", false };
		pieces[np++] = (struct tx_piece){ TX_PLAIN, texts[k], true };
	}
	tx_pieces(out, pieces, np);
	for (size_t k = 0; k < nq; k++)
		free(texts[k]);
	free(texts);
	free(head);
	free(pieces);
	free(q);
}
