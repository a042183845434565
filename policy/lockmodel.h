/* lockmodel.h: the kernel's RLIMIT_MEMLOCK decisions (mm/mlock.c), as pure functions.
 *
 * The shim asks these before a lock call (enforce, strict) and for every what-if limit (all
 * policies); the page state they need (pages already locked, pages the call would newly lock) comes
 * from the tracker. Each returns 0 when the kernel would let the call proceed to its real work, or
 * the errno the kernel returns for an unprivileged caller (no CAP_IPC_LOCK) at that limit.
 *
 * Limits are in bytes, -1 for RLIM_INFINITY. The kernel works in pages: lock_limit =
 * rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT, "in effect rounded down to the nearest multiple of the
 * system page size" (getrlimit(2)).
 */
#ifndef MEMAUDIT_POLICY_LOCKMODEL_H
#define MEMAUDIT_POLICY_LOCKMODEL_H

#include <stddef.h>

/* The limit in pages (SIZE_MAX for unlimited). */
size_t lockmodel_limit_pages(long long limit_bytes, size_t page_size);

/* mlock/mlock2 (do_mlock): `locked` pages are locked now, the call would newly lock `charge`
 * pages (pages of the range not locked yet: count_mm_mlocked_page_nr keeps them from being counted
 * twice since Linux 4.9). EPERM when the limit is 0 (can_do_mlock), ENOMEM when
 * locked + charge exceeds the limit. mlock2 flags other than MLOCK_ONFAULT are EINVAL before this;
 * see lockmodel_mlock2_flags. */
int lockmodel_mlock(long long limit_bytes, size_t page_size, size_t locked, size_t charge);

/* mlock2's flag check: EINVAL for any bit but MLOCK_ONFAULT (which saves no budget: the whole
 * range is charged at call time). */
int lockmodel_mlock2_flags(unsigned flags);

/* mlockall (SYSCALL mlockall): EINVAL for no flags, unknown bits or MCL_ONFAULT alone; EPERM at
 * limit 0; with MCL_CURRENT, ENOMEM when the whole address space (total_vm, VmSize) exceeds the
 * limit. */
int lockmodel_mlockall(int flags, long long limit_bytes, size_t page_size, size_t total_vm_bytes);

/* A new mapping under MCL_FUTURE or with MAP_LOCKED (mlock_future_ok): EAGAIN when the locked
 * pages plus the new ones exceed the limit (mmap(2): "EAGAIN ... too much memory has been
 * locked"). */
int lockmodel_map_locked(long long limit_bytes, size_t page_size, size_t locked, size_t new_pages);

#endif
