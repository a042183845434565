/* trace_cfi.c: a C stack unwound from cached CFI steps, with the result of libdwfl.
 *
 * libdwfl's dwfl_getthread_frames interprets each frame's CFI (the FDE found in the module's
 * .eh_frame, else .debug_frame) again at every call, a few microseconds a stack. On x86_64 almost
 * every frame's step is: CFA = rsp or rbp + offset, the return address at CFA - 8, rsp = CFA,
 * rbp unchanged or saved at CFA + offset. That step is read once per pc through libdw's public
 * CFI functions (the ones libdwfl's frame_unwind.c uses, in its order: .eh_frame first) and kept;
 * a repeated call site is then unwound from the copied stack with a few lookups. Anything else
 * (a CFA expression, a signal frame, a pc without CFI, which libdwfl unwinds by frame pointer,
 * a word that cannot be read) makes the whole stack libdwfl's, so the frames are always its.
 *
 * libdwfl's rules, reproduced: the first frame's pc is looked up as it is (the thread stopped at
 * it), a caller's as its return address - 1; a caller whose return address is undefined in the
 * CFI, or 0, ends the stack (trace_stack.c's callback stops at a pc of 0 too). */
#include "config.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace_cfi.h"

enum { CFI_STEP = 1, CFI_LAST, CFI_NONE, CFI_OTHER };
enum { CFI_SAME = 1, CFI_UNDEF, CFI_AT, CFI_VAL };
enum { DW_RBP = 6, DW_RSP = 7, DW_RIP = 16 }; /* x86_64's DWARF register numbers */

void trace_cfi_reset(struct trace_cfi *c)
{
	memset(c->rule, 0, sizeof c->rule);
}

/* A register's rule as dwarf_frame_register gives it: [] undefined (ops is ops_mem) or same value
 * (ops NULL); DW_OP_call_frame_cfa [DW_OP_plus_uconst N] [DW_OP_stack_value]: at or = CFA + N. */
static bool reg_rule(Dwarf_Frame *frame, int regno, struct trace_cfi_reg *r)
{
	Dwarf_Op mem[3], *ops;
	size_t nops, i = 1;

	if (dwarf_frame_register(frame, regno, mem, &ops, &nops) != 0)
		return false;
	r->off = 0;
	if (nops == 0) {
		if (ops != mem && ops != NULL)
			return false;
		r->how = ops == mem ? CFI_UNDEF : CFI_SAME;
		return true;
	}
	if (ops[0].atom != DW_OP_call_frame_cfa)
		return false;
	if (i < nops && ops[i].atom == DW_OP_plus_uconst) {
		if ((int64_t)ops[i].number != (int32_t)ops[i].number)
			return false;
		r->off = (int32_t)ops[i++].number;
	}
	r->how = CFI_AT;
	if (i < nops && ops[i].atom == DW_OP_stack_value) {
		r->how = CFI_VAL;
		i++;
	}
	return i == nops;
}

static void classify(Dwarf_Frame *frame, struct trace_cfi_rule *r)
{
	Dwarf_Addr start, end;
	Dwarf_Word reg;
	Dwarf_Op *ops;
	int64_t off;
	size_t nops;
	bool signal;

	if (dwarf_frame_info(frame, &start, &end, &signal) != DW_RIP || signal ||
	    dwarf_frame_cfa(frame, &ops, &nops) != 0 || nops != 1)
		return;
	if (ops[0].atom == DW_OP_bregx) {
		reg = ops[0].number;
		off = (int64_t)ops[0].number2;
	} else if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31) {
		reg = ops[0].atom - DW_OP_breg0;
		off = (int64_t)ops[0].number;
	} else {
		return;
	}
	if ((reg != DW_RBP && reg != DW_RSP) || off != (int32_t)off)
		return;
	r->cfa_reg = (uint8_t)reg;
	r->cfa_off = (int32_t)off;
	if (!reg_rule(frame, DW_RBP, &r->rbp) ||
	    !reg_rule(frame, DW_RSP, &r->rsp) || !reg_rule(frame, DW_RIP, &r->rip) ||
	    r->rip.how == CFI_SAME)
		return;
	r->kind = r->rip.how == CFI_UNDEF ? CFI_LAST : CFI_STEP;
}

