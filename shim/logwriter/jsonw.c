/* jsonw.c: see jsonw.h. */
#include "config.h"

#include <stdint.h>
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

/* The escaped form of the n bytes at p, written at o in pieces (a run of plain bytes, a UTF-8
 * sequence, one escape), each whole or not at all: it stops before the first piece longer than
 * what is left of *room. Returns the end; *done: how many input bytes it wrote. */
static char *escape(char *o, const unsigned char *p, size_t n, size_t *room, size_t *done)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, l, out;

	while (i < n) {
		unsigned char c = p[i];
		char esc[12];
		const char *piece = esc;

		if (plain(c)) {
			piece = (const char *)p + i;
			out = l = plain_run(p + i, n - i);
		} else if (c >= 0x80 && (l = utf8_plain_len(p + i, n - i)) != 0) {
			piece = (const char *)p + i;
			out = l;
		} else if (c >= 0x80) {
			/* a byte of its own: U+10FF00 + c as a surrogate pair (policy/utf8.h) */
			__builtin_memcpy(esc, "\\udbff\\udf", 10);
			esc[10] = hex[c >> 4];
			esc[11] = hex[c & 15];
			l = 1;
			out = 12;
		} else {
			esc[0] = '\\';
			l = 1;
			out = 2;
			switch (c) {
			case '"': esc[1] = '"'; break;
			case '\\': esc[1] = '\\'; break;
			case '\n': esc[1] = 'n'; break;
			case '\t': esc[1] = 't'; break;
			case '\r': esc[1] = 'r'; break;
			default:
				__builtin_memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				out = 6;
			}
		}
		/* l input bytes written as out bytes */
		if (out > *room)
			break;
		__builtin_memcpy(o, piece, out);
		o += out;
		*room -= out;
		i += l;
	}
	*done = i;
	return o;
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

void jw_key_n(struct jsonw *w, const char *quoted_key, size_t n)
{
	sep(w);
	put(w, quoted_key, n);
	/* The value that follows must not get a comma of its own. */
	w->first[w->depth] = 1;
}

/* Two decimal digits per entry: "00" to "99". */
static const char digits2[201] =
	"0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
	"5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/* The eight decimal digits of v < 10^8, leading zeros included, as the bytes of a word in the order
 * they are written (the first in the lowest byte on a little-endian machine), but for the '0's added
 * by the caller: no division loop, the digits split four, two and one at a time in the lanes of the
 * word (v / 100 as v * 10486 >> 20, exact below 10^4; v / 10 as v * 103 >> 10, exact below 100:
 * no lane's product reaches the next lane). */
static uint64_t digits8(uint32_t v)
{
	uint64_t hi = v / 10000, x = hi | (uint64_t)(v - (uint32_t)hi * 10000) << 32, y;

	y = (x * 10486 >> 20) & 0x0000007f0000007full;
	x = y | (x - y * 100) << 16;
	y = (x * 103 >> 10) & 0x000f000f000f000full;
	return y | (x - y * 10) << 8;
}

/* Store the word of digits8 (its digits or-ed with '0') as eight bytes at o. */
static void store8(char *o, uint64_t d)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	d = __builtin_bswap64(d);
#endif
	__builtin_memcpy(o, &d, 8);
}

/* v < 10^8, v >= 10: its digits without the leading zeros, stored as eight bytes (the ones past the
 * end are scratch). */
static char *put_trimmed(char *o, uint32_t v)
{
	uint64_t d = digits8(v);
	unsigned lz = (unsigned)__builtin_ctzll(d) >> 3; /* leading zeros: the low bytes that are 0 */

	store8(o, (d | 0x3030303030303030ull) >> 8 * lz);
	return o + 8 - lz;
}

/* Up to two digits directly (ids, small counts); up to eight from one word of digits8 (seq and t,
 * mostly); above that the high part first, then whole groups of eight. May store up to 8 bytes from
 * o however short the number: the bytes past the end it returns are scratch, for what follows to
 * overwrite (JWC_U64_MAX covers them). */
