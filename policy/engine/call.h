/* call.h: the calls the policy decides on before they reach the kernel: the lock calls (mlock,
 * mlock2, mlockall, and mmap that locks: MAP_LOCKED or after mlockall(MCL_FUTURE)), the advice
 * calls (madvise, posix_madvise), and the calls that split mappings (munlock, mprotect, munmap,
 * mmap) for the map-count model.
 *
 * engine_call_begin() captures the stack and asks policy/ what the target kernel would do: at the
 * configured limit, and at each what-if limit (32 KiB, 64 KiB, 8 MiB, configured) that no earlier
 * call has exceeded yet. It returns the errno to fail the call with (enforce, strict: the target
 * refuses it) or 0 to make the real call; errno is left as it was. engine_call_end() records what
 * happened: the event, the what-if records of the limits this call was the first to exceed, and
 * the findings.
 */
#ifndef MEMAUDIT_ENGINE_CALL_H
#define MEMAUDIT_ENGINE_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/callinfo.h"
#include "policy/engine/proc.h"

int engine_call_begin(struct engine_proc *p, struct engine_call *c);

/* ok: the call succeeded; err: its errno otherwise; injected: engine_call_begin's errno was used;
 * result: mmap's address. */
void engine_call_end(struct engine_proc *p, struct engine_call *c, int ok, int err, int injected,
		     uintptr_t result);

#endif
