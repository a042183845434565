/* stackcache.c: see stackcache.h. */
#include "config.h"

#include <string.h>

#include "guard.h" /* likely */
#include "stack.h"
#include "stackcache.h"

/* About 1 KiB each, in the library's bss: mlockall(MCL_CURRENT) locks it too. Each key has two
 * places (two hashes of it), the older of which a new stack replaces: direct-mapped, two of the
 * three call sites of a loop fell in one place on one build, replaced each other at every call
 * and unwound every time (issue 13: an audited call three times slower). */
#define ENTRIES 64

struct entry {
	int busy;                  /* taken by one thread; others miss rather than wait */
	int n;                     /* frames; 0: empty */
	int self;                  /* the raw_stack's: the shim's frames, not given by get */
	uint32_t ver;              /* bumped by every put: a memo written back is this stack's */
	uint32_t key;              /* the memo_key of this version (KEY_ENTRY_BITS) */
	uint32_t memo_id, memo_gen; /* the engine's memo of the frames (frontend.h); 0: none yet */
	uint64_t used;             /* when last found or put (use_clock): the older of two goes */
	uintptr_t ra, cfa, top;    /* key; the highest slot */
	uintptr_t ip[ENGINE_MAX_FRAMES];
	uintptr_t slot[ENGINE_MAX_FRAMES]; /* where ip[i] was read (i >= 1) */
	/* n is below the walk's frame count when it ended in a 0 */
};

static struct entry cache[ENTRIES];

/* The part of this thread's stack that its own complete walks covered, [lo, hi): the union of
 * [start CFA, outermost slot] of the first walk and of every later one that overlaps it. A walk
 * reads a stack from its start up to its end, and a stack is one mapping: so all of it is this
 * thread's stack, mapped for as long as the thread lives. (Not pthread_getattr_np, which
 * allocates, and reads /proc for the main thread: the mappings that made moved the map-count
 * model's numbers.) A walk that does not overlap it (on a coroutine's stack) is not kept; hi 0:
 * no walk yet. */
static __thread uintptr_t stack_lo, stack_hi __attribute__((tls_model("initial-exec")));

static int own_stack(uintptr_t cfa, uintptr_t top)
{
	if (!stack_hi) {
		stack_lo = cfa;
		stack_hi = top;
	}
	if (cfa >= stack_hi || top <= stack_lo)
		return 0;
	if (cfa < stack_lo)
		stack_lo = cfa;
	if (top > stack_hi)
		stack_hi = top;
	return 1;
}

/* A count of finds and puts, for the entries' `used`: racy increments only age entries wrongly. */
static uint64_t use_clock;

static uint64_t tick(void)
{
	uint64_t t = __atomic_load_n(&use_clock, __ATOMIC_RELAXED) + 1;

	__atomic_store_n(&use_clock, t, __ATOMIC_RELAXED);
	return t;
}

/* Is e keyed (ra, cfa)? Read without taking it (a guess: get_from checks). */
static int holds(const struct entry *e, uintptr_t ra, uintptr_t cfa)
{
	return __atomic_load_n(&e->ra, __ATOMIC_RELAXED) == ra &&
	       __atomic_load_n(&e->cfa, __ATOMIC_RELAXED) == cfa;
}

/* The two places of a key. */
static void slots_for(uintptr_t ra, uintptr_t cfa, struct entry **a, struct entry **b)
{
	uint64_t h = ((uint64_t)ra * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)cfa * 0xc2b2ae3d27d4eb4full);
	size_t i = (h >> 40) & (ENTRIES - 1), j = (h >> 50) & (ENTRIES - 1);

	*a = &cache[i];
	*b = &cache[j != i ? j : (i ^ 1)];
}

static int take(struct entry *e)
{
	return !__atomic_exchange_n(&e->busy, 1, __ATOMIC_ACQUIRE);
}

static void give(struct entry *e)
{
	__atomic_store_n(&e->busy, 0, __ATOMIC_RELEASE);
}

/* A hit's memo_key (frontend.h), made by put: the entry, and its version modulo 2^25 (a memo
 * written back to an entry put over 2^25 times since the hit would be wrong); never 0, which is no
 * entry. */
#define KEY_ENTRY_BITS 7 /* entry index + 1: ENTRIES <= 127 */

/* The stack of entry e, without the shim's own frames, when it is the one keyed (ra, cfa): 1, or 0.
 * Slot 1 is not read: it is cfa - 8, where stack_capture's return address, ra, is (put checks).
 * Frames 0 and 1 are the shim's (put checks): the frames given are checked and copied in one pass,
 * a mismatch leaving f half written (the caller unwinds into it again). */
