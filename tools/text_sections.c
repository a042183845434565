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

/* Write one frame of a finding's stack; an inlined call says so instead of its module+offset,
 * which are those of the frame it was inlined into (the next one). */
static void frame_line(struct text_out *out, size_t i, const struct ma_sym_frame *f)
{
	char mod[512];

	if (f->inlined)
		snprintf(mod, sizeof mod, "inlined");
	else if (f->module)
		snprintf(mod, sizeof mod, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		snprintf(mod, sizeof mod, "0x%" PRIx64, f->offset);
	if (f->file)
		tx_line(out, "      #%zu %s at %s:%d (%s)", i, f->function ? f->function : "??",
			f->file, f->line, mod);
	else
		tx_line(out, "      #%zu %s (%s)", i, f->function ? f->function : "??", mod);
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

/* Write the call site table. */
void tx_site_table(struct text_out *out, const struct tx_site_row *rows, size_t n, bool merged)
{
	char op[128], fail[256], where[1024], procs[32] = "", peak[32];
	int fw = 8; /* "failures" */

	if (!n) {
		tx_line(out, "   no calls to lock or advise memory");
		return;
	}
	/* the failures column is as wide as its widest entry, within limits */
	for (size_t i = 0; i < n; i++) {
		int w = (int)strlen(failures_str(rows[i].site, fail, sizeof fail));

		if (w > fw)
			fw = w < 40 ? w : 40;
	}
	tx_line(out, "   %-20s%s %6s %10s %6s %8s  %-*s  %s", "call site (by pages)",
		merged ? "  procs" : "", "calls", "bytes", "pages", "peak", fw, "failures", "where");
	for (size_t i = 0; i < n; i++) {
		const struct ma_site *s = rows[i].site;

		if (merged)
			snprintf(procs, sizeof procs, " %6" PRIu64, rows[i].processes);
		tx_line(out, "   %-20.20s%s %6" PRIu64 " %10" PRIu64 " %6" PRIu64 " %8s  %-*s  %s",
			op_str(s, op, sizeof op), procs, s->calls, s->bytes, s->pages,
			size_str(s->peak_locked, peak, sizeof peak), fw,
			failures_str(s, fail, sizeof fail),
			where_str(ma_frames_own(rows[i].frames, rows[i].nframes), where,
				  sizeof where));
	}
}

/* ---------------------------------------------------------------------
 * Findings
 * --------------------------------------------------------------------- */

/* Write the explanation and the fix of rule (nothing for a rule this tool does not know). */
static void rule_help(struct text_out *out, const char *rule)
{
	const struct rule_def *r = rules_by_name(rule);
	char text[2048];

	if (!r)
		return;
	snprintf(text, sizeof text, "why: %s", r->explanation);
	tx_wrapped(out, 5, text);
	snprintf(text, sizeof text, "fix: %s", r->fix);
	tx_wrapped(out, 5, text);
}

/* Write the heading of a rule's findings: "   rule [severity]: T times at S call sites", the rule
 * name and the severity in colour. */
static void rule_heading(struct text_out *out, const char *rule, const char *severity,
			 uint64_t times, size_t sites)
{
	char sev[64], rest[128];
	struct tx_piece pieces[] = {
		{ TX_PLAIN, "   " }, { TX_RULE, rule }, { TX_PLAIN, " [" },
		{ tx_severity_style(severity), sev }, { TX_PLAIN, rest },
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
			char msg[4096], procs[64] = "", where[1024];

			if (merged)
				snprintf(procs, sizeof procs, " in %" PRIu64 " process%s:",
					 rows[i].processes, rows[i].processes == 1 ? "" : "es");
			snprintf(msg, sizeof msg, "%" PRIu64 "x%s %s", g->count, procs,
				 g->message ? g->message : "(no message)");
			tx_wrapped(out, 5, msg);
			/* where in the program's own code, before the whole stack */
			tx_line(out, "     at %s", where_str(ma_frames_own(rows[i].frames, rows[i].nframes),
							 where, sizeof where));
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
	char where[1024];
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
		if (!rows[i].fails) {
			tx_line(out, "   %-*s  %s", w1, rows[i].limit, rows[i].result);
			continue;
		}
		where_str(ma_frames_own(rows[i].frames, rows[i].nframes), where, sizeof where);
		if (3 + w1 + 2 + w2 + 2 + (int)strlen(where) <= MA_TEXT_WIDTH) {
			tx_line(out, "   %-*s  %-*s  %s", w1, rows[i].limit, w2, rows[i].result,
				where);
		} else { /* the call site on a line of its own rather than cut */
			tx_line(out, "   %-*s  %s", w1, rows[i].limit, rows[i].result);
			tx_line(out, "   %-*s  from %s", w1, "", where);
		}
	}
	if (note && *note) {
		char line[1100];

		snprintf(line, sizeof line, "note: %s", note);
		tx_wrapped(out, 3, line);
	}
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
	for (size_t i = 0; i < nnotes; i++) {
		char note[1100];

		snprintf(note, sizeof note, "note: %s", notes[i]);
		tx_wrapped(out, 3, note);
	}
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
