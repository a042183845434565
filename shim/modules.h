/* modules.h: the loaded ELF objects, so that a stack frame can be stored as (module, offset) and
 * symbolized later, by the report tool, from the file on disk.
 *
 * Built from dl_iterate_phdr(3) at start and rebuilt when an address falls outside every known
 * module (after a dlopen). Module ids are stable for the life of the process: an object loaded again
 * at another address gets a new id. Callers serialize (the shim's state lock).
 */
#ifndef MEMAUDIT_SHIM_MODULES_H
#define MEMAUDIT_SHIM_MODULES_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/frontend.h"

/* struct engine_module: policy/engine/frontend.h. */

/* Scan the loaded objects. Returns 0, -1 when out of arena memory. */
int modules_refresh(void);

/* The module containing addr, refreshing once on a miss; NULL when none does. */
struct engine_module *modules_find(uintptr_t addr);

/* The module with this id, or NULL. */
struct engine_module *module_by_id(uint32_t id);

/* True when addr lies in libmemaudit itself (its frames are left out of stacks). */
int modules_is_self(uintptr_t addr);

#endif
