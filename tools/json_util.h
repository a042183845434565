/* json_util.h: jansson values from what the report holds, shared by the JSON and SARIF writers. */
#ifndef MEMAUDIT_TOOLS_JSON_UTIL_H
#define MEMAUDIT_TOOLS_JSON_UTIL_H

#include <jansson.h>
#include <stdint.h>

/* Return a JSON string for s: null for NULL; bytes that are not valid UTF-8 (paths and argv from
 * the log, DWARF and ELF names) become byte code points, U+10FF00 + byte, the way the log encodes
 * them (policy/utf8.h), so that a reader gets the bytes back exactly. */
json_t *jstr(const char *s);

/* Return a JSON integer for an unsigned value (clamped to the JSON integer range). */
json_t *juint(uint64_t v);

#endif
