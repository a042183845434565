/* text_sections.h: the parts of the text report that a process's section (report_text.c) and a
 * merged executable's section (report_text_merged.c, --merge) share: the call site table, the
 * findings by rule with their stacks, the what-if table, the totals line, and the way sizes,
 * limits and frames are written.
 *
 * The sections take rows: a site, finding or what-if entry with the frames to show and, for merged
 * entries, how many processes it covers.
 */
#ifndef MEMAUDIT_TOOLS_TEXT_SECTIONS_H
#define MEMAUDIT_TOOLS_TEXT_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report_fmt.h"
#include "report_model.h"
#include "text_out.h"

/* One row of the call site table. */
struct tx_site_row {
	const struct ma_site *site;
	const struct ma_sym_frame *frames;
	size_t nframes;
	uint64_t processes;  /* shown when the table is merged */
};

/* One finding entry (not suppressed). Entries of one rule follow each other. */
struct tx_finding_row {
	const struct ma_finding *finding;  /* rule, severity, message, count */
	const struct ma_sym_frame *frames, *related;
	size_t nframes, nrelated;
	bool has_related;                  /* a second call site is involved */
	uint64_t processes;  /* shown when the list is merged */
};

/* One row of the what-if table. */
struct tx_whatif_row {
	char limit[64];                    /* "RLIMIT_MEMLOCK 64 KiB (configured)" */
	char result[160];                  /* "fails at lock call 3 (ENOMEM)" */
	bool fails;                        /* some lock call fails at this limit */
	const struct ma_sym_frame *frames; /* the call site of the first one */
	size_t nframes;
};

/* Write an RLIMIT_MEMLOCK exactly ("32 KiB", "8 MiB", "65537 B", "unlimited") into buf and return
 * buf. */
const char *tx_limit(bool unlimited, uint64_t limit, char *buf, size_t len);
/* Return the style of a severity name (plain for names this tool does not know). */
enum tx_style tx_severity_style(const char *severity);

/* Write the call site table (merged: with a column of process counts). */
void tx_site_table(struct text_out *out, const struct tx_site_row *rows, size_t n, bool merged);
/* Write the findings grouped by rule: a heading, the rule's explanation and fix, and each entry
 * with its count (merged: and its number of processes), message and stack. Adds the counts by
 * severity to counts[]. */
void tx_findings(struct text_out *out, const struct tx_finding_row *rows, size_t n, bool merged,
		 uint64_t counts[MA_SEV_NONE]);
/* Write the what-if table under its heading (nothing when n is 0). */
void tx_whatif_table(struct text_out *out, const struct tx_whatif_row *rows, size_t n,
		     const char *note);
/* Write "no findings" when counts[] is all zero, then the notes and the totals line of a section
 * with these sites. */
void tx_section_end(struct text_out *out, const struct tx_site_row *rows, size_t nsites,
		    const uint64_t counts[MA_SEV_NONE], uint64_t suppressed,
		    const char *const *notes, size_t nnotes);

/* Return whether p made no audited call and has nothing else to say: its log is complete and holds
 * no event, no finding (suppressed ones included), no lost record, no note, and the process neither
 * read nor set its memlock limit. The text report folds such processes into one line. */
bool tx_quiet(const struct ma_process *p);
/* Write the one line that stands for quiet processes: their number and, per program name (names
 * [0..n), one per process, may repeat), how many, the most first: "5 processes made no audited
 * call: ls (2), sh (2), cat". more: processes were reported above ("5 more processes"). */
void tx_quiet_line(struct text_out *out, const char *const *names, size_t n, bool more);

#endif
