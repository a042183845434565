/* demangle.c: see demangle.h.
 *
 * The demangler is __cxa_demangle, which the Itanium C++ ABI (section 3.4, "Demangler API")
 * defines with C linkage and libstdc++ exports: it is in every installation that has g++, its ABI
 * is stable, and it is the same code as libiberty's (GCC builds both from cp-demangle.c).
 * libiberty itself is only a static archive of binutils' internals, with no stable interface and,
 * on Debian, its own -dev package.
 *
 * The names come from module files a log names, which may be hostile. The demangler keeps its
 * working arrays on the stack, a few dozen bytes per character of the name (cp-demangle.c,
 * d_demangle_callback), and recent ones limit their recursion (DEMANGLE_RECURSION_LIMIT): names
 * longer than MA_DEMANGLE_MAX stay mangled, which bounds the stack it takes either way.
 */
#include <config.h>

#include "demangle.h"

#include <stdlib.h>
#include <string.h>

#ifdef HAVE_CXA_DEMANGLE
/* <cxxabi.h> is a C++ header: the declaration, as the ABI gives it. */
char *__cxa_demangle(const char *mangled_name, char *output_buffer, size_t *length, int *status);
#endif

char *ma_demangle(const char *name)
{
#ifdef HAVE_CXA_DEMANGLE
	int status = -1;
	char *out;

	/* "_Z" starts every mangled function name (a type name alone would demangle too: "i" is
	 * "int", and C functions may be called so). */
	if (!name || strncmp(name, "_Z", 2) != 0 || strnlen(name, MA_DEMANGLE_MAX + 1) > MA_DEMANGLE_MAX)
		return NULL;
	out = __cxa_demangle(name, NULL, NULL, &status);
	if (status == 0 && out)
		return out;
	free(out);
#else
	(void)name;
#endif
	return NULL;
}
