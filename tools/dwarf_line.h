/* dwarf_line.h: the source line of an address by a walk over a module's compilation units, for
 * modules in which libdw 0.188's dwfl_module_getsrc finds none because they have no
 * .debug_aranges (Go's linker writes none). The report tool (symbolize.c) and the supervisor
 * (trace_stack.c) fall back to it. */
#ifndef MEMAUDIT_TOOLS_DWARF_LINE_H
#define MEMAUDIT_TOOLS_DWARF_LINE_H

#include <elfutils/libdwfl.h>

/* The source file of addr (an address in the module, as dwfl_module_getsrc takes it) and its line
 * in *line; NULL when no compilation unit covers it. The string belongs to libdw. */
const char *ma_line_by_cu(Dwfl_Module *mod, Dwarf_Addr addr, int *line);

#endif
