/* stack.c: see stack.h. */
#include "config.h"

#include <unwind.h>
#include <pthread.h>
#include <string.h>

#include "arena.h"
#include "demangle.h"
#include "dynsym.h"
#include "elfsym.h"
#include "policy/engine/stacks.h"
#include "guard.h"
#include "shim/logwriter/records.h"
#include "modules.h"
#include "stack.h"
#include "stackcache.h"
#include "state.h"

/* Held shared by every unwind (not by a stack cache hit: stackcache.h), exclusively across fork
 * (stack.h). Writer-preferring, so that a
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
	stackcache_fork_child();
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
typedef _Unwind_Ptr (*getipinfo_fn)(struct _Unwind_Context *, int *);
typedef _Unwind_Word (*getcfa_fn)(struct _Unwind_Context *);
static backtrace_fn gcc_backtrace;
static getip_fn gcc_getip;
static getipinfo_fn gcc_getipinfo; /* for the stack cache (stackcache.h): NULL, no cache */
static getcfa_fn gcc_getcfa;

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
#if defined(__x86_64__) /* a return address at CFA - 8 */
	gcc_getcfa = (getcfa_fn)dynsym_lookup("libgcc_s.so.1", "_Unwind_GetCFA");
	if (gcc_getcfa)
		gcc_getipinfo = (getipinfo_fn)dynsym_lookup("libgcc_s.so.1", "_Unwind_GetIPInfo");
#endif
	stackcache_on = gcc_backtrace && gcc_getipinfo;
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

/* _Unwind_Backtrace callback: one frame's return address (the innermost: this walk's caller),
 * and for the stack cache its CFA; a signal frame, or a stack too deep to walk to its end, makes
 * the walk one not to keep. */
static _Unwind_Reason_Code one_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct raw_stack *w = arg;
	int before = 0;

	if (w->skip) {
		w->skip--;
		return _URC_NO_REASON;
	}
	if (w->n == ENGINE_MAX_FRAMES) {
		w->cacheable = 0;
		return _URC_END_OF_STACK;
	}
	if (w->cacheable) {
		w->ip[w->n] = gcc_getipinfo(ctx, &before);
		w->cfa[w->n] = gcc_getcfa(ctx);
		if (before)
			w->cacheable = 0;
	} else {
		w->ip[w->n] = gcc_getip(ctx);
	}
	w->n++;
	return _URC_NO_REASON;
}

/* How many of the walk's innermost frames are the shim's own. */
static int self_frames(const struct raw_stack *w)
{
	int i = 0;

	while (i < w->n && modules_is_self(w->ip[i]))
		i++;
	return i;
}

/* stack_capture's unwind (stackcache.c), when the stack cache has not got the stack: a function of
 * its own, so that a hit does not pay for this frame (the walk's buffers, the registers it keeps).
 * Its own frame is skipped: the walk then starts at stack_capture's, as the stack cache keys it
 * (stackcache.h).
 *
 * libgcc's DWARF unwinder (the one glibc's backtrace(3) uses), not libunwind's unw_backtrace:
 * libunwind 1.6 checks addresses by read(2) and write(2) on a pipe it opens in the program's
 * descriptor space at its first unwind. That moves the descriptor numbers the program gets from
 * open(2), and once the program has closed and reused them libunwind reads from the program's
 * files and writes bytes of its stack into them (tests/integration/fd_reuse.sh). libgcc's walk
 * uses no descriptor and reads only what the CFI describes. */
__attribute__((noinline)) void stack_unwind(struct engine_frames *c, uintptr_t ra, uintptr_t cfa)
{
	struct raw_stack w;
	uintptr_t *buf = w.ip;
	int n, i, k;

	c->memo_key = 0; /* no memo (frontend.h) */
	if (unlikely(!gcc_backtrace)) {
		c->n = 0;
		return;
	}
	w.n = 0;
	w.skip = 1;
	pthread_rwlock_rdlock(&capture_lock);
	w.cacheable = gcc_getipinfo != NULL;
	gcc_backtrace(one_frame, &w);
	w.self = self_frames(&w);
	if (w.cacheable)
		stackcache_put(ra, cfa, &w);
	pthread_rwlock_unlock(&capture_lock);
	n = w.n;

	/* The innermost frames are the shim's own (stack_capture, the wrapper): counted once per
	 * walk, and kept with it in the stack cache. */
	for (i = w.self, k = 0; i < n; i++) {
		if (!buf[i])
			break;
		c->ip[k++] = buf[i];
	}
	c->n = k;
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

/* Append "function " for the frame at offset off of module m, when its file's symbol table names
 * one (elfsym.h: static functions and main() too; not dladdr(3), which takes the dynamic loader's
 * lock), demangled when it is a C++ name (demangle.h). Without a name, the caller shows only
 * module+offset, which memaudit-report symbolizes. off is a return address: the call is the byte
 * before it. */
static void put_function(char *buf, size_t cap, size_t *len, const struct engine_module *m, uintptr_t off)
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

void stack_describe(struct engine_proc *p, uint32_t id, int max_frames, char *buf, size_t cap)
{
	size_t len = 0;
	uint32_t mod;
	uintptr_t off;
	int i;

	buf[0] = '\0';
	if (!engine_stack_frame(p, id, 0, NULL, NULL, NULL)) {
		put(buf, cap, &len, "(no stack)");
		return;
	}
	for (i = 0; i < max_frames && engine_stack_frame(p, id, i, NULL, &mod, &off); i++) {
		struct engine_module *m = module_by_id(mod);
		const char *base = m ? strrchr(m->path, '/') : NULL;

		if (i)
			put(buf, cap, &len, " <- ");
		put_function(buf, cap, &len, m, off);
		put(buf, cap, &len, "(");
		put(buf, cap, &len, base ? base + 1 : m ? m->path : "?");
		put(buf, cap, &len, "+");
		put_hex(buf, cap, &len, off);
		put(buf, cap, &len, ")");
	}
}
