/* trace_wrappers.c: the system-call wrappers a stack of trace mode is trimmed of (issue 12,
 * item 4), so that it starts at the program's own call as in the preload library.
 *
 * Only wrappers: malloc's own frames (sysmalloc, alloc_new_heap) and the Go runtime's allocator
 * (runtime.(*mheap)...) stay, as they tell heap mappings apart (TRACE-NOTES).
 */
#include "config.h"

#include <string.h>

#include "tools/trace_wrappers.h"

/* glibc's names, without leading underscores and "GI_" (static binaries keep __GI___mmap64) */
static const char *const libc_stubs[] = {
	"mlock", "mlock2", "munlock", "mlockall", "munlockall", "madvise", "posix_madvise",
	"mmap", "mmap64", "munmap", "mremap", "mprotect", "pkey_mprotect", "memfd_secret",
	"brk", "sbrk", "syscall",
};

/* Go packages whose every function is a wrapper (a program's own code is never in them) */
static const char *const go_packages[] = {
	"syscall.", "runtime/internal/syscall.", "golang.org/x/sys/unix.",
	"vendor/golang.org/x/sys/unix.", "internal/syscall/unix.",
};

/* the Go runtime's own stubs */
static const char *const go_runtime[] = {
	"runtime.mmap", "runtime.sysMmap", "runtime.munmap", "runtime.sysMunmap", "runtime.madvise",
	"runtime.mlock", "runtime.mprotect", "runtime.sbrk0",
};

static bool in(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static bool has_prefix(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strncmp(name, list[i], strlen(list[i])) == 0)
			return true;
	return false;
}

bool trace_is_wrapper(const char *name)
{
	const char *base = name, *abi = strstr(name, ".abi0");
	char go[128];

	if (abi && abi[5] == 0 && (size_t)(abi - name) < sizeof go) { /* runtime.madvise.abi0 */
		memcpy(go, name, (size_t)(abi - name));
		go[abi - name] = 0;
		name = go;
	}
	while (*base == '_')
		base++;
	if (strncmp(base, "GI_", 3) == 0)
		base += 3;
	while (*base == '_')
		base++;
	return in(base, libc_stubs, sizeof libc_stubs / sizeof *libc_stubs) ||
	       has_prefix(name, go_packages, sizeof go_packages / sizeof *go_packages) ||
	       in(name, go_runtime, sizeof go_runtime / sizeof *go_runtime);
}
