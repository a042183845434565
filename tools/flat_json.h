/* flat_json.h: a scanner for the flat JSON objects that make up almost every line of a log.
 *
 * Events, findings, what-if, module and exit records are objects whose values are integers,
 * strings, true, false, null or arrays of those. Parsing each with jansson builds a tree of
 * allocated nodes per line; this scanner instead reads such a line in place, without allocating.
 * It takes only a strict subset of JSON that it can read exactly as jansson would: printable ASCII
 * strings without escapes, integers without fraction or exponent that fit an int64, no nested
 * objects or arrays of arrays, at most FLAT_MAX_KEYS keys. Any other line, valid or not, is left
 * to jansson (flat_parse returns false), which then decides. Of duplicate keys, the last counts,
 * as in jansson.
 */
#ifndef MEMAUDIT_TOOLS_FLAT_JSON_H
#define MEMAUDIT_TOOLS_FLAT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLAT_MAX_KEYS 48

enum flat_type { FLAT_INT, FLAT_STR, FLAT_TRUE, FLAT_FALSE, FLAT_NULL, FLAT_ARRAY };

struct flat_value {
	enum flat_type type;
	int64_t i;       /* FLAT_INT */
	const char *s;   /* FLAT_STR: NUL-terminated, in the record's scratch buffer */
};

struct flat_field {
	const char *key; /* NUL-terminated, in the scratch buffer */
	size_t key_len;
	struct flat_value v;
};

/* A scanned line. scratch holds the keys and strings; it grows to the longest line seen and is
 * reused, so scanning allocates only while lines get longer. */
struct flat_rec {
	size_t n;
	struct flat_field f[FLAT_MAX_KEYS];
	char *scratch;
	size_t scratch_cap;
};

/* Scan line[0..len) into r. Returns false when the line is not a flat object of the subset above
 * (r is then undefined). */
bool flat_parse(struct flat_rec *r, const char *line, size_t len);
/* Return the value of key in r (the last one of duplicates), or NULL. */
const struct flat_value *flat_get(const struct flat_rec *r, const char *key);
/* Free r's scratch buffer. */
void flat_free(struct flat_rec *r);

#endif
