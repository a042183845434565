/* idmap.h: a hash map from a pair of 64-bit integers to an index (size_t).
 *
 * Used for everything the report tool looks up by id: modules and stacks by their log id, sites by
 * (op, stack), findings by (rule, stack), symbols by (module file, address). Keys are whatever the
 * log says (negative and huge values included); open addressing, grows at half load. The hash is
 * keyed at random once per run, so that a hostile log cannot choose ids that all collide.
 */
#ifndef MEMAUDIT_TOOLS_IDMAP_H
#define MEMAUDIT_TOOLS_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idmap_slot {
	int64_t a, b;
	size_t value; /* SIZE_MAX = empty */
};

/* About what one entry costs, table included (at most half the slots are used): for budgets. */
#define IDMAP_ENTRY_SIZE (4 * sizeof(struct idmap_slot))

struct idmap {
	struct idmap_slot *slots;
	size_t cap, count; /* cap is 0 or a power of two */
};

/* Initialize an empty map (no allocation until the first insert). */
void idmap_init(struct idmap *m);
/* Release the map's memory; it is empty afterwards. */
void idmap_free(struct idmap *m);
/* Return true and set *value when (a, b) is in the map; false otherwise. */
bool idmap_get(const struct idmap *m, int64_t a, int64_t b, size_t *value);
/* Insert (a, b) -> value unless the key is present; return true when inserted.
 * value must not be SIZE_MAX. */
bool idmap_put(struct idmap *m, int64_t a, int64_t b, size_t value);

/* Use the key k0, k1 instead of a random one, before any map is used: tests and the fuzzer need
 * runs that repeat exactly (the key decides where entries land, never what a report says). */
void idmap_fixed_key(uint64_t k0, uint64_t k1);

/* Return a 64-bit hash of the string s ("" for NULL) under the run's random key, for keys made of
 * strings (rule names, paths): equal strings hash equal, and a log cannot choose colliding ones. */
int64_t idmap_hash_str(const char *s);

#endif
