/* dynsym.h: a symbol of an object the dynamic linker has loaded, found without calling it.
 *
 * The shim binds libgcc's unwinder by that library's own definitions (stack.c). dlopen and
 * dl_iterate_phdr are intercepted by AddressSanitizer, whose interceptors wait for a lock that
 * ASan's own initialisation holds while it calls into the shim, and dlsym on the link_map of an
 * object loaded at start-up is not possible (glibc sets up its search list only when it is
 * dlopen'ed). So the object is found in the linker's list (_r_debug, <link.h>) and the symbol in
 * its hash table (DT_GNU_HASH, else DT_HASH), as ld.so itself does (elf/dl-lookup.c).
 */
#ifndef MEMAUDIT_SHIM_DYNSYM_H
#define MEMAUDIT_SHIM_DYNSYM_H

/* The address of the defined symbol `name` in the loaded object whose file name (after the last
 * '/') is `file`; NULL when there is no such object or symbol. */
void *dynsym_lookup(const char *file, const char *name);

#endif
