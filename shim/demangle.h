/* demangle.h: C++ names in the stacks of stderr lines, demangled with the program's own libstdc++
 * (never loaded by memaudit). */
#ifndef MEMAUDIT_SHIM_DEMANGLE_H
#define MEMAUDIT_SHIM_DEMANGLE_H

/* Look up the program's __cxa_demangle: at init, before any lock of the shim is held. */
void demangle_setup(void);

/* The demangled form of a C++ function name, allocated from the shim's arena (arena_free it), or
 * NULL: not a mangled name, too long, no libstdc++ in the program at init, or on a signal stack.
 * Lock held. */
char *demangle_name(const char *name);

#endif
