/* real.c: resolve the next definition of each wrapped function (see real.h). */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "dynsym.h"
#include "heapblocks.h"
#include "real.h"

/* Until real_resolve() has run, malloc, calloc and free lead here: the wrappers' fast paths call
 * through the table without testing whether it is filled (alloc.c). */
static void *boot_malloc(size_t size)
{
	real_resolve();
	return real.malloc(size);
}

static void *boot_calloc(size_t n, size_t size)
{
	real_resolve();
	return real.calloc(n, size);
}

static void boot_free(void *p)
{
	if (!p) /* as before: free(NULL) resolves nothing (dlsym's own may come while resolving) */
		return;
	real_resolve();
	real.free(p);
}

struct real_table real = {.malloc = boot_malloc, .calloc = boot_calloc, .free = boot_free};
__thread struct shim_guard_tls shim_guard_tls __attribute__((tls_model("initial-exec")));
int shim_cancel_used;

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;
int real_resolved;

/* Write a fixed message to stderr without stdio (which may allocate). */
static void say(const char *a, const char *b)
{
	ssize_t r;
	r = write(2, a, strlen(a));
	r = write(2, b, strlen(b));
	r = write(2, "\n", 1);
	(void)r;
}

/* dlsym may call calloc (for its error state, libfaketime #130, jemalloc #443): the guard sends that
 * to the arena. The guard also keeps anything else dlsym does from being audited. */
static void resolve_all(void)
{
	int g = guard_enter();
	int missing = 0;

#define REAL_LOOKUP(name, ret, params, required)                                          \
	real.name = (real_##name##_fn *)dlsym(RTLD_NEXT, #name);                          \
	if (!real.name && (required)) {                                                   \
		say("memaudit: cannot find the C library's ", #name);                     \
		missing = 1;                                                              \
	}
	REAL_FUNCS(REAL_LOOKUP)
#undef REAL_LOOKUP

	/* glibc's own allocator: its chunk headers may be read (heapblocks.h) */
	heapblocks_set_glibc(real.malloc && dlsym(RTLD_NEXT, "__libc_malloc") == (void *)real.malloc &&
			     dlsym(RTLD_NEXT, "__libc_free") == (void *)real.free &&
			     dlsym(RTLD_NEXT, "__libc_realloc") == (void *)real.realloc);
	if (missing) {
		/* Without the real function there is nothing to forward to: stop, loudly. Not _exit():
		 * inside the shim that name is the shim's own wrapper, whose target is what is missing. */
		abort();
	}
	__atomic_store_n(&real_resolved, 1, __ATOMIC_RELEASE);
	guard_leave(g);
}

/* guard.h. close(-1) is a cancellation point (pthreads(7)) that does nothing else (EBADF): glibc
 * (nptl/cancellation.c) does not return from one while a cancellation signal it was sent is still
 * undelivered; then pthread_testcancel acts on the request, if there is one and the state allows. */
void shim_cancel_settle(void)
{
	int e = errno;

	close(-1);
	errno = e;
	pthread_testcancel();
}

/* glibc's own pthread_setcanceltype and pthread_setcancelstate, from libc's dynamic symbol table
 * (dynsym.h): a sanitizer preloaded after the shim intercepts them, and its interceptor calls
 * through a null pointer until its initialisation, which calls into the shim, has finished (an
 * ASan program under the launcher died with SIGSEGV at its start). Resolved at the first guard;
 * while they cannot be found, cancellation is left as it is. */
cancel_fn *shim_setcanceltype, *shim_setcancelstate;
static int cancel_resolved;

void shim_cancel_resolve(void)
{
	if (__atomic_load_n(&cancel_resolved, __ATOMIC_ACQUIRE))
		return;
	shim_setcanceltype = (cancel_fn *)dynsym_lookup("libc.so.6", "pthread_setcanceltype");
	shim_setcancelstate = (cancel_fn *)dynsym_lookup("libc.so.6", "pthread_setcancelstate");
	if (!shim_setcanceltype || !shim_setcancelstate)
		shim_setcanceltype = shim_setcancelstate = NULL;
	__atomic_store_n(&cancel_resolved, 1, __ATOMIC_RELEASE);
}

/* guard.h, "Cancellation left alone": from now on every guard turns cancellation off; and a guard
 * of this thread that a signal handler interrupted to come here, and that left it alone, has it
 * turned off now, before the request exists, as its entry would have (with every signal blocked,
 * so that no second handler does the same meanwhile). */
SHIM_EXPORT int pthread_cancel(pthread_t th)
{
	sigset_t all, old;

	__atomic_store_n(&shim_cancel_used, 1, __ATOMIC_SEQ_CST);
	if (shim_in_guard && shim_guard_cancel_skip) {
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		if (shim_guard_cancel_skip)
			guard_cancel_take();
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (!real_ready())
		real_resolve();
	return real.pthread_cancel(th);
}

void real_resolve(void)
{
	pthread_once(&resolve_once, resolve_all);
}
