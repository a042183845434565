/* trace_stack.c: the stack of a traced thread stopped at a call, from the supervisor.
 *
 * TRACE-NOTES ("Unwinding another process"): elfutils libdwfl unwinds static glibc binaries (no
 * .eh_frame_hdr), PIE programs and Go binaries correctly (4.4 µs C, 12 µs Go); a frame-pointer
 * walk is as correct for Go (which keeps frame pointers) and costs 1-2 µs, so it is used when the
 * call's pc is in a Go module. One Dwfl per process, created at its first capture after exec and
 * re-reading the module list when a call may have mapped or unmapped code; its thread callbacks
 * (trace_unwind.c) take the registers of the seccomp stop and read the stack in one piece. A C
 * stack is unwound from each pc's cached CFI step (trace_cfi.c: libdwfl's frames, without its
 * per-call interpretation of the CFI), by libdwfl itself when a frame needs more.
 *
 * The leading frames in system-call wrappers are trimmed (trace_wrappers.c), so that the first
 * frame is the program's own call; a frame's verdict is cached by pc.
 */
#include "config.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tools/dwarf_line.h"
#include "tools/trace.h"
#include "tools/trace_cfi.h"
#include "tools/trace_unwind.h"
#include "tools/trace_wrappers.h"

#define PC_CACHE 4096 /* a power of two */
#define SYM_CACHE 512  /* a power of two */

enum { SYM_NONE = 1, SYM_NAMES, SYM_LINES };

struct trace_sym {
	uint64_t pc;
	unsigned char state; /* 0: empty slot; SYM_NONE: in no module; SYM_NAMES; SYM_LINES: and file */
	const char *function, *file, *module; /* libdwfl's, valid until the module list is read again */
	int line;
	uint64_t offset;
};

struct trace_stack_cache {
	Dwfl *dwfl;
	bool attached;
	bool dirty;
	Dwfl_Module *go_module; /* the Go executable, when it is one */
	bool go_checked;
	uint64_t pc_key[PC_CACHE];
	unsigned char pc_wrapper[PC_CACHE]; /* 1 wrapper, 2 not (0: empty slot) */
	struct trace_unwind unwind;         /* the thread being unwound */
	struct trace_cfi cfi;               /* C stacks: each pc's unwinding step */
	struct trace_sym sym[SYM_CACHE];    /* each pc's names (trace_stack_symbolize) */
};

/* --check-unwind: C stacks unwound both ways, compared */
static bool check;
static unsigned long checked, cached, differ;

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

void trace_stack_free(struct trace_proc *p)
{
	if (!p->stacks)
		return;
	if (p->stacks->dwfl)
		dwfl_end(p->stacks->dwfl);
	free(p->stacks);
	p->stacks = NULL;
}

void trace_stack_invalidate(struct trace_proc *p)
{
	if (p->stacks)
		p->stacks->dirty = true;
}

void trace_stack_note_call(struct trace_proc *p, const struct trace_call *c)
{
	if (!p->stacks || c->ret < 0)
		return;
	switch (c->nr) {
	case SYS_mmap:
	case SYS_mprotect:
		if (c->args[2] & PROT_EXEC)
			p->stacks->dirty = true;
		break;
	case SYS_munmap:
	case SYS_mremap:
		if (p->stacks->dwfl && dwfl_addrmodule(p->stacks->dwfl, c->args[0]))
			p->stacks->dirty = true;
		break;
	}
}

/* Whether the module's file has a section called name. */
static bool has_section(Dwfl_Module *mod, const char *name)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && strcmp(elf_strptr(elf, shstrndx, sh.sh_name) ?: "", name) == 0)
			return true;
	return false;
}

