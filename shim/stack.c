/* stack.c: see stack.h. */
#include "config.h"

#include <unwind.h>
#include <pthread.h>
#include <string.h>

#include "arena.h"
#include "demangle.h"
#include "dynsym.h"
#include "elfsym.h"
#include "guard.h"
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
static struct interned **by_id;  /* by_id[id - 1] */
static size_t by_id_cap;

/* Held shared by every capture, exclusively across fork (stack.h). Writer-preferring, so that a
 * fork is not starved by threads that keep capturing; no capture nests in another (the guard). */
static pthread_rwlock_t capture_lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

int stack_fork_prepare(int reentered)
{
	if (reentered)
		return pthread_rwlock_trywrlock(&capture_lock) == 0;
	return pthread_rwlock_wrlock(&capture_lock) == 0;
}

void stack_fork_parent(void)
{
	pthread_rwlock_unlock(&capture_lock);
}

void stack_fork_child(void)
{
	static const pthread_rwlock_t fresh = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

	/* The owner's thread id is not ours any more: start over, as glibc does with its own locks. */
	memcpy(&capture_lock, &fresh, sizeof capture_lock);
}

/* libgcc's unwinder, bound by handle: a preloaded libunwind (or any library that defines
 * _Unwind_Backtrace) comes before libgcc_s in the global lookup, and the plain symbol would be its
 * (issue 10: with libunwind 1.6 preloaded, in either order, the program's open(2) got 5, 6, ...
 * instead of 3, 4, ...: its address checks keep a pipe; see stack_capture). libtcmalloc.so.4
 * brings libunwind in as its dependency and unwinds with it while it grows its heap; libunwind calls
 * sysconf there, the shim starts from that wrapper, and its first unwind, had it been libunwind's,
 * waited for the lock that same thread held (item 2: every program hung before main). The shim already
 * needs libgcc_s.so.1 (DT_NEEDED), so it is loaded; its own definitions are taken. NULL when they
 * cannot be found: no stacks then. */
typedef _Unwind_Reason_Code (*backtrace_fn)(_Unwind_Trace_Fn, void *);
typedef _Unwind_Ptr (*getip_fn)(struct _Unwind_Context *);
static backtrace_fn gcc_backtrace;
static getip_fn gcc_getip;

/* A reference that keeps libgcc_s.so.1 among the library's dependencies (the linker drops a
 * -lgcc_s that no symbol needs), so that it is loaded before the program runs and found below by
 * its path. Never called. */
__attribute__((used)) static void *const keep_libgcc_s = (void *)&_Unwind_GetCFA;

/* Found by its own dynamic symbol table (dynsym.h): not dlopen, which AddressSanitizer intercepts
 * (with libasan preloaded first, the shim's start-up spun for ever in ASan's interceptor), and not
 * by the bare name, which would have mapped /etc/ld.so.cache and kept it. */
static void bind_unwinder(void)
{
	gcc_getip = (getip_fn)dynsym_lookup("libgcc_s.so.1", "_Unwind_GetIP");
	if (gcc_getip)
		gcc_backtrace = (backtrace_fn)dynsym_lookup("libgcc_s.so.1", "_Unwind_Backtrace");
}

void stack_setup(void)
{
	struct engine_frames warm;

	bind_unwinder();
	/* The first unwind finds and caches the objects' unwind tables: do it now, under the
	 * guard, rather than inside the program's first audited call. */
	stack_capture(&warm);
	demangle_setup();
}

struct walk {
	void **buf;
	int n;
};

/* _Unwind_Backtrace callback: one frame's return address (the innermost: this walk's caller). */
static _Unwind_Reason_Code one_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct walk *w = arg;

	if (w->n == ENGINE_MAX_FRAMES)
		return _URC_END_OF_STACK;
	w->buf[w->n++] = (void *)gcc_getip(ctx);
	return _URC_NO_REASON;
}

