/* jsonw.h: the log encoder: builds one JSON object into a caller-supplied buffer.
 *
 * No allocation, no stdio, no locale: it runs inside malloc and mlock wrappers. Commas are inserted
 * automatically. A record that does not fit sets `overflow` and the caller drops or shortens it; the
 * buffer then still holds a NUL-terminated prefix, never a partial escape.
 *
 *   struct jsonw w; jw_init(&w, buf, sizeof buf);
 *   jw_begin(&w); jw_key_str(&w, "type", "event"); jw_key_u64(&w, "seq", 1); jw_end(&w);
 *   jw_newline(&w);  -> {"type":"event","seq":1}\n
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

void jw_init(struct jsonw *w, char *buf, size_t cap);

void jw_begin(struct jsonw *w);       /* { */
void jw_end(struct jsonw *w);         /* } */
void jw_begin_array(struct jsonw *w); /* [ */
void jw_end_array(struct jsonw *w);   /* ] */
void jw_key(struct jsonw *w, const char *key);

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

/* Shorthands for "key":value. */
void jw_key_u64(struct jsonw *w, const char *key, uint64_t v);
void jw_key_i64(struct jsonw *w, const char *key, int64_t v);
void jw_key_str(struct jsonw *w, const char *key, const char *s);
void jw_key_bool(struct jsonw *w, const char *key, int v);

/* Append the record terminator. */
void jw_newline(struct jsonw *w);

#endif
