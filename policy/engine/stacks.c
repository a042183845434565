/* stacks.c: see stacks.h. */
#include "config.h"

#include <string.h>

#include "policy/engine/frontend.h"
#include "policy/engine/proc.h"
#include "policy/engine/stacks.h"
#include "shim/logwriter/records.h"

struct interned {
	uint64_t hash;
	uint32_t id;
	uint32_t logged_gen;
	int n;
	uintptr_t *ip;     /* raw addresses: the key */
	uint32_t *mod;     /* module id per frame, 0 = none */
	uintptr_t *off;    /* offset from the module's base, or the address when mod is 0 */
};

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
static int grow(struct engine_proc *p)
{
	size_t ncap = p->st.capacity ? p->st.capacity * 2 : 1024, i, j;
	struct interned **nt = p->fe->alloc(p->fe_ctx, (ncap) * sizeof *nt);

	if (!nt)
		return -1;
	for (i = 0; i < p->st.capacity; i++) {
		if (!p->st.table[i])
			continue;
		for (j = p->st.table[i]->hash & (ncap - 1); nt[j]; j = (j + 1) & (ncap - 1))
			;
		nt[j] = p->st.table[i];
	}
	p->fe->free(p->fe_ctx, p->st.table);
	p->st.table = nt;
	p->st.capacity = ncap;
	return 0;
}

/* Make room for one more id in by_id. Lock held. */
static int grow_by_id(struct engine_proc *p)
{
	size_t ncap = p->st.by_id_cap ? p->st.by_id_cap * 2 : 1024;
	struct interned **n = p->fe->alloc(p->fe_ctx, (ncap) * sizeof *n);

	if (!n)
		return -1;
	if (p->st.by_id)
		memcpy(n, p->st.by_id, p->st.by_id_cap * sizeof *n);
	p->fe->free(p->fe_ctx, p->st.by_id);
	p->st.by_id = n;
	p->st.by_id_cap = ncap;
	return 0;
}

/* Write the stack's record (and its modules' first) if this log has not seen it. Lock held. */
static void emit(struct engine_proc *p, struct interned *s)
{
	uint32_t gen = p->log_gen; /* a record that is lost moves p->log_gen: written again later */
	int i;

	if (s->logged_gen == gen)
		return;
	for (i = 0; i < s->n; i++) {
		struct engine_module *m = p->fe->module_by_id(p->fe_ctx, s->mod[i]);
		if (m && m->logged_gen != gen) {
			rec_module(p, m);
			m->logged_gen = gen;
		}
	}
	rec_stack(p, s->id, s->n, s->mod, s->off);
	s->logged_gen = gen;
}

/* Make the interned entry for c (not in the table yet). Lock held. */
static struct interned *make(struct engine_proc *p, const struct engine_frames *c, uint64_t h)
{
	struct interned *s = p->fe->alloc(p->fe_ctx, sizeof *s);
	int i;

	if (!s)
		return NULL;
	s->ip = p->fe->alloc(p->fe_ctx, (size_t)(c->n ? c->n : 1) * sizeof *s->ip);
	s->mod = p->fe->alloc(p->fe_ctx, (size_t)(c->n ? c->n : 1) * sizeof *s->mod);
	s->off = p->fe->alloc(p->fe_ctx, (size_t)(c->n ? c->n : 1) * sizeof *s->off);
	if (!s->ip || !s->mod || !s->off) {
		p->fe->free(p->fe_ctx, s->ip);
		p->fe->free(p->fe_ctx, s->mod);
		p->fe->free(p->fe_ctx, s->off);
		p->fe->free(p->fe_ctx, s);
		return NULL;
	}
	s->hash = h;
	s->n = c->n;
	s->id = p->st.next_id++;
	s->logged_gen = 0;
	for (i = 0; i < c->n; i++) {
		struct engine_module *m = p->fe->module_find(p->fe_ctx, c->ip[i]);
		s->ip[i] = c->ip[i];
		s->mod[i] = m ? m->id : 0;
		s->off[i] = m ? c->ip[i] - m->base : c->ip[i];
	}
	return s;
}

/* The place in st.recent of a stack whose innermost frame is ip: return addresses of the calls a
 * program makes to the wrappers, a few bytes apart. */
static size_t recent_slot(const struct engine_frames *c)
{
	uintptr_t ip = c->n ? c->ip[0] : 0;

	return (ip ^ (ip >> 4)) & 15;
}

/* The stack the last interned one with the same innermost frame was, when c is it (issue 13: a
 * call site's stack is most often the one it had before; the hash and the probe cost 100
 * instructions per audited call). */
static struct interned *recent(struct engine_proc *p, const struct engine_frames *c)
{
	struct interned *s = p->st.recent[recent_slot(c)];
	int i;

