/* test_flat.c: the flat scanner (tools/flat_json.c) reads a line exactly as jansson does, or
 * leaves it to jansson.
 *
 * For each line: when flat_parse takes it, jansson must parse it too, to an object with the same
 * keys and, key by key, the same value (the last of duplicates); when flat_parse does not take
 * it, the test only checks that this was expected (the reader then uses jansson). The fuzzer
 * (tests/fuzz) compares the two on random lines; these are the cases worth keeping.
 */
#include <config.h>

#include "../../tools/flat_json.c"
#include "../../tools/util.c"

#include "tap.h"

#include <jansson.h>
#include <stdbool.h>

/* Return whether flat value v equals jansson value j. */
static bool same_value(const struct flat_value *v, const json_t *j)
{
	switch (v->type) {
	case FLAT_INT:
		return json_is_integer(j) && json_integer_value(j) == v->i;
	case FLAT_STR:
		return json_is_string(j) && !strcmp(json_string_value(j), v->s);
	case FLAT_TRUE:
		return json_is_true(j);
	case FLAT_FALSE:
		return json_is_false(j);
	case FLAT_NULL:
		return json_is_null(j);
	case FLAT_ARRAY:
		return json_is_array(j);
	}
	return false;
}

/* One test: line is taken by the flat scanner (want_flat) or not, and when it is, jansson reads
 * the same object. */
static void check(const char *line, bool want_flat, const char *name)
{
	struct flat_rec r = { 0 };
	bool flat = flat_parse(&r, line, strlen(line));
	json_error_t error;
	json_t *j = json_loads(line, 0, &error);
	bool same = true;

	if (flat) {
		const char *key;
		json_t *value;

		same = json_is_object(j);
		json_object_foreach(j, key, value) {
			const struct flat_value *v = flat_get(&r, key);

			same = same && v && same_value(v, value);
		}
		for (size_t i = 0; same && i < r.n; i++)
			same = json_object_get(j, r.f[i].key) != NULL;
	}
	if (!ok(flat == want_flat && same, name))
		printf("#   line %s: flat %d (want %d), same as jansson %d\n", line, flat,
		       want_flat, same);
	json_decref(j);
	flat_free(&r);
}

int main(void)
{
	plan(27);
	check("{\"type\":\"event\",\"seq\":12,\"t\":183001,\"tid\":4243,\"op\":\"mlock\","
	      "\"addr\":94823104,\"len\":32,\"ok\":true,\"errno\":0,\"stack\":7,\"pages\":1,"
	      "\"charged\":1,\"locked_bytes\":8192}", true, "an event record");
	check("{\"type\":\"finding\",\"rule\":\"call-failed\",\"severity\":\"warning\",\"seq\":12,"
	      "\"stack\":7,\"message\":\"mlock(32 bytes) failed\",\"related_stack\":null}", true,
	      "a finding record");
	check("{\"type\":\"event\",\"op\":\"free\",\"attrs\":[\"locked\",\"dontdump\"],\"ok\":true}",
	      true, "an array of strings");
	check("{ \"a\" : 1 ,\t\"b\":\r[ ] , \"c\" : [1, null, true, false, \"x\"] }", true,
	      "whitespace everywhere it may be");
	check("{}", true, "an empty object");
	check("{\"a\":1,\"a\":2,\"a\":\"x\"}", true, "duplicate keys: the last counts, as in jansson");
	check("{\"a\":-0,\"b\":0,\"c\":-9223372036854775808,\"d\":9223372036854775807}", true,
	      "integers at the ends of the int64 range");
	check("{\"a\":9223372036854775808}", false, "an integer above int64 is left to jansson");
	check("{\"a\":-9223372036854775809}", false, "...and one below");
	check("{\"a\":1.0}", false, "a real is left to jansson");
	check("{\"a\":1e3}", false, "...and an exponent");
	check("{\"a\":01}", false, "a leading zero is not JSON");
	check("{\"a\":truex}", false, "a word that goes on is not JSON");
	check("{\"a\":nul}", false, "a cut word is not JSON");
	check("{\"a\":\"\\u00e9\"}", false, "an escape is left to jansson");
	check("{\"a\":\"\xc3\xa9\"}", false, "non-ASCII is left to jansson");
	check("{\"a\":\"x\ty\"}", false, "a control character in a string is not JSON");
	check("{\"a\":\"x\x7fy\"}", false, "DEL is left to jansson");
	check("{\"a\":1,}", false, "a trailing comma is not JSON");
	check("{\"a\":1}{\"b\":2}", false, "two objects on a line are not JSON");
	check("{\"a\":1} x", false, "text after the object is not JSON");
	check("{\"a\":{\"b\":1}}", false, "a nested object is left to jansson");
	check("{\"a\":[[1,2]]}", false, "an array of arrays is left to jansson");
	check("[1,2]", false, "an array is not a record");
	check("{\"a\":1", false, "an unclosed object is not JSON");
	check("{\"a\" 1}", false, "a missing colon is not JSON");
	check("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,"
	      "\"k9\":9,\"k10\":0,\"k11\":1,\"k12\":2,\"k13\":3,\"k14\":4,\"k15\":5,\"k16\":6,"
	      "\"k17\":7,\"k18\":8,\"k19\":9,\"k20\":0,\"k21\":1,\"k22\":2,\"k23\":3,\"k24\":4,"
	      "\"k25\":5,\"k26\":6,\"k27\":7,\"k28\":8,\"k29\":9,\"k30\":0,\"k31\":1,\"k32\":2,"
	      "\"k33\":3,\"k34\":4,\"k35\":5,\"k36\":6,\"k37\":7,\"k38\":8,\"k39\":9,\"k40\":0,"
	      "\"k41\":1,\"k42\":2,\"k43\":3,\"k44\":4,\"k45\":5,\"k46\":6,\"k47\":7,\"k48\":8}",
	      false, "more keys than the scanner holds are left to jansson");
	return done_testing();
}
