/* test_jsonw.c: the log encoder (shim/logwriter/jsonw.c) alone: every record the engine writes goes
 * through it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shim/logwriter/jsonw.h"
#include "tap.h"

/* Encode one object with a single string member; returns the buffer. */
static const char *one_str(char *buf, size_t cap, const char *s, size_t n)
{
	struct jsonw w;

	jw_init(&w, buf, cap);
	jw_begin(&w);
	jw_key(&w, "s");
	jw_strn(&w, s, n);
	jw_end(&w);
	return w.overflow ? "(overflow)" : buf;
}

/* jwc_u64 (eight digits at a time in the lanes of a word) against printf, at every number of digits
 * and on both sides of each power of ten, and at pseudo-random values of every bit length. Returns
 * how many differ. */
static int u64_mismatches(void)
{
	uint64_t v[] = {0, 1, 9, UINT64_MAX, UINT64_MAX - 1, 10000000000000000000ull - 1,
			10000000000000000000ull};
	uint64_t p = 1;
	int bad = 0, i, k;
	char want[32], got[32];

	for (k = 0; k < 20; k++, p *= 10) {
		for (i = -1; i <= 1; i++) {
			uint64_t x = p + (uint64_t)(int64_t)i;

			snprintf(want, sizeof want, "%llu", (unsigned long long)x);
			*jwc_u64(got, x) = '\0';
			bad += strcmp(want, got) != 0;
		}
	}
	for (i = 0; i < (int)(sizeof v / sizeof v[0]); i++) {
		snprintf(want, sizeof want, "%llu", (unsigned long long)v[i]);
		*jwc_u64(got, v[i]) = '\0';
		bad += strcmp(want, got) != 0;
	}
	for (k = 0, p = 0x9e3779b97f4a7c15ull; k < 64 * 64; k++) {
		uint64_t x;

		p ^= p << 13;
		p ^= p >> 7;
		p ^= p << 17;
		x = p >> (k % 64);
		snprintf(want, sizeof want, "%llu", (unsigned long long)x);
		*jwc_u64(got, x) = '\0';
		bad += strcmp(want, got) != 0;
	}
	*jwc_i64(got, INT64_MIN) = '\0';
	bad += strcmp(got, "-9223372036854775808") != 0;
	return bad;
}

/* jwc_u64_memo against printf along the sequences it is made for: consecutive numbers (across
 * every carry up to 10^6 and past 10^9), each twice, and increasing numbers some microseconds apart
 * across powers of ten, with jumps back and far ahead between them. Returns how many differ. */
static int memo_mismatches(void)
{
	struct jwc_memo m = {0}, t = {0};
	uint64_t x = 88172645463325252ull, v, starts[] = {0, 999990, 999999990, 99999999999990ull};
	int bad = 0, i, k;
	char want[32], got[32];

	for (k = 0; k < 4; k++)
		for (v = starts[k]; v < starts[k] + 1100000; v++)
			for (i = 0; i < 2; i++) {
				snprintf(want, sizeof want, "%llu", (unsigned long long)v);
				*jwc_u64_memo(got, v, &m) = '\0';
				bad += strcmp(want, got) != 0;
			}
	for (k = 0, v = 1; k < 2000000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (k % 1000 == 999)
			v = x >> (x % 64); /* anywhere, also back */
		else
			v += x % 20000;
		snprintf(want, sizeof want, "%llu", (unsigned long long)v);
		*jwc_u64_memo(got, v, &t) = '\0';
		bad += strcmp(want, got) != 0;
	}
	return bad;
}

