/* trace_cfi.h: each pc's unwinding step, cached (trace_cfi.c), private to trace_stack.c. */
#ifndef MEMAUDIT_TOOLS_TRACE_CFI_H
#define MEMAUDIT_TOOLS_TRACE_CFI_H

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/trace_unwind.h"

#define TRACE_CFI_CACHE 1024 /* a power of two; 40 KiB a process */

/* How a register of the caller is had from the CFA (the canonical frame address). */
struct trace_cfi_reg {
	uint8_t how; /* CFI_SAME, CFI_UNDEF, CFI_AT (the word at CFA + off), CFI_VAL (CFA + off) */
	int32_t off;
};

struct trace_cfi_rule {
	uint64_t pc;   /* the address looked up: the pc of the first frame, return address - 1 above */
	uint8_t kind;  /* 0: empty slot; CFI_STEP; CFI_LAST (no caller); CFI_OTHER (libdwfl's) */
	uint8_t cfa_reg; /* the CFA is this register (6 rbp, 7 rsp) + cfa_off */
	int32_t cfa_off;
	struct trace_cfi_reg rbp, rsp, rip;
};

struct trace_cfi {
	struct trace_cfi_rule rule[TRACE_CFI_CACHE];
};

/* Forget every rule (the module list was read again). */
void trace_cfi_reset(struct trace_cfi *c);
/* Unwind the thread in u with the cached steps, learning the missing ones from the modules' CFI:
 * the pcs libdwfl's dwfl_getthread_frames would give, or -1 when some frame needs libdwfl's
 * own unwinder (an expression, a signal frame, no CFI, memory that cannot be read). */
long trace_cfi_walk(struct trace_cfi *c, Dwfl *dwfl, struct trace_unwind *u, uint64_t *pcs,
		    size_t max);

#endif
