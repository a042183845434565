/* heapblocks.c: see heapblocks.h. */
#include "config.h"

#include "heapblocks.h"

#define CHUNKS 2048 /* slots for live mmapped chunks: 0 empty, 1 a removed one (bss, which
		     * mlockall(MCL_CURRENT) locks too: small) */
#define PROBES 64
#define HEAPS 64

uintptr_t heapblocks_glibc;
unsigned long heapblocks_chunks;

static uintptr_t chunks[CHUNKS];
static uintptr_t heaps[HEAPS];
static int chunks_full, heaps_full; /* a block could not be kept: answer "maybe" for ever */
__thread uintptr_t heapblocks_last_heap __attribute__((tls_model("initial-exec")));

static size_t slot_of(uintptr_t p)
{
	return (size_t)((p >> 4) * 0x9e3779b97f4a7c15ull >> 51) & (CHUNKS - 1);
}

static void keep_chunk(uintptr_t p)
{
	size_t i = slot_of(p), k;

	for (k = 0; k < PROBES; k++, i = (i + 1) & (CHUNKS - 1)) {
		uintptr_t v = __atomic_load_n(&chunks[i], __ATOMIC_RELAXED);
		if (v <= 1 && __atomic_compare_exchange_n(&chunks[i], &v, p, 0, __ATOMIC_RELEASE,
							  __ATOMIC_RELAXED)) {
			__atomic_add_fetch(&heapblocks_chunks, 1, __ATOMIC_RELAXED);
			return;
		}
	}
	__atomic_store_n(&chunks_full, 1, __ATOMIC_RELEASE);
}

static void keep_heap(uintptr_t h)
{
	size_t i;

	for (i = 0; i < HEAPS; i++) {
		uintptr_t v = __atomic_load_n(&heaps[i], __ATOMIC_ACQUIRE);
		if (v == h)
			return;
		if (!v && __atomic_compare_exchange_n(&heaps[i], &v, h, 0, __ATOMIC_RELEASE,
						      __ATOMIC_ACQUIRE))
			return;
		if (v == h)
			return;
	}
	__atomic_store_n(&heaps_full, 1, __ATOMIC_RELEASE);
}

void heapblocks_note_slow(void *p, size_t w)
{
	uintptr_t a = (uintptr_t)p;

	if (w & 2) {
		keep_chunk(a);
	} else if (w & 4) {
		uintptr_t h = a & ~(HEAP_MAX_SIZE - 1);
		if (h != heapblocks_last_heap) {
			keep_heap(h);
			heapblocks_last_heap = h;
		}
	}
}

void heapblocks_forget(const void *p)
{
	size_t i = slot_of((uintptr_t)p), k;

	for (k = 0; k < PROBES; k++, i = (i + 1) & (CHUNKS - 1)) {
		uintptr_t v = __atomic_load_n(&chunks[i], __ATOMIC_RELAXED);
		if (v == (uintptr_t)p &&
		    __atomic_compare_exchange_n(&chunks[i], &v, 1, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			__atomic_sub_fetch(&heapblocks_chunks, 1, __ATOMIC_RELAXED);
			return;
		}
		if (!v)
			return;
	}
}

int heapblocks_maybe_mmapped(uintptr_t blk)
{
	size_t i = slot_of(blk), k;

	if (!heapblocks_glibc || __atomic_load_n(&chunks_full, __ATOMIC_ACQUIRE))
		return 1;
	for (k = 0; k < PROBES; k++, i = (i + 1) & (CHUNKS - 1)) {
		uintptr_t v = __atomic_load_n(&chunks[i], __ATOMIC_ACQUIRE);
		if (v == blk)
			return 1;
		if (!v)
			return 0;
	}
	return 0; /* never kept further along than PROBES slots */
}

int heapblocks_maybe_heap(uintptr_t h)
{
	size_t i;

	if (!heapblocks_glibc || __atomic_load_n(&heaps_full, __ATOMIC_ACQUIRE))
		return 1;
	for (i = 0; i < HEAPS; i++) {
		uintptr_t v = __atomic_load_n(&heaps[i], __ATOMIC_ACQUIRE);
		if (v == h)
			return 1;
		if (!v)
			return 0;
	}
	return 0;
}
