/* heap_thread MODE: malloc blocks that the shim's wrappers note (shim/heapblocks.h) and lock one,
 * so that the heap rules see where glibc put it. Each MODE locks one range once:
 *   thread-block    a small block a thread got from its arena's heap (NON_MAIN_ARENA)
 *   thread-chunk    300 KiB a thread got, a chunk mapped on its own (IS_MMAPPED)
 *   main-chunk      the same in the main thread
 *   second-heap     a block from the second heap of a thread's arena, made once the first
 *                   (HEAP_MAX_SIZE, 64 MiB) is full: the thread's last noted heap changed
 *   thread-region   negative twin: a page the thread mapped itself
 * Exits 0 when the lock succeeded, 77 when the mode could not be set up (second-heap: the
 * blocks never left the first heap). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HEAP_MAX ((uintptr_t)64 << 20)

static const char *mode;

static int lock_once(void *p, size_t n)
{
	if (mlock(p, n) != 0) {
		perror("heap_thread: mlock");
		return 1;
	}
	return munlock(p, n) != 0;
}

/* Small blocks until one lies in another HEAP_MAX-aligned heap than the first: 64 KiB each, below
 * the mmap threshold, so they come from the arena's heaps. */
static int second_heap(void)
{
	enum { N = 2048 };
	static void *b[N];
	uintptr_t first;
	int i, r = 77;

	b[0] = malloc(64 << 10);
	if (!b[0])
		return 1;
	first = (uintptr_t)b[0] & ~(HEAP_MAX - 1);
	for (i = 1; i < N; i++) {
		if (!(b[i] = malloc(64 << 10)))
			break;
		if (((uintptr_t)b[i] & ~(HEAP_MAX - 1)) != first) {
			r = lock_once(b[i], 64); /* heap_thread: second-heap */
			break;
		}
	}
	while (i >= 0)
		free(b[i--]);
	return r;
}

static void *run(void *arg)
{
	char *p;
	int r;

	(void)arg;
	if (!strcmp(mode, "thread-block")) {
		p = malloc(64);
		r = !p || lock_once(p, 64); /* heap_thread: thread-block */
		free(p);
	} else if (!strcmp(mode, "thread-chunk")) {
		p = malloc(300 << 10);
		r = !p || lock_once(p, 4096); /* heap_thread: thread-chunk */
		free(p);
	} else if (!strcmp(mode, "second-heap")) {
		r = second_heap();
	} else if (!strcmp(mode, "thread-region")) {
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		free(malloc(64)); /* the thread has its arena all the same */
		r = p == MAP_FAILED || lock_once(p, 4096);
	} else {
		r = 2;
	}
	return (void *)(intptr_t)r;
}

int main(int argc, char **argv)
{
	pthread_t t;
	void *ret;
	char *p;
	int r;

	mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "main-chunk")) {
		p = malloc(300 << 10);
		r = !p || lock_once(p, 4096); /* heap_thread: main-chunk */
		free(p);
		return r;
	}
	if (pthread_create(&t, NULL, run, NULL) != 0 || pthread_join(t, &ret) != 0)
		return 1;
	return (int)(intptr_t)ret;
}