/* Learn pc's rule from its module's CFI, as libdwfl's handle_cfi finds it. */
static void learn(Dwfl *dwfl, uint64_t pc, struct trace_cfi_rule *r)
{
	Dwfl_Module *mod = dwfl_addrmodule(dwfl, pc);
	Dwarf_Frame *frame = NULL;
	Dwarf_CFI *cfi;
	Dwarf_Addr bias;

	memset(r, 0, sizeof *r);
	r->pc = pc;
	r->kind = CFI_NONE;
	if (!mod)
		return;
	cfi = dwfl_module_eh_cfi(mod, &bias);
	if (!cfi || dwarf_cfi_addrframe(cfi, pc - bias, &frame) != 0) {
		frame = NULL;
		cfi = dwfl_module_dwarf_cfi(mod, &bias);
		if (!cfi || dwarf_cfi_addrframe(cfi, pc - bias, &frame) != 0)
			return;
	}
	r->kind = CFI_OTHER;
	classify(frame, r);
	free(frame);
}

static const struct trace_cfi_rule *rule_of(struct trace_cfi *c, Dwfl *dwfl, uint64_t pc)
{
	struct trace_cfi_rule *r = &c->rule[(pc * 0x9E3779B97F4A7C15ull) >> 52 & (TRACE_CFI_CACHE - 1)];

	if (!r->kind || r->pc != pc)
		learn(dwfl, pc, r);
	return r;
}

/* The caller's value of a register whose value here is *v (*ok: it has one), as libdwfl's
 * handle_cfi sets it: a word that cannot be read leaves it without one. */
static void step_reg(struct trace_unwind *u, const struct trace_cfi_reg *how, uint64_t cfa,
		     uint64_t *v, bool *ok)
{
	switch (how->how) {
	case CFI_SAME:
		break;
	case CFI_UNDEF:
		*ok = false;
		break;
	case CFI_VAL:
		*v = cfa + (uint64_t)(int64_t)how->off;
		*ok = true;
		break;
	default:
		*ok = trace_unwind_read(u, cfa + (uint64_t)(int64_t)how->off, v);
	}
}

long trace_cfi_walk(struct trace_cfi *c, Dwfl *dwfl, struct trace_unwind *u, uint64_t *pcs,
		    size_t max)
{
	uint64_t pc = u->regs->rip, rsp = u->regs->rsp, rbp = u->regs->rbp, cfa;
	bool rsp_ok = true, rbp_ok = true, pc_ok = true, first = true;
	const struct trace_cfi_rule *r;
	size_t n = 0;

	while (n < max) {
		pcs[n++] = pc;
		if (n == max)
			break;
		r = rule_of(c, dwfl, first ? pc : pc - 1);
		/* No CFI: libdwfl walks the frame pointer (elfutils' x86_64_unwind), which ends at
		 * an rbp of 0 (the outermost frame of ld.so's _start); elsewhere it is left to it. */
		if (r->kind == CFI_NONE && rbp_ok && rbp == 0)
			break;
		if (r->kind == CFI_NONE || r->kind == CFI_OTHER)
			return -1;
		if (r->kind == CFI_LAST)
			break;
		if (r->cfa_reg == DW_RSP ? !rsp_ok : !rbp_ok)
			return -1; /* libdwfl would fail the CFA and read on: not worth following */
		cfa = (r->cfa_reg == DW_RSP ? rsp : rbp) + (uint64_t)(int64_t)r->cfa_off;
		step_reg(u, &r->rip, cfa, &pc, &pc_ok);
		step_reg(u, &r->rbp, cfa, &rbp, &rbp_ok);
		step_reg(u, &r->rsp, cfa, &rsp, &rsp_ok);
		if (!pc_ok || pc == 0)
			break; /* libdwfl: no return address (an error, or undefined): the stack ends */
		first = false;
	}
	return (long)n;
}
