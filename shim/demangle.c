/* demangle.c: see demangle.h.
 *
 * __cxa_demangle (the Itanium C++ ABI's demangler, C linkage, in libstdc++) is looked up once, in
 * shim_init: dlsym(3) takes the dynamic loader's lock, and the state lock is taken under that lock
 * when a library's constructor run by dlopen(3) makes an audited call; looking it up while
 * describing a stack, under the state lock, could deadlock. So a libstdc++ that the program
 * dlopens later is not used: its names stay mangled.
 *
 * The demangler allocates with malloc, realloc and free: called with the guard held, those go to
 * the shim's arena (alloc.c), never to the application's heap. It keeps its working arrays on the
 * stack, a few dozen bytes per character of the name (libiberty cp-demangle.c,
 * d_demangle_callback): names longer than NAME_MAX_LEN stay mangled, and nothing is demangled on
 * an alternate signal stack (sigaltstack(2)), which may be as small as MINSIGSTKSZ.
 */
#include "config.h"

#include <dlfcn.h>
#include <signal.h>
#include <string.h>

#include "arena.h"
#include "demangle.h"
#include "guard.h"

#define NAME_MAX_LEN 160 /* about 12 KiB of the demangler's stack at most */

typedef char *(*cxa_demangle_fn)(const char *name, char *buf, size_t *len, int *status);

static cxa_demangle_fn cxa_demangle; /* immutable after init: NULL without libstdc++ */

void demangle_setup(void)
{
	cxa_demangle = (cxa_demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
}

char *demangle_name(const char *name)
{
	stack_t ss;
	char *out;
	int status = -1, g;

	if (!cxa_demangle || !name || strncmp(name, "_Z", 2) != 0 ||
	    strnlen(name, NAME_MAX_LEN + 1) > NAME_MAX_LEN)
		return NULL;
	if (sigaltstack(NULL, &ss) != 0 || (ss.ss_flags & SS_ONSTACK))
		return NULL;
	g = guard_enter();
	out = cxa_demangle(name, NULL, NULL, &status);
	guard_leave(g);
	if (out && status != 0) {
		arena_free(out);
		out = NULL;
	}
	return out;
}
