/* test_bytes.c: strings from the system keep their bytes through the log and the JSON report
 * (issue 10, item 16; policy/utf8.h): the log's encoder (shim/logwriter/jsonw.c) writes a byte that is
 * not UTF-8 as a byte code point, jansson reads it, and the report's decoder (ma_bytes_decode in
 * tools/util.c) gives the bytes back; the report's encoder (ma_bytes_encode) makes valid UTF-8 that
 * decodes to the same bytes. Checked for every byte, every pair of bytes, and random strings.
 */
#include <config.h>

#include "../../shim/logwriter/jsonw.c"
#include "../../tools/util.c"

#include "tap.h"

#include <jansson.h>
#include <stdbool.h>

/* Return whether s (NUL-terminated, no NUL inside) survives the log: jw_strn, jansson, decode. */
static bool log_round_trip(const char *s)
{
	char buf[4096], *got;
	struct jsonw w;
	json_t *j;
	bool same;

	jw_init(&w, buf, sizeof buf);
	jw_begin(&w);
	jw_key_str(&w, "s", s);
	jw_end(&w);
	j = json_loads(buf, 0, NULL);
	if (w.overflow || !j || !json_is_string(json_object_get(j, "s"))) {
		json_decref(j);
		return false;
	}
	got = xstrdup(json_string_value(json_object_get(j, "s")));
	ma_bytes_decode(got);
	same = !strcmp(got, s);
	free(got);
	json_decref(j);
	return same;
}

/* Return whether s survives the report's encoder: valid UTF-8 for jansson, decoded to s. */
static bool report_round_trip(const char *s)
{
	char *e = ma_bytes_encode(s);
	json_t *j = json_string(e);
	bool same;

	ma_bytes_decode(e);
	same = j && !strcmp(e, s);
	json_decref(j);
	free(e);
	return same;
}

int main(void)
{
	char s[64];
	int bad_log = 0, bad_report = 0;
	unsigned seed = 12345;

	for (int a = 1; a < 256; a++)
		for (int b = 0; b < 256; b++) {
			s[0] = (char)a, s[1] = (char)b, s[2] = '\0';
			bad_log += !log_round_trip(s);
			bad_report += !report_round_trip(s);
		}
	ok(bad_log == 0, "every one- and two-byte string survives the log");
	ok(bad_report == 0, "...and the report's encoder");

	bad_log = bad_report = 0;
	for (int i = 0; i < 20000; i++) {
		int n = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 40;

		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			/* mostly bytes of UTF-8 lead and continuation ranges, so valid sequences occur */
			s[k] = (char)(1 + (seed >> 16) % 255);
			if (k && (seed >> 8) % 3 == 0)
				s[k] = (char)(0x80 | ((seed >> 20) & 0x3f));
		}
		s[n] = '\0';
		bad_log += !log_round_trip(s);
		bad_report += !report_round_trip(s);
	}
	ok(bad_log == 0, "20000 random strings survive the log");
	ok(bad_report == 0, "...and the report's encoder");

	ok(log_round_trip("\xf4\x8f\xbf\xbf and \xf4\x8f\xbe\x80"),
	   "byte code points in the input itself survive");
	ok(log_round_trip("caf\xc3\xa9 \xe2\x80\xae \xf0\x9f\x94\x92"), "valid UTF-8 survives");
	{
		char *e = ma_bytes_encode("a\xff");

		ok(!strcmp(e, "a\xf4\x8f\xbf\xbf"), "0xff is encoded as U+10FFFF");
		free(e);
	}
	plan(tap_count);
	return done_testing();
}
