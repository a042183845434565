/* findings.h: what the shim does with a finding: the log record, the stderr line the policy asks
 * for (warn, enforce, strict: once per rule and call site), MEMAUDIT_ABORT, and the strict exit
 * status. The rules and their default severities are SPEC's "Rules" table. */
#ifndef MEMAUDIT_SHIM_FINDINGS_H
#define MEMAUDIT_SHIM_FINDINGS_H

#include <stdint.h>

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR, SEV_NONE };

enum rule {
	RULE_LOCK_LIMIT,
	RULE_ADVISE_UNALIGNED,
	RULE_MAP_COUNT,
	RULE_CALL_FAILED,
	RULE_LOCK_FREED,
	RULE_UNLOCK_COLLATERAL,
	RULE_REALLOC_PROTECTED,
	RULE_FORK_ADVISE_HEAP,
	RULE_LOCK_HEAP,
	RULE_ADVISE_HEAP,
	RULE_UNLOCK_UNLOCKED,
	RULE_LOCK_LEAK,
	RULE_FORK_UNLOCKED_COPY,
	RULE_DODUMP_COLLATERAL,
	RULE_ALIGN_WASTE,
	RULE_RELEASE_UNWIPED,
	RULE_PROTECTION_LOST,
	RULE_UNLOCK_PARTIAL,
	NRULES
};

/* Record a finding about event seq (0: none) made at call site `stack`; related_stack names a
 * second site (0: none). A finding MEMAUDIT_SUPPRESSIONS suppresses is logged as such and nothing
 * more. Lock held. May not return (MEMAUDIT_ABORT=1). */
void finding(enum rule rule, uint64_t seq, uint32_t stack, uint32_t related_stack, const char *msg);

/* Is name one of the rules? (MEMAUDIT_SUPPRESSIONS names them.) */
int findings_rule_known(const char *name);

/* strict: the exit status to use instead of `status` (status itself when nothing reaches
 * MEMAUDIT_FAIL_ON or the status is already non-zero). Lock held. */
int findings_exit_status(int status);

/* The heap rules at exit (lock-leak): heap pages still locked, per call site. Lock held. */
void findings_at_exit(void);

/* A fork child starts with no findings of its own. */
void findings_reset(void);

/* Name of an errno value ("ENOMEM"), or "errno N" in buf. */
const char *errno_name(int err, char *buf, size_t cap);

#endif
