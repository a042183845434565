/* text_out.c: filtered, optionally coloured lines, wrapped on a terminal (see text_out.h). */
#include <config.h>

#include "text_out.h"
#include "policy/utf8.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The SGR codes of each style (GCC's colours for its diagnostics; rule names bold). */
static const char *const style_codes[] = {
	[TX_PLAIN] = "",
	[TX_ERROR] = "\033[1;31m",
	[TX_WARNING] = "\033[1;35m",
	[TX_NOTE] = "\033[1;36m",
	[TX_RULE] = "\033[1m",
};
#define RESET "\033[0m"
#define DEFAULT_HANG 4 /* a continuation line's indent beyond the line's own */

/* One column of a line: the bytes shown there (a UTF-8 sequence, or "?"), its style, and whether
 * the line may be broken there (a space outside a whole piece). */
struct cell {
	const char *s;
	unsigned char len;
	unsigned char style;
	bool brk;
};

/* A line being written: where the style stands. */
struct writer {
	struct text_out *o;
	enum tx_style style;
};

/* Return the WHEN arg names, or -1. */
int tx_color_parse(const char *arg)
{
	if (!arg || !strcmp(arg, "always"))
		return TX_COLOR_ALWAYS;
	if (!strcmp(arg, "never"))
		return TX_COLOR_NEVER;
	if (!strcmp(arg, "auto"))
		return TX_COLOR_AUTO;
	return -1;
}

/* Decide whether to colour; see text_out.h. */
bool tx_color_wanted(enum tx_color_when when, bool to_stdout)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != TX_COLOR_AUTO)
		return when == TX_COLOR_ALWAYS;
	if (no_color && *no_color)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return to_stdout && isatty(STDOUT_FILENO);
}

/* Return the width to wrap at; see text_out.h. */
int tx_width(int fd)
{
	const char *columns = getenv("COLUMNS");
	struct winsize ws;
	int width = 80;

	if (fd < 0 || !isatty(fd))
		return 0;
	if (columns && *columns) {
		char *end;
		long v = strtol(columns, &end, 10);

		if (!*end && v > 0 && v <= 100000) {
			width = (int)v;
			goto clamp;
		}
	}
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
clamp:
	return width < TX_MIN_WIDTH ? TX_MIN_WIDTH : width;
}

/* Return the cells of pieces[0..n), their number in *ncells (free them): bytes that are not UTF-8,
 * control characters (C0, DEL, and C1, which some terminals obey too) and bidirectional controls
 * (utf8_hidden) become '?'; a UTF-8 sequence is one column. */
static struct cell *cells_of(const struct tx_piece *pieces, size_t n, size_t *ncells)
{
	size_t bytes = 0, k = 0;
	struct cell *cells;

	for (size_t i = 0; i < n; i++)
		bytes += strlen(pieces[i].text);
	cells = xcalloc(bytes ? bytes : 1, sizeof *cells);
	for (size_t i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)pieces[i].text;

		while (*s) {
			uint32_t cp;
			size_t len = utf8_seq(s, strnlen((const char *)s, 4), &cp);
			struct cell *c = &cells[k++];

			c->style = (unsigned char)pieces[i].style;
			if (!len || utf8_hidden(cp)) {
				c->s = "?";
				c->len = 1;
			} else {
				c->s = (const char *)s;
				c->len = (unsigned char)len;
			}
			c->brk = *s == ' ' && !pieces[i].whole;
			s += len ? len : 1;
		}
	}
	*ncells = k;
	return cells;
}

/* Write cells[from..to) in their styles. */
static void put_cells(struct writer *w, const struct cell *cells, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		enum tx_style st = w->o->color ? (enum tx_style)cells[i].style : TX_PLAIN;

		if (st != w->style) {
			if (w->style != TX_PLAIN)
				fputs(RESET, w->o->f);
			fputs(style_codes[st], w->o->f);
			w->style = st;
		}
		fwrite(cells[i].s, 1, cells[i].len, w->o->f);
	}
}

/* End the written line: reset the style, newline. */
static void end_line(struct writer *w)
{
	if (w->style != TX_PLAIN)
		fputs(RESET, w->o->f);
	w->style = TX_PLAIN;
	fputc('\n', w->o->f);
}

/* Write the cells wrapped at o->width: words (runs between breakable spaces) are put on the line
 * while they fit, the space before a word that does not fit becomes a new line that starts with
 * hang columns of indent; a word is never broken. */
