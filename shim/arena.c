/* arena.c: size-class free lists over bump-allocated mappings (see arena.h).
 *
 * Every block is preceded by a 16-byte header: its size class and the distance back to the start of
 * its slot (non-zero only for aligned blocks). Classes are powers of two from 32 bytes to 64 KiB;
 * larger blocks get a mapping of their own. Freed slots go on their class's free list and are never
 * returned to the system: the shim's needs are small and long-lived.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "guard.h"
#include "real.h"

#define MIN_SHIFT 5
#define MAX_SHIFT 16
#define NCLASSES (MAX_SHIFT - MIN_SHIFT + 1)
#define CLASS_LARGE 0xffu
#define HDR 16u
#define MAGIC 0x6d656d61u /* "mema" */
#define MAX_REGIONS 256
#define BOOT_POOL (256 * 1024)
#define SIG_POOL (256 * 1024)

struct hdr {
	uint32_t cls;   /* size class index, or CLASS_LARGE */
	uint32_t magic;
	uint64_t back;  /* user pointer - slot start; for large blocks: the mapping's length */
};

struct region {
	uintptr_t lo, hi;
};

/* The two static pools, the boot pool and sig_pool (below), side by side. */
char arena_pools[ARENA_POOLS] __attribute__((aligned(4096)));
static size_t boot_used;

static struct region regions[MAX_REGIONS];
static int nregions;
/* The pools and every mapping lie in [arena_owned_lo, arena_owned_hi) (arena.h). */
char *arena_owned_lo = arena_pools, *arena_owned_hi = arena_pools + ARENA_POOLS;

