/* elfsym.h: the name of the function at an address of a loaded module, from the module file's
 * own symbol table (.symtab, which dladdr(3) does not read: an executable's static functions and
 * main() are only there; in a stripped file its .dynsym, the table dladdr reads), for matching
 * MEMAUDIT_SUPPRESSIONS patterns and naming the frames of stderr lines (stack_describe) without
 * debug information and without the dynamic loader's lock, which dladdr takes. The file is read
 * at each lookup (pread, no mapping and nothing from any heap). Lock held. */
#ifndef MEMAUDIT_SHIM_ELFSYM_H
#define MEMAUDIT_SHIM_ELFSYM_H

#include <stdint.h>

struct engine_module;

/* The function of module m containing vaddr (an address minus the module's load bias), or NULL
 * when the file has neither symbol table, cannot be read or no function contains it. The name is
 * valid until the next call. */
const char *elfsym_function(const struct engine_module *m, uintptr_t vaddr);

#endif
