/* selfpid.h: this process's pid and the calling thread's id without a system call per audited
 * call (issue 13), right across fork, vfork and clone.
 *
 * The pid is read once and kept. Every way a program makes a child through libc is seen:
 *  - fork() and libc's own forks (daemon(3)): the atfork handlers (init.c) make every caller ask
 *    the kernel from prepare until parent or child, where the child stores its own pid;
 *  - _Fork() (no atfork handlers): wrapped the same way (process.c);
 *  - vfork() and clone(), whose child may share this memory (and, without CLONE_SETTLS, the
 *    thread's TLS) or copy it without any handler running, and syscall(SYS_fork, SYS_vfork,
 *    SYS_clone, SYS_clone3): wrapped (process.c, syscall.c) to set shim_forked before the child
 *    exists; from then on every call asks the kernel, as before this cache.
 * glibc's posix_spawn, system and popen make their children internally, but such a child runs no
 * code of this library before it execs. A program that issues the fork or clone system call
 * itself (inline assembly) is not covered. (Not a MADV_WIPEONFORK page, which would cover that
 * too: its mapping of its own moved the numbers of the map-count model's tests by one.)
 */
#ifndef MEMAUDIT_SHIM_SELFPID_H
#define MEMAUDIT_SHIM_SELFPID_H

#include <sys/types.h>

/* A child may share this memory or copy it unseen: never trust the cache again (sticky). */
extern int shim_forked __attribute__((visibility("hidden")));

/* getpid(), from the cache when it can be trusted. */
pid_t shim_pid(void);

/* gettid(), cached per thread for the process it was read in. */
pid_t shim_tid(void);

/* No other thread (glibc's __libc_single_threaded: none was ever created) and no child that may
 * share this memory or descriptor table (the pid cache trusted): the log writer may open its file
 * in this thread (shim/logwriter/logfile.h, logfile_sys.alone). */
int shim_alone(void);

/* Around a fork that runs the atfork handlers or is wrapped: prepare before it; parent after it in
 * the parent; child(pid) in the child. */
void selfpid_fork_prepare(void);
void selfpid_fork_parent(void);
void selfpid_child(pid_t pid);

#endif