static int get_from(struct entry *e, uintptr_t ra, uintptr_t cfa, struct engine_frames *f)
{
	int i, n, self, ok = 0;

	if (!take(e))
		return 0;
	n = __atomic_load_n(&e->n, __ATOMIC_ACQUIRE);
	self = e->self;
	if (n && e->ra == ra && e->cfa == cfa && e->top < stack_hi) {
		for (i = 2; i < self; i++)
			if (*(const volatile uintptr_t *)e->slot[i] != e->ip[i])
				goto out;
		for (; i < n; i++) {
			uintptr_t v = *(const volatile uintptr_t *)e->slot[i];

			if (v != e->ip[i])
				goto out;
			f->ip[i - self] = v;
		}
		f->n = n - self;
		f->memo_id = e->memo_id;
		f->memo_gen = e->memo_gen;
		f->memo_key = e->key;
		__atomic_store_n(&e->used, tick(), __ATOMIC_RELAXED);
		ok = 1;
	}
out:
	give(e);
	return ok;
}

int stackcache_on;

/* The stack cache's lookup, here, inlined (issue 13: a call less per audited call). */
__attribute__((noinline)) void stack_capture(struct engine_frames *c)
{
	uintptr_t ra = (uintptr_t)__builtin_return_address(0), cfa = (uintptr_t)__builtin_dwarf_cfa();
	struct entry *a, *b;

	/* a hit takes no lock (stackcache.h) */
	if (likely(stackcache_on) && cfa >= stack_lo && cfa < stack_hi) {
		slots_for(ra, cfa, &a, &b);
		if (!holds(a, ra, cfa))
			a = b; /* (a guess: get_from checks under the entry's flag) */
		if (get_from(a, ra, cfa, c))
			return;
	}
	stack_unwind(c, ra, cfa);
	/* not a tail call: stack_unwind's walk must find this frame, which the cache's key is of */
	__asm__ __volatile__("");
}

void stackcache_put(uintptr_t ra, uintptr_t cfa, const struct raw_stack *s)
{
	struct entry *e, *b;
	uintptr_t slot[ENGINE_MAX_FRAMES];
	int n;

	/* self < 2 cannot be (stack_capture and its caller are the shim's), and get relies on it */
	if (!s->cacheable || s->n < 2 || s->ip[1] != ra || s->cfa[1] != cfa || s->self < 2)
		return;
	/* libgcc's _Unwind_GetCFA gives, for frame i, its callee's CFA (the stack pointer of frame
	 * i at its call): frame i's return address was read at that - 8, on this stack, from cfa
	 * up. Whatever else it gives shows here as a slot that does not hold the address, and is
	 * not kept. The walk's last frame may be a 0 that was not read from the stack: the stack
	 * ends before it (stack_capture stops there too). */
	for (n = 1; n < s->n && s->ip[n]; n++) {
		slot[n] = s->cfa[n] - sizeof(uintptr_t);
		if (slot[n] < cfa - sizeof(uintptr_t) || (n > 1 && slot[n] <= slot[n - 1]) ||
		    *(const uintptr_t *)slot[n] != s->ip[n])
			return;
	}
	if (s->self > n || !own_stack(cfa, slot[n - 1] + sizeof(uintptr_t)))
		return;
	/* the place that holds this key already, else an empty one, else the older (racy reads:
	 * a wrong choice only replaces another entry) */
	slots_for(ra, cfa, &e, &b);
	if (!holds(e, ra, cfa) &&
	    (holds(b, ra, cfa) || (__atomic_load_n(&e->n, __ATOMIC_RELAXED) &&
				   (!__atomic_load_n(&b->n, __ATOMIC_RELAXED) ||
				    __atomic_load_n(&b->used, __ATOMIC_RELAXED) <
					    __atomic_load_n(&e->used, __ATOMIC_RELAXED)))))
		e = b;
	if (!take(e))
		return;
	/* n last, after the rest (release): a fork child made by a signal handler that interrupted
	 * this (stackcache_fork_child) sees the entry empty or whole */
	__atomic_store_n(&e->n, 0, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&e->ra, ra, __ATOMIC_RELAXED);
	__atomic_store_n(&e->cfa, cfa, __ATOMIC_RELAXED);
	e->top = slot[n - 1];
	e->self = s->self;
	e->ver++;
	e->key = (uint32_t)(e - cache + 1) | e->ver << KEY_ENTRY_BITS;
	e->memo_id = e->memo_gen = 0;
	memcpy(e->ip, s->ip, (size_t)n * sizeof e->ip[0]);
	memcpy(e->slot, slot, (size_t)n * sizeof slot[0]);
	__atomic_store_n(&e->used, tick(), __ATOMIC_RELAXED);
	__atomic_store_n(&e->n, n, __ATOMIC_RELEASE);
	give(e);
}

void stackcache_memo(uint32_t key, uint32_t id, uint32_t gen)
{
	struct entry *e = &cache[(key & ((1u << KEY_ENTRY_BITS) - 1)) - 1];

	if (!take(e))
		return;
	if (e->n && e->key == key) {
		e->memo_id = id;
		e->memo_gen = gen;
	}
	give(e);
}

void stackcache_fork_child(void)
{
	int i;

	for (i = 0; i < ENTRIES; i++)
		cache[i].busy = 0;
}
