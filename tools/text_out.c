/* text_out.c: width-limited, filtered, optionally coloured lines (see text_out.h). */
#include <config.h>

#include "text_out.h"
#include "policy/utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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

/* Write the pieces as one line: bytes that are not UTF-8, control characters (C0, DEL, and C1,
 * which some terminals obey too) and bidirectional controls (utf8_hidden) become '?', the line
 * stops after MA_TEXT_WIDTH columns (a UTF-8 sequence counts as one column, escape codes as
 * none). */
void tx_pieces(struct text_out *o, const struct tx_piece *pieces, size_t n)
{
	int cols = 0;

	for (size_t i = 0; i < n && cols <= MA_TEXT_WIDTH; i++) {
		bool styled = o->color && pieces[i].style != TX_PLAIN && pieces[i].text[0];
		const unsigned char *s = (const unsigned char *)pieces[i].text;

		if (styled)
			fputs(style_codes[pieces[i].style], o->f);
		while (*s && ++cols <= MA_TEXT_WIDTH) {
			uint32_t cp;
			size_t len = utf8_seq(s, strnlen((const char *)s, 4), &cp);

			if (!len || utf8_hidden(cp))
				fputc('?', o->f);
			else
				fwrite(s, 1, len, o->f);
			s += len ? len : 1;
		}
		if (styled)
			fputs(RESET, o->f);
	}
	fputc('\n', o->f);
}

/* Write one plain line, printf-style. */
void tx_line(struct text_out *o, const char *fmt, ...)
{
	struct tx_piece piece = { TX_PLAIN, NULL };
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	piece.text = buf;
	tx_pieces(o, &piece, 1);
}

/* Write text wrapped at spaces; see text_out.h. */
void tx_wrapped(struct text_out *o, int indent, const char *text)
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
		tx_line(o, "%*s%.*s", indent, "", (int)(end - p), p);
		p = end;
		while (*p == ' ')
			p++;
	}
}
