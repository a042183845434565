/* text_out.h: the lines of the text report: never cut; on a terminal wrapped at its width,
 * elsewhere one line each however long; control and bidirectional characters and bytes that are
 * not UTF-8 (from logs: program names, paths, argv, messages) shown as '?'; colour when it is
 * wanted.
 *
 * Wrapping (only when the report goes to a terminal: tx_width) breaks a line only at a space,
 * never inside a piece marked whole (a path, a file:line, a function name): a continuation line
 * starts with a hanging indent, four columns deeper than the line's own indent unless the writer
 * gives another; a word longer than the width stays whole on a line of its own. In a pipe or a
 * file a line is written as it is, so that grep and scripts see every line whole.
 *
 * Colour is ANSI SGR escape codes around the pieces of a line that have a style: severities and
 * rule names. The codes do not count as columns, and every written line that opens a style ends
 * with the code that resets it. A log can never put an escape character on the terminal: its text
 * goes through the '?' filter, the codes are added only here.
 */
#ifndef MEMAUDIT_TOOLS_TEXT_OUT_H
#define MEMAUDIT_TOOLS_TEXT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The narrowest width wrapping uses (a narrower terminal gets lines of this width). */
#define TX_MIN_WIDTH 20

/* Where the text goes, whether in colour, and at which width it wraps. */
struct text_out {
	FILE *f;
	bool color;
	int width;  /* columns to wrap at (a terminal's); 0: never wrap */
};

/* The styles of pieces of a line. */
enum tx_style { TX_PLAIN, TX_ERROR, TX_WARNING, TX_NOTE, TX_RULE };

/* A piece of a line: text in a style; whole: never broken at its spaces (a path, a file:line). */
struct tx_piece {
	enum tx_style style;
	const char *text;
	bool whole;
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
/* Return the width to wrap the text written to fd at: 0 (never wrap) when fd is not a terminal;
 * otherwise COLUMNS when it is set to a positive number (as GCC and util-linux read it: it
 * overrides), else the terminal's width (TIOCGWINSZ), else 80; never less than TX_MIN_WIDTH. */
int tx_width(int fd);

/* Write pieces[0..n) as one line (wrapped with the default hanging indent). */
void tx_pieces(struct text_out *o, const struct tx_piece *pieces, size_t n);
/* The same with continuation lines indented by hang columns. */
void tx_pieces_hang(struct text_out *o, int hang, const struct tx_piece *pieces, size_t n);
/* Write one plain line, printf-style (of any length). */
void tx_line(struct text_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with continuation lines indented by hang columns. */
void tx_line_hang(struct text_out *o, int hang, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line being put together from pieces (start it as { 0 }). */
struct tx_builder {
	struct tx_piece *p;
	size_t n, cap;
	char **owned; /* texts the line frees when written */
	size_t nowned, owned_cap;
};
/* Add a piece to ln (text must live until ln is written). */
void tx_add(struct tx_builder *ln, enum tx_style style, const char *text, bool whole);
/* Add a plain piece whose text (malloc'd, as from tx_strf) ln frees when written. */
void tx_add_owned(struct tx_builder *ln, char *text, bool whole);
/* Add text padded with spaces to width columns (right: on the left), the text whole, the padding
 * a place to break. */
void tx_add_cell(struct tx_builder *ln, const char *text, int width, bool right);
/* Write ln as one line continued at hang (-1: the default), and empty it. */
void tx_put(struct text_out *o, struct tx_builder *ln, int hang);
/* Return the columns of s (a UTF-8 sequence is one). */
int tx_columns(const char *s);
/* Return the printf-style text in a new string (free it; exits when out of memory). */
char *tx_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
