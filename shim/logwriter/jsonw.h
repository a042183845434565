/* jsonw.h: the log encoder: builds one JSON object into a caller-supplied buffer.
 *
 * No allocation, no stdio, no locale: it runs inside malloc and mlock wrappers. Commas are inserted
 * automatically. A record that does not fit sets `overflow` and the caller drops or shortens it; the
 * buffer then still holds a NUL-terminated prefix, never a partial escape.
 *
 *   struct jsonw w; jw_init(&w, buf, sizeof buf);
 *   jw_begin(&w); jw_key_str(&w, "type", "event"); jw_key_u64(&w, "seq", 1); jw_end(&w);
 *   jw_newline(&w);  -> {"type":"event","seq":1}\n
 *
 * Keys are string literals of printable ASCII without a quote or a backslash: the macros below paste
 * them into "\"key\":" at compile time, so that a key costs one copy of a known length (no strlen,
 * no escaping). A record written on every audited call (an event) is written in one pass instead:
 * jw_reserve a bound on its length, then the jwc_ cursor functions, unchecked, then jw_commit.
 */
#ifndef MEMAUDIT_LOGWRITER_JSONW_H
#define MEMAUDIT_LOGWRITER_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 8

struct jsonw {
	char *buf;
	size_t cap, len;
	int overflow;
	int depth;
	unsigned char first[JW_MAX_DEPTH]; /* no member written yet at this depth */
};

/* A string literal and its length, for the functions taking (s, n). */
#define JW_LIT(s) (s), (sizeof(s) - 1)
/* A literal key as it is written: "key": and its length. */
#define JW_KEY(k) JW_LIT("\"" k "\":")

void jw_init(struct jsonw *w, char *buf, size_t cap);

void jw_begin(struct jsonw *w);       /* { */
void jw_end(struct jsonw *w);         /* } */
void jw_begin_array(struct jsonw *w); /* [ */
void jw_end_array(struct jsonw *w);   /* ] */
/* A key, as JW_KEY makes it. */
void jw_key_n(struct jsonw *w, const char *quoted_key, size_t n);
#define jw_key(w, k) jw_key_n((w), JW_KEY(k))

/* Values (after jw_key inside an object, or as array elements). */
void jw_u64(struct jsonw *w, uint64_t v);
void jw_i64(struct jsonw *w, int64_t v);
void jw_bool(struct jsonw *w, int v);
void jw_null(struct jsonw *w);
/* A string of n bytes, escaped per RFC 8259; a byte that is not part of valid UTF-8 (and each byte
 * of a code point U+10FF80..U+10FFFF) becomes "\udbff\udfXX", the code point U+10FF00 + byte, so
 * that a reader gets the bytes back exactly (policy/utf8.h). */
void jw_strn(struct jsonw *w, const char *s, size_t n);
void jw_str(struct jsonw *w, const char *s); /* NULL writes null */

/* Shorthands for "key":value (key a literal). */
void jw_key_u64_n(struct jsonw *w, const char *quoted_key, size_t n, uint64_t v);
void jw_key_i64_n(struct jsonw *w, const char *quoted_key, size_t n, int64_t v);
void jw_key_str_n(struct jsonw *w, const char *quoted_key, size_t n, const char *s);
void jw_key_bool_n(struct jsonw *w, const char *quoted_key, size_t n, int v);
#define jw_key_u64(w, k, v) jw_key_u64_n((w), JW_KEY(k), (v))
#define jw_key_i64(w, k, v) jw_key_i64_n((w), JW_KEY(k), (v))
#define jw_key_str(w, k, s) jw_key_str_n((w), JW_KEY(k), (s))
#define jw_key_bool(w, k, v) jw_key_bool_n((w), JW_KEY(k), (v))

/* Append the record terminator (inline: every record ends so). */
static inline void jw_newline(struct jsonw *w)
{
	if (w->overflow || w->len + 2 > w->cap) {
		w->overflow = 1;
		return;
	}
	w->buf[w->len++] = '\n';
	w->buf[w->len] = '\0';
}

/* One-pass writing of a whole top-level value into an empty jsonw: jw_reserve returns where to
 * write at most n bytes, or NULL (and overflow) when they do not fit; jw_commit(w, end) takes the
 * bytes up to end as written (the value is then complete: what follows is jw_newline). */
char *jw_reserve(struct jsonw *w, size_t n);
void jw_commit(struct jsonw *w, char *end);
/* A jsonw over buf (cap bytes) that already holds a whole top-level value up to end, written with
 * the cursor functions without a jsonw (jw_init would clear its first byte). */
void jw_adopt(struct jsonw *w, char *buf, size_t cap, char *end);

/* Cursor writers: each writes at o, unchecked, and returns the end. The number writers may store
 * scratch bytes past the end they return (within their _MAX bytes from o), which what follows
 * overwrites: a number is not the last thing in a reservation that the bound does not cover. */
static inline char *jwc_raw(char *o, const char *s, size_t n)
{
	__builtin_memcpy(o, s, n); /* inlined: the log writer is built -fno-builtin */
	return o + n;
}
#define JWC_U64_MAX 20
char *jwc_u64(char *o, uint64_t v);
/* The text of the number a jwc_u64_memo wrote last, kept for the next one there, which costs a
 * fraction of its formatting when it is the same number (a finding_at names the seq of its event),
 * the next one but for a carry (seq), or one that differs in the low six digits only (t:
 * nanoseconds, some microseconds apart). Zeroed: empty. */
struct jwc_memo {
	uint64_t v;         /* the number of text */
	uint64_t base;      /* v less its low six digits, when hlen */
	unsigned len, hlen; /* text's length (0: none); of the digits of base / 10^6 (0: v < 10^6) */
	char text[JWC_U64_MAX + 8];
};
/* Make m's text v's. */
void jwc_memo_set(struct jwc_memo *m, uint64_t v);
/* v as jwc_u64 writes it, through memo m (stores JWC_U64_MAX bytes: scratch past the end). Inline:
 * the same number again is a copy. */
static inline char *jwc_u64_memo(char *o, uint64_t v, struct jwc_memo *m)
{
	if (v != m->v || !m->len)
		jwc_memo_set(m, v);
	__builtin_memcpy(o, m->text, 16);
	__builtin_memcpy(o + 16, m->text + 16, JWC_U64_MAX - 16);
	return o + m->len;
}
#define JWC_I64_MAX 20
char *jwc_i64(char *o, int64_t v);
/* A string as jw_strn writes it, quotes included: at most JWC_STR_MAX(n) bytes. */
#define JWC_STR_MAX(n) (2 + 12 * (size_t)(n))
char *jwc_str(char *o, const char *s, size_t n);

#endif
