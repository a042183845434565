/* syscalls.h: a system call by number and raw arguments as the engine's struct engine_call
 * (call.h), for the front-ends that see system calls: the preload library's syscall(2) wrapper
 * (shim/syscall.c) and the trace supervisor (tools/trace_sink_engine.c). One mapping, so a
 * call made through syscall(2) and the same call seen by the supervisor are logged alike
 * (`via` "syscall"). x86_64 and the other Linux ABIs: the numbers are <sys/syscall.h>'s. */
#ifndef MEMAUDIT_ENGINE_SYSCALLS_H
#define MEMAUDIT_ENGINE_SYSCALLS_H

#include "policy/engine/callinfo.h"

/* Fill c for system call nr with arguments a[0..5] when it is one the policy decides on (mlock,
 * mlock2, mlockall, madvise, munlock, munmap, mprotect, mmap) and return 1; else 0. */
int engine_call_of_syscall(long nr, const long *a, struct engine_call *c);

#endif