	if (!s || s->n != c->n)
		return NULL;
	for (i = 0; i < c->n; i++)
		if (s->ip[i] != c->ip[i])
			return NULL;
	return s;
}

/* The interned entry of c, its record in this log generation's log unless lost; NULL when out of
 * memory. Lock held. */
static struct interned *intern(struct engine_proc *p, const struct engine_frames *c)
{
	struct interned *s = recent(p, c);
	uint64_t h;
	size_t j;

	if (s) {
		if (s->logged_gen != p->log_gen)
			emit(p, s);
		return s;
	}
	h = hash_ips(c->ip, c->n);
	if (!p->st.next_id)
		p->st.next_id = 1; /* 0 is "no stack" */
	if ((p->st.count + 1) * 10 >= p->st.capacity * 7 && grow(p) != 0)
		return NULL;
	for (j = h & (p->st.capacity - 1); (s = p->st.table[j]) != NULL; j = (j + 1) & (p->st.capacity - 1))
		if (s->hash == h && s->n == c->n && memcmp(s->ip, c->ip,
							   (size_t)c->n * sizeof *c->ip) == 0)
			break;
	if (!s) {
		if (p->st.next_id > p->st.by_id_cap && grow_by_id(p) != 0)
			return NULL;
		s = make(p, c, h);
		if (!s)
			return NULL;
		p->st.table[j] = s;
		p->st.by_id[s->id - 1] = s;
		p->st.count++;
	}
	p->st.recent[recent_slot(c)] = s;
	emit(p, s);
	return s;
}

/* The frames interned, and their memo handed back to the front-end: the id and the generation
 * whose log now holds the stack's record (0 when a record was lost meanwhile, or none). Lock held. */
static uint32_t intern_memo(struct engine_proc *p, const struct engine_frames *c)
{
	struct interned *s = intern(p, c);
	uint32_t id = s ? s->id : 0;

	if (p->fe->stack_memo)
		p->fe->stack_memo(p->fe_ctx, c->memo_key, id,
				  s && s->logged_gen == p->log_gen ? s->logged_gen : 0);
	return id;
}

uint32_t engine_stack_intern_slow(struct engine_proc *p, const struct engine_frames *c)
{
	struct interned *s;

	if (c->memo_key)
		return intern_memo(p, c);
	s = intern(p, c);
	return s ? s->id : 0;
}

int engine_stack_frame(const struct engine_proc *p, uint32_t id, int i, uintptr_t *ip, uint32_t *mod, uintptr_t *off)
{
	struct interned *s = id >= 1 && id <= p->st.by_id_cap ? p->st.by_id[id - 1] : NULL;

	if (!s || i < 0 || i >= s->n)
		return 0;
	if (ip)
		*ip = s->ip[i];
	if (mod)
		*mod = s->mod[i];
	if (off)
		*off = s->off[i];
	return 1;
}

void engine_stacks_destroy(struct engine_proc *p)
{
	size_t i;

	for (i = 0; i < p->st.capacity; i++) {
		struct interned *s = p->st.table[i];

		if (!s)
			continue;
		p->fe->free(p->fe_ctx, s->ip);
		p->fe->free(p->fe_ctx, s->mod);
		p->fe->free(p->fe_ctx, s->off);
		p->fe->free(p->fe_ctx, s);
	}
	p->fe->free(p->fe_ctx, p->st.table);
	p->fe->free(p->fe_ctx, p->st.by_id);
	memset(&p->st, 0, sizeof p->st);
}

int engine_stacks_copy(struct engine_proc *to, const struct engine_proc *from)
{
	size_t i;

	memset(&to->st, 0, sizeof to->st);
	to->st.next_id = from->st.next_id;
	if (!from->st.capacity)
		return 0;
	to->st.table = to->fe->alloc(to->fe_ctx, from->st.capacity * sizeof *to->st.table);
	to->st.by_id = to->fe->alloc(to->fe_ctx, from->st.by_id_cap * sizeof *to->st.by_id);
	if (!to->st.table || !to->st.by_id)
		return -1;
	to->st.capacity = from->st.capacity;
	to->st.by_id_cap = from->st.by_id_cap;
	for (i = 0; i < from->st.capacity; i++) {
		const struct interned *f = from->st.table[i];
		struct engine_frames c;
		struct interned *s;

		if (!f)
			continue;
		c.n = f->n;
		memcpy(c.ip, f->ip, (size_t)f->n * sizeof *c.ip);
		s = make(to, &c, f->hash);
		if (!s)
			return -1;
		s->id = f->id;
		memcpy(s->mod, f->mod, (size_t)f->n * sizeof *s->mod);
		memcpy(s->off, f->off, (size_t)f->n * sizeof *s->off);
		to->st.table[i] = s;
		to->st.by_id[s->id - 1] = s;
		to->st.count++;
	}
	to->st.next_id = from->st.next_id; /* make() counted */
	return 0;
}
