/* rule_info.c: the rules' explanations and fixes (see rule_info.h). Keep them in step with
 * docs/memaudit.7, RULES, and with the severities of shim/findings.c. */
#include <config.h>

#include "rule_info.h"

#include <string.h>

static const struct ma_rule_info rules[] = {
	{ "lock-limit", "error",
	  "A lock call that the target's RLIMIT_MEMLOCK would refuse.",
	  "The kernel charges locked pages to RLIMIT_MEMLOCK (mm/mlock.c: pages already locked are "
	  "not counted twice, mlockall(MCL_CURRENT) counts the whole address space). A normal user "
	  "has 64 KiB on many systems (8 MiB by default since Linux 5.16); root and CAP_IPC_LOCK "
	  "have no limit, which is why tests run as root never see the ENOMEM (or EPERM at a limit "
	  "of 0) that users get.",
	  "Lock one pool of a known size once instead of each object, keep it well under 64 KiB or "
	  "check the limit (getrlimit) and degrade explicitly, and handle the failure of every lock "
	  "call. sodium_malloc and OPENSSL_secure_malloc are such pools." },
	{ "advise-unaligned", "error",
	  "madvise with a start that is not aligned to the page size.",
	  "madvise(2) fails with EINVAL when its start is not page-aligned (mm/madvise.c), so the "
	  "advice on an unaligned heap pointer never takes effect; on a system with larger pages "
	  "(16 KiB or 64 KiB on arm64 and ppc64) addresses aligned to 4 KiB fail too.",
	  "Advise page-aligned memory from mmap or a page-aligned pool, round the start down with "
	  "sysconf(_SC_PAGESIZE) rather than a constant of 4096, and check the result." },
	{ "lock-freed", "error",
	  "free() or realloc() of heap memory whose pages are still locked.",
	  "Locks belong to pages, not to objects: after free() the pages stay locked and are "
	  "charged to the limit, the allocator hands them to other objects, and the program "
	  "usually unlocks them later, under a neighbour that still needs the lock.",
	  "munlock (after wiping) before free(), or better take secrets from one locked pool "
	  "(sodium_malloc, OPENSSL_secure_malloc, or a dedicated mmap region) instead of locking "
	  "heap objects." },
	{ "unlock-collateral", "error",
	  "munlock, munlockall or munmap unlocks pages that still hold another live locked region.",
	  "Locks do not nest (mlock(2)): one munlock unlocks the whole page, whatever else lives "
	  "on it. A secret that shares a page with the unlocked object can now be swapped out, "
	  "although its own mlock succeeded and was never undone.",
	  "Give each secret its own pages, or keep a count per page and unlock only when the last "
	  "region on it is released; a locked pool that is unlocked once, at its end, avoids the "
	  "problem." },
	{ "dodump-collateral", "error",
	  "MADV_DODUMP, DOFORK or KEEPONFORK removes protection from pages that hold another live "
	  "protected region.",
	  "madvise(2) flags belong to the whole page (to the VMA the kernel splits out for it): "
	  "MADV_DODUMP on one object puts its neighbours back into core dumps, MADV_DOFORK and "
	  "MADV_KEEPONFORK give them back to forked children.",
	  "Undo the advice only on pages that hold nothing else that is protected: give each "
	  "secret its own pages or undo the advice once for the whole pool." },
	{ "realloc-protected", "error",
	  "realloc of a locked or dump-excluded block.",
	  "realloc may move the data to new memory that has neither the lock nor the "
	  "MADV_DONTDUMP advice, and it leaves the old copy behind unwiped in freed memory.",
	  "Allocate the new size from the protected pool, copy, wipe and free the old block "
	  "yourself (sodium_malloc has no realloc for that reason)." },
	{ "fork-advise-heap", "error",
	  "MADV_DONTFORK or MADV_WIPEONFORK on malloc heap memory.",
	  "The advice applies to the whole page. In the child, a DONTFORK heap page is unmapped "
	  "and a WIPEONFORK page reads as zeros, so the allocator's own metadata and other "
	  "objects on the page are gone: the child's next malloc or free may crash.",
	  "Use DONTFORK and WIPEONFORK only on memory of your own mmap, such as a secret pool." },
	{ "map-count", "error",
	  "A lock or advice whose mapping splits exceed the target's vm.max_map_count.",
	  "Each mlock or madvise on part of a mapping splits it into more VMAs (mm/mmap.c); when "
	  "the process reaches vm.max_map_count (65530 by default) the call fails with ENOMEM or "
	  "EAGAIN, and munmap can fail too.",
	  "Lock and advise whole, contiguous regions (a pool) instead of scattered pages." },
	{ "lock-heap", "warning",
	  "mlock of malloc heap memory.",
	  "mlock works on whole pages: locking a heap object locks the allocator's metadata and "
	  "whatever other objects share those pages, charges whole pages to the limit for small "
	  "objects, and sets up unlock-collateral and lock-freed bugs.",
	  "Take secrets from one locked, guarded pool (sodium_malloc, OPENSSL_secure_malloc or a "
	  "dedicated mmap region) instead of locking heap objects." },
	{ "advise-heap", "warning",
	  "MADV_DONTDUMP or MADV_DODUMP on malloc heap memory.",
	  "The advice applies to whole pages and outlives free(): it hides unrelated neighbours "
	  "from core dumps (making crashes hard to debug), and a later DODUMP exposes secrets "
	  "that share the page.",
	  "Advise a dedicated mmap region once, or use a pool that does it (sodium_malloc)." },
	{ "align-waste", "warning",
	  "Page-aligned allocation of small objects at a call site (reserved/requested >= 8).",
	  "Allocating each small secret page-aligned (posix_memalign, aligned_alloc, valloc or "
	  "mmap of a page) so that it can be locked on its own reserves at least a page per "
	  "object: memory and locked-memory budget grow eight times or more faster than the data.",
	  "Sub-allocate small secrets from one pool of whole pages." },
	{ "call-failed", "warning",
	  "A lock or advise call failed, so that protection is not in effect.",
	  "A failed mlock leaves the memory swappable and a failed madvise leaves it in core "
	  "dumps; programs that ignore the result run unprotected without knowing it.",
	  "Check the return value of every mlock, mlock2, mlockall and madvise, and fail or report "
	  "when the protection is required." },
	{ "release-unwiped", "warning",
	  "A locked or dump-excluded region is freed or unmapped while it still holds non-zero "
	  "bytes.",
	  "Freed and unmapped memory keeps its contents until it is reused: the allocator hands "
	  "it to other code, and after munlock it can be swapped out. The report counts the "
	  "non-zero bytes; it never records what they were.",
	  "Wipe with explicit_bzero, sodium_memzero or OPENSSL_cleanse (not memset, which the "
	  "compiler may remove) before munlock, free or munmap." },
	{ "protection-lost", "warning",
	  "At exit, the kernel shows a region the program locked or excluded as unprotected.",
	  "/proc/self/smaps lists the VmFlags the kernel really applies (lo, dd, dc, wf). A region "
	  "the program still believes protected lost it behind its back: a munlock, madvise or "
	  "mremap made without libc (a raw system call instruction), or memory of the region "
	  "replaced or remapped by code the program does not control.",
	  "Find the call that replaced or unlocked the mapping; keep secret pools out of reach of "
	  "code that remaps memory, and check the protection where it matters." },
	{ "unlock-unlocked", "note",
	  "munlock of pages that were never locked.",
	  "Harmless for the kernel, but a sign that lock and unlock calls do not pair up, which is "
	  "how unlock-collateral and lock-leak bugs start.",
	  "Unlock exactly what was locked, from the same owner." },
	{ "lock-leak", "note",
	  "Heap pages still locked at exit that the program never unlocked.",
	  "In a long-running process locked heap pages accumulate against RLIMIT_MEMLOCK until a "
	  "lock fails; they also stay locked after the objects on them are freed.",
	  "Wipe and unlock when the secret's life ends, or use a pool that does." },
	{ "fork-unlocked-copy", "note",
	  "fork while holding locked regions not marked DONTFORK or WIPEONFORK.",
	  "Memory locks are not inherited by fork(2): the child holds copies of the secrets in "
	  "unlocked pages that can be swapped out.",
	  "Mark secret regions MADV_WIPEONFORK (or DONTFORK) or avoid fork while holding secrets; "
	  "posix_spawn does not copy them." },
};

/* Return the rule called id; see rule_info.h. */
const struct ma_rule_info *ma_rule_info(const char *id)
{
	if (id)
		for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
			if (!strcmp(rules[i].id, id))
				return &rules[i];
	return NULL;
}

/* Return the table; see rule_info.h. */
const struct ma_rule_info *ma_rule_table(size_t *n)
{
	*n = sizeof rules / sizeof rules[0];
	return rules;
}