static void put_wrapped(struct writer *w, const struct cell *cells, size_t n, int hang)
{
	int width = w->o->width, col;
	size_t lead = 0, i;
	bool start = true;

	while (lead < n && cells[lead].len == 1 && cells[lead].s[0] == ' ')
		lead++;
	if (hang < 0)
		hang = (int)lead + DEFAULT_HANG;
	if (hang > width / 2)
		hang = width / 2;
	put_cells(w, cells, 0, lead);
	col = (int)lead;
	for (i = lead; i < n;) {
		size_t word = i, end;
		int gap, len;

		while (word < n && cells[word].brk)
			word++;
		if (word == n)
			break; /* trailing spaces */
		for (end = word; end < n && !cells[end].brk; end++)
			continue;
		gap = (int)(word - i);
		len = (int)(end - word);
		if (start || col + gap + len <= width) {
			put_cells(w, cells, i, end);
			col += gap + len;
		} else {
			end_line(w);
			fprintf(w->o->f, "%*s", hang, "");
			put_cells(w, cells, word, end);
			col = hang + len;
		}
		start = false;
		i = end;
	}
	end_line(w);
}

/* Write the pieces as one line, wrapped with hanging indent hang (-1: the default). */
void tx_pieces_hang(struct text_out *o, int hang, const struct tx_piece *pieces, size_t n)
{
	struct writer w = { o, TX_PLAIN };
	size_t ncells;
	struct cell *cells = cells_of(pieces, n, &ncells);

	if (o->width > 0 && ncells > (size_t)o->width) {
		put_wrapped(&w, cells, ncells, hang);
	} else {
		put_cells(&w, cells, 0, ncells);
		end_line(&w);
	}
	free(cells);
}

/* Write the pieces as one line; see text_out.h. */
void tx_pieces(struct text_out *o, const struct tx_piece *pieces, size_t n)
{
	tx_pieces_hang(o, -1, pieces, n);
}

/* Return the text vfmt makes from ap, in a new string. */
static char *vstrf(const char *fmt, va_list ap)
{
	char *buf = NULL;

	if (vasprintf(&buf, fmt, ap) < 0) {
		fprintf(stderr, MA_PROG ": out of memory\n");
		exit(2);
	}
	return buf;
}

/* Return the printf-style text in a new string; see text_out.h. */
char *tx_strf(const char *fmt, ...)
{
	va_list ap;
	char *buf;

	va_start(ap, fmt);
	buf = vstrf(fmt, ap);
	va_end(ap);
	return buf;
}

/* Write one plain line, printf-style, continued at hang (-1: the default). */
static void line_v(struct text_out *o, int hang, const char *fmt, va_list ap)
{
	struct tx_piece piece = { TX_PLAIN, NULL, false };
	char *buf = vstrf(fmt, ap);

	piece.text = buf;
	tx_pieces_hang(o, hang, &piece, 1);
	free(buf);
}

/* Write one plain line, printf-style. */
void tx_line(struct text_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_v(o, -1, fmt, ap);
	va_end(ap);
}

/* Write one plain line, printf-style, continued at hang. */
void tx_line_hang(struct text_out *o, int hang, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_v(o, hang, fmt, ap);
	va_end(ap);
}

/* Add a piece to ln; see text_out.h. */
void tx_add(struct tx_builder *ln, enum tx_style style, const char *text, bool whole)
{
	GROW(ln->p, ln->cap, ln->n);
	ln->p[ln->n++] = (struct tx_piece){ style, text, whole };
}

/* Add a text that ln frees; see text_out.h. */
void tx_add_owned(struct tx_builder *ln, char *text, bool whole)
{
	GROW(ln->owned, ln->owned_cap, ln->nowned);
	ln->owned[ln->nowned++] = text;
	tx_add(ln, TX_PLAIN, text, whole);
}

/* Return the columns of s. */
int tx_columns(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Add a padded cell; see text_out.h. */
void tx_add_cell(struct tx_builder *ln, const char *text, int width, bool right)
{
	int pad = width - tx_columns(text);

	if (right && pad > 0)
		tx_add_owned(ln, tx_strf("%*s", pad, ""), false);
	tx_add(ln, TX_PLAIN, text, true);
	if (!right && pad > 0)
		tx_add_owned(ln, tx_strf("%*s", pad, ""), false);
}

/* Write ln and empty it; see text_out.h. */
void tx_put(struct text_out *o, struct tx_builder *ln, int hang)
{
	tx_pieces_hang(o, hang, ln->p, ln->n);
	for (size_t i = 0; i < ln->nowned; i++)
		free(ln->owned[i]);
	free(ln->owned);
	free(ln->p);
	*ln = (struct tx_builder){ 0 };
}