static char *bump, *bump_end;
static size_t next_chunk = 1u << 20;
static void *free_list[NCLASSES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Signal handlers. A handler that interrupts the shim runs with the guard held, so its malloc and
 * free come here; when it interrupted this thread inside the arena's own critical section, waiting
 * for the lock would wait for ever on the interrupted code (signal-safety(7): a handler must not
 * wait on what the interrupted code holds; measured: 68 of 100 runs of tests/progs/sig_alloc hung).
 * So a thread marks itself busy from before it asks for the lock until after it gave it back, and
 * while it is marked, allocations are carved lock-free (one atomic add) from sig_pool, and frees
 * leak the block (its slot is never reused). Blocks carved there have the ordinary header: freed
 * later, outside such a handler, they join the ordinary free lists. Not blocking signals instead:
 * pthread_sigmask is two system calls per critical section. When sig_pool is used up, such an
 * allocation fails with ENOMEM, as a malloc may. */
#define sig_pool (arena_pools + BOOT_POOL)
_Static_assert(ARENA_POOLS == BOOT_POOL + SIG_POOL, "arena.h's ARENA_POOLS");
static size_t sig_used;
static __thread int busy __attribute__((tls_model("initial-exec")));

/* Cancellation is off while the lock is held (guard.h: a thread cancelled asynchronously inside the
 * critical section would leave it held); free() of an arena block runs here without the guard. */
struct held {
	struct cancel_saved cancel;
};

static void lock_in(struct held *h)
{
	h->cancel.type = -1; /* unlock_in restores nothing */
	if (!shim_guard_cancel_off) /* else off already, until after unlock_in (guard.h) */
		cancel_off(&h->cancel);
	busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_lock(&lock);
}

static void unlock_in(struct held *h)
{
	pthread_mutex_unlock(&lock);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	busy = 0;
	cancel_restore(&h->cancel);
}

/* A slot of 1 << shift bytes from sig_pool, or NULL. Async-signal-safe. */
static void *sig_carve(unsigned shift)
{
	size_t sz = (size_t)1 << shift;
	size_t at = __atomic_fetch_add(&sig_used, sz, __ATOMIC_RELAXED);

	if (at > SIG_POOL || SIG_POOL - at < sz)
		return NULL;
	return sig_pool + at;
}

int arena_fork_prepare(int reentered)
{
	/* fork() from a handler that interrupted this thread's critical section: the lock cannot
	 * be had; the child, where this thread stays marked busy, allocates from sig_pool until
	 * the interrupted code resumes and finishes. */
	if (reentered && busy)
		return 0;
	busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_lock(&lock);
	return 1;
}

void arena_fork_parent(int taken)
{
	if (taken) {
		pthread_mutex_unlock(&lock);
		busy = 0;
	}
}

void arena_reinit_child(int taken)
{
	pthread_mutex_init(&lock, NULL);
	if (taken)
		busy = 0;
}

/* Remember [lo, hi) as arena memory; caller holds the lock. 0 on success. */
static int add_region(uintptr_t lo, uintptr_t hi)
{
	if (nregions == MAX_REGIONS)
		return -1;
	regions[nregions].lo = lo;
	regions[nregions].hi = hi;
	__atomic_store_n(&nregions, nregions + 1, __ATOMIC_RELEASE);
	if (lo < (uintptr_t)arena_owned_lo)
		__atomic_store_n(&arena_owned_lo, (char *)lo, __ATOMIC_RELAXED);
	if (hi > (uintptr_t)arena_owned_hi)
		__atomic_store_n(&arena_owned_hi, (char *)hi, __ATOMIC_RELAXED);
	return 0;
}

/* Map len bytes of fresh memory, from the boot pool while mmap is not resolved yet. Lock held. */
static void *get_pages(size_t len)
{
	void *p;

	if (!real.mmap) {
		if (boot_used + len > BOOT_POOL)
			return NULL;
		p = arena_pools + boot_used;
		boot_used += len;
		return p;
	}
	p = real.mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (add_region((uintptr_t)p, (uintptr_t)p + len)) {
		real.munmap(p, len);
		return NULL;
	}
	return p;
}

/* Carve one slot of 1 << shift bytes from the bump region. Lock held. */
static void *carve(unsigned shift)
{
	size_t sz = (size_t)1 << shift;
	void *p;

	if (!bump || (size_t)(bump_end - bump) < sz) {
		size_t want = next_chunk;
		char *chunk = get_pages(want);
		if (!chunk && real.mmap) {
			want = 1u << 20;
			chunk = get_pages(want);
		}
		if (!chunk)
			return NULL;
		if (real.mmap && next_chunk < (64u << 20))
			next_chunk *= 2;
		bump = chunk;
		bump_end = chunk + (real.mmap ? want : BOOT_POOL - (size_t)(chunk - arena_pools));
		if (!real.mmap)
			boot_used = BOOT_POOL;
	}
	p = bump;
	bump += sz;
	return p;
}

static unsigned class_for(size_t need)
{
	unsigned shift = MIN_SHIFT;
	while (((size_t)1 << shift) < need)
		shift++;
	return shift;
}

/* Allocate a slot able to hold `size` user bytes at `align` (<= 4096), or NULL. */
static void *alloc_aligned(size_t size, size_t align)
{
	size_t need;
	char *slot, *user;
	struct hdr *h;
	unsigned shift;
	struct held held;

	if (align < HDR)
		align = HDR;
	if (size > ((size_t)1 << 40))
		return NULL;
	need = size + HDR + (align > HDR ? align : 0);
	if (unlikely(busy)) {
		/* a signal handler that interrupted this thread's critical section (above) */
		if (need > ((size_t)1 << MAX_SHIFT))
			return NULL;
		shift = class_for(need);
		slot = sig_carve(shift);
		goto carved;
	}
	lock_in(&held);
	if (need > ((size_t)1 << MAX_SHIFT)) {
		size_t len = (need + 4095) & ~(size_t)4095;
		slot = get_pages(len);
		unlock_in(&held);
		if (!slot)
			return NULL;
		user = (char *)(((uintptr_t)slot + HDR + align - 1) & ~(uintptr_t)(align - 1));
		h = (struct hdr *)user - 1;
		h->cls = CLASS_LARGE;
		h->magic = MAGIC;
		h->back = len;
		return user;
	}
	shift = class_for(need);
	slot = free_list[shift - MIN_SHIFT];
	if (slot)
		free_list[shift - MIN_SHIFT] = *(void **)slot;
	else
		slot = carve(shift);
	unlock_in(&held);
carved:
	if (!slot)
		return NULL;
	user = (char *)(((uintptr_t)slot + HDR + align - 1) & ~(uintptr_t)(align - 1));
	h = (struct hdr *)user - 1;
	h->cls = shift - MIN_SHIFT;
	h->magic = MAGIC;
	h->back = (uint64_t)(user - slot);
	return user;
}

void *arena_malloc(size_t size)
{
	void *p = alloc_aligned(size, HDR);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *arena_calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	p = arena_malloc(total);
	if (p)
		memset(p, 0, total); /* recycled slots are not zero */
	return p;
}

void *arena_memalign(size_t alignment, size_t size)
{
	void *p;

	if (alignment == 0 || (alignment & (alignment - 1)) || alignment > 4096) {
		errno = EINVAL;
		return NULL;
	}
	p = alloc_aligned(size, alignment);
	if (!p)
		errno = ENOMEM;
	return p;
}

size_t arena_usable_size(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	if (h->cls == CLASS_LARGE)
		return 0; /* not needed by any caller; large blocks are rare */
	return ((size_t)1 << (h->cls + MIN_SHIFT)) - h->back;
}

void arena_free(void *p)
{
	struct hdr *h;
	char *slot;
	struct held held;

	if (!p)
		return;
	h = (struct hdr *)p - 1;
	if (h->magic != MAGIC)
		return; /* not ours or corrupted: leaking is the safe choice */
	h->magic = 0;
	if (h->cls == CLASS_LARGE)
		return; /* large blocks stay mapped: rare, and unmapping needs the region list edited */
	if (unlikely(busy))
		return; /* a signal handler inside this thread's critical section: leak (above) */
	slot = (char *)p - h->back;
	lock_in(&held);
	*(void **)slot = free_list[h->cls];
	free_list[h->cls] = slot;
	unlock_in(&held);
}

void *arena_realloc(void *p, size_t size)
{
	struct hdr *h;
	size_t have;
	void *q;

	if (!p)
		return arena_malloc(size);
	h = (struct hdr *)p - 1;
	have = h->cls == CLASS_LARGE ? (size_t)h->back - (size_t)((uintptr_t)p & 4095) : arena_usable_size(p);
	if (size <= have && h->cls != CLASS_LARGE)
		return p;
	q = arena_malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, have < size ? have : size);
	arena_free(p);
	return q;
}

int arena_owns_mapped(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	int i, n;

	if (a - (uintptr_t)arena_pools < ARENA_POOLS)
		return 1;
	n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++)
		if (a >= regions[i].lo && a < regions[i].hi)
			return 1;
	return 0;
}

void *arena_alloc_cb(size_t size, void *ctx)
{
	(void)ctx;
	return alloc_aligned(size, HDR);
}

void arena_free_cb(void *p, size_t size, void *ctx)
{
	(void)size;
	(void)ctx;
	arena_free(p);
}
