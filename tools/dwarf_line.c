/* dwarf_line.c: see dwarf_line.h. */
#include "config.h"

#include <elfutils/libdw.h>

#include "tools/dwarf_line.h"

const char *ma_line_by_cu(Dwfl_Module *mod, Dwarf_Addr addr, int *line)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu;
	Dwarf_Line *l;

	if (!dw)
		return NULL;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_haspc(&cu, addr - bias) > 0) {
			l = dwarf_getsrc_die(&cu, addr - bias);
			if (!l || dwarf_lineno(l, line) != 0)
				return NULL;
			return dwarf_linesrc(l, NULL, NULL);
		}
		off = next;
	}
	return NULL;
}
