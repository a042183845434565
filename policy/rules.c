/* rules.c: the rule registry (see rules.h). The summaries are SPEC's "Rules" table word for word
 * (unlock-partial is issue 9's); a rule is about what the program named, and the explanations
 * say so where a neighbour on a shared page could be mistaken for it. */
#include "config.h"

#include <string.h>

#include "rules.h"

static const struct rule_def table[] = {
	{ RULE_LOCK_LIMIT, "lock-limit", SEV_ERROR, "7.5",
	  "a lock call that the target's RLIMIT_MEMLOCK would refuse, by the kernel's own page "
	  "accounting (already-locked pages are not counted twice; mlockall(MCL_CURRENT) counts the "
	  "whole address space)",
	  "The kernel charges locked pages to RLIMIT_MEMLOCK (mm/mlock.c: pages already locked are "
	  "not counted twice, mlockall(MCL_CURRENT) counts the whole address space). A normal user "
	  "has 64 KiB on many systems (8 MiB by default since Linux 5.16); root and CAP_IPC_LOCK "
	  "have no limit, which is why tests run as root never see the ENOMEM (or EPERM at a limit "
	  "of 0) that users get.",
	  "Lock one pool of a known size once instead of each object, keep it well under 64 KiB or "
	  "check the limit (getrlimit) and degrade explicitly, and handle the failure of every lock "
	  "call. sodium_malloc and OPENSSL_secure_malloc are such pools." },
	{ RULE_ADVISE_UNALIGNED, "advise-unaligned", SEV_ERROR, "7.0",
	  "madvise with a start not aligned to the (simulated) page size",
	  "madvise(2) fails with EINVAL when its start is not page-aligned (mm/madvise.c), so the "
	  "advice on an unaligned heap pointer never takes effect; on a system with larger pages "
	  "(16 KiB or 64 KiB on arm64 and ppc64) addresses aligned to 4 KiB fail too.",
	  "Advise page-aligned memory from mmap or a page-aligned pool, round the start down with "
	  "sysconf(_SC_PAGESIZE) rather than a constant of 4096, and check the result." },
	{ RULE_LOCK_FREED, "lock-freed", SEV_ERROR, "7.0",
	  "free() or realloc() of a heap block that overlaps bytes a still-live lock call named "
	  "(not after mlockall, not a neighbour on a shared page)",
	  "The program locked this block, or part of it, and frees it without unlocking. Locks "
	  "belong to pages, not to objects: after free() the pages stay locked and are charged to "
	  "the limit, the allocator hands them to other objects, and the program usually unlocks "
	  "them later, under a neighbour that still needs the lock. Freeing a block that only "
	  "shares a page with a locked one is not this rule's (lock-heap reports the sharing, at "
	  "the lock call), nor is freeing under mlockall.",
	  "munlock (after wiping) before free(), or better take secrets from one locked pool "
	  "(sodium_malloc, OPENSSL_secure_malloc, or a dedicated mmap region) instead of locking "
	  "heap objects." },
	{ RULE_UNLOCK_COLLATERAL, "unlock-collateral", SEV_ERROR, "8.0",
	  "munlock/munlockall/munmap unlocks pages that still hold another live locked region "
	  "(another lock call's bytes, not the rest of the same region)",
	  "Locks do not nest (mlock(2)): one munlock unlocks the whole page, whatever else lives "
	  "on it. A secret that another lock call locked and that shares a page with the unlocked "
	  "bytes can now be swapped out, although its own mlock succeeded and was never undone. "
	  "(Unlocking only part of one region is unlock-partial.)",
	  "Give each secret its own pages, or keep a count per page and unlock only when the last "
	  "region on it is released; a locked pool that is unlocked once, at its end, avoids the "
	  "problem." },
	{ RULE_DODUMP_COLLATERAL, "dodump-collateral", SEV_ERROR, "7.5",
	  "MADV_DODUMP (or DOFORK/KEEPONFORK) removes protection from pages that hold another live "
	  "protected region",
	  "madvise(2) flags belong to the whole page (to the VMA the kernel splits out for it): "
	  "MADV_DODUMP on one object puts its neighbours back into core dumps, MADV_DOFORK and "
	  "MADV_KEEPONFORK give them back to forked children.",
	  "Undo the advice only on pages that hold nothing else that is protected: give each "
	  "secret its own pages or undo the advice once for the whole pool." },
	{ RULE_REALLOC_PROTECTED, "realloc-protected", SEV_ERROR, "7.5",
	  "realloc of a block that is itself (in part) a region the program locked or excluded "
	  "from dumps: the data moves to unprotected memory",
	  "realloc may move the data to new memory that has neither the lock nor the "
	  "MADV_DONTDUMP advice, and it leaves the old copy behind unwiped in freed memory. A "
	  "block that only shares a page with protected memory is not this rule's.",
	  "Allocate the new size from the protected pool, copy, wipe and free the old block "
	  "yourself (sodium_malloc has no realloc for that reason)." },
	{ RULE_FORK_ADVISE_HEAP, "fork-advise-heap", SEV_ERROR, "7.0",
	  "MADV_DONTFORK or MADV_WIPEONFORK on malloc heap memory (corrupts the child's allocator)",
	  "The advice applies to the whole page. In the child, a DONTFORK heap page is unmapped "
	  "and a WIPEONFORK page reads as zeros, so the allocator's own metadata and other "
	  "objects on the page are gone: the child's next malloc or free may crash.",
	  "Use DONTFORK and WIPEONFORK only on memory of your own mmap, such as a secret pool." },
	{ RULE_MAP_COUNT, "map-count", SEV_ERROR, "7.0",
	  "a lock or advice whose mapping splits exceed the target's vm.max_map_count",
	  "Each mlock or madvise on part of a mapping splits it into more VMAs (mm/mmap.c); when "
	  "the process reaches vm.max_map_count (65530 by default) the call fails with ENOMEM or "
	  "EAGAIN, and munmap can fail too.",
	  "Lock and advise whole, contiguous regions (a pool) instead of scattered pages." },
	{ RULE_LOCK_HEAP, "lock-heap", SEV_WARNING, "4.5",
	  "mlock of malloc heap memory (whole pages shared with other objects and allocator "
	  "metadata)",
	  "mlock works on whole pages: locking a heap object locks the allocator's metadata and "
	  "whatever other objects share those pages, charges whole pages to the limit for small "
	  "objects, and sets up unlock-collateral and lock-freed bugs.",
	  "Take secrets from one locked, guarded pool (sodium_malloc, OPENSSL_secure_malloc or a "
	  "dedicated mmap region) instead of locking heap objects." },
	{ RULE_ADVISE_HEAP, "advise-heap", SEV_WARNING, "4.0",
	  "MADV_DONTDUMP/DODUMP on malloc heap memory (outlives free(), hides neighbours)",
	  "The advice applies to whole pages and outlives free(): it hides unrelated neighbours "
	  "from core dumps (making crashes hard to debug), and a later DODUMP exposes secrets "
	  "that share the page.",
	  "Advise a dedicated mmap region once, or use a pool that does it (sodium_malloc)." },
	{ RULE_ALIGN_WASTE, "align-waste", SEV_WARNING, "4.0",
	  "page-aligned allocation of small objects that are then locked or advised: "
	  "reserved/requested >= 8 at a call site",
	  "Allocating each small secret page-aligned (posix_memalign, aligned_alloc, valloc or "
	  "mmap of a page) so that it can be locked on its own reserves at least a page per "
	  "object: memory and locked-memory budget grow eight times or more faster than the data. "
	  "Only allocations whose pages are then locked or advised count: page-aligned buffers "
	  "for O_DIRECT I/O are correct code.",
	  "Sub-allocate small secrets from one pool of whole pages." },
	{ RULE_CALL_FAILED, "call-failed", SEV_WARNING, "5.0",
	  "a lock or advise call failed (real or injected): that protection is not in effect",
	  "A failed mlock leaves the memory swappable and a failed madvise leaves it in core "
	  "dumps; programs that ignore the result run unprotected without knowing it.",
	  "Check the return value of every mlock, mlock2, mlockall and madvise, and fail or report "
	  "when the protection is required." },
	{ RULE_RELEASE_UNWIPED, "release-unwiped", SEV_WARNING, "5.0",
	  "a locked or dump-excluded region is freed or unlocked while its named bytes are not all "
	  "zero (no contents are logged); not for munmap of private anonymous memory, which the "
	  "kernel zero-fills before reuse",
	  "Freed memory keeps its contents until it is reused: the allocator hands it to other "
	  "code, and after munlock it can be swapped out. Only the bytes the lock or advice call "
	  "named are read, never the allocator's header or a neighbour; the report counts the "
	  "non-zero ones and never records what they were. munmap of private anonymous memory is "
	  "not a finding: the kernel zero-fills those pages before any reuse.",
	  "Wipe with explicit_bzero, sodium_memzero or OPENSSL_cleanse (not memset, which the "
	  "compiler may remove) before munlock, free or munmap." },
	{ RULE_PROTECTION_LOST, "protection-lost", SEV_WARNING, "5.5",
	  "at exit, /proc/self/smaps shows a region the program locked or excluded without lo/dd "
	  "although the program never released it",
	  "/proc/self/smaps lists the VmFlags the kernel really applies (lo, dd, dc, wf). A region "
	  "the program still believes protected lost it behind its back: a munlock, madvise or "
	  "mremap made without libc (a raw system call instruction), or memory of the region "
	  "replaced or remapped by code the program does not control.",
	  "Find the call that replaced or unlocked the mapping; keep secret pools out of reach of "
	  "code that remaps memory, and check the protection where it matters." },
	{ RULE_UNLOCK_UNLOCKED, "unlock-unlocked", SEV_NOTE, "2.0",
	  "munlock of pages that were never locked",
	  "Harmless for the kernel, but a sign that lock and unlock calls do not pair up, which is "
	  "how unlock-collateral and lock-leak bugs start.",
	  "Unlock exactly what was locked, from the same owner." },
	{ RULE_UNLOCK_PARTIAL, "unlock-partial", SEV_NOTE, "3.0",
	  "munlock names only part of a region that one lock call locked: the kernel unlocks whole "
	  "pages, so the rest of that region on those pages is unlocked too",
	  "munlock(2) rounds to whole pages and locks do not nest: unlocking some bytes of a "
	  "locked region unlocks every page they touch, with the rest of that region on those "
	  "pages, while the program may believe the rest is still locked. No other lock call's "
	  "bytes are affected (that would be unlock-collateral), hence a note; the cause is "
	  "usually a length that does not match the lock, such as the size of a pointer or of "
	  "another object.",
	  "Unlock exactly the address and length that were locked, after wiping them, once the "
	  "whole region's life ends; keep the locked length next to the pointer." },
	{ RULE_LOCK_LEAK, "lock-leak", SEV_NOTE, "2.5",
	  "heap pages still locked at exit that the program never unlocked",
	  "In a long-running process locked heap pages accumulate against RLIMIT_MEMLOCK until a "
	  "lock fails; they also stay locked after the objects on them are freed.",
	  "Wipe and unlock when the secret's life ends, or use a pool that does." },
	{ RULE_FORK_UNLOCKED_COPY, "fork-unlocked-copy", SEV_NOTE, "3.0",
	  "fork while holding locked regions not marked DONTFORK/WIPEONFORK: the child has "
	  "unlocked copies",
	  "Memory locks are not inherited by fork(2): the child holds copies of the secrets in "
	  "unlocked pages that can be swapped out.",
	  "Mark secret regions MADV_WIPEONFORK (or DONTFORK) or avoid fork while holding secrets; "
	  "posix_spawn does not copy them." },
};

/* Every enum rule has one row; tests/unit/test_rules.c checks that no id is there twice. */
_Static_assert(sizeof table / sizeof table[0] == NRULES, "one row of the registry per enum rule");

const struct rule_def *rules_table(size_t *n)
{
	*n = NRULES;
	return table;
}

/* A linear search: findings are rare next to the calls they judge, and 18 rows are few. */
const struct rule_def *rules_by_id(enum rule id)
{
	size_t i;

	for (i = 0; i < NRULES; i++)
		if (table[i].id == id)
			return &table[i];
	return NULL;
}

const struct rule_def *rules_by_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < NRULES; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

int rules_known(const char *name)
{
	return rules_by_name(name) != NULL;
}

const char *rules_severity_name(enum severity sev)
{
	static const char *const names[] = {
		[SEV_NOTE] = "note", [SEV_WARNING] = "warning", [SEV_ERROR] = "error",
		[SEV_NONE] = "none",
	};

	return sev <= SEV_NONE ? names[sev] : "none";
}
