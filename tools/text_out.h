/* text_out.h: the lines of the text report: at most MA_TEXT_WIDTH columns each, control and
 * bidirectional characters and bytes that are not UTF-8 (from logs: program names, paths, argv,
 * messages) shown as '?', and colour when it is wanted.
 *
 * Colour is ANSI SGR escape codes around the pieces of a line that have a style: severities and
 * rule names. The codes do not count as columns, and a line cut at MA_TEXT_WIDTH still ends with
 * the code that resets the style. A log can never put an escape character on the terminal: its
 * text goes through the '?' filter, the codes are added only here.
 */
#ifndef MEMAUDIT_TOOLS_TEXT_OUT_H
#define MEMAUDIT_TOOLS_TEXT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MA_TEXT_WIDTH 100

/* Where the text goes, and whether in colour. */
struct text_out {
	FILE *f;
	bool color;
};

/* The styles of pieces of a line. */
enum tx_style { TX_PLAIN, TX_ERROR, TX_WARNING, TX_NOTE, TX_RULE };

/* A piece of a line: text in a style. */
struct tx_piece {
	enum tx_style style;
	const char *text;
};

/* --color=WHEN */
enum tx_color_when { TX_COLOR_AUTO, TX_COLOR_ALWAYS, TX_COLOR_NEVER };

/* Return the WHEN that arg names ("auto", "always", "never"; NULL, as for a bare --color, is
 * "always"), or -1 when it names none. */
int tx_color_parse(const char *arg);
/* Return whether to colour: always and never as they say; auto only when the report goes to
 * standard output (to_stdout), that is a terminal, TERM is not "dumb" and NO_COLOR is unset or
 * empty (https://no-color.org). An explicit --color=always overrides NO_COLOR. */
bool tx_color_wanted(enum tx_color_when when, bool to_stdout);

/* Write pieces[0..n) as one line. */
void tx_pieces(struct text_out *o, const struct tx_piece *pieces, size_t n);
/* Write one plain line, printf-style. */
void tx_line(struct text_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write text as lines of at most MA_TEXT_WIDTH columns, each starting with indent spaces, breaking
 * at spaces (a word longer than a line is cut). */
void tx_wrapped(struct text_out *o, int indent, const char *text);

#endif
