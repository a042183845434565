/* jsonw.c: see jsonw.h. */
#include "config.h"

#include <string.h>

#include "shim/logwriter/jsonw.h"
#include "policy/utf8.h"

void jw_init(struct jsonw *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = cap == 0;
	w->depth = 0;
	w->first[0] = 1;
	if (cap)
		buf[0] = '\0';
}

/* Append n raw bytes, all or nothing (so an escape is never cut in half). This directory is
 * built -fno-builtin: the copies are spelled __builtin_memcpy, so that short ones are inlined. */
static void put(struct jsonw *w, const char *s, size_t n)
{
	if (w->overflow || w->len + n + 1 > w->cap) {
		w->overflow = 1;
		return;
	}
	__builtin_memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void putc1(struct jsonw *w, char c)
{
	if (w->overflow || w->len + 2 > w->cap) {
		w->overflow = 1;
		return;
	}
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

/* Bytes written as they are: printable ASCII but the quote and the backslash. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The length of the run of plain bytes at p (at most n): eight at a time while all eight are
 * (a byte's top bit marks, in `bad`, one below 0x20, one from 0x80 up, a quote or a backslash:
 * the classic has-zero-byte test on w and on w xor the quote and the backslash). */
static size_t plain_run(const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;
	uint64_t w, bad;

	for (; i + 8 <= n; i += 8) {
		__builtin_memcpy(&w, p + i, 8);
		bad = ((w - ones * 0x20) & ~w) | w | (((w ^ (ones * '"')) - ones) & ~(w ^ (ones * '"'))) |
		      (((w ^ (ones * '\\')) - ones) & ~(w ^ (ones * '\\')));
		if (bad & highs)
			break;
	}
	while (i < n && plain(p[i]))
		i++;
	return i;
}

/* Before a value or key: a comma unless it is the first at this depth. */
static void sep(struct jsonw *w)
{
	if (!w->first[w->depth])
		putc1(w, ',');
	w->first[w->depth] = 0;
}

static void open_(struct jsonw *w, char c)
{
	putc1(w, c);
	if (w->depth + 1 < JW_MAX_DEPTH) {
		w->depth++;
		w->first[w->depth] = 1;
	} else {
		w->overflow = 1;
	}
}

static void close_(struct jsonw *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	putc1(w, c);
}

void jw_begin(struct jsonw *w)
{
	sep(w);
	open_(w, '{');
}

void jw_end(struct jsonw *w)
{
	close_(w, '}');
}

void jw_begin_array(struct jsonw *w)
{
	sep(w);
	open_(w, '[');
}

void jw_end_array(struct jsonw *w)
{
	close_(w, ']');
}

void jw_key(struct jsonw *w, const char *key)
{
	jw_str(w, key);
	putc1(w, ':');
	/* The value that follows must not get a comma of its own. */
	w->first[w->depth] = 1;
}

void jw_u64(struct jsonw *w, uint64_t v)
{
	char tmp[24];
	int i = sizeof tmp;

	sep(w);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, tmp + i, sizeof tmp - (size_t)i);
}

void jw_i64(struct jsonw *w, int64_t v)
{
	if (v < 0) {
		sep(w);
		putc1(w, '-');
		w->first[w->depth] = 1;
		jw_u64(w, (uint64_t)0 - (uint64_t)v);
		return;
	}
	jw_u64(w, (uint64_t)v);
}

void jw_bool(struct jsonw *w, int v)
{
	sep(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_null(struct jsonw *w)
{
	sep(w);
	put(w, "null", 4);
}

void jw_strn(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;

	sep(w);
	putc1(w, '"');
	while (i < n) {
		unsigned char c = p[i];
		char esc[12];

		if (plain(c)) {
			/* copy a run of plain ASCII at once */
			run = plain_run(p + i, n - i);
			put(w, s + i, run);
			i += run;
			continue;
		}
		if (c >= 0x80) {
			size_t l = utf8_plain_len(p + i, n - i);
			if (l) {
				put(w, s + i, l);
				i += l;
				continue;
			}
			/* a byte of its own: U+10FF00 + c as a surrogate pair (policy/utf8.h) */
			memcpy(esc, "\\udbff\\udf", 10);
			esc[10] = hex[c >> 4];
			esc[11] = hex[c & 15];
			put(w, esc, 12);
			i++;
			continue;
		}
		switch (c) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\t': put(w, "\\t", 2); break;
		case '\r': put(w, "\\r", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(w, esc, 6);
		}
		i++;
	}
	putc1(w, '"');
}

void jw_str(struct jsonw *w, const char *s)
{
	if (!s)
		jw_null(w);
	else
		jw_strn(w, s, strlen(s));
}

void jw_key_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_u64(w, v);
}

void jw_key_i64(struct jsonw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_i64(w, v);
}

void jw_key_str(struct jsonw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_key_bool(struct jsonw *w, const char *key, int v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_newline(struct jsonw *w)
{
	putc1(w, '\n');
}
