/* demangle.h: C++ symbol names as people read them ("_ZN5vault8lock_keyEm" is
 * "vault::lock_key(unsigned long)"), for every report format. */
#ifndef MEMAUDIT_TOOLS_DEMANGLE_H
#define MEMAUDIT_TOOLS_DEMANGLE_H

#define MA_DEMANGLE_MAX 4096 /* longer names are left mangled (see demangle.c) */

/* Return the demangled name of a C++ symbol name (malloc'd), or NULL when name is not one (or the
 * report was built without a demangler). */
char *ma_demangle(const char *name);

#endif
