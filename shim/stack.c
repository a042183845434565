/* stack.c: see stack.h. */
#include "config.h"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <string.h>

#include "arena.h"
#include "modules.h"
#include "records.h"
#include "stack.h"
#include "state.h"

struct interned {
	uint64_t hash;
	uint32_t id;
	uint32_t logged_gen;
	int n;
	uintptr_t *ip;     /* raw addresses: the key */
	uint32_t *mod;     /* module id per frame, 0 = none */
	uintptr_t *off;    /* offset from the module's base, or the address when mod is 0 */
};

static struct interned **table; /* open addressing, capacity a power of two */
static size_t capacity, count;
static uint32_t next_id = 1;

void stack_setup(void)
{
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
}

void stack_capture(struct stack_capture *c)
{
	void *buf[STACK_MAX_FRAMES];
	int n = unw_backtrace(buf, STACK_MAX_FRAMES), i = 0, k;

	/* The innermost frames are the shim's own (this function, the wrapper). */
	while (i < n && modules_is_self((uintptr_t)buf[i]))
		i++;
	for (k = 0; i < n; i++) {
		if (!buf[i])
			break;
		c->ip[k++] = (uintptr_t)buf[i];
	}
	c->n = k;
}

static uint64_t hash_ips(const uintptr_t *ip, int n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the addresses */
	int i;

	for (i = 0; i < n; i++) {
		h ^= ip[i];
		h *= 1099511628211ull;
	}
	return h ^ (uint64_t)n;
}

/* Double the table. Lock held. Returns -1 when out of memory. */
static int grow(void)
{
	size_t ncap = capacity ? capacity * 2 : 1024, i, j;
	struct interned **nt = arena_calloc(ncap, sizeof *nt);

	if (!nt)
		return -1;
	for (i = 0; i < capacity; i++) {
		if (!table[i])
			continue;
		for (j = table[i]->hash & (ncap - 1); nt[j]; j = (j + 1) & (ncap - 1))
			;
		nt[j] = table[i];
	}
	arena_free(table);
	table = nt;
	capacity = ncap;
	return 0;
}

/* Write the stack's record (and its modules' first) if this log has not seen it. Lock held. */
static void emit(struct interned *s)
{
	int i;

	if (s->logged_gen == S.log_gen)
		return;
	for (i = 0; i < s->n; i++) {
		struct module *m = module_by_id(s->mod[i]);
		if (m && m->logged_gen != S.log_gen) {
			rec_module(m);
			m->logged_gen = S.log_gen;
		}
	}
	rec_stack(s->id, s->n, s->mod, s->off);
	s->logged_gen = S.log_gen;
}

/* Make the interned entry for c (not in the table yet). Lock held. */
static struct interned *make(const struct stack_capture *c, uint64_t h)
{
	struct interned *s = arena_malloc(sizeof *s);
	int i;

	if (!s)
		return NULL;
	s->ip = arena_malloc((size_t)(c->n ? c->n : 1) * sizeof *s->ip);
	s->mod = arena_malloc((size_t)(c->n ? c->n : 1) * sizeof *s->mod);
	s->off = arena_malloc((size_t)(c->n ? c->n : 1) * sizeof *s->off);
	if (!s->ip || !s->mod || !s->off) {
		arena_free(s->ip);
		arena_free(s->mod);
		arena_free(s->off);
		arena_free(s);
		return NULL;
	}
	s->hash = h;
	s->n = c->n;
	s->id = next_id++;
	s->logged_gen = 0;
	for (i = 0; i < c->n; i++) {
		struct module *m = modules_find(c->ip[i]);
		s->ip[i] = c->ip[i];
		s->mod[i] = m ? m->id : 0;
		s->off[i] = m ? c->ip[i] - m->base : c->ip[i];
	}
	return s;
}

uint32_t stack_intern(const struct stack_capture *c)
{
	uint64_t h = hash_ips(c->ip, c->n);
	struct interned *s;
	size_t j;

	if ((count + 1) * 10 >= capacity * 7 && grow() != 0)
		return 0;
	for (j = h & (capacity - 1); (s = table[j]) != NULL; j = (j + 1) & (capacity - 1))
		if (s->hash == h && s->n == c->n && memcmp(s->ip, c->ip, (size_t)c->n * sizeof *c->ip) == 0)
			break;
	if (!s) {
		s = make(c, h);
		if (!s)
			return 0;
		table[j] = s;
		count++;
	}
	emit(s);
	return s->id;
}