char *jwc_u64(char *o, uint64_t v)
{
	if (v < 10) {
		*o = (char)('0' + v);
		return o + 1;
	}
	if (v < 100) {
		__builtin_memcpy(o, digits2 + 2 * v, 2);
		return o + 2;
	}
	if (v < 100000000u)
		return put_trimmed(o, (uint32_t)v);
	if (v < 10000000000000000ull) {
		o = put_trimmed(o, (uint32_t)(v / 100000000u));
	} else {
		uint64_t top = v / 10000000000000000ull; /* 1 to 1844 */

		o = top < 10 ? (*o = (char)('0' + top), o + 1) : put_trimmed(o, (uint32_t)top);
		v -= top * 10000000000000000ull;
		store8(o, digits8((uint32_t)(v / 100000000u)) | 0x3030303030303030ull);
		o += 8;
	}
	store8(o, digits8((uint32_t)(v % 100000000u)) | 0x3030303030303030ull);
	return o + 8;
}

/* The six digits of v < 10^6, leading zeros included. */
static void six_digits(char *o, uint32_t v)
{
	uint32_t a = v / 10000, b = v - a * 10000, c = b / 100;

	__builtin_memcpy(o, digits2 + 2 * a, 2);
	__builtin_memcpy(o + 2, digits2 + 2 * c, 2);
	__builtin_memcpy(o + 4, digits2 + 2 * (b - c * 100), 2);
}

void jwc_memo_set(struct jwc_memo *m, uint64_t v)
{
	if (m->len && v == m->v + 1 && m->text[m->len - 1] != '9') {
		m->text[m->len - 1]++; /* the digits of base unchanged */
	} else if (m->hlen && v - m->base < 1000000u) {
		six_digits(m->text + m->hlen, (uint32_t)(v - m->base));
	} else {
		m->len = (unsigned)(jwc_u64(m->text, v) - m->text);
		m->hlen = v >= 1000000u ? m->len - 6 : 0;
		m->base = v - v % 1000000u;
	}
	m->v = v;
}

char *jwc_i64(char *o, int64_t v)
{
	if (v < 0) {
		*o++ = '-';
		return jwc_u64(o, (uint64_t)0 - (uint64_t)v);
	}
	return jwc_u64(o, (uint64_t)v);
}

char *jwc_str(char *o, const char *s, size_t n)
{
	size_t room = (size_t)-1, done;

	*o++ = '"';
	o = escape(o, (const unsigned char *)s, n, &room, &done);
	*o++ = '"';
	return o;
}

void jw_u64(struct jsonw *w, uint64_t v)
{
	char tmp[JWC_U64_MAX];

	sep(w);
	if (!w->overflow && w->len + JWC_U64_MAX + 1 <= w->cap) {
		w->len = (size_t)(jwc_u64(w->buf + w->len, v) - w->buf);
		w->buf[w->len] = '\0';
		return;
	}
	put(w, tmp, (size_t)(jwc_u64(tmp, v) - tmp));
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
	size_t room, done;
	char *end;

	sep(w);
	putc1(w, '"');
	if (w->overflow)
		return;
	room = w->cap - w->len - 1; /* and the NUL */
	end = escape(w->buf + w->len, (const unsigned char *)s, n, &room, &done);
	w->len = (size_t)(end - w->buf);
	w->buf[w->len] = '\0';
	if (done < n) {
		w->overflow = 1;
		return;
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

void jw_key_u64_n(struct jsonw *w, const char *quoted_key, size_t n, uint64_t v)
{
	jw_key_n(w, quoted_key, n);
	jw_u64(w, v);
}

void jw_key_i64_n(struct jsonw *w, const char *quoted_key, size_t n, int64_t v)
{
	jw_key_n(w, quoted_key, n);
	jw_i64(w, v);
}

void jw_key_str_n(struct jsonw *w, const char *quoted_key, size_t n, const char *s)
{
	jw_key_n(w, quoted_key, n);
	jw_str(w, s);
}

void jw_key_bool_n(struct jsonw *w, const char *quoted_key, size_t n, int v)
{
	jw_key_n(w, quoted_key, n);
	jw_bool(w, v);
}

char *jw_reserve(struct jsonw *w, size_t n)
{
	if (w->overflow || w->len + n + 1 > w->cap) {
		w->overflow = 1;
		return NULL;
	}
	return w->buf + w->len;
}

void jw_commit(struct jsonw *w, char *end)
{
	w->len = (size_t)(end - w->buf);
	w->buf[w->len] = '\0';
	w->first[w->depth] = 0;
}

void jw_adopt(struct jsonw *w, char *buf, size_t cap, char *end)
{
	w->buf = buf;
	w->cap = cap;
	w->overflow = 0;
	w->depth = 0;
	jw_commit(w, end);
}