static int find_go(Dwfl_Module *mod, void **ud, const char *name, Dwarf_Addr start, void *arg)
{
	struct trace_stack_cache *s = arg;

	if (has_section(mod, ".go.buildinfo") || has_section(mod, ".gopclntab")) {
		s->go_module = mod;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

/* The process's Dwfl, (re)reading its modules as needed; NULL when it cannot be had. */
static Dwfl *dwfl_of(struct trace_proc *p)
{
	struct trace_stack_cache *s = p->stacks;

	if (!s) {
		s = p->stacks = calloc(1, sizeof *s);
		if (!s)
			return NULL;
	}
	if (s->dwfl && !s->dirty)
		return s->dwfl;
	if (!s->dwfl) {
		s->dwfl = dwfl_begin(&callbacks);
		if (!s->dwfl)
			return NULL;
	}
	dwfl_report_begin(s->dwfl);
	if (dwfl_linux_proc_report(s->dwfl, p->tgid) != 0 ||
	    dwfl_report_end(s->dwfl, NULL, NULL) != 0) {
		dwfl_end(s->dwfl);
		s->dwfl = NULL;
		return NULL;
	}
	if (!s->attached)
		s->attached = trace_unwind_attach(s->dwfl, p->tgid, &s->unwind);
	s->dirty = false;
	memset(s->pc_wrapper, 0, sizeof s->pc_wrapper);
	trace_cfi_reset(&s->cfi);
	memset(s->sym, 0, sizeof s->sym);
	s->go_module = NULL;
	dwfl_getmodules(s->dwfl, find_go, s, 0);
	return s->dwfl;
}

/* ---- libdwfl unwinding */

struct frames {
	uint64_t *pcs;
	size_t n, max;
};

static int one_frame(Dwfl_Frame *state, void *arg)
{
	struct frames *f = arg;
	Dwarf_Addr pc;

	if (!dwfl_frame_pc(state, &pc, NULL) || pc == 0)
		return DWARF_CB_ABORT;
	f->pcs[f->n++] = pc;
	return f->n < f->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static size_t dwfl_walk(Dwfl *dwfl, pid_t tid, uint64_t *pcs, size_t max)
{
	struct frames f = {pcs, 0, max};

	dwfl_getthread_frames(dwfl, tid, one_frame, &f);
	return f.n;
}

/* A C stack: from the cached steps, else libdwfl's (both with --check-unwind). */
static size_t c_walk(struct trace_stack_cache *s, pid_t tid, uint64_t *pcs, size_t max)
{
	uint64_t other[TRACE_STACK_MAX];
	long n = trace_cfi_walk(&s->cfi, s->dwfl, &s->unwind, pcs, max);
	size_t m;

	if (!check)
		return n >= 0 ? (size_t)n : dwfl_walk(s->dwfl, tid, pcs, max);
	checked++;
	if (n < 0)
		return dwfl_walk(s->dwfl, tid, pcs, max);
	cached++;
	m = dwfl_walk(s->dwfl, tid, other, max < TRACE_STACK_MAX ? max : TRACE_STACK_MAX);
	if (m != (size_t)n || memcmp(other, pcs, m * sizeof *pcs) != 0) {
		differ++;
		memcpy(pcs, other, m * sizeof *pcs);
		return m;
	}
	return m;
}

void trace_stack_check(bool on)
{
	check = on;
}

void trace_stack_check_report(void)
{
	if (check)
		fprintf(stderr, "memaudit-trace: unwind check: %lu C stacks, %lu from cached steps, %lu differ\n",
			checked, cached, differ);
}

/* ---- frame-pointer walk (Go): pc, the return address at [rsp] of the frameless assembly stub
 * that made the call (unless it is the first frame's own return address), then the rbp chain. */
static size_t fp_walk(Dwfl *dwfl, struct trace_unwind *u, uint64_t *pcs, size_t max)
{
	uint64_t ret, up, next, bp = u->regs->rbp;
	size_t n = 0;

	pcs[n++] = u->regs->rip;
	if (n < max && trace_unwind_read(u, u->regs->rsp, &ret) && dwfl_addrmodule(dwfl, ret - 1) &&
	    !(trace_unwind_read(u, bp + 8, &up) && up == ret))
		pcs[n++] = ret;
	while (n < max && bp) {
		if (!trace_unwind_read(u, bp + 8, &ret) || ret == 0 || !trace_unwind_read(u, bp, &next))
			break;
		pcs[n++] = ret;
		if (next <= bp)
			break;
		bp = next;
	}
	return n;
}

/* ---- trimming */

static bool is_wrapper_pc(struct trace_stack_cache *s, Dwfl *dwfl, uint64_t pc)
{
	size_t h = (size_t)((pc * 0x9E3779B97F4A7C15ull) >> 52) & (PC_CACHE - 1);
	Dwfl_Module *mod;
	const char *name;
	bool w;

	if (s->pc_wrapper[h] && s->pc_key[h] == pc)
		return s->pc_wrapper[h] == 1;
	mod = dwfl_addrmodule(dwfl, pc - 1);
	name = mod ? dwfl_module_addrname(mod, pc - 1) : NULL;
	w = name && trace_is_wrapper(name);
	s->pc_key[h] = pc;
	s->pc_wrapper[h] = w ? 1 : 2;
	return w;
}

size_t trace_stack_capture(struct trace_proc *p, pid_t tid, const struct user_regs_struct *regs,
			   uint64_t *pcs, size_t max)
{
	Dwfl *dwfl = dwfl_of(p);
	Dwfl_Module *mod;
	size_t n, skip = 0;

	if (!dwfl || max == 0)
		return 0;
	mod = dwfl_addrmodule(dwfl, regs->rip - 1);
	if (!mod && !p->stacks->dirty) { /* a module mapped since the last look */
		p->stacks->dirty = true;
		dwfl = dwfl_of(p);
		if (!dwfl)
			return 0;
		mod = dwfl_addrmodule(dwfl, regs->rip - 1);
	}
	trace_unwind_prepare(&p->stacks->unwind, tid, regs);
	if (mod && mod == p->stacks->go_module)
		n = fp_walk(dwfl, &p->stacks->unwind, pcs, max);
	else if (p->stacks->attached)
		n = c_walk(p->stacks, tid, pcs, max);
	else
		n = 0;
	while (skip + 1 < n && is_wrapper_pc(p->stacks, dwfl, pcs[skip]))
		skip++;
	if (skip)
		memmove(pcs, pcs + skip, (n - skip) * sizeof *pcs);
	return n - skip;
}

void trace_stack_prefetch(struct trace_proc *p, uint64_t addr, size_t len)
{
	struct trace_stack_cache *s = p->stacks;

	if (!s)
		return;
	s->unwind.extra_addr = addr;
	s->unwind.extra_want = len <= TRACE_UNWIND_EXTRA ? len : 0;
	s->unwind.extra_len = 0;
}

bool trace_stack_prefetched(struct trace_proc *p, uint64_t addr, void *buf, size_t n)
{
	return p->stacks && trace_unwind_extra(&p->stacks->unwind, addr, buf, n);
}

/* pc's names, looked up once: dwfl_module_addrname scans the module's whole symbol table (about
 * 50 us in libc), which the engine's heap check asks for every frame of every mmap. */
static struct trace_sym *sym_of(struct trace_stack_cache *s, uint64_t pc, bool lines)
{
	struct trace_sym *e = &s->sym[(size_t)((pc * 0x9E3779B97F4A7C15ull) >> 52) & (SYM_CACHE - 1)];
	Dwfl_Module *mod;
	Dwfl_Line *dl;
	Dwarf_Addr bias = 0;

	if (!e->state || e->pc != pc) {
		memset(e, 0, sizeof *e);
		e->pc = pc;
		e->state = SYM_NONE;
		mod = dwfl_addrmodule(s->dwfl, pc - 1);
		if (!mod)
			return e;
		e->function = dwfl_module_addrname(mod, pc - 1);
		e->module = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		dwfl_module_getelf(mod, &bias);
		e->offset = pc - bias;
		e->state = SYM_NAMES;
	}
	if (lines && e->state == SYM_NAMES) {
		mod = dwfl_addrmodule(s->dwfl, pc - 1);
		dl = mod ? dwfl_module_getsrc(mod, pc - 1) : NULL;
		if (dl)
			e->file = dwfl_lineinfo(dl, NULL, &e->line, NULL, NULL, NULL);
		else if (mod)
			e->file = ma_line_by_cu(mod, pc - 1, &e->line); /* Go: no .debug_aranges */
		if (!e->file)
			e->line = 0;
		e->state = SYM_LINES;
	}
	return e;
}

bool trace_stack_symbolize(struct trace_proc *p, uint64_t pc, const char **function,
			   const char **file, int *line, const char **module, uint64_t *offset)
{
	struct trace_sym *e = p->stacks && p->stacks->dwfl ? sym_of(p->stacks, pc, file || line) : NULL;

	if (function)
		*function = NULL;
	if (file)
		*file = NULL;
	if (line)
		*line = 0;
	if (!e || e->state == SYM_NONE)
		return false;
	if (function)
		*function = e->function;
	if (file)
		*file = e->file;
	if (line)
		*line = e->line;
	if (module)
		*module = e->module;
	if (offset)
		*offset = e->offset;
	return true;
}

bool trace_stack_module(struct trace_proc *p, uint64_t pc, const char **path, uint64_t *bias,
			const unsigned char **build_id, int *build_id_len)
{
	Dwfl *dwfl = p->stacks ? p->stacks->dwfl : NULL;
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, pc - 1) : NULL;
	const unsigned char *bits = NULL;
	GElf_Addr vaddr, b = 0;
	int len;

	if (!mod)
		return false;
	if (path)
		*path = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	if (bias) {
		dwfl_module_getelf(mod, &b);
		*bias = b;
	}
	len = dwfl_module_build_id(mod, &bits, &vaddr);
	if (build_id)
		*build_id = len > 0 ? bits : NULL;
	if (build_id_len)
		*build_id_len = len > 0 ? len : 0;
	return true;
}
