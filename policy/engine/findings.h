/* findings.h: what the engine does with a finding: the log record, the stderr line the policy asks
 * for (warn, enforce, strict: once per rule and call site), MEMAUDIT_ABORT, and the strict exit
 * status. The rules, their names and default severities are policy/rules.h's registry. */
#ifndef MEMAUDIT_ENGINE_FINDINGS_H
#define MEMAUDIT_ENGINE_FINDINGS_H

#include <stdint.h>

#include "policy/engine/proc.h"
#include "policy/rules.h" /* enum rule, enum severity: the registry */

/* Record a finding about event seq (0: none) made at call site `stack`; related_stack names a
 * second site (0: none). A finding MEMAUDIT_SUPPRESSIONS suppresses is logged as such and nothing
 * more. Lock held. May not return (MEMAUDIT_ABORT=1). */
void finding(struct engine_proc *p, enum rule rule, uint64_t seq, uint32_t stack, uint32_t related_stack, const char *msg);
/* The same, for a message kept in a buffer of its own: msg_gen is its msg_generation (msg.h). */
void finding_kept(struct engine_proc *p, enum rule rule, uint64_t seq, uint32_t stack,
		  uint32_t related_stack, const char *msg, uint64_t msg_gen);

/* strict: the exit status to use instead of `status` (status itself when nothing reaches
 * MEMAUDIT_FAIL_ON or the status is already non-zero). Lock held. */
int findings_exit_status(struct engine_proc *p, int status);

/* The heap rules at exit (lock-leak): heap pages still locked, per call site. Lock held. */
void findings_at_exit(struct engine_proc *p);

/* A fork child starts with no findings of its own. */
void findings_reset(struct engine_proc *p);

/* Name of an errno value ("ENOMEM"), or "errno N" in buf. */
const char *errno_name(int err, char *buf, size_t cap);

#endif
