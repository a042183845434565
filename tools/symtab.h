/* symtab.h: the function symbols of one module, sorted by address, for fast address-to-name
 * lookups.
 *
 * libdwfl's dwfl_module_addrname scans the module's whole symbol table on every call: with a few
 * thousand frames in libc that was most of a report's time. The table is read once per module
 * file instead (through libdwfl, so .gnu_debugdata and separate debug files count as before) and
 * each lookup is a binary search. The choice follows libdwfl's: the symbol whose range covers the
 * address, global and weak ones before local ones, then the nearest start, then the stronger
 * binding; failing that, a symbol without a size (an assembly label) at or below the address that
 * lies after the end of every sized symbol below it.
 */
#ifndef MEMAUDIT_TOOLS_SYMTAB_H
#define MEMAUDIT_TOOLS_SYMTAB_H

#include <elfutils/libdwfl.h>
#include <stdint.h>

struct ma_symtab;

/* Read the symbols of mod (never NULL: a module without symbols gives an empty table). The names
 * belong to mod's Dwfl and stay valid while it is open. */
struct ma_symtab *ma_symtab_read(Dwfl_Module *mod);
/* Free a table (NULL is fine). */
void ma_symtab_free(struct ma_symtab *t);
/* Return the name of the symbol for addr (an address as libdwfl reports mod's), or NULL. */
const char *ma_symtab_lookup(const struct ma_symtab *t, uint64_t addr);

#endif