void stack_capture(struct engine_frames *c)
{
	void *buf[ENGINE_MAX_FRAMES];
	int n, i = 0, k;

	struct walk w = {buf, 0};

	/* libgcc's DWARF unwinder (the one glibc's backtrace(3) uses), not libunwind's
	 * unw_backtrace: libunwind 1.6 checks addresses by read(2) and write(2) on a pipe it opens in
	 * the program's descriptor space at its first unwind. That moves the descriptor numbers the
	 * program gets from open(2), and once the program has closed and reused them libunwind
	 * reads from the program's files and writes bytes of its stack into them
	 * (tests/integration/fd_reuse.sh). libgcc's walk uses no descriptor and reads only what the
	 * CFI describes. */
	if (likely(gcc_backtrace)) {
		pthread_rwlock_rdlock(&capture_lock);
		gcc_backtrace(one_frame, &w);
		pthread_rwlock_unlock(&capture_lock);
	}
	n = w.n;

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

/* Make room for one more id in by_id. Lock held. */
static int grow_by_id(void)
{
	size_t ncap = by_id_cap ? by_id_cap * 2 : 1024;
	struct interned **n = arena_calloc(ncap, sizeof *n);

	if (!n)
		return -1;
	if (by_id)
		memcpy(n, by_id, by_id_cap * sizeof *n);
	arena_free(by_id);
	by_id = n;
	by_id_cap = ncap;
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
		struct module *m = module_by_id(s->mod[i]);
		if (m && m->logged_gen != gen) {
			rec_module(p, m);
			m->logged_gen = gen;
		}
	}
	rec_stack(p, s->id, s->n, s->mod, s->off);
	s->logged_gen = gen;
}

/* Make the interned entry for c (not in the table yet). Lock held. */
static struct interned *make(const struct engine_frames *c, uint64_t h)
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

uint32_t stack_intern(struct engine_proc *p, const struct engine_frames *c)
{
	uint64_t h = hash_ips(c->ip, c->n);
	struct interned *s;
	size_t j;

	if ((count + 1) * 10 >= capacity * 7 && grow() != 0)
		return 0;
	for (j = h & (capacity - 1); (s = table[j]) != NULL; j = (j + 1) & (capacity - 1))
		if (s->hash == h && s->n == c->n && memcmp(s->ip, c->ip,
							   (size_t)c->n * sizeof *c->ip) == 0)
			break;
	if (!s) {
		if (next_id > by_id_cap && grow_by_id() != 0)
			return 0;
		s = make(c, h);
		if (!s)
			return 0;
		table[j] = s;
		by_id[s->id - 1] = s;
		count++;
	}
	emit(p, s);
	return s->id;
}

/* Append s to buf at *len, bounded by cap (always NUL-terminated). */
static void put(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 >= cap)
		return;
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static void put_hex(char *buf, size_t cap, size_t *len, uintptr_t v)
{
	char tmp[2 + 2 * sizeof v + 1];
	int i = sizeof tmp - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	put(buf, cap, len, tmp + i);
}

int stack_frame(uint32_t id, int i, uintptr_t *ip, uint32_t *mod, uintptr_t *off)
{
	struct interned *s = id >= 1 && id <= by_id_cap ? by_id[id - 1] : NULL;

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

/* Append "function " for the frame at offset off of module m, when its file's symbol table names
 * one (elfsym.h: static functions and main() too; not dladdr(3), which takes the dynamic loader's
 * lock), demangled when it is a C++ name (demangle.h). Without a name, the caller shows only
 * module+offset, which memaudit-report symbolizes. off is a return address: the call is the byte
 * before it. */
static void put_function(char *buf, size_t cap, size_t *len, const struct module *m, uintptr_t off)
{
	const char *name = m ? elfsym_function(m, off - 1) : NULL;
	char *readable = demangle_name(name);

	if (!name)
		return;
	put(buf, cap, len, readable ? readable : name);
	put(buf, cap, len, " ");
	if (readable)
		arena_free(readable);
}

void stack_describe(uint32_t id, int max_frames, char *buf, size_t cap)
{
	struct interned *s = id >= 1 && id <= by_id_cap ? by_id[id - 1] : NULL;
	size_t len = 0;
	int i;

	buf[0] = '\0';
	if (!s) {
		put(buf, cap, &len, "(no stack)");
		return;
	}
	for (i = 0; i < s->n && i < max_frames; i++) {
		struct module *m = module_by_id(s->mod[i]);
		const char *base = m ? strrchr(m->path, '/') : NULL;

		if (i)
			put(buf, cap, &len, " <- ");
		put_function(buf, cap, &len, m, s->off[i]);
		put(buf, cap, &len, "(");
		put(buf, cap, &len, base ? base + 1 : m ? m->path : "?");
		put(buf, cap, &len, "+");
		put_hex(buf, cap, &len, s->off[i]);
		put(buf, cap, &len, ")");
	}
}