int main(void)
{
	char buf[512];
	struct jsonw w;
	int i;

	jw_init(&w, buf, sizeof buf);
	jw_begin(&w);
	jw_key_str(&w, "type", "event");
	jw_key_u64(&w, "seq", 18446744073709551615ull);
	jw_key_i64(&w, "neg", -42);
	jw_key_i64(&w, "min", INT64_MIN);
	jw_key_bool(&w, "ok", 0);
	jw_key(&w, "n");
	jw_null(&w);
	jw_key(&w, "frames");
	jw_begin_array(&w);
	for (i = 0; i < 2; i++) {
		jw_begin_array(&w);
		jw_u64(&w, (uint64_t)i + 1);
		jw_u64(&w, 4096);
		jw_end_array(&w);
	}
	jw_end_array(&w);
	jw_key(&w, "o");
	jw_begin(&w);
	jw_end(&w);
	jw_end(&w);
	jw_newline(&w);
	is_str(buf,
	       "{\"type\":\"event\",\"seq\":18446744073709551615,\"neg\":-42,"
	       "\"min\":-9223372036854775808,\"ok\":false,\"n\":null,"
	       "\"frames\":[[1,4096],[2,4096]],\"o\":{}}\n",
	       "commas, nesting, integer extremes");
	ok(!w.overflow, "no overflow");

	is_str(one_str(buf, sizeof buf, "a\"b\\c\n\t\r\x01", 9), "{\"s\":\"a\\\"b\\\\c\\n\\t\\r\\u0001\"}",
	       "control characters and quotes escaped");
	is_str(one_str(buf, sizeof buf, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92", 14),
	       "{\"s\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92\"}", "valid UTF-8 kept as is");
	/* A byte that is not UTF-8 is the code point U+10FF00 + byte (policy/utf8.h). */
	is_str(one_str(buf, sizeof buf, "\xff\xc3(\xe0\x80\xaf\xed\xa0\x80", 9),
	       "{\"s\":\"\\udbff\\udfff\\udbff\\udfc3(\\udbff\\udfe0\\udbff\\udf80\\udbff\\udfaf"
	       "\\udbff\\udfed\\udbff\\udfa0\\udbff\\udf80\"}",
	       "invalid, overlong and surrogate UTF-8 escaped byte by byte");
	is_str(one_str(buf, sizeof buf, "a\0b", 3), "{\"s\":\"a\\u0000b\"}", "embedded NUL escaped");
	is_str(one_str(buf, sizeof buf, "\xc3", 1), "{\"s\":\"\\udbff\\udfc3\"}",
	       "truncated sequence at the end");
	is_str(one_str(buf, sizeof buf, "\xf4\x8f\xbe\x80|\xf4\x8f\xbd\xbf", 9),
	       "{\"s\":\"\\udbff\\udff4\\udbff\\udf8f\\udbff\\udfbe\\udbff\\udf80|\xf4\x8f\xbd\xbf\"}",
	       "a byte code point in the input is escaped byte by byte; the one before it is kept");

	ok(u64_mismatches() == 0, "jwc_u64 writes what printf does, at every length");
	ok(memo_mismatches() == 0, "jwc_u64_memo writes what printf does: the same, the next, and near numbers");
	{
		/* the one-pass writer: a string as jw_strn writes it */
		const char *s = "a\"b\\c\n\x01" "caf\xc3\xa9\xff";
		char *o;

		jw_init(&w, buf, sizeof buf);
		o = jw_reserve(&w, 64);
		o = jwc_raw(o, JW_LIT("{\"s\":"));
		o = jwc_str(o, s, strlen(s));
		*o++ = '}';
		jw_commit(&w, o);
		jw_newline(&w);
		is_str(buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001caf\xc3\xa9\\udbff\\udfff\"}\n",
		       "jw_reserve, jwc_str, jw_commit: the record jw_strn would make");
		jw_init(&w, buf, 16);
		ok(jw_reserve(&w, 16) == NULL && w.overflow, "a reservation that does not fit is an overflow");
	}

	/* Overflow: the buffer keeps a NUL-terminated prefix and never a cut escape. */
	jw_init(&w, buf, 12);
	jw_begin(&w);
	jw_key_str(&w, "k", "\x01\x02\x03");
	jw_end(&w);
	ok(w.overflow, "overflow reported");
	ok(strlen(buf) < 12, "prefix fits the buffer");
	ok(strstr(buf, "\\u00") == NULL || strlen(strstr(buf, "\\u00")) >= 6, "no escape cut in half");
	jw_init(&w, buf, 20);
	jw_begin(&w);
	jw_key_str(&w, "k", "\xff\xfe");
	ok(w.overflow && !strcmp(buf, "{\"k\":\"\\udbff\\udfff"),
	   "no byte escape cut in half: the one that fits is whole, the next is left out");

	jw_init(&w, buf, 0);
	jw_begin(&w);
	ok(w.overflow, "zero-capacity buffer is an overflow, not a write");

	/* Deep nesting beyond JW_MAX_DEPTH is refused, not a buffer overrun. */
	jw_init(&w, buf, sizeof buf);
	for (i = 0; i < JW_MAX_DEPTH + 2; i++)
		jw_begin_array(&w);
	ok(w.overflow, "nesting deeper than JW_MAX_DEPTH is an overflow");

	plan(tap_count);
	return done_testing();
}
