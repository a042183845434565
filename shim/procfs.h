/* procfs.h: the few /proc facts the shim reads, without stdio or the application's heap. */
#ifndef MEMAUDIT_SHIM_PROCFS_H
#define MEMAUDIT_SHIM_PROCFS_H

#include <sys/types.h>

/* Read up to cap bytes of a (proc) file into buf; returns the byte count or -1. */
ssize_t procfs_read(const char *path, char *buf, size_t cap);

/* Call fn for each line of a (proc) file, without its newline; a line longer than 4 KiB is cut
 * there. Static buffers: the state lock must be held. Returns 0, or -1 when unreadable. */
int procfs_lines(const char *path, void (*fn)(char *line, void *arg), void *arg);

/* CAP_IPC_LOCK in the effective set (/proc/self/status CapEff). */
int procfs_has_cap_ipc_lock(void);

/* The kernel's locked_vm (/proc/self/status VmLck) in bytes, or -1. */
long long procfs_vmlck_bytes(void);

/* The address space's size (VmSize, the kernel's total_vm) in bytes, 0 when unreadable. */
long long procfs_vm_size_bytes(void);

/* /proc/sys/vm/max_map_count, or 65530 (DEFAULT_MAX_MAP_COUNT) when unreadable. */
long procfs_max_map_count(void);

#endif
