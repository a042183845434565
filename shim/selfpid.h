/* selfpid.h: this process's pid and the calling thread's id without a system call per audited
 * call (issue 13), right across fork, vfork and clone.
 *
 * The pid is kept in a page of its own advised MADV_WIPEONFORK (madvise(2), Linux 4.14): every
 * child made without CLONE_VM (fork, _Fork, clone, syscall(SYS_fork), whatever runs or skips the
 * atfork handlers) finds it zeroed and asks the kernel once. A child made with CLONE_VM shares the
 * page (and, without CLONE_SETTLS, the thread's TLS), so nothing in memory can tell it from its
 * parent: the ways a program makes one, vfork(), clone() and syscall(SYS_clone, SYS_clone3,
 * SYS_vfork), are wrapped (process.c, syscall.c) and set shim_vm_child before the child exists;
 * from then on every call asks the kernel, as before this cache. glibc's posix_spawn, system and
 * popen make theirs internally, but that child runs no code of this library. A program that
 * issues the clone system call itself (inline assembly) is not covered.
 */
#ifndef MEMAUDIT_SHIM_SELFPID_H
#define MEMAUDIT_SHIM_SELFPID_H

#include <sys/types.h>

/* A child sharing this memory may exist: never trust the cache again (sticky). */
extern int shim_vm_child __attribute__((visibility("hidden")));

/* Map the cache page (init, once; without it every call asks the kernel). */
void selfpid_setup(void);

/* getpid(), from the cache when it can be trusted. */
pid_t shim_pid(void);

/* gettid(), cached per thread for the process it was read in. */
pid_t shim_tid(void);

/* A fork child learnt its pid (the atfork child handler): store it. */
void selfpid_child(pid_t pid);

#endif
